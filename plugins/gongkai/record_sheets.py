"""Any kind's records as the rows of a spreadsheet: `gongkai export <kind>` and `gongkai import <kind>`.

A kind says which columns it has (`Kind.columns`): a header and where the value lives in the
record (``versions.-1.published``: the newest version's date). Export writes one row per
record; import reads a list a unit already keeps (its 应急预案 in Excel, say) and writes one
YAML file per row, or nothing at all if any row is wrong, with every problem named by its
row and column. Units may be written by id, full name or short name.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from pydantic import ValidationError

from . import yamlout
from .load.messages import describe
from .model import Site
from .model.fields import ID_PATTERN, ID_RULE, Entry
from .model.kind import Column, Kind
from .sheets import LIST, table_grids

NEWEST = -1
"""In a column's path, the newest item of a list: exported from it, imported as its only item."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行" + (f"“{self.column}”列" if self.column else "") + f"：{self.message}"


def rows_of(site: Site, kind: Kind) -> list[list[str]]:
    """The header and one row per record, in id order."""
    records = site.records_of(kind.attribute)
    return [[c.header for c in kind.columns],
            *([sheet_text(_value_at(record, c.path, id)) for c in kind.columns] for id, record in sorted(records.items()))]


def export_bytes(rows: list[list[str]], suffix: str, title: str) -> bytes:
    if suffix == ".csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_rows(path: Path, kind: Kind, sheet: str | None = None) -> tuple[list[tuple[int, dict[str, Any]]], list[RowProblem]]:
    """(row number, {header: value}) for every non-empty row under the header row."""
    grids = table_grids(path, sheet, LIST)[0]
    headers = {_norm(c.header) for c in kind.columns}
    for grid in grids:
        for r, row in enumerate(grid.rows[:20], start=1):
            found = {i: _norm(v) for i, v in enumerate(row) if _norm(v) in headers}
            if len(found) >= 2:
                return _rows_under(grid.rows, r, found), []
    expected = "、".join(c.header for c in kind.columns)
    return [], [RowProblem(1, None, f"找不到表头：应有这些列中的至少两列：{expected}")]


def records_from_rows(site: Site, kind: Kind, rows: list[tuple[int, dict[str, Any]]]) -> tuple[dict[str, dict], list[RowProblem]]:
    """Each row as a record's data, keyed by its id; the rows that are not valid records, as problems."""
    model = kind.model
    assert isinstance(model, type) and issubclass(model, Entry), "a kind whose model depends on the id has no sheet"
    taken = set(site.ids.get(kind.attribute, set()))
    records: dict[str, dict] = {}
    problems: list[RowProblem] = []
    by_header = {_norm(c.header): c for c in kind.columns}
    for number, cells in rows:
        data: dict[str, Any] = {}
        id = ""
        for name, value in cells.items():
            column = by_header[name]
            if column.path == "id":
                id = sheet_text(value)
            elif sheet_text(value):
                _put(data, column.path, _unit(site, value) if column.unit else _plain(value))
        if not id:
            id = _next_id(kind, taken | set(records))
        if id in taken or id in records:
            problems.append(RowProblem(number, "编号", f"编号“{id}”已经存在"))
            continue
        if not ID_PATTERN.fullmatch(id):
            problems.append(RowProblem(number, "编号", f"编号“{id}”不能使用：{ID_RULE}"))
            continue
        try:
            model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                label, message = describe(err, model)
                header = _header_of(kind, err["loc"])
                problems.append(RowProblem(number, header, message if header else f"{label}：{message}"))
            continue
        records[id] = data
    return records, problems


def yaml_files(kind: Kind, data_dir: Path, records: dict[str, dict], source: str) -> list[tuple[Path, str]]:
    return [(data_dir / kind.path / f"{id}.yml", yamlout.dump(data, f"由 {source} 导入；请补全其余栏目后运行 ./dev check"))
            for id, data in records.items()]


def _rows_under(rows: list[list[Any]], header: int, found: dict[int, str]) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for number, row in enumerate(rows[header:], start=header + 1):
        cells = {name: row[i] if i < len(row) else None for i, name in found.items()}
        if any(sheet_text(v) for v in cells.values()):
            out.append((number, cells))
    return out


def _norm(value: Any) -> str:
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


def sheet_text(value: Any) -> str:
    """A cell as text: an Excel date as the date, 12.0 as 12, trimmed; '' for an empty cell."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _plain(value: Any) -> Any:
    """A cell as YAML would hold it: dates as dates, everything else as text."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else sheet_text(value)


def _unit(site: Site, value: Any) -> str:
    """A unit written as its id, full name or short name → its id (left as written if unknown)."""
    text = sheet_text(value)
    if text in site.units:
        return text
    return next((u.id for u in site.units.values() if text in (u.name, u.short_name)), text)


def _value_at(record: Any, path: str, id: str) -> Any:
    value = record
    for part in path.split("."):
        if part == "id":
            return id
        if isinstance(value, list):
            value = value[int(part)] if value else None
        else:
            value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _put(data: dict, path: str, value: Any) -> None:
    """Set a dotted path; a list index (the newest item) becomes the list's only item."""
    parts = path.split(".")
    target: Any = data
    for part, after in zip(parts, parts[1:]):
        if after.lstrip("-").isdigit():
            target = target.setdefault(part, [{}])[0]
        elif not part.lstrip("-").isdigit():
            target = target.setdefault(part, {})
    target[parts[-1]] = value


def _header_of(kind: Kind, loc: tuple) -> str | None:
    """The column a validation error is about, if it is one of the sheet's."""
    written = ".".join("0" if isinstance(p, int) else str(p) for p in loc)
    for column in kind.columns:
        if column.path.replace(str(NEWEST), "0") == written:
            return column.header
    return None


def _next_id(kind: Kind, taken: set[str]) -> str:
    prefix = kind.noun or kind.attribute
    numbers = [int(m[1]) for id in taken if (m := re.fullmatch(rf"{re.escape(prefix)}-(\d+)", id))]
    return f"{prefix}-{max(numbers, default=0) + 1}"


__all__ = ["Column", "RowProblem", "export_bytes", "read_rows", "records_from_rows", "rows_of", "yaml_files"]
