"""Field types shared by every record, each with its own Chinese error message.

The loader hands every scalar to the model as text (see `load.yamlsource`), so these
types parse text strictly: a date must be written ``2020-08-20``, a phone number must
look like one, an id must be usable in a URL.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..findings import Position, SourceMap
from .labels import field_label


class Record(BaseModel):
    """Base of every record read from `data/`: unknown keys are errors, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_left_out(cls, data: Any) -> Any:
        """An optional field written as '' is one left out: the web editor (Decap CMS) saves a field
        an editor cleared that way, and ``fax: ''`` must not read as a malformed number."""
        if isinstance(data, dict) and "" in data.values():
            optional = _optional_fields(cls)
            return {key: value for key, value in data.items() if not (value == "" and key in optional)}
        return data


@cache
def _optional_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, info in model.model_fields.items() if not info.is_required())


class Entry(Record):
    """A record that is a file of its own: it knows its id (the file name) and its source.

    These are kept in the instance dict beside the fields (not as pydantic private
    attributes, which are ~40 times slower to read): ids are read millions of times when
    a large platform is sorted and cross-checked. They are not fields, so they are never
    validated, dumped or compared.
    """

    @property
    def id(self) -> str:
        return self.__dict__.get("gk_id", "")

    @property
    def source(self) -> SourceMap:
        return self.__dict__.get("gk_source") or SourceMap("")

    @property
    def path(self) -> Path | None:
        """The file the record was read from (absolute), for files that live beside it."""
        return self.__dict__.get("gk_path")

    def at(self, *path: str | int) -> Position:
        """Where a field of this record was written, for findings about it."""
        return self.source.at(path)

    def label_of(self, *path: str | int) -> str:
        """The field as editors read it, its Chinese title from the model: ``parent（上级单位）``."""
        return field_label(path, type(self))

    def is_published(self, path: tuple[str | int, ...]) -> bool:
        """Whether the value at `path` appears on the site (see `Unit` for one that may not)."""
        return True

    def placed(self, id: str, source: SourceMap | None, path: Path | None = None) -> Self:
        for name, value in (("gk_id", id), ("gk_source", source), ("gk_path", path)):
            object.__setattr__(self, name, value)
        return self


@dataclass(frozen=True)
class Hint:
    """What an editor's YAML editor should know about a text type: the JSON Schema pattern
    (the same rule the validator applies, in the regular-expression dialect schemas use)
    and an example, shown on hover and offered on completion."""

    pattern: str | None = None
    example: str | None = None

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict:
        schema = handler(core_schema)
        if self.pattern:
            schema["pattern"] = self.pattern
        if self.example:
            schema["examples"] = [self.example]
        return schema


def _nonempty(value: str) -> str:
    if not value:
        raise PydanticCustomError("gk_empty", "不能为空")
    return value


Text = Annotated[str, AfterValidator(_nonempty)]
"""A required piece of text that may not be blank."""


ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
"""A record's id: its file name and part of its address, so short, lower-case and safe in a path."""
ID_RULE = "只能由小写字母、数字和连字符组成、以字母或数字开头、不超过 64 个字符（例如 qzfb、sfj-2020）"


def check_id(value: str, what: str) -> str:
    """`value` if it can be an id (typed on the command line, say); ValueError in Chinese if not."""
    if not ID_PATTERN.fullmatch(value):
        raise ValueError(f"{what}“{value}”不能使用：编号{ID_RULE}")
    return value


