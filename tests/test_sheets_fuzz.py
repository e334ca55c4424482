"""Spreadsheets gongkai exported, then edited at random in a spreadsheet program (cells of any type, rows and
columns deleted, cells merged, the hidden 机读数据 sheet too): every importer answers with its problems, never a
traceback. The way 机读数据 edited by hand once crashed two of them."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import REPO, TODAY
from gongkai import migrate
from gongkai.check import check_data
from gongkai.model.kinds import KINDS
from gongkai.record_sheets import export_bytes, read_rows, records_from_rows, rows_of
from gongkai.sheets import SheetError, export_xlsx, import_sheet

CELLS = st.one_of(
    st.none(), st.text(max_size=12).filter(lambda text: text.isprintable()), st.integers(-10**16, 10**16), st.floats(-1e9, 1e9),
    st.booleans(), st.datetimes(datetime.datetime(1900, 1, 1), datetime.datetime(2100, 1, 1)),
    st.sampled_from(["=SUM(A1:A2)", "#N/A", "2024-02-30", "2024.3.1", "二〇二四年三月一日", "45000", "", " ", "\n\n", "有效", "废止",
                     "主动公开", "闽政〔2024〕1号", "5", "null", "[1]", '{"events": 5}', '{"events": [5]}', '{"attachments": [5]}',
                     '{"deadline_rule": 5}', '{"deadline_rule": {"days": "x"}}', "■政府网站", "□", "✓", "√", "x" * 3000]),
)
EDITS = st.lists(st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 3), st.integers(1, 30), st.integers(0, 20), CELLS),  # column 0: the last
    st.tuples(st.just("cell"), st.integers(0, 3), st.integers(2, 10), st.just(0), CELLS),  # (where 机读数据 is, in a list)
    st.tuples(st.just("delete row"), st.integers(0, 3), st.integers(1, 30)),
    st.tuples(st.just("delete column"), st.integers(0, 3), st.integers(1, 20)),
    st.tuples(st.just("merge"), st.integers(0, 3), st.integers(1, 30), st.integers(1, 19)),
), min_size=1, max_size=5)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def demo():
    site, _ = check_data(REPO / "data", REPO, TODAY)
    return site


def edited(exported: bytes, edits: list[tuple], folder: Path) -> Path:
    """The spreadsheet, every sheet (hidden ones too) open to `edits`, saved as a spreadsheet program would."""
    wb = load_workbook(io.BytesIO(exported))
    for what, sheet, *where in edits:
        ws = wb.worksheets[sheet % len(wb.worksheets)]
        if what == "cell" and type(cell := ws.cell(where[0], where[1] or ws.max_column)).__name__ != "MergedCell":
            cell.value = where[2]
        elif what == "delete row":
            ws.delete_rows(where[0])
        elif what == "delete column":
            ws.delete_cols(where[0])
        elif what == "merge":
            ws.merge_cells(start_row=where[0], start_column=where[1], end_row=where[0] + 1, end_column=where[1] + 1)
    path = folder / "edited.xlsx"
    wb.save(path)
    return path


@FUZZ
@given(edits=EDITS)
def test_a_catalog_spreadsheet_edited_at_random_imports_or_says_why(demo, tmp_path, edits):
    standard = demo.standards["hjgl"]
    path = edited(export_xlsx(standard.title, standard.rows, standard.levels), edits, tmp_path)
    try:
        imported = import_sheet(path)
    except SheetError as exc:
        assert str(exc)
    else:
        assert all(str(problem) for problem in imported.problems)


@FUZZ
@given(edits=EDITS)
def test_a_document_list_edited_at_random_imports_or_says_why(demo, tmp_path, edits):
    path = edited(export_bytes(migrate.list_rows(demo), ".xlsx", "文件列表"), edits, tmp_path)
    try:
        rows, problems, _ = migrate.read_list(path, None, {})
    except SheetError as exc:
        assert str(exc)
        return
    if not problems:
        planned = migrate.plan(demo, rows, {}, None, None, None)
        assert all(str(problem) for problem in planned.problems)


@FUZZ
@given(kind=st.sampled_from([kind for kind in KINDS if kind.noun and kind.columns]), edits=EDITS)
def test_a_record_sheet_edited_at_random_imports_or_says_why(demo, tmp_path, kind, edits):
    path = edited(export_bytes(rows_of(demo, kind), ".xlsx", kind.name), edits, tmp_path)
    try:
        rows, problems = read_rows(path, kind)
    except SheetError as exc:
        assert str(exc)
        return
    _, more = records_from_rows(demo, kind, rows)
    assert all(str(problem) for problem in [*problems, *more])
