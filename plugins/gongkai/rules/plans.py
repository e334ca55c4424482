"""Rules about 应急预案: references, dates, and what 《突发事件应急预案管理办法》 asks of a plan
in force (its text published, a 简明操作手册, a drill at least every three years)."""

from __future__ import annotations

import datetime
from typing import Iterator

from ..findings import Finding, error, warning
from ..model import Site
from ..model.plan import Plan
from .common import missing

DRILL_YEARS = 3
"""《突发事件应急预案管理办法》: 专项、部门应急预案 are drilled at least every three years (总体 plans likewise here)."""


def plans(site: Site) -> list[Plan]:
    return list(site.records_of("plans").values())


def references(site: Site) -> Iterator[Finding]:
    documents = site.document_ids
    for plan in plans(site):
        if plan.unit not in site.unit_ids:
            yield error(plan.at("unit"), missing("编制单位", plan.unit, site.unit_ids), plan.label_of("unit"))
        for i, version in enumerate(plan.versions):
            if version.document and version.document not in documents:
                yield error(plan.at("versions", i, "document"), missing("文件", version.document, documents),
                            plan.label_of("versions", i, "document"))
        for i, drill in enumerate(plan.drills):
            if drill.organizer and drill.organizer not in site.unit_ids:
                yield error(plan.at("drills", i, "organizer"), missing("组织单位", drill.organizer, site.unit_ids),
                            plan.label_of("drills", i, "organizer"))


def dates(site: Site) -> Iterator[Finding]:
    for plan in plans(site):
        for i, version in enumerate(plan.versions):
            if version.published > site.today:
                yield error(plan.at("versions", i, "published"), f"发布日期 {version.published} 晚于今天；尚未发布的版本不能公开",
                            plan.label_of("versions", i, "published"))
        for i, drill in enumerate(plan.drills):
            if drill.date > site.today:
                yield error(plan.at("drills", i, "date"), f"演练日期 {drill.date} 晚于今天；演练结束后再记录", plan.label_of("drills", i, "date"))
            elif drill.date < plan.first_published:
                yield warning(plan.at("drills", i, "date"), f"演练日期早于预案首次发布（{plan.first_published}）；请检查日期",
                              plan.label_of("drills", i, "date"))
        if plan.repealed and plan.repealed < plan.current.published:
            yield error(plan.at("repealed"), f"废止日期早于现行版本的发布日期（{plan.current.published}）", plan.label_of("repealed"))


def readable(site: Site) -> Iterator[Finding]:
    """A plan in force is published in full, with its short operating handbook."""
    for plan in plans(site):
        if not plan.in_force:
            continue
        last = len(plan.versions) - 1
        if not plan.current.attachments and not plan.current.document:
            yield error(plan.at("versions", last), "现行版本没有预案文本：请附上预案全文（attachments），或写明印发它的文件（document）",
                        plan.label_of("versions", last))
        if not plan.current.handbook:
            yield warning(plan.at("versions", last), "现行版本没有简明操作手册或图解（handbook）；请附上，方便一线人员和公众使用",
                          plan.label_of("versions", last))


def drilled(site: Site) -> Iterator[Finding]:
    """A plan in force for more than three years has been drilled within the last three."""
    for plan in plans(site):
        due = _years_before(site.today, DRILL_YEARS)
        if plan.in_force and plan.level != "基层和企事业单位" and plan.first_published < due:
            last = max((d.date for d in plan.drills), default=None)
            if last is None or last < due:
                when = f"最近一次演练是 {last}" if last else "没有演练记录"
                yield warning(plan.at("drills") if plan.drills else plan.at(), f"预案应至少每 {DRILL_YEARS} 年演练一次，{when}",
                              plan.label_of("drills"))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


RULES = [references, dates, readable, drilled]
