"""重大行政决策 and public participation: the 决策事项目录 and each 意见征集 with its 采纳情况反馈.

《重大行政决策程序暂行条例》 (国务院令第713号) has a government publish the list of major
decisions it means to make (决策事项目录), publish each draft for the public's opinions for
generally not less than 30 days (a shorter period must say why when it is published), and
publish what was done with the opinions. A consultation's state comes from its dates and its
feedback, never typed: 未开始, 征集中, 已结束, 已反馈.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable, Literal

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from .attached import Attachment
from .fields import Email, Entry, Identifier, IsoDate, Phone, Record, Text, field
from .kind import Column, Kind, one_schema

MIN_DAYS = 30
"""《重大行政决策程序暂行条例》: 公开征求意见的期限一般不少于30日."""

State = Literal["未开始", "征集中", "已结束", "已反馈"]
STATES: tuple[str, ...] = ("征集中", "未开始", "已结束", "已反馈")
"""In the order the list shows them: what a reader can still answer first."""


class DecisionItem(Entry):
    """决策事项目录中的一项重大行政决策事项。"""

    year: int = field("目录年度", "列入哪一年度的决策事项目录", ge=2019, le=2100)
    title: Text = field("事项名称")
    unit: Identifier = field("决策机关", "作出决策的机关的机构编号，例如区政府 lcq")
    lead: Identifier = field("承办单位", "负责起草、论证和征求意见的单位的机构编号")
    basis: str | None = field("决策依据", "法律、法规、政策依据", default=None)
    planned: IsoDate = field("计划完成时间")
    hearing: bool = field("是否听证", "计划举行听证会的写 true", default=False)
    decision: Identifier | None = field("决策文件", "作出决策后，文件库中决策文件的编号", default=None)
    withdrawn: str | None = field("调出目录的理由", "不再作出决策、调出目录时写明理由", default=None)

    def status(self, today: datetime.date) -> str:
        if self.decision:
            return "已决策"
        if self.withdrawn:
            return "已调出目录"
        return "推进中" if today <= self.planned else "逾期未决策"


class Channels(Record):
    """提出意见的方式。不使用第三方表单服务。"""

    email: Email | None = field("电子邮箱", "意见发送到的邮箱；网页上的链接会填好邮件主题", default=None)
    address: str | None = field("通信地址", "信函寄往的地址和邮政编码", default=None)
    phone: Phone | None = field("联系电话", default=None)
    visit: str | None = field("当面提出", "可以当面提出意见的地点和时间", default=None)

    @model_validator(mode="after")
    def _some(self) -> "Channels":
        if not (self.email or self.address or self.phone or self.visit):
            raise PydanticCustomError("gk_channels", "至少写明一种提出意见的方式：email、address、phone 或 visit", {})
        return self


class Reason(Record):
    opinion: Text = field("意见", "未采纳的主要意见（概括）")
    reason: Text = field("理由", "不予采纳的理由")


class Feedback(Record):
    """采纳情况反馈。"""

    published: IsoDate = field("反馈日期")
    received: int = field("收到意见数", ge=0)
    adopted: int = field("采纳", ge=0)
    partly: int = field("部分采纳", ge=0, default=0)
    rejected: int = field("未采纳", ge=0)
    reasons: list[Reason] = field("未采纳的主要意见及理由", default_factory=list)
    summary: str | None = field("说明", "意见的总体情况和修改情况（Markdown）", default=None)


class Consultation(Entry):
    """一次公开征求意见。草案正文可写在同名 .md 文件中，草案和起草说明的文件作为附件。"""

    title: Text = field("标题", "例如 关于《鲤城区……（征求意见稿）》公开征求意见的公告")
    unit: Identifier = field("征集单位", "征求意见的单位的机构编号")
    decision_item: Identifier | None = field("决策事项", "所属的决策事项目录中的事项编号", default=None)
    start: IsoDate = field("开始日期")
    end: IsoDate = field("截止日期")
    short_reason: str | None = field("期限不足30日的理由", "因情况紧急等原因缩短征求意见期限的，必须说明", default=None)
    explanation: str | None = field("起草说明", "起草的必要性、依据和主要内容（Markdown）", default=None)
    body: str | None = field("草案正文", "Markdown；也可以写在同名的 .md 文件中", default=None)
    attachments: list[Attachment] = field("附件", "征求意见稿、起草说明等文件，与本 YAML 文件放在同一目录", default_factory=list)
    channels: Channels = field("提出意见的方式")
    feedback: Feedback | None = field("采纳情况反馈", "征集结束后填写", default=None)
    decision: Identifier | None = field("决策文件", "最终印发的文件在文件库中的编号", default=None)

    @property
    def days(self) -> int:
        """The period, both ends included."""
        return (self.end - self.start).days + 1

    def state(self, today: datetime.date) -> State:
        if self.feedback is not None and self.feedback.published <= today:
            return "已反馈"
        if today < self.start:
            return "未开始"
        return "征集中" if today <= self.end else "已结束"

    def days_left(self, today: datetime.date) -> int:
        """Days an opinion can still be sent, today included (0 once closed)."""
        return max(0, (self.end - today).days + 1) if today >= self.start else self.days


def grouped_by(consultations: Iterable[Consultation], field: str) -> dict[str, list[Consultation]]:
    """The consultations by what they name in `field` (``decision``: the decision document, ``decision_item``),
    in the order given; the ones that name nothing are left out."""
    groups: dict[str, list[Consultation]] = {}
    for consultation in consultations:
        if key := getattr(consultation, field):
            groups.setdefault(key, []).append(consultation)
    return groups


@dataclass(frozen=True)
class Participation:
    """A year's 意见征集 of some units, for their annual report: counted, never typed."""

    consultations: int
    received: int
    adopted: int
    partly: int


