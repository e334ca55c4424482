"""The arithmetic of an annual report's tables 三 and 四, and where a published report breaks it.

A pure function of the figures, so that the rules (which report an error unless the editor
acknowledged it) and the report page (which explains each acknowledged one under its
table) say the same thing. A relation that involves a blank cell cannot be decided: it is
counted as skipped, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .fields import Record
from .report import COLUMNS, AnnualReport, KnownError, RequestRow, cell_label, result_leaves, row_values, rows_of

REVIEW_GROUPS = {"review": "行政复议", "litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉"}
_PARTS = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True)
class Inconsistency:
    check: str
    """Which relation (a key of `report.CHECKS`)."""
    table: str
    """三 or 四."""
    path: tuple[str | int, ...]
    """Where the cell is in the report file."""
    cell: str
    """The cell as an editor names it in `known_errors`: requests.results.total[7], reviews.review.total."""
    label: str
    """The cell as printed: “（七）总计·总计”."""
    field: str
    """The cell as findings name it: requests.results.total（（七）总计）第 7 列（总计）."""
    expected: int
    actual: int
    reason: str
    """How `expected` follows, in Chinese."""

    @property
    def message(self) -> str:
        return f"应为 {self.expected}（{self.reason}），实际为 {self.actual}"

    def matches(self, known: KnownError) -> bool:
        return known.check == self.check and known.cell.replace(" ", "") == self.cell


@dataclass
class Arithmetic:
    inconsistencies: list[Inconsistency] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    """Per table, how many relations a blank cell left undecided."""

    def skip(self, table: str) -> None:
        self.skipped[table] = self.skipped.get(table, 0) + 1


def arithmetic(report: AnnualReport) -> Arithmetic:
    """Every relation of the tables that the typed figures break (a derived table 三 holds by construction)."""
    result = Arithmetic()
    if report.requests is not None:
        _requests(report.requests, result)
    _reviews(report, result)
    return result


def acknowledged(report: AnnualReport, found: Arithmetic) -> list[tuple[Inconsistency, KnownError]]:
    return [(i, k) for i in found.inconsistencies for k in report.known_errors if i.matches(k)]


def blank_cells(report: AnnualReport) -> Iterator[tuple[str | int, ...]]:
    """Where the report leaves a cell of tables 二, 三 or 四 blank."""
    yield from _blanks(report.active, ("active",), skip={"regulations", "normative"})  # their blanks mean “derive”
    if report.requests is not None:
        yield from _blanks(report.requests, ("requests",))
    yield from _blanks(report.reviews, ("reviews",))


def _blanks(record: Record, path: tuple[str | int, ...], skip: set[str] = set()) -> Iterator[tuple[str | int, ...]]:
    for name in type(record).model_fields:
        if name in skip:
            continue
        value = getattr(record, name)
        if isinstance(value, Record):
            yield from _blanks(value, (*path, name))
        elif isinstance(value, list):
            yield from ((*path, name, c) for c, cell in enumerate(value) if cell is None)
        elif value is None:
            yield (*path, name)


def _requests(requests: Record, result: Arithmetic) -> None:
    rows = rows_of(requests)
    by_path = {row.path: row for row in rows}

    def cell(row: RequestRow, column: int) -> tuple[tuple[str | int, ...], str, str, str]:
        return (("requests", *row.path, column), f"requests.{'.'.join(row.path)}[{column + 1}]", f"“{row.label}·{COLUMNS[column]}”",
                cell_label(row, column))

    def relation(check: str, row: RequestRow, column: int, actual: int | None, parts: list[int | None], reason: str) -> None:
        if actual is None or None in parts:
            result.skip("三")
        elif actual != sum(parts):  # type: ignore[arg-type]
            result.inconsistencies.append(Inconsistency(check, "三", *cell(row, column), sum(parts), actual, reason))  # type: ignore[arg-type]

    for row in rows:
        if row.data:
            values = row_values(requests, row.path)
            relation("row-total", row, 6, values[6], values[:6], "前六列之和")
    leaves = [row_values(requests, path) for path in result_leaves(rows)]
    total_row, forward_row = by_path[("results", "total")], by_path[("carried_forward",)]
    total, new, before, forward = (row_values(requests, r) for r in (("results", "total"), ("new",), ("carried_over",), ("carried_forward",)))
    for c in range(7):
        relation("results-total", total_row, c, total[c], [leaf[c] for leaf in leaves], "（一）至（六）各项之和")
    for c in range(7):  # 一 + 二 = 三(七) + 四, reported on 四
        handled = total[c]
        relation("balance", forward_row, c, forward[c], [new[c], before[c], None if handled is None else -handled],
                 f"第一项加第二项减去第三项（七）：{new[c]} + {before[c]} − {total[c]}")


def _reviews(report: AnnualReport, result: Arithmetic) -> None:
    for group, title in REVIEW_GROUPS.items():
        outcomes = getattr(report.reviews, group)
        parts = [getattr(outcomes, name) for name in _PARTS]
        if outcomes.total is None or None in parts:
            result.skip("四")
        elif outcomes.total != sum(parts):
            result.inconsistencies.append(Inconsistency(
                "reviews-total", "四", ("reviews", group, "total"), f"reviews.{group}.total", f"“{title}·总计”",
                f"reviews.{group}.total（{title}·总计）", sum(parts), outcomes.total, "结果维持、结果纠正、其他结果、尚未审结之和"))
