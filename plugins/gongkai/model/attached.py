"""Attachments: files published beside a record (a document's 附件, a 应急预案's text and 操作手册).

Any record may hold `Attachment`s, in a list field or inside nested records; the loader
claims and checks them, and the pages publish them, wherever they are (`attachments_of`).
"""

from __future__ import annotations

from functools import cache
from pathlib import PurePosixPath
from typing import Annotated, Any, Iterator

from pydantic import AfterValidator, BaseModel
from pydantic_core import PydanticCustomError

from .fields import Record, field
from .labels import inner_model

ATTACHMENT_FORMATS = {
    ".pdf": "PDF", ".ofd": "OFD", ".doc": "DOC", ".docx": "DOCX", ".wps": "WPS",
    ".xls": "XLS", ".xlsx": "XLSX", ".et": "ET", ".png": "PNG", ".jpg": "JPG", ".jpeg": "JPG",
}


def _attachment_file(value: str) -> str:
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or "\\" in value:
        raise PydanticCustomError("gk_file", "附件路径“{value}”应相对于本文件所在目录，且不能包含“..”", {"value": value})
    if any(part.startswith(".") for part in path.parts) or any(not c.isprintable() for c in value):
        raise PydanticCustomError("gk_file", "附件文件名“{value}”不能以“.”开头，也不能含有控制字符（这样的文件不会发布）", {"value": value})
    if path.suffix.lower() not in ATTACHMENT_FORMATS:
        allowed = "、".join(sorted({f.lower() for f in ATTACHMENT_FORMATS.values()}))
        raise PydanticCustomError("gk_file", "附件“{value}”的格式不支持；可用的格式：{allowed}", {"value": value, "allowed": allowed})
    return value


class Attachment(Record):
    file: Annotated[str, AfterValidator(_attachment_file)] = field("文件", "附件文件名，相对于本 YAML 文件所在目录")
    title: str | None = field("附件名称", "不填则使用文件名", default=None)

    @property
    def name(self) -> str:
        return self.title or PurePosixPath(self.file).stem

    @property
    def format(self) -> str:
        return ATTACHMENT_FORMATS[PurePosixPath(self.file).suffix.lower()]


@cache
def attachment_fields(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The fields of `model` that can hold attachments: name → `Attachment`, or the nested
    record type that holds some (so a walk follows only these, not every value)."""
    holders: dict[str, type[BaseModel]] = {}
    for name, info in model.model_fields.items():
        inner = inner_model(info.annotation)
        if inner is Attachment or (inner is not None and attachment_fields(inner)):
            holders[name] = inner
    return holders


def attachments_of(record: BaseModel, at: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Attachment]]:
    """Every attachment of `record` with where it is (``("versions", 1, "attachments", 0)``)."""
    for name, inner in attachment_fields(type(record)).items():
        value = getattr(record, name)
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            where = (*at, name) if i is None else (*at, name, i)
            if isinstance(item, Attachment):
                yield where, item
            elif isinstance(item, BaseModel):
                yield from attachments_of(item, where)
