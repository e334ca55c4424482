"""Standard catalogs as spreadsheets in the official layout, both ways (openpyxl).

The layout is the one real catalogs use: a title row, two header rows with grouped
headers (公开事项 over 一级事项/二级事项, 公开对象, 公开方式, 公开层级 over their
sub-columns), one row per item, 一级事项 cells merged down, ✓ marks, and the channels
written ■必选 / □可选. Export writes that layout (plus a hidden sheet with the fields the
layout has no column for, so export → import gives back the same data); import reads
what editors and other systems produce — merged cells, ✓/√/■ marks, 特定群众 for 特定群体 —
and reports by sheet, row and column whatever it cannot read, instead of guessing.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import json
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError

from .cache import digest
from .load.messages import describe
from .model.catalog import AUDIENCES, CHANNELS, MODES, CatalogRow, basis_problems, channel_marks, read_deadline
from .ooxml import package, part, read_parts

if TYPE_CHECKING:
    from openpyxl import Workbook

CHANNEL_NOTE = "公开渠道和载体中“■”表示必选项，“□”表示可选项"
UNCONFIRMED = "待确认"
"""What a channel written without ■ or □ is imported as: not a guess, a value the build refuses."""
MACHINE_SHEET = "机读数据"
YES = "✓"
_YES_MARKS = {"✓", "√", "✔", "■", "●", "是", "Y", "y"}
_NO_MARKS = {"", "□", "○", "否"}
_SINGLE = [  # field, header; columns spanning both header rows
    ("code", "序号"), ("content", "公开内容（要素）"), ("basis", "公开依据"),
    ("deadline", "公开时限"), ("subject", "公开主体"), ("channels", "公开渠道和载体"),
]


@dataclass(frozen=True)
class Column:
    field: str  # a CatalogRow field, or "audience:全社会", "mode:主动", "level:县级"
    top: str
    sub: str | None = None


def columns(levels: list[str], with_process: bool) -> list[Column]:
    single = dict(_SINGLE)
    cols = [Column("process", "过程")] if with_process else []
    cols += [Column("code", single["code"]), Column("item", "公开事项", "一级事项"), Column("subitem", "公开事项", "二级事项")]
    cols += [Column(f, single[f]) for f in ("content", "basis", "deadline", "subject", "channels")]
    cols += [Column(f"audience:{a}", "公开对象", a) for a in AUDIENCES]
    cols += [Column(f"mode:{m}", "公开方式", m) for m in MODES]
    cols += [Column(f"level:{level}", "公开层级", level) for level in levels]
    return cols


def cell_text(row: CatalogRow, column: Column) -> str:
    kind, _, value = column.field.partition(":")
    if kind == "audience":
        return YES if value in row.audience else ""
    if kind == "mode":
        return YES if value in row.mode else ""
    if kind == "level":
        return YES if value in row.levels else ""
    if column.field == "channels":
        return "\n".join(channel_marks(row.channels) + [f"其他：{text}" for text in row.other_channels])
    return getattr(row, column.field) or ""


# --- export -----------------------------------------------------------------------------------


def export_xlsx(title: str, rows: list[CatalogRow], levels: list[str], when: datetime.date | None = None) -> bytes:
    """The catalog as an .xlsx file in the official layout; identical bytes for identical input (so made once per
    process). A build keeps the files it publishes as it keeps every file made for the site (`Made`,
    `page_cache.PageCache.made_file`): a catalog is exported again only when what it shows changed."""
    key = digest([_code(), title, str(len(levels)), *levels, str(when), *(row.model_dump_json() for row in rows)])
    if key not in _EXPORTED:
        if len(_EXPORTED) >= 1024:  # catalogs edited in a long preview
            _EXPORTED.pop(next(iter(_EXPORTED)))
        _EXPORTED[key] = _workbook(title, rows, levels, when)
    return _EXPORTED[key]


_EXPORTED: dict[str, bytes] = {}


@functools.cache
def _code() -> str:
    """What an export's bytes depend on besides its input: openpyxl and the code that lays the sheet out."""
    return digest([version("openpyxl"), *(Path(__file__).with_name(name).read_bytes() for name in ("sheets.py", "ooxml.py"))])


