"""Documents (政府信息公开目录的条目): 规范性文件, other documents and 政策解读.

A document's 有效性 is never typed: it is derived from its dates and its events
(see `lifecycle`). Editors record what happened — 修改, 废止, 失效, 清理 outcomes — and
the site shows the status as of the build date.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, model_validator
from pydantic_core import PydanticCustomError

from . import docnumber
from .attached import Attachment
from .categories import CATEGORY_KEYS
from .fields import Entry, Hint, Identifier, IsoDate, Record, Text, field, matching
from .kind import Kind, one_schema

DocumentKind = Literal["规范性文件", "其他文件", "政策解读"]
Genre = Literal[
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知",
    "通报", "报告", "请示", "批复", "议案", "函", "纪要", "其他",
]
EventType = Literal["修改", "废止", "失效", "清理"]
CleanupOutcome = Literal["继续有效", "修改", "废止", "失效"]
Disclosure = Literal["主动公开", "依申请公开"]

CategoryKey = Literal[CATEGORY_KEYS]  # type: ignore[valid-type]

def _number(value: str) -> str:
    if docnumber.parse(value) is None:
        fixed = docnumber.suggestion(value)
        hint = f"；是否应为“{fixed}”（年份用六角括号〔〕）？" if fixed else f"：{docnumber.FORMS_HELP}"
        raise PydanticCustomError("gk_number", "文号“{value}”格式不正确" + hint, {"value": value})
    return value


DocumentNumber = Annotated[str, AfterValidator(_number), Hint(docnumber.PATTERN, "泉鲤政办〔2020〕38号")]


@functools.lru_cache(maxsize=1 << 16)  # every list a document is in shows it
def normalize_number(value: str) -> str:
    """A 文号 as the site shows it: 泉鲤政办[2020]38号 → 泉鲤政办〔2020〕38号 (see `docnumber`)."""
    parsed = docnumber.parse(value)
    return str(parsed) if parsed else value


ClockTime = matching("时间", r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "16:40")
_DATE_TIME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{1,2}:\d{2}(:\d{2})?)$")


INDEX_NUMBER = r"^[0-9A-Z][0-9A-Z/-]{6,38}[0-9]$"


def _index_number(value: str) -> str:
    if not re.fullmatch(INDEX_NUMBER, value):
        raise PydanticCustomError(
            "gk_index", "索引号“{value}”格式不正确，应类似 QZ06101-2001-2020-00038（大写字母、数字、“-”和“/”）", {"value": value}
        )
    return value


IndexNumber = Annotated[str, AfterValidator(_index_number), Hint(INDEX_NUMBER, "QZ06101-2015-2020-00038")]

class Event(Record):
    """文件生命周期中的一件事：修改、废止、失效，或一次清理的结论。"""

    type: EventType = field("事件类型", "修改、废止、失效 或 清理")
    date: IsoDate | None = field("日期", "不填时取 by 所指文件的施行日期", default=None)
    by: Identifier | None = field("依据文件", "作出修改或废止的文件的编号", default=None)
    reason: str | None = field("原因", default=None)
    campaign: Identifier | None = field("清理活动", "清理活动的编号（data/campaigns/ 下的文件名）", default=None)
    outcome: CleanupOutcome | None = field("清理结论", "继续有效、修改、废止 或 失效", default=None)
    until: IsoDate | None = field("延续至", "清理结论为继续有效时，新的有效期截止日期", default=None)

    @model_validator(mode="after")
    def _complete(self) -> "Event":
        missing = {
            "修改": self.by is None,
            "废止": self.by is None and not self.reason,
            "失效": False,
            "清理": self.campaign is None or self.outcome is None,
        }[self.type]
        if missing:
            need = {"修改": "by（作出修改的文件）", "废止": "by（废止它的文件）或 reason（废止原因）",
                    "清理": "campaign（清理活动）和 outcome（清理结论）"}[self.type]
            raise PydanticCustomError("gk_event", "“{type}”事件需要填写 {need}", {"type": self.type, "need": need})
        if self.date is None and self.by is None:
            raise PydanticCustomError("gk_event", "“{type}”事件需要填写 date（日期）", {"type": self.type})
        if self.until is not None and self.outcome != "继续有效":
            raise PydanticCustomError("gk_event", "until（延续至）只用于清理结论为“继续有效”的事件", {})
        return self


class Document(Entry):
    """一份公开的文件：政府信息公开目录的一条，附正文、附件和生命周期。"""

    title: Text = field("标题")
    kind: DocumentKind = field("文件类型", "规范性文件、其他文件 或 政策解读", default="其他文件")
    number: DocumentNumber | None = field(
        "文号", "例如 泉鲤政办〔2020〕38号、国令第707号、国家税务总局公告2018年第31号；联合发文的多个文号用“、”分隔", default=None)
    issuer: Identifier = field("发文机关", "发文机关的编号（data/units/ 下的文件名）")
    co_issuers: list[Identifier] = field("联合发文机关", default_factory=list)
    written: IsoDate = field("成文日期", "信息形成（生成）的日期")
    published: IsoDate = field("发布日期", "可带时间：2024-04-06 16:40")
    published_time: ClockTime | None = field("发布时间", "例如 16:40；通常直接写在发布日期之后", default=None)  # type: ignore[valid-type]
    effective: IsoDate | None = field("施行日期", "不填时与发布日期相同", default=None)
    expires: IsoDate | None = field("有效期至", default=None)
    trial: bool = field("试行或暂行", default=False)
    index_number: IndexNumber | None = field("索引号", "不填时按“前缀-类别-年份-流水号”自动生成", default=None)
    category: CategoryKey = field("信息类别", "《政府信息公开条例》第二十条、第二十一条规定的类别")
    subject: str | None = field("主题分类", "例如 综合政务\\政务公开", default=None)
    genre: Genre | None = field("文种", default=None)
    disclosure: Disclosure = field("公开方式", default="主动公开")
    keywords: list[Text] = field("关键词", default_factory=list)
    summary: str | None = field("内容概述", default=None)
    body: str | None = field("正文", "Markdown；也可以写在同名的 .md 文件中", default=None)
    attachments: list[Attachment] = field("附件", default_factory=list)
    events: list[Event] = field("生命周期事件", default_factory=list)
    interprets: Identifier | None = field("解读的文件", "政策解读所解读的文件的编号", default=None)
    interpretation_exempt: str | None = field("无需解读的理由", "规范性文件不作解读时说明理由", default=None)
    late_reason: str | None = field("逾期发布说明", "超过 20 个工作日才公开时说明原因", default=None)
    disclosure_rule: bool = field("政府信息公开制度", "列入“政府信息公开制度”栏目的文件设为 true", default=False)

    @model_validator(mode="before")
    @classmethod
    def _time_of_day(cls, data: Any) -> Any:
        """发布日期 as real metadata gives it, with a time: 2024-04-06 16:40 (kept, and shown)."""
        if isinstance(data, dict) and isinstance(data.get("published"), str):
            match = _DATE_TIME.match(data["published"].strip())
            if match and "published_time" not in data:
                return {**data, "published": match["date"], "published_time": match["time"].zfill(5 if match["time"].count(":") == 1 else 8)}
        return data

    @property
    def effective_date(self):
        return self.effective or self.published

    @property
    def number_display(self) -> str | None:
        return normalize_number(self.number) if self.number else None

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def is_normative(self) -> bool:
        return self.kind == "规范性文件"

    @property
    def is_interpretation(self) -> bool:
        return self.kind == "政策解读"


DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)

RESERVED_IDS = frozenset({"index", "register", "compilation", "cleanups", "year", "issuer", "category", "feed"})
"""Ids a document cannot have: the document library's own pages live at those addresses."""

KIND = Kind("documents", "文件", "documents", Document,
            one_schema("document", Document, "文件（data/documents/）", "data/documents/**/*.yml"),
            order=90, page="documents/{id}.md")