def participation(consultations: Iterable[Consultation], units: set[str], year: int) -> Participation | None:
    """The consultations the units started in `year`, and the opinions reported back; None if there were none."""
    held = [c for c in consultations if c.unit in units and c.start.year == year]
    if not held:
        return None
    answered = [c.feedback for c in held if c.feedback is not None]
    return Participation(len(held), sum(f.received for f in answered), sum(f.adopted for f in answered), sum(f.partly for f in answered))


DECISIONS = Kind(
    "decision_items", "决策事项", "decisions", DecisionItem,
    one_schema("decision-item", DecisionItem, "重大行政决策事项目录（data/decisions/）", "data/decisions/**/*.yml"),
    order=75, index="decisions/index.md", noun="decision-item",
    starter="""\
# 新的重大行政决策事项（gongkai new decision-item 生成）。填好后运行 ./dev check。
# 列入哪一年度的决策事项目录
year: {year}
# 事项名称
title:
# 决策机关、承办单位（机构编号）
unit:
lead:
# 决策依据
basis:
# 计划完成时间
planned: {today}
# 是否计划举行听证会
hearing: false
# 作出决策后填写文件库中决策文件的编号；调出目录时填写 withdrawn（理由）
# decision:
""",
    columns=(Column("编号", "id"), Column("年度", "year"), Column("事项名称", "title"), Column("决策机关", "unit", unit=True),
             Column("承办单位", "lead", unit=True), Column("决策依据", "basis"), Column("计划完成时间", "planned")),
)

CONSULTATIONS = Kind(
    "consultations", "意见征集", "consultations", Consultation,
    one_schema("consultation", Consultation, "意见征集（data/consultations/）", "data/consultations/**/*.yml"),
    order=76, page="consultations/{id}.md", index="consultations/index.md", noun="consultation",
    starter="""\
# 新的意见征集（gongkai new consultation 生成）。填好后运行 ./dev check。草案正文写在同目录的 {id}.md 中。
title:
# 征集单位（机构编号）、所属的决策事项（data/decisions/ 中的编号，可不填）
unit:
# decision_item:
# 征集期限一般不少于 30 日；不足 30 日的，在 short_reason 中说明理由
start: {today}
end:
# 起草说明（Markdown）
explanation: |
  …
# 征求意见稿等文件，与本文件放在同一目录
attachments: []
# 提出意见的方式，至少一种
channels:
  email:
  address:
  phone:
# 征集结束后填写采纳情况反馈：
# feedback:
#   published: 反馈日期
#   received: 0
#   adopted: 0
#   partly: 0
#   rejected: 0
#   reasons:
#     - opinion: 未采纳的主要意见
#       reason: 理由
# 最终印发的文件在文件库中的编号
# decision:
""",
)

KINDS = (DECISIONS, CONSULTATIONS)