def _workbook(title: str, rows: list[CatalogRow], levels: list[str], when: datetime.date | None) -> bytes:
    # openpyxl is imported here: a build whose exports are all kept need not load it (0.2 s)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    cols = columns(levels, any(r.process for r in rows))
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\\/?*\[\]:]", "-", title)[:31]
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    last = get_column_letter(len(cols))
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = title
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = center
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = f"（{CHANNEL_NOTE}）"
    for c, col in enumerate(cols, start=1):
        top, sub = ws.cell(3, c), ws.cell(4, c)
        top.value = col.top
        if col.sub is None:
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        else:
            sub.value = col.sub
        for cell in (top, sub):
            cell.font, cell.alignment, cell.border = Font(bold=True), center, box
    for c in range(1, len(cols) + 1):  # group headers span their sub-columns
        if cols[c - 1].sub is not None and (c == 1 or cols[c - 2].top != cols[c - 1].top):
            end = c
            while end < len(cols) and cols[end].top == cols[c - 1].top:
                end += 1
            if end > c:
                ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=end)
    for r, row in enumerate(rows, start=5):
        for c, col in enumerate(cols, start=1):
            cell = ws.cell(r, c, cell_text(row, col) or None)
            cell.border = box
            cell.alignment = center if col.field.partition(":")[1] or col.field == "code" else wrap
    _merge_runs(ws, cols, rows)
    for c, col in enumerate(cols, start=1):
        mark = ":" in col.field
        ws.column_dimensions[get_column_letter(c)].width = 6 if mark else (30 if col.field in ("content", "basis") else 16)
    _machine_sheet(wb, rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _reproducible(buffer.getvalue(), when or datetime.date(2020, 1, 1))


def _merge_runs(ws, cols: list[Column], rows: list[CatalogRow]) -> None:
    """Merge each run of equal 一级事项 (and 过程) cells, as printed catalogs do."""
    for field_name in ("item", "process"):
        if not any(c.field == field_name for c in cols):
            continue
        c = next(i for i, col in enumerate(cols, start=1) if col.field == field_name)
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or getattr(rows[i], field_name) != getattr(rows[start], field_name) or rows[i].item != rows[start].item:
                if i - start > 1:
                    ws.merge_cells(start_row=5 + start, start_column=c, end_row=4 + i, end_column=c)
                start = i


def _machine_sheet(wb: Workbook, rows: list[CatalogRow]) -> None:
    sheet = wb.create_sheet(MACHINE_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append(["序号", "机读字段（gongkai 使用，请勿编辑）"])
    for row in rows:
        extra = row.model_dump(include={"deadline_rule", "basis_documents"}, exclude_defaults=True)
        if extra:
            sheet.append([row.code, json.dumps(extra, ensure_ascii=False, sort_keys=True)])


def _reproducible(data: bytes, when: datetime.date) -> bytes:
    """Fix the timestamps openpyxl writes (document properties and zip entries)."""
    stamp = f"{when.isoformat()}T00:00:00Z".encode()
    contents = read_parts(data)
    contents["docProps/core.xml"] = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, contents["docProps/core.xml"])
    return package(part(name, content) for name, content in contents.items())


def export_csv(rows: list[CatalogRow], levels: list[str]) -> str:
    """The catalog as CSV (UTF-8 with BOM so that Excel opens it in Chinese)."""
    cols = columns(levels, any(r.process for r in rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f"{c.top}-{c.sub}" if c.sub else c.top for c in cols])
    for row in rows:
        writer.writerow([cell_text(row, c).replace("\n", " ") for c in cols])
    return "\ufeff" + buffer.getvalue()


# --- import -----------------------------------------------------------------------------------


@dataclass
class SheetProblem:
    sheet: str
    row: int
    column: int | None
    message: str

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”第 {self.row} 行"
        if self.column:
            from openpyxl.utils import get_column_letter

            where += f" {get_column_letter(self.column)} 列"
        return f"{where}：{self.message}"


@dataclass
class Imported:
    title: str | None
    levels: list[str]
    rows: list[CatalogRow] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)
    """What stops the import: nothing is written."""
    warnings: list[SheetProblem] = field(default_factory=list)
    """Imported as written, but worth a look (a channel outside the standard list, a 公开依据 typo)."""
    unconfirmed: list[tuple[int, str, str]] = field(default_factory=list)
    """(sheet row, 序号, what) of rows imported with marks the sheet does not give: the importer
    does not guess them, the editor confirms them in the YAML (until then it does not build)."""
    sheet: str = ""

    def confirmation(self) -> str | None:
        """One message for the sheet listing every row whose marks must be confirmed."""
        if not self.unconfirmed:
            return None
        rows = "；".join(f"第 {r} 行（序号 {code}）{what}" for r, code, what in self.unconfirmed)
        return (f"工作表“{self.sheet}”有 {len(self.unconfirmed)} 行需要确认：{rows}。这些行已导入，缺失的标记留空、"
                f"未标明 ■/□ 的渠道写作“{UNCONFIRMED}”，请在 YAML 中逐一补上后再构建")


