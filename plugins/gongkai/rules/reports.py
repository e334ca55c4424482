"""Rules about annual reports: the statutory arithmetic, derived figures, and year to year."""

from __future__ import annotations

import datetime
from typing import Iterator

from ..findings import Finding, Position, error, note, warning
from ..model import Site
from ..model.annual import NORMATIVE_FIELDS
from ..model.arithmetic import Inconsistency, acknowledged, arithmetic, blank_cells
from ..model.labels import dotted
from ..model.report import Active2021, AnnualReport, RequestRow, Requests2019, Requests2021, cell_label, row_values, rows_of
from .common import missing

Requests = Requests2019 | Requests2021

_NORMATIVE_LABELS = {"made": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
                     "published": "本年新公开数量", "total": "对外公开总数量"}
_NORMATIVE_LABELS_2019 = {**_NORMATIVE_LABELS, "made": "本年新制作数量"}


def _cell(report: AnnualReport, row: RequestRow, column: int) -> tuple:
    """(position, field label) of one cell of table 三."""
    return report.at("requests", *row.path, column), cell_label(row, column)


def references(site: Site) -> Iterator[Finding]:
    for report in site.reports.values():
        if report.unit not in site.unit_ids:
            yield error(report.at(), missing("机构", report.unit, site.unit_ids) + "（年度报告应放在 data/reports/<机构编号>/ 下）")
        for i, unit in enumerate(report.covers):
            if unit not in site.unit_ids:
                yield error(report.at("covers", i), missing("机构", unit, site.unit_ids), report.label_of("covers", i))
        if report.published <= datetime.date(report.year, 12, 31):
            yield warning(report.at("published"), f"{report.year} 年度报告应在次年发布，发布日期却是 {report.published}", report.label_of("published"))


def request_table(site: Site) -> Iterator[Finding]:
    for figures in site.figures.values():
        report = figures.report
        if figures.requests is None:
            if report.unit in site.ids.get("request_registers", ()):
                continue  # the register is there but invalid: its own errors say why
            yield error(report.at(), f"缺少“三、收到和处理政府信息公开申请情况”：请填写 requests，"
                        f"或在 data/requests/{report.unit}.yml 中登记本单位收到的申请", "requests")
        elif report.requests is not None and figures.requests_derived is not None:
            yield from _against_register(report, report.requests, figures.requests_derived)


def _against_register(report: AnnualReport, typed_table: Requests, derived_table: Requests) -> Iterator[Finding]:
    for row in rows_of(typed_table):
        if not row.data:
            continue
        typed, derived = row_values(typed_table, row.path), row_values(derived_table, row.path)
        for c, (a, b) in enumerate(zip(typed, derived)):
            if a != b:
                where, label = _cell(report, row, c)
                yield error(where, f"应为 {b}（由 data/requests/{report.unit}.yml 的登记推算），实际为 {_shown(a)}", label)


def _shown(value: int | None) -> str:
    return "空白" if value is None else str(value)


def table_arithmetic(site: Site) -> Iterator[Finding]:
    """The identities of tables 三 and 四: an error for each broken one, unless the editor
    acknowledged it as published; a note per table for what blank cells left undecided."""
    for report in site.reports.values():
        found = arithmetic(report)
        known = acknowledged(report, found)
        for inconsistency in found.inconsistencies:
            if not any(i is inconsistency for i, _ in known):
                yield error(report.at(*inconsistency.path), _unacknowledged(inconsistency), inconsistency.field)
        for i, entry in enumerate(report.known_errors):
            if not any(k is entry for _, k in known):
                yield warning(report.at("known_errors", i), f"登记的原文差错（{entry.check}，{entry.cell}）与现有数据不符："
                              "该处没有这一勾稽差错，请核对或删除此项", report.label_of("known_errors", i))
        for table, count in found.skipped.items():
            yield note(report.at("requests" if table == "三" else "reviews"),
                       f"表{table}有空白单元格，{count} 处勾稽关系无法核对，已跳过（历史报告照原文留空时属正常）")


def _unacknowledged(found: Inconsistency) -> str:
    return (f"{found.message}；如原报告即如此发布，可在 known_errors 中登记"
            f"：{{check: {found.check}, cell: {found.cell}, reason: 原文如此}}")


def complete_recent(site: Site) -> Iterator[Finding]:
    """Reports of the last two years are written now, in the statutory format: every cell filled."""
    for report in site.reports.values():
        if report.year < site.today.year - 1:
            continue
        blanks = list(blank_cells(report))
        if blanks:
            cells = "、".join(dotted(path) for path in blanks[:5]) + ("等" if len(blanks) > 5 else "")
            yield error(report.at(*blanks[0]), f"{report.year} 年度报告是新报告，每个单元格都应填写（没有的填 0），"
                        f"有 {len(blanks)} 处空白：{cells}；只有历史报告可以照原文留空")


