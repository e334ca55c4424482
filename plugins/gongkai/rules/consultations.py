"""Rules about 重大行政决策事项 and 意见征集: references, the 30-day period, and feedback that
is complete and on time."""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding, error, warning
from ..model import Site
from ..model.consultation import MIN_DAYS, Consultation, DecisionItem
from .common import missing


def consultations(site: Site) -> list[Consultation]:
    return list(site.records_of("consultations").values())


def decision_items(site: Site) -> list[DecisionItem]:
    return list(site.records_of("decision_items").values())


def references(site: Site) -> Iterator[Finding]:
    units, documents, items = site.unit_ids, site.document_ids, site.ids.get("decision_items", set())
    for item in decision_items(site):
        for name, what in (("unit", "决策机关"), ("lead", "承办单位")):
            if getattr(item, name) not in units:
                yield error(item.at(name), missing(what, getattr(item, name), units), item.label_of(name))
        if item.decision and item.decision not in documents:
            yield error(item.at("decision"), missing("文件", item.decision, documents), item.label_of("decision"))
    for c in consultations(site):
        if c.unit not in units:
            yield error(c.at("unit"), missing("征集单位", c.unit, units), c.label_of("unit"))
        if c.decision_item and c.decision_item not in items:
            yield error(c.at("decision_item"), missing("决策事项", c.decision_item, items), c.label_of("decision_item"))
        if c.decision and c.decision not in documents:
            yield error(c.at("decision"), missing("文件", c.decision, documents), c.label_of("decision"))


def period(site: Site) -> Iterator[Finding]:
    """Not less than 30 days, unless the record says why (《重大行政决策程序暂行条例》)."""
    for c in consultations(site):
        if c.end < c.start:
            yield error(c.at("end"), f"截止日期早于开始日期（{c.start}）", c.label_of("end"))
        elif c.days < MIN_DAYS and not c.short_reason:
            yield error(c.at("end"), f"征求意见期限只有 {c.days} 日：一般不少于 {MIN_DAYS} 日；因情况紧急等原因缩短的，"
                                     "请在 short_reason 中说明理由（公开征求意见时一并公布）", c.label_of("end"))


def feedback(site: Site) -> Iterator[Finding]:
    for c in consultations(site):
        f = c.feedback
        if f is None:
            late = (site.today - c.end).days
            if late > site.settings.feedback_days:
                yield warning(c.at(), f"{site.unit_name(c.unit)}的意见征集“{c.title}”已于 {c.end} 截止 {late} 天，"
                                      f"还没有公布采纳情况反馈（feedback）", c.label_of("feedback"))
            if c.decision:
                yield warning(c.at("decision"), "决策文件已经印发，但还没有公布意见采纳情况反馈（feedback）", c.label_of("decision"))
            continue
        if f.published < c.end:
            yield error(c.at("feedback", "published"), f"反馈日期早于截止日期（{c.end}）：征集结束后才能反馈",
                        c.label_of("feedback", "published"))
        if f.adopted + f.partly + f.rejected > f.received:
            yield error(c.at("feedback", "received"), f"采纳、部分采纳、未采纳共 {f.adopted + f.partly + f.rejected} 条，"
                                                      f"多于收到的 {f.received} 条", c.label_of("feedback", "received"))
        if f.rejected and not f.reasons:
            yield warning(c.at("feedback"), "有未采纳的意见：请在 reasons 中说明主要意见及不予采纳的理由", c.label_of("feedback", "reasons"))


RULES = [references, period, feedback]