_HEADERS = {
    "序号": "code", "过程": "process", "一级事项": "item", "二级事项": "subitem",
    "公开内容（要素）": "content", "公开内容": "content", "公开依据": "basis", "公开时限": "deadline",
    "公开主体": "subject", "公开渠道和载体": "channels", "公开渠道": "channels",
}
_GROUPS = {
    "公开对象": {"全社会": "audience:全社会", "特定群体": "audience:特定群体", "特定群众": "audience:特定群体"},
    "公开方式": {"主动": "mode:主动", "主动公开": "mode:主动", "依申请": "mode:依申请", "依申请公开": "mode:依申请"},
}
_MODEL_FIELD = {"audience": "audience", "mode": "mode", "level": "levels"}
_REQUIRED = {"code", "item", "content", "basis", "deadline", "subject", "channels"}


def _norm(value: Any) -> str:
    """Cell text with spaces removed and brackets made full-width (as headers vary)."""
    text = "" if value is None else str(value)
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


class Limits(NamedTuple):
    """How large a sheet may be: past this it is refused before it is loaded whole (a million rows take gigabytes)."""

    rows: int
    cells: int


CATALOG = Limits(20_000, 1_000_000)
"""A catalog sheet: the largest real 标准目录 has a few hundred rows."""
LIST = Limits(150_000, 4_000_000)
"""A list of records, one a row: a district's documents since 2008 are tens of thousands."""


class SheetError(ValueError):
    """The file cannot be imported at all; the message is Chinese."""


@dataclass
class Grid:
    """One sheet's cell values, merged cells filled with their top-left value; rows and
    columns count from 1, as spreadsheets do."""

    title: str
    rows: list[list[Any]]
    max_column: int

    @property
    def max_row(self) -> int:
        return len(self.rows)

    def value(self, r: int, c: int) -> Any:
        row = self.rows[r - 1] if 0 < r <= len(self.rows) else []
        return row[c - 1] if 0 < c <= len(row) else None


def import_sheet(path: str | Path, sheet: str | None = None) -> Imported:
    """A catalog from an .xlsx workbook or a .csv file (UTF-8 or GBK)."""
    path = Path(path)
    grids, machine = table_grids(path, sheet)
    grid = next((g for g in grids if _header_row(g)), grids[0])
    return _import_grid(grid, machine)


