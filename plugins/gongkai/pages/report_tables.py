"""The statutory tables of an annual report, laid out cell by cell (spans included)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.report import RequestRow, row_values


@dataclass(frozen=True)
class Head:
    label: str
    colspan: int = 1
    rowspan: int = 1
    scope: str = "row"


@dataclass(frozen=True)
class Line:
    heads: tuple[Head, ...]
    values: tuple[int | None, ...]


def request_lines(rows: list[RequestRow], requests) -> list[Line]:
    """Table 三 as printed: three label columns, 三 and its groups spanning their rows."""
    data_under: dict[tuple[str, ...], int] = {}  # header row path -> number of data rows it spans
    for row in rows:
        if row.data:
            for header in rows:
                if not header.data and row.path[: len(header.path)] == header.path:
                    data_under[header.path] = data_under.get(header.path, 0) + 1
    lines: list[Line] = []
    pending: list[Head] = []
    for row in rows:
        if not row.data:  # a group header: it opens on its first data row
            pending.append(Head(row.label, rowspan=data_under[row.path], scope="rowgroup"))
            continue
        label = Head(row.label, colspan=4 - row.level)  # 一、… spans all three label columns, 1.… one
        lines.append(Line((*pending, label), tuple(row_values(requests, row.path))))
        pending = []
    return lines