def normative(site: Site) -> Iterator[Finding]:
    for figures in site.figures.values():
        report = figures.report
        labels = _NORMATIVE_LABELS_2019 if report.version == "2019" else _NORMATIVE_LABELS
        typed = report.active.normative.model_dump()
        for name in NORMATIVE_FIELDS[report.version]:
            label = f"active.normative.{name}（规范性文件·{labels[name]}）"
            if figures.normative_derived is None:
                if typed[name] is None:
                    yield error(report.at("active", "normative"), "未填写，文件库中也没有本单位的规范性文件可供推算", label)
            elif typed[name] is not None and typed[name] != figures.normative_derived[name]:
                yield error(report.at("active", "normative", name),
                            f"应为 {figures.normative_derived[name]}（由文件库推算），实际为 {typed[name]}；可删除此项，由系统自动填写", label)


def year_to_year(site: Site) -> Iterator[Finding]:
    """上年结转 of year N should equal 结转下年度继续办理 of year N−1 (a warning: not official)."""
    for figures in site.figures.values():
        report, previous = figures.report, figures.previous
        if previous is None or figures.requests is None:
            continue
        before = site.figures[previous.id].requests
        if before is None:
            continue
        for c in range(7):
            now, then = figures.requests.carried_over[c], before.carried_forward[c]
            if now is not None and then is not None and now != then:
                where, label = _cell(report, next(r for r in rows_of(figures.requests) if r.path == ("carried_over",)), c)
                yield warning(where, f"与 {previous.year} 年度报告的“结转下年度继续办理”（{before.carried_forward[c]}）不一致，"
                              f"实际为 {figures.requests.carried_over[c]}", label)


def _newest_reports(site: Site) -> dict[str, AnnualReport]:
    newest: dict[str, AnnualReport] = {}
    for report in site.reports.values():
        if report.year > getattr(newest.get(report.unit), "year", 0):
            newest[report.unit] = report
    return newest


def overdue(site: Site) -> Iterator[Finding]:
    """条例 第五十条: each year's report is published by 31 January of the next year. A unit
    that publishes its reports here and lacks last year's after that day is reminded."""
    latest = _newest_reports(site)
    due_year = site.today.year - 1 if site.today > datetime.date(site.today.year, 1, 31) else site.today.year - 2
    for unit, newest in latest.items():
        if newest.year < due_year and unit in site.units:
            yield warning(Position(f"data/reports/{unit}/{due_year}.yml"),
                          f"{site.unit_name(unit)} {due_year} 年度政府信息公开工作年度报告应于 {due_year + 1} 年 1 月 31 日前公布"
                          f"（《政府信息公开条例》第五十条），本平台上最新的是 {newest.year} 年度报告")


# What table 二 counts for a category a column may declare not applicable to its unit.
_COUNTED = {
    "行政许可": ("行政许可", lambda a: a.licensing if isinstance(a, Active2021) else a.licensing.decisions),
    "行政处罚和强制": ("行政处罚、行政强制", lambda a: _sum(a.punishment, a.enforcement) if isinstance(a, Active2021)
                  else _sum(a.punishment.decisions, a.enforcement.decisions)),
    "行政事业性收费": ("行政事业性收费", lambda a: a.fees if isinstance(a, Active2021) else None),
}


def _sum(*values: int | None) -> int | None:
    return None if None in values else sum(values)  # type: ignore[arg-type]


def column_agrees(site: Site) -> Iterator[Finding]:
    """A column that says a category does not apply to its unit, while the unit's newest report
    counts decisions or fees of that category in table 二, contradicts itself."""
    newest = _newest_reports(site)
    for unit, column in site.columns.items():
        report = newest.get(unit)
        if report is None:
            continue
        for category, (what, counted) in _COUNTED.items():
            figure = counted(report.active)
            if category in column.not_applicable and figure:
                yield warning(column.source.key_at(("not_applicable", category)),
                              f"栏目说本单位没有“{category}”类信息（“{column.not_applicable[category]}”），"
                              f"而 {report.year} 年度报告表二的{what}为 {figure:,}（{report.source.file}）；请核对其一",
                              column.label_of("not_applicable", category))


RULES = [references, request_table, table_arithmetic, complete_recent, normative, year_to_year, overdue, column_agrees]
