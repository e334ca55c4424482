"""What a record file brings beside its YAML: a Markdown body (documents) and attachments,
wherever its model holds `Attachment`s (a document's list, each version of a 应急预案)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

from pydantic import BaseModel

from ..attachments import Malformed
from ..findings import Position, error
from ..model.attached import Attachment, attachment_fields, attachments_of
from ..model.fields import Entry
from ..model.privacy import Unread
from .personal import in_attachment, in_text
from .textfile import MAX_MARKDOWN
from .unsafe_html import unsafe_html

if TYPE_CHECKING:
    from . import Loader

E = TypeVar("E", bound=Entry)


def sibling_files(model: type[BaseModel]) -> Callable[[Path, dict], Iterator[Path]] | None:
    """`files(path, data)`: the body and attachments a record file names, read from its raw data
    (so they are claimed even when the record is invalid); None for a kind that has neither."""
    holders = attachment_fields(model)
    if not holders and "body" not in model.model_fields:
        return None

    def files(path: Path, data: dict) -> Iterator[Path]:
        if "body" in model.model_fields:
            yield path.with_suffix(".md")
        for item in _raw_attachments(data, model):
            yield path.parent / item["file"]

    return files


def _raw_attachments(data: Any, model: type[BaseModel]) -> Iterator[dict]:
    for name, inner in attachment_fields(model).items():
        values = data.get(name) if isinstance(data, dict) else None
        for value in values if isinstance(values, list) else [values]:
            if inner is Attachment:
                if isinstance(value, dict) and isinstance(value.get("file"), str):
                    yield value
            else:
                yield from _raw_attachments(value, inner)


def complete_record(record: E, loader: "Loader") -> E | None:
    """Read the sibling `<id>.md` into `body` (kinds that have one) and check that every
    attachment exists and may be published; None if the record cannot be published."""
    path = record.path
    assert path is not None
    ok = True
    body_file = path.with_suffix(".md")
    if "body" in type(record).model_fields and body_file.is_file():
        if getattr(record, "body"):
            loader.report.add(
                error(record.at("body"), f"正文只能写在一处：已有 {loader.display(body_file)}，请删除此处的 body", "body（正文）")
            )
            ok = False
        else:
            body = loader.read_text(body_file, MAX_MARKDOWN)
            if body is None:
                return None
            loader.personal += in_text(body, loader.display(body_file))
            for line, column, message in unsafe_html(body):
                loader.report.add(error(Position(loader.display(body_file), line, column), message, "正文"))
            record = record.model_copy(update={"body": body}).placed(record.id, record.source, path)
    checked: set[Path] = set()  # versions of a plan may share a file: read it once
    for at, attachment in attachments_of(record):
        file = path.parent / attachment.file
        if file in checked:
            continue
        if file.is_file():
            checked.add(file)
            ok = _check_attachment(file, loader) and ok
        else:
            loader.report.add(
                error(record.at(*at, "file"), f"附件文件“{attachment.file}”不存在（应与本文件放在同一目录）", record.label_of(*at, "file"))
            )
            ok = False
    return record if ok else None


def _check_attachment(file: Path, loader: "Loader") -> bool:
    """Read what the attachment says for personal information; False if it may not be published."""
    if not loader.inside(file):
        return False
    shown = loader.display(file)
    try:
        found, unread = in_attachment(file, shown, loader.cache)
    except Malformed as exc:
        loader.report.add(error(Position(shown), f"附件无法读取：{exc}。请重新导出或另存后再上传"))
        return False
    except OSError as exc:
        loader.report.add(error(Position(shown), f"附件无法读取（{exc.strerror or exc}）"))
        return False
    loader.personal += found
    if unread:
        loader.unread.append(Unread(Position(shown), unread))
    return True