def table_grids(path: Path, sheet: str | None = None, limits: Limits = CATALOG) -> tuple[list[Grid], dict[str, dict]]:
    """The sheets of an .xlsx workbook (or the one named), or a .csv file as one sheet; and the
    machine-readable fields an exported catalog carries. SheetError (Chinese) for other files."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [csv_grid(path, limits)], {}
    if suffix in (".xlsx", ".xlsm"):
        return workbook_grids(path, sheet, limits)
    raise SheetError(f"只能导入 .xlsx 或 .csv 文件，而不是“{suffix or path.name}”；.xls、.et 请先另存为 .xlsx")


def csv_grid(path: Path, limits: Limits = CATALOG) -> Grid:
    from .attachments import decode

    if path.stat().st_size > 64 * 1024 * 1024:
        raise SheetError("CSV 文件过大（上限 64 MB）")
    text = decode(path.read_bytes())
    if "\0" in text:
        raise SheetError(f"{path.name} 不是文本格式的 CSV 文件")
    rows: list[list[Any]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))  # (old Mac files end lines in \r)
    try:
        for row in reader:
            rows.append(row)
            cells += len(row)
            _check_limits(limits, len(rows), cells)
    except csv.Error:  # a cell longer than csv's limit (128 K characters), a stray quote …
        raise SheetError(f"{path.name} 第 {reader.line_num} 行无法按 CSV 读取；请用电子表格软件打开后重新另存为“CSV UTF-8”") from None
    return Grid(path.stem, _two_header_rows(rows), max((len(r) for r in rows), default=0))


def _two_header_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """CSV has one header row, grouped headers written “公开对象-全社会” (as `export_csv` writes
    them): spread it over the two rows of the official layout."""
    header = next((i for i, row in enumerate(rows[:12]) if any(_norm(v) == "序号" for v in row)), None)
    if header is None or not any("-" in str(v) for v in rows[header]):
        return rows
    groups = set(_GROUPS) | {"公开事项", "公开层级"}
    split = [str(v).split("-", 1) if str(v).split("-", 1)[0] in groups else [v, v] for v in rows[header]]
    return [*rows[:header], [top for top, _ in split], [sub for _, sub in split], *rows[header + 1:]]


def workbook_grids(path: Path, sheet: str | None, limits: Limits = CATALOG) -> tuple[list[Grid], dict[str, dict]]:
    """The visible sheets (or the one named), after a streaming pass has proven them small."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from .attachments import Malformed, check_package_size

    try:
        with zipfile.ZipFile(path) as package:
            check_package_size([m for m in package.infolist() if not m.is_dir()])
            if "xl/workbook.xml" not in package.namelist():
                raise SheetError(f"{path.name} 不是 Excel 工作簿（可能是改了扩展名的 Word 文档或其他文件）")
        _count_cells(path, limits)
        wb = load_workbook(path, data_only=True)
    except SheetError:
        raise
    except Malformed as exc:
        raise SheetError(str(exc)) from None
    except (zipfile.BadZipFile, InvalidFileException, OSError):
        raise SheetError(f"{path.name} 不是有效的 .xlsx 文件（文件损坏，或并非 Excel 工作簿）") from None
    except Exception as exc:  # openpyxl reports a broken part with whatever its XML parser raised
        raise SheetError(f"{path.name} 无法读取（{type(exc).__name__}）：文件可能已损坏，请用 Excel 或 WPS 打开后另存为 .xlsx") from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise SheetError(f"没有名为“{sheet}”的工作表；工作表有：{'、'.join(wb.sheetnames)}")
    chosen = [wb[sheet]] if sheet else [ws for ws in wb.worksheets if ws.sheet_state == "visible"] or [wb.active]
    return [_grid(ws) for ws in chosen], _machine_fields(wb)


