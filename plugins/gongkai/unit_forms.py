"""The notice's two forms, both ways: 附件2《工作职能清单》 (one label per row, its value beside it)
and 附件1《政务公开工作人员情况表》 (分管领导 and 工作人员 rows), as units fill them in and send
them back — merged cells, line breaks and numbered functions in one cell, extra blank rows.

Reading never guesses: a value it cannot place is listed with its sheet, row and column.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from .model.unit import STAFF_ROLES, Unit
from .sheets import Grid, SheetError, workbook_grids

FORM2_LABELS = {
    "name": ("全称", "单位全称", "机构全称", "名称"),
    "address": ("办公地址", "地址"),
    "office_hours": ("办公时间",),
    "phone": ("联系电话", "电话"),
    "head": ("负责人姓名", "负责人"),
    "functions": ("工作职能", "主要职能", "职能", "主要职责"),
    "offices": ("机构设置", "内设机构"),
}
_LABEL_OF = {re.sub(r"\s+", "", label): name for name, labels in FORM2_LABELS.items() for label in labels}
_NUMBERING = re.compile(r"^\s*(?:\d+\s*[.、．)）]|[（(]\s*\d+\s*[)）]|[一二三四五六七八九十]+\s*、)\s*")
_SPLIT = re.compile(r"\n|[；;]|(?<=[。])\s*(?=\d+\s*[.、．])")


@dataclass
class FormProblem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"工作表“{self.sheet}”第 {self.row} 行 {self.column} 列：{self.message}"


@dataclass
class Read:
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[FormProblem] = field(default_factory=list)


def items(text: str) -> list[str]:
    """A cell of numbered items — “1.……；2.……”, one per line, （1）…, 一、… — as a list, numbers removed."""
    return [_NUMBERING.sub("", part).strip() for part in _SPLIT.split(text) if _NUMBERING.sub("", part).strip()]


def read_form2(path: Path) -> Read:
    """附件2 as the unit's fields: functions as items, 机构设置 as offices with their duties."""
    grid = _first_grid(path)
    result = Read()
    current: str | None = None
    for r, row in enumerate(grid.rows, start=1):
        label = re.sub(r"\s+", "", str(row[0] or "")) if row else ""
        value = "\n".join(str(v).strip() for v in row[1:] if v is not None and str(v).strip() and str(v).strip() != label)
        if label in _LABEL_OF:
            current = _LABEL_OF[label]
        elif label:
            current = None
            if value and not label.startswith(("注", "附件", "单位（盖章）")) and "清单" not in label:
                result.problems.append(FormProblem(grid.title, r, "A", f"无法识别的栏目“{label}”，这一行没有导入"))
            continue
        if current is None or not value:
            continue
        if current in ("functions", "offices"):
            result.data.setdefault(current, []).extend(items(value))
        elif current in result.data and result.data[current] != value:
            result.data[current] += "；" + value
        else:
            result.data[current] = value
    if "phone" in result.data:
        result.data.update(_phones(result.data.pop("phone")))
    offices, unplaced = _offices(result.data.pop("offices", []))
    if offices:
        result.data["offices"] = offices
    if unplaced:
        result.problems.append(FormProblem(grid.title, _row_of(grid, "offices"), "B",
                                           f"内设机构只写了名称，没有职责：{'、'.join(unplaced)}；请补充职责（“名称：职责”）后再导入"))
    for name in ("name", "address", "office_hours", "phone", "head", "functions"):
        if name not in result.data and not (name == "phone" and "phones" in result.data):
            result.problems.append(FormProblem(grid.title, _row_of(grid, name), "B", f"“{FORM2_LABELS[name][0]}”没有填写"))
    return result


def _phones(text: str) -> dict[str, Any]:
    """One number as `phone`; several (“办公室 0595-…；值班 0595-…”, “0595-…（投诉）”) as labelled `phones`."""
    numbers = [n.strip() for n in re.split(r"[、；;，,\n]+", text) if n.strip()]
    if len(numbers) == 1:
        return {"phone": re.sub(r"^[^\d（(]*[:：]?\s*", "", numbers[0]) or numbers[0]}
    phones = []
    for i, entry in enumerate(numbers, 1):
        label = re.search(r"[（(]([^）)]+)[）)]\s*$", entry) or re.match(r"^([^\d（(]+?)[:：]?\s*(?=[\d（(])", entry)
        number = re.sub(r"[（(][^）)]*[）)]\s*$", "", entry)
        number = re.sub(r"^[^\d（(]+?[:：]?\s*(?=[\d（(])", "", number).strip()
        phones.append({"label": label[1].strip() if label else f"电话{i}", "number": number})
    return {"phones": phones}


