"""Rules about annual reports: the statutory arithmetic, derived figures, and year to year."""

from __future__ import annotations

import datetime
from typing import Iterator

from ..findings import Finding, error, warning
from ..model import Site
from ..model.annual import NORMATIVE_FIELDS
from ..model.report import COLUMNS, AnnualReport, Requests2019, Requests2021, request_rows, result_leaves, row_values
from .common import missing

Requests = Requests2019 | Requests2021

_NORMATIVE_LABELS = {"made": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
                     "published": "本年新公开数量", "total": "对外公开总数量"}
_NORMATIVE_LABELS_2019 = {**_NORMATIVE_LABELS, "made": "本年新制作数量"}


def _cell(report: AnnualReport, path: tuple[str, ...], column: int) -> tuple:
    """(position, field label) of one cell of table 三."""
    row = next(r for r in request_rows(report.version) if r.path == path)
    label = f"requests.{'.'.join(path)}（{row.label}）第 {column + 1} 列（{COLUMNS[column]}）"
    return report.at("requests", *path, column), label


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
    for key, figures in site.figures.items():
        report = figures.report
        if figures.requests is None:
            if report.unit in site.ids.get("request_registers", ()):
                continue  # the register is there but invalid: its own errors say why
            yield error(report.at(), f"缺少“三、收到和处理政府信息公开申请情况”：请填写 requests，"
                        f"或在 data/requests/{report.unit}.yml 中登记本单位收到的申请", "requests")
            continue
        if report.requests is None:
            continue  # derived from the register: the identities hold by construction
        if figures.requests_derived is not None:
            yield from _against_register(report, report.requests, figures.requests_derived)
        yield from _identities(report, report.requests)


def _against_register(report: AnnualReport, typed_table: Requests, derived_table: Requests) -> Iterator[Finding]:
    for row in request_rows(report.version):
        if not row.data:
            continue
        typed, derived = row_values(typed_table, row.path), row_values(derived_table, row.path)
        for c, (a, b) in enumerate(zip(typed, derived)):
            if a != b:
                where, label = _cell(report, row.path, c)
                yield error(where, f"应为 {b}（由 data/requests/{report.unit}.yml 的登记推算），实际为 {a}", label)


def _identities(report: AnnualReport, requests: Requests) -> Iterator[Finding]:
    version = report.version
    for row in request_rows(version):  # 总计 = the six kinds of applicant
        if row.data:
            values = row_values(requests, row.path)
            if values[6] != sum(values[:6]):
                where, label = _cell(report, row.path, 6)
                yield error(where, f"应为 {sum(values[:6])}（前六列之和），实际为 {values[6]}", label)
    leaves = [row_values(requests, path) for path in result_leaves(version)]
    total = requests.results.total
    for c in range(7):  # (七)总计 = every result row
        expected = sum(leaf[c] for leaf in leaves)
        if total[c] != expected:
            where, label = _cell(report, ("results", "total"), c)
            yield error(where, f"应为 {expected}（（一）至（六）各项之和），实际为 {total[c]}", label)
    for c in range(7):  # 一 + 二 = 三(七) + 四
        left = requests.new[c] + requests.carried_over[c]
        right = total[c] + requests.carried_forward[c]
        if left != right:
            where, label = _cell(report, ("carried_forward",), c)
            yield error(
                where,
                f"一加二应等于三（七）加四：{requests.new[c]} + {requests.carried_over[c]} = {left}，"
                f"而 {total[c]} + {requests.carried_forward[c]} = {right}；按此本项应为 {left - total[c]}",
                label,
            )


def reviews(site: Site) -> Iterator[Finding]:
    for report in site.reports.values():
        for group in ("review", "litigation_direct", "litigation_after_review"):
            outcomes = getattr(report.reviews, group)
            expected = outcomes.upheld + outcomes.corrected + outcomes.other + outcomes.pending
            if outcomes.total != expected:
                title = type(report.reviews).model_fields[group].title
                yield error(report.at("reviews", group, "total"), f"应为 {expected}（结果维持、结果纠正、其他结果、尚未审结之和），实际为 {outcomes.total}",
                            f"reviews.{group}.total（{title}·总计）")


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
            if figures.requests.carried_over[c] != before.carried_forward[c]:
                where, label = _cell(report, ("carried_over",), c)
                yield warning(where, f"与 {previous.year} 年度报告的“结转下年度继续办理”（{before.carried_forward[c]}）不一致，"
                              f"实际为 {figures.requests.carried_over[c]}", label)


RULES = [references, request_table, reviews, normative, year_to_year]
