"""应急预案: emergency plans, each with its versions (修订) and its drills (演练).

《突发事件应对法》 and 《突发事件应急预案管理办法》 (国办发〔2024〕5号) sort plans by the kind of
event they answer (预案类别) and by who makes them (预案层级); the 2020 notice asks that they
be published. A plan is one file, `data/plans/<id>.yml`, its attachments beside it: a revision
adds a version instead of replacing the file, so the older text stays readable.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from annotated_types import Len
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from .attached import Attachment
from .fields import Entry, Identifier, IsoDate, Record, Text, field
from .kind import Column, Kind, one_schema

PlanCategory = Literal["自然灾害", "事故灾难", "公共卫生事件", "社会安全事件"]
PlanLevel = Literal["总体", "专项", "部门", "基层和企事业单位"]
DrillKind = Literal["桌面推演", "实战演练", "综合演练"]

PLAN_CATEGORIES: tuple[str, ...] = PlanCategory.__args__  # type: ignore[attr-defined]
PLAN_LEVELS: tuple[str, ...] = PlanLevel.__args__  # type: ignore[attr-defined]
OVERALL = "综合"
"""How the list shows the 类别 of a 总体应急预案, which covers every kind of event."""


class PlanVersion(Record):
    """预案的一个版本：首次发布或一次修订。"""

    published: IsoDate = field("发布日期")
    number: str | None = field("文号", "印发本版本的文号，例如 泉鲤政办〔2023〕12号", default=None)
    document: Identifier | None = field("印发文件", "文件库中印发本版本的文件编号（有的话）", default=None)
    note: str | None = field("修订说明", "本版本修订了什么、为什么修订；首次发布可不填", default=None)
    attachments: list[Attachment] = field("预案文本", "预案全文等文件，与本 YAML 文件放在同一目录", default_factory=list)
    handbook: list[Attachment] = field("简明操作手册", "简明操作手册、图解、流程图等", default_factory=list)


class Drill(Record):
    """一次应急演练。"""

    date: IsoDate = field("演练日期")
    title: Text = field("演练名称")
    type: DrillKind = field("演练形式", "桌面推演、实战演练 或 综合演练")
    organizer: Identifier | None = field("组织单位", "组织演练的单位编号；不填时为预案的编制单位", default=None)
    summary: str | None = field("演练情况", "参演单位和人数、检验了什么、发现的问题和改进措施", default=None)


class Plan(Entry):
    """一件应急预案。修订时在 versions 末尾增加一个版本，旧版本保留可查。"""

    title: Text = field("预案名称", "例如 鲤城区防汛防台风应急预案")
    level: PlanLevel = field("预案层级", "总体、专项、部门 或 基层和企事业单位")
    category: PlanCategory | None = field(
        "预案类别", "自然灾害、事故灾难、公共卫生事件 或 社会安全事件；总体应急预案不填", default=None
    )
    unit: Identifier = field("编制单位", "编制单位的机构编号（data/units/ 中的文件名）")
    scope: str | None = field("适用范围", "一两句话，显示在列表和搜索结果中", default=None)
    keywords: list[Text] = field("关键词", default_factory=list)
    versions: Annotated[list[PlanVersion], Len(min_length=1)] = field("版本", "按发布日期从早到晚排列，最后一个为现行版本")
    drills: list[Drill] = field("演练记录", default_factory=list)
    repealed: IsoDate | None = field("废止日期", "预案废止（不再适用）的日期", default=None)
    repeal_note: str | None = field("废止说明", "例如 已被某某预案替代", default=None)

    @model_validator(mode="after")
    def _consistent(self) -> "Plan":
        if self.level == "总体" and self.category is not None:
            raise PydanticCustomError("gk_plan", "总体应急预案适用于各类突发事件，不填预案类别（category）", {})
        if self.level != "总体" and self.category is None:
            raise PydanticCustomError("gk_plan", "请填写预案类别（category）：自然灾害、事故灾难、公共卫生事件 或 社会安全事件", {})
        dates = [v.published for v in self.versions]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise PydanticCustomError("gk_plan", "versions 应按发布日期从早到晚排列，且每个版本的发布日期不同", {})
        return self

    @property
    def current(self) -> PlanVersion:
        return self.versions[-1]

    @property
    def first_published(self) -> datetime.date:
        return self.versions[0].published

    @property
    def group(self) -> str:
        """The 类别 the list shows it under: a 总体 plan covers them all."""
        return self.category or OVERALL

    @property
    def in_force(self) -> bool:
        return self.repealed is None

    @property
    def updated(self) -> datetime.date:
        """The day the plan last changed: its newest version, drill or repeal."""
        return max([self.current.published, *(d.date for d in self.drills), *([self.repealed] if self.repealed else [])])


KIND = Kind(
    "plans", "应急预案", "plans", Plan, one_schema("plan", Plan, "应急预案（data/plans/）", "data/plans/*.yml"),
    order=80, page="plans/{id}.md", index="plans/index.md", category="应急预案", noun="plan",
    starter="""\
# 新应急预案（gongkai new plan 生成）。填好空着的栏目后运行 ./dev check。
# 预案名称
title:
# 预案层级：总体、专项、部门、基层和企事业单位
level: 专项
# 预案类别：自然灾害、事故灾难、公共卫生事件、社会安全事件（总体应急预案删去此行）
category:
# 编制单位的机构编号
unit:
# 适用范围：一两句话
scope:
keywords: []
# 版本：修订时在末尾增加一个版本，旧版本不要删除。预案文本和简明操作手册放在本文件所在目录
versions:
  - published: {today}
    # number: 文号
    # document: 文件库中印发本预案的文件编号
    attachments:
      - file: {id}.pdf
        title: 预案全文
    # handbook:
    #   - file: {id}-操作手册.pdf
    #     title: 简明操作手册
# 演练记录
drills: []
""",
    columns=(
        Column("编号", "id"), Column("预案名称", "title"), Column("预案层级", "level"), Column("预案类别", "category"),
        Column("编制单位", "unit", unit=True), Column("适用范围", "scope"), Column("发布日期", "versions.-1.published"),
        Column("文号", "versions.-1.number"), Column("印发文件", "versions.-1.document"), Column("废止日期", "repealed"),
    ),
)