def _offices(entries: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """“办公室：负责……” into an office with its duties; names alone are returned to be reported."""
    offices, unplaced = [], []
    for entry in entries:
        name, colon, duties = re.split(r"([：:])", entry, maxsplit=1) if re.search(r"[：:]", entry) else (entry, "", "")
        if colon and duties.strip():
            offices.append({"name": name.strip(), "functions": [d for d in re.split(r"[，,]?(?=负责)|；", duties.strip()) if d.strip()] or [duties.strip()]})
        else:
            unplaced += [n for n in re.split(r"[、，,]", re.sub(r"^内设", "", name)) if n.strip()]
    return offices, unplaced


def read_form1(path: Path) -> Read:
    """附件1 as staff: one row per person under the header 姓名/职务/联系方式/备注."""
    grid = _first_grid(path)
    result = Read(data={"staff": []})
    header = next((r for r, row in enumerate(grid.rows, start=1) if any(str(v or "").strip() == "姓名" for v in row)), None)
    if header is None:
        result.problems.append(FormProblem(grid.title, 1, "A", "找不到表头（应有“姓名”“职务”“联系方式”列）"))
        return result
    columns = {re.sub(r"\s+", "", str(v or "")): i for i, v in enumerate(grid.rows[header - 1])}
    for r, row in enumerate(grid.rows[header:], start=header + 1):
        def cell(title: str) -> str:
            i = columns.get(title)
            return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

        role, name = str(row[0] or "").strip(), cell("姓名")
        if not name:
            continue
        if role not in STAFF_ROLES:
            result.problems.append(FormProblem(grid.title, r, "A", f"“{name}”的类别“{role}”应为 分管领导 或 工作人员"))
            continue
        person = {"role": role, "name": name, "position": cell("职务")}
        for key, title in (("phone", "联系方式"), ("note", "备注")):
            if cell(title):
                person[key] = cell(title)
        result.data["staff"].append(person)
    return result


def _first_grid(path: Path) -> Grid:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SheetError(f"只能导入 .xlsx 文件，而不是“{path.suffix or path.name}”；.xls、.et 请先另存为 .xlsx")
    return workbook_grids(path, None)[0][0]


def _row_of(grid: Grid, name: str) -> int:
    return next((r for r, row in enumerate(grid.rows, start=1) if row and _LABEL_OF.get(re.sub(r"\s+", "", str(row[0] or ""))) == name), 1)


def unit_data(existing: Unit | None, form2: dict[str, Any], form1: dict[str, Any] | None, type: str | None,
              parent: str | None, today: str) -> dict[str, Any]:
    """The unit's YAML data: what it had, with the forms' fields over it."""
    data = existing.model_dump(mode="json", exclude_defaults=True) if existing else {}
    data.update(form2)
    data["offices"] = _merged(data.get("offices", []), existing.model_dump(mode="json")["offices"] if existing else [])
    if form1 is not None:
        before = existing.model_dump(mode="json", exclude_defaults=True).get("staff", []) if existing else []
        internal = [p for p in before if p.get("internal")]  # never on the form: kept as they are
        data["staff"] = _merged(form1["staff"], before) + internal
    if not data["offices"]:
        del data["offices"]
    if type:
        data["type"] = type
    if parent:
        data["parent"] = parent
    if "office_hours" not in data and not data.get("seasonal_hours"):
        data["office_hours"] = ""
    data["updated"] = today
    order = ["name", "short_name", "type", "parent", "order", "index_code", "rank", "basis", "address", "mailing_address", "postcode",
             "office_hours", "seasonal_hours", "phone", "phones", "fax", "email", "head", "head_title", "functions", "offices", "staff",
             "powers", "updated"]
    return {key: data[key] for key in order if key in data}


def _merged(new: list[dict[str, Any]], old: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The form's entries, each keeping what the form has no column for (an office's phone, a
    person's consent to publish a mobile) from the entry of the same name it had."""
    by_name = {entry.get("name"): entry for entry in old}
    return [{**{k: v for k, v in by_name.get(entry["name"], {}).items() if v not in (None, False, [])}, **entry} for entry in new]


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [key for key in after if key != "updated" and before.get(key) != after[key]] + [k for k in before if k not in after]


# --- the forms, written ----------------------------------------------------------------------------

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")


def form2_xlsx(unit: Unit) -> bytes:
    """附件2 filled in for `unit`, in the notice's layout."""
    offices = "\n".join(f"{i}.{o.name}：{'；'.join(o.functions)}" for i, o in enumerate(unit.offices, 1)) or "不设内设机构"
    phones = "；".join(f"{label} {number}" if len(unit.all_phones) > 1 else number for label, number in unit.all_phones)
    rows = [["全称", unit.name], ["办公地址", unit.address], ["办公时间", unit.hours_text], ["联系电话", phones],
            ["负责人姓名", unit.head], ["工作职能", "\n".join(f"{i}.{f}" for i, f in enumerate(unit.functions, 1))], ["机构设置", offices]]
    return _form("附件 2", "街道（部门）工作职能清单", unit, rows, widths=(14, 80))


def form1_xlsx(unit: Unit) -> bytes:
    """附件1 for `unit`: its public staff (a personal mobile only where it may be published)."""
    rows: list[list[Any]] = [[None, "姓名", "职务", "联系方式", "备注"]]
    rows += [[p.role, p.name, p.position, p.published_phone or "", p.note or ""] for p in unit.public_staff]
    return _form("附件 1", "街道（部门）政务公开（政府信息公开）工作人员情况表", unit, rows, widths=(10, 12, 16, 18, 20))


def _form(number: str, title: str, unit: Unit, rows: list[list[Any]], widths: tuple[int, ...]) -> bytes:
    """A form of the notice: its number, title and 单位（盖章） over the width of the table, then the boxed rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = number.replace(" ", "")
    for head in (number, title, f"单位（盖章）：{unit.name}"):
        ws.append([head])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(widths))
    ws["A2"].font = Font(size=16, bold=True)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.border, cell.alignment = _BOX, _WRAP
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + column)].width = width
    return _saved(wb)


def _saved(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