def _id(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise PydanticCustomError("gk_id", "编号“{value}”" + ID_RULE, {"value": value})
    return value


Identifier = Annotated[str, AfterValidator(_id), Hint(ID_PATTERN.pattern, "qzfb")]
"""An id that is part of a URL: permanent, lowercase ASCII."""


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if _DATE.match(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise PydanticCustomError("gk_date", "日期“{value}”不存在（请检查月份和日期）", {"value": text}) from None
    raise PydanticCustomError(
        "gk_date", "日期“{value}”格式不正确，应写作 YYYY-MM-DD，例如 2020-08-20", {"value": text}
    )


IsoDate = Annotated[datetime.date, BeforeValidator(_date), Hint(example="2020-08-20")]


# Landline with area code (0595-22355663, optional extension), a bare local number
# (22355663), a mobile (13900000001), a short service number (12345, 95598), 400/800 lines.
_LANDLINE = r"(0\d{2,3}-)?[2-9]\d{6,7}((-|转)\d{1,6})?"
_MOBILE = r"1[3-9]\d{9}"
_SERVICE = r"1\d{4}|9\d{4,5}|[48]00-?\d{3}-?\d{4}"
_PHONE = re.compile(rf"^({_LANDLINE}|{_MOBILE}|{_SERVICE})$")
MOBILE = re.compile(rf"^{_MOBILE}$")


_DASHES = str.maketrans({**{c: "-" for c in "—–－―‐‑‒−﹣"}, **{chr(0xFF10 + d): str(d) for d in range(10)}})


def normalize_phone(value: str) -> str:
    """A phone number as published, written the one way the site shows numbers: dashes of every
    width (0527—83593059), full-width digits, an area code in parentheses or set off by a space,
    an extension written “转 8001” or “分机8001”."""
    text = value.translate(_DASHES).strip()
    text = re.sub(r"\s*-+\s*", "-", text)
    text = re.sub(r"\s*(?:转|分机|ext\.?)\s*", "转", text, flags=re.IGNORECASE)
    text = re.sub(r"^[（(](0\d{2,3})[）)]\s*", r"\1-", text)
    return re.sub(r"^(0\d{2,3})\s+(?=[2-9])", r"\1-", text)


def _phone(value: str) -> str:
    shown = normalize_phone(value)
    if not _PHONE.match(shown):
        raise PydanticCustomError(
            "gk_phone",
            "电话号码“{value}”格式不正确：固定电话写作 0595-22355663（区号与号码之间用半角连字符，"
            "分机写作 0595-22355663转8001），手机写作 13900000001",
            {"value": value},
        )
    return shown


PHONE_CHECK = AfterValidator(_phone)
Phone = Annotated[str, PHONE_CHECK, Hint(_PHONE.pattern, "0595-22355663")]


def is_mobile(phone: str | None) -> bool:
    return bool(phone and MOBILE.match(phone))


_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError("gk_email", "电子邮箱“{value}”格式不正确", {"value": value})
    return value


Email = Annotated[str, AfterValidator(_email), Hint(_EMAIL.pattern, "lczwgk@example.gov.cn")]


def matching(kind: str, pattern: str, example: str) -> Any:
    """Text that must match `pattern`: the type, with a message naming the kind of value and an example."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.match(value):
            raise PydanticCustomError("gk_format", f"{kind}“{{value}}”格式不正确，应类似“{example}”", {"value": value})
        return value

    return Annotated[str, AfterValidator(check), Hint(pattern, example)]


def field(title: str, description: str = "", **kwargs: Any) -> Any:
    """A model field with its Chinese title (shown in messages and, later, editor schemas)."""
    return Field(title=title, description=description or None, **kwargs)


LAYOUT_TAGS: set[str] = set()
"""The tags of tagged unions (a record written in one of two layouts): pydantic puts the tag
in an error's path, where it names no field; the loader leaves these out."""


def layout_tag(name: str) -> str:
    tag = f"<{name}>"
    LAYOUT_TAGS.add(tag)
    return tag


_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


PRINTED_NUMBER = r"^\s*([+-]?([0-9０-９]{1,3}([,，][0-9０-９]{3})+|[0-9０-９]+)([.．][0-9０-９]+)?|[-—–/／－]|——)\s*$"
"""A figure as published tables print it (for editors' YAML editors; `printed_number` reads it)."""


_PRINTED_BLANK = {"-", "—", "——", "–", "/", "／", "－"}
"""What tables print in a cell left empty: read as blank (None), never as 0."""


def printed_number(value: Any) -> Any:
    """A figure as published tables print it, made plain: full-width digits (１２３), thousands
    separators (3,985,758) and stray spaces; a dash or slash in an empty cell is a blank. The
    value itself is never rounded."""
    if not isinstance(value, str):
        return value
    if value.strip() in _PRINTED_BLANK:
        return None
    text = unicodedata.normalize("NFKC", value).replace(" ", "")
    return text.replace(",", "") if _GROUPED.match(text) else text


IndexCode = matching("索引号机构代码", r"^[0-9A-Z]{4,20}$", "QZ06101")
"""The organisation part of a generated 索引号."""

Postcode = matching("邮政编码", r"^\d{6}$", "362000")
