"""Pages of 决策公开: the 意见征集 list (open ones first), a page per consultation with its
timeline, and the 决策事项目录 by year and unit with a page per item."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import quote

from ..model import Site
from ..model.consultation import CONSULTATIONS, DECISIONS, STATES, Consultation, DecisionItem, grouped_by
from . import paths
from .markdown import render
from .search import SearchEntry
from .view import View

SECTION = "决策公开"


def views(site: Site, per_page: int) -> Iterator[View]:
    asked = sorted(site.records_of(CONSULTATIONS.attribute).values(), key=lambda c: (STATES.index(c.state(site.today)), -c.end.toordinal()))
    items = sorted(site.records_of(DECISIONS.attribute).values(), key=lambda i: (-i.year, i.unit, i.planned, i.id))
    if asked:
        yield View(CONSULTATIONS.index or "", "意见征集", "consultations_index.html", {"consultations": asked, "decisions": DECISIONS.index},
                   description=f"重大行政决策和政策文件草案公开征求意见：{sum(1 for c in asked if c.state(site.today) == '征集中')} 项正在征集，"
                               "以及历次征集的采纳情况反馈",
                   date=max(_changed(c, site) for c in asked), in_nav=True)
        yield from (consultation_view(site, c) for c in asked)
    if items:
        years = sorted({i.year for i in items}, reverse=True)
        groups = [(year, _by_unit([i for i in items if i.year == year])) for year in years]
        yield View(DECISIONS.index or "", "重大行政决策事项目录", "decisions_index.html", {"groups": groups, "consulted": grouped_by(asked, "decision_item")},
                   description="历年重大行政决策事项目录：事项名称、承办单位、计划完成时间、决策依据、是否听证和进展",
                   date=max(i.planned if i.planned <= site.today else site.today for i in items), in_nav=True)


def consultation_view(site: Site, c: Consultation) -> View:
    unit = site.unit_name(c.unit)
    state = c.state(site.today)
    item = site.records_of(DECISIONS.attribute).get(c.decision_item or "")
    return View(
        paths.of(c),
        c.title,
        "consultation.html",
        {"c": c, "state": state, "unit": site.units.get(c.unit), "item": item, "days_left": c.days_left(site.today),
         "decision": site.documents.get(c.decision or ""), "index": DECISIONS.index,
         "explanation": render(c.explanation), "summary": render(c.feedback.summary if c.feedback else None),
         "mailto": f"mailto:{c.channels.email}?subject={quote('意见：' + c.title)}" if c.channels.email else ""},
        description=f"{unit}公开征求意见，{c.start}至{c.end}（{c.days} 日），{state}",
        date=_changed(c, site),
        markdown=c.body or "",
        crumbs=((SECTION, CONSULTATIONS.index or ""),),
        files=tuple((paths.attachment(c, a.file), c.path.parent / a.file) for a in c.attachments) if c.path else (),
        search=SearchEntry("意见征集", c.start, {"发布机构": unit, "征集状态": state, "年份": str(c.start.year)},
                           {"发布日期": c.start.isoformat(), "发布机构": unit, "有效性": state},
                           rank="yields" if c.decision in site.documents else ""),
        owner=c.unit,
    )


def _changed(c: Consultation, site: Site):
    """The last thing that happened to it by today: its feedback, or its publication (an announced
    consultation that has not started yet is dated today, never in the future)."""
    return c.feedback.published if c.feedback and c.feedback.published <= site.today else min(c.start, site.today)


def _by_unit(items: list[DecisionItem]) -> list[tuple[str, list[DecisionItem]]]:
    units: dict[str, list[DecisionItem]] = {}
    for item in items:
        units.setdefault(item.unit, []).append(item)
    return list(units.items())