def _count_cells(path: Path, limits: Limits) -> None:
    """Refuse a sheet past the limits before it is loaded whole (a million rows take gigabytes)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            rows = cells = 0
            for row in ws.iter_rows(values_only=True):
                rows += 1
                cells += len(row)
                _check_limits(limits, rows, cells, ws.title)
    finally:
        wb.close()


def _check_limits(limits: Limits, rows: int, cells: int, sheet: str = "") -> None:
    if rows > limits.rows or cells > limits.cells:
        where = f"工作表“{sheet}”" if sheet else "表格"
        raise SheetError(f"{where}超过 {limits.rows:,} 行或 {limits.cells:,} 个单元格；请删去多余的行列，或分成几个表格导入")


def _grid(ws) -> Grid:
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        top_left = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if r <= len(rows) and c <= len(rows[r - 1]):
                    rows[r - 1][c - 1] = top_left
    return Grid(ws.title, rows, ws.max_column)


def _import_grid(ws: Grid, machine: dict[str, dict]) -> Imported:
    value = ws.value
    header = _header_row(ws)
    if header is None:
        return Imported(None, [], problems=[SheetProblem(ws.title, 1, None, "找不到表头（应有一个内容为“序号”的单元格）")], sheet=ws.title)
    result = Imported(_title(ws, header, value), [], sheet=ws.title)
    fields = _read_header(ws, header, value, result)
    if result.problems:
        return result
    for r in range(header + 2, ws.max_row + 1):
        texts = {c: value(r, c) for c in fields}
        if all(_norm(v) == "" for v in texts.values()):
            continue  # a blank row
        filled = [c for c, v in texts.items() if _norm(v)]
        if len(filled) == 1:
            result.problems.append(SheetProblem(ws.title, r, filled[0], "这一行只有一个单元格有内容，不是一个事项；请删除或补全"))
            continue
        _import_row(ws.title, r, fields, texts, machine, result)
    return result


def _import_row(sheet: str, r: int, fields: dict[int, str], texts: dict[int, Any], machine: dict[str, dict], result: Imported) -> None:
    """One row: every cell that cannot be read is reported (not only the first), marks the
    sheet does not give are left for the editor to confirm, and the rest is imported."""
    data, missing, ok = _row_data(sheet, r, fields, texts, result)
    data.update(machine.get(data.get("code", ""), {}))
    if "deadline_rule" not in data and data.get("deadline"):
        rule, deadline_note = read_deadline(data["deadline"])
        if rule is not None:
            data["deadline_rule"] = rule.model_dump()
        elif deadline_note:
            result.warnings.append(SheetProblem(sheet, r, _column_of(fields, "deadline"), deadline_note))
    for problem in basis_problems(data.get("basis", "")):
        result.warnings.append(SheetProblem(sheet, r, _column_of(fields, "basis"), f"公开依据：{problem}"))
    placeholders: dict[str, Any] = {group: [_FIRST[group]] for group in missing}
    channels = data.get("channels", {})
    if UNCONFIRMED in channels.values():
        placeholders["channels"] = {name: "必选" for name in channels}
    try:
        row = CatalogRow.model_validate({**data, **placeholders})
    except ValidationError as exc:
        for err in exc.errors():
            column = _column_of(fields, str(err["loc"][0])) if err["loc"] else None
            label, message = describe(err, CatalogRow)
            result.problems.append(SheetProblem(sheet, r, column, f"{label}：{message}"))
        return
    if not ok:
        return
    unmarked = [name for name, need in channels.items() if need == UNCONFIRMED]
    if missing or unmarked:
        what = [f"{'、'.join(_GROUP_TITLES[g] for g in missing)}没有标记"] if missing else []
        what += [f"公开渠道“{'、'.join(unmarked)}”未标明必选（■）或可选（□）"] if unmarked else []
        result.unconfirmed.append((r, row.code, "，".join(what)))
        row = row.model_copy(update={**{g: [] for g in missing}, **({"channels": channels} if unmarked else {})})
    result.rows.append(row)


_FIRST = {"audience": AUDIENCES[0], "mode": MODES[0], "levels": "县级"}
_GROUP_TITLES = {"audience": "公开对象", "mode": "公开方式", "levels": "公开层级"}


def _column_of(fields: dict[int, str], model_field: str) -> int | None:
    """The first column of the sheet that holds `model_field`."""
    return next((c for c, f in sorted(fields.items()) if _MODEL_FIELD.get(f.partition(":")[0], f) == model_field), None)


def _header_row(ws: Grid) -> int | None:
    for r in range(1, min(ws.max_row, 12) + 1):
        if any(_norm(ws.value(r, c)) == "序号" for c in range(1, ws.max_column + 1)):
            return r
    return None


def _title(ws: Grid, header: int, value) -> str | None:
    for r in range(1, header):
        text = str(value(r, 1) or "").strip()
        if text and "■" not in text:
            return text
    return None


def _read_header(ws, header: int, value, result: Imported) -> dict[int, str]:
    fields: dict[int, str] = {}
    for c in range(1, ws.max_column + 1):
        top, sub = _norm(value(header, c)), _norm(value(header + 1, c))
        if not top and not sub:
            continue
        if top == "公开层级" and sub:
            fields[c] = f"level:{sub}"
            result.levels.append(sub)
        elif top in _GROUPS:
            if sub not in _GROUPS[top]:
                result.problems.append(SheetProblem(ws.title, header + 1, c, f"无法识别“{top}”下的列“{sub}”"))
            else:
                fields[c] = _GROUPS[top][sub]
        elif top == "公开事项" and sub in ("一级事项", "二级事项"):
            fields[c] = _HEADERS[sub]
        elif top in _HEADERS:
            fields[c] = _HEADERS[top]
        elif top.startswith("公开渠道"):
            fields[c] = "channels"
        else:
            result.problems.append(SheetProblem(ws.title, header, c, f"无法识别的表头“{top}{'/' + sub if sub and sub != top else ''}”"))
    for name in sorted(_REQUIRED - set(fields.values())):
        title = {v: k for k, v in _HEADERS.items()}[name]
        result.problems.append(SheetProblem(ws.title, header, None, f"缺少“{title}”列"))
    return fields


def _row_data(sheet: str, r: int, fields: dict[int, str], texts: dict[int, Any], result: Imported) -> tuple[dict, list[str], bool]:
    """The row's fields, the mark groups (公开对象, 方式, 层级) with no mark at all, and whether
    every cell could be read (each one that could not is reported)."""
    data: dict[str, Any] = {"audience": [], "mode": [], "levels": []}
    ok = True
    for c, name in fields.items():
        raw = texts[c]
        kind, _, option = name.partition(":")
        if option:
            mark = str(raw).strip() if raw is not None else ""
            if mark in _YES_MARKS:
                data[_MODEL_FIELD[kind]].append(option)
            elif mark not in _NO_MARKS:
                result.problems.append(SheetProblem(sheet, r, c, f"无法识别的标记“{mark}”（应为 ✓、√、■，或留空）"))
                ok = False
        elif name == "channels":
            parsed = _channels(str(raw or ""))
            data["channels"], data["other_channels"] = parsed.found, parsed.other
            if parsed.blank_other:
                result.warnings.append(SheetProblem(sheet, r, c, "“■其他”没有写明是什么渠道，未导入；如有，请写作“其他：……”"))
            if parsed.foreign:
                result.warnings.append(SheetProblem(sheet, r, c, f"公开渠道“{'、'.join(parsed.foreign)}”不在标准渠道中，已作为“其他”渠道导入；"
                                                    f"如对应某一标准渠道，请在 YAML 中改写。标准渠道为：{'、'.join(CHANNELS)}"))
        elif raw is not None and str(raw).strip():
            text = str(raw).strip()
            data[name] = str(int(raw)) if name == "code" and isinstance(raw, (int, float)) else text
    groups = {_MODEL_FIELD[f.partition(":")[0]] for f in fields.values() if ":" in f}
    missing: list[str] = [g for g in ("audience", "mode", "levels") if g in groups and not data[g]]
    return data, missing, ok


_CHANNEL_NAMES = {_norm(name): name for name in CHANNELS}
_CHANNEL_NAMES.update({_norm("新闻发布会/听证会"): "发布会/听证会", _norm("发布会"): "发布会/听证会"})


@dataclass
class Channels:
    found: dict[str, str] = field(default_factory=dict)
    """Standard channels: 必选, 可选, or UNCONFIRMED when the cell has no ■ or □."""
    other: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    """Names outside the standard list, imported as other channels."""
    blank_other: bool = False
    """“■其他” ticked with nothing written after it."""


def _channels(text: str) -> Channels:
    """Parse “■政府网站 □两微一端 其他：政务新媒体”; an unticked “□其他” is no channel."""
    parsed = Channels()
    for token in re.split(r"[\n、；;，,]+|\s{2,}|\s(?=[■□]|其他[：:])", text.strip()):
        token = token.strip()
        if not token:
            continue
        need = {"■": "必选", "□": "可选"}.get(token[0], UNCONFIRMED)
        name = token.lstrip("■□").strip()
        if re.match(r"^其他[：:]?$", name):  # the form's “其他” box, with nothing written in it
            parsed.blank_other = parsed.blank_other or need == "必选"
            continue
        if re.match(r"^其他[：:]", name):
            parsed.other.append(re.sub(r"^其他[：:]\s*", "", name))
        elif _norm(name) in _CHANNEL_NAMES:
            parsed.found[_CHANNEL_NAMES[_norm(name)]] = need
        else:
            parsed.other.append(name)
            parsed.foreign.append(name)
    return parsed


def _machine_fields(wb) -> dict[str, dict]:
    if MACHINE_SHEET not in wb.sheetnames:
        return {}
    fields = {}
    for number, row in enumerate(wb[MACHINE_SHEET].iter_rows(min_row=2, values_only=True), 2):
        code, data = (*row, None, None)[:2]  # (a column deleted leaves rows of one cell)
        if code and data:
            found = json_object(data)
            if found is None:
                raise SheetError(f"工作表“{MACHINE_SHEET}”第 {number} 行不是有效的数据；请删除这个隐藏工作表后再导入")
            fields[str(code)] = found
    return fields


def json_object(text: Any) -> dict[str, Any] | None:
    """The fields an export writes as a JSON object (机读数据); None when a hand made the cell anything else."""
    try:
        found = json.loads(text)
    except (TypeError, ValueError):
        return None
    return found if isinstance(found, dict) else None
