"""Catalog spreadsheets in the official layout: export, import, round trip, and tricky input."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import TODAY
from gongkai.check import check_data
from gongkai.sheets import export_csv, export_xlsx, import_sheet


def demo_catalogs():
    from conftest import REPO

    site, _ = check_data(REPO / "data", REPO, TODAY)
    return site


def test_export_then_import_gives_back_every_catalog_of_the_demo(tmp_path):
    site = demo_catalogs()
    catalogs = [(s.title, s.rows, s.levels) for s in site.standards.values()]
    catalogs += [(key, a.rows, site.standards[key.split("/")[1]].levels) for key, a in site.adoptions.items()]
    assert len(catalogs) >= 8
    for title, rows, levels in catalogs:
        path = tmp_path / "c.xlsx"
        path.write_bytes(export_xlsx(title, rows, levels))
        result = import_sheet(path)
        assert result.problems == []
        assert result.levels == levels
        assert result.rows == rows, title


def test_export_is_byte_identical_each_time():
    site = demo_catalogs()
    standard = site.standards["hjgl"]
    assert export_xlsx("t", standard.rows, standard.levels) == export_xlsx("t", standard.rows, standard.levels)


def test_exported_layout_has_grouped_headers_and_merged_items(tmp_path):
    site = demo_catalogs()
    standard = site.standards["hjgl"]
    path = tmp_path / "c.xlsx"
    path.write_bytes(export_xlsx(standard.title, standard.rows, standard.levels))
    ws = load_workbook(path).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == standard.title
    assert [ws.cell(3, c).value for c in range(1, 4)] == ["过程", "序号", "公开事项"]
    assert [ws.cell(4, c).value for c in (3, 4)] == ["一级事项", "二级事项"]
    assert {"C3:D3", "J3:K3", "L3:M3", "N3:O3", "A3:A4", "B3:B4"} <= merged  # groups and single headers
    assert "C5:C8" in merged  # 户口登记 spans its four rows
    assert ws["I5"].value == "■政府网站\n■政务服务中心\n□两微一端\n□便民服务站"
    assert [ws.cell(5, c).value for c in range(10, 16)] == ["✓", None, "✓", None, "✓", "✓"]


def test_csv_export():
    site = demo_catalogs()
    standard = site.standards["hjgl"]
    text = export_csv(standard.rows, standard.levels)
    lines = text.lstrip("\ufeff").splitlines()
    assert text.startswith("\ufeff")
    assert lines[0].split(",")[:4] == ["过程", "序号", "公开事项-一级事项", "公开事项-二级事项"]
    assert len(lines) == 1 + len(standard.rows)


# --- spreadsheets as they come from elsewhere -------------------------------------------------

HEADER_TOP = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
              "公开对象", None, "公开方式", None, "公开层级", None]
HEADER_SUB = [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群众", "主动", "依申请公开", "县级", "乡级"]


def sheet(tmp_path: Path, rows: list[list], merges: list[str] = (), title: str = "某领域标准目录") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "目录"
    ws.append([title])
    ws.append(HEADER_TOP)
    ws.append(HEADER_SUB)
    for cells in rows:
        ws.append(cells)
    for rng in ["B2:C2", "I2:J2", "K2:L2", "M2:N2", "A2:A3", "D2:D3", *merges]:
        ws.merge_cells(rng)
    path = tmp_path / "in.xlsx"
    wb.save(path)
    return path


def data_row(code, item, sub, marks=("√", "", "√", "", "√", "√"), channels="■政府网站 □两微一端"):
    return [code, item, sub, "内容", "依据", "信息形成或者变更之日起20个工作日内", "县级公安机关", channels, *marks]


def test_import_merged_cells_blank_rows_and_variant_headers(tmp_path):
    path = sheet(tmp_path, [
        data_row(1, "户口登记", "出生登记"),
        data_row(2, None, "死亡注销", marks=("■", "✓", "■", "", "", "√")),
        [None] * 14,
        data_row(3, "居民身份证", "首次申领", channels="■政府网站、□政务服务中心；其他：户籍窗口"),
    ], merges=["B4:B5"])
    result = import_sheet(path)
    assert result.problems == []
    assert result.title == "某领域标准目录"
    assert result.levels == ["县级", "乡级"]
    first, second, third = result.rows
    assert (first.code, first.item, second.item) == ("1", "户口登记", "户口登记")  # merged 一级事项 filled down
    assert second.audience == ["全社会", "特定群体"]  # 特定群众 means 特定群体
    assert second.mode == ["主动"] and second.levels == ["乡级"]
    assert third.channels == {"政府网站": "必选", "政务服务中心": "可选"} and third.other_channels == ["户籍窗口"]
    assert first.deadline_rule.days == 20 and first.deadline_rule.unit == "工作日"


def test_import_reports_what_it_cannot_read_by_sheet_row_and_column(tmp_path):
    path = sheet(tmp_path, [
        data_row(1, "户口登记", "出生登记", marks=("√", "", "?", "", "", "√")),
        data_row(2, "户口登记", "死亡注销", channels="■政府网站 ■微信群"),
        ["一、居民身份证", *[None] * 13],
        data_row(3, "居民身份证", "首次申领", marks=("", "", "", "", "", "")),
    ])
    result = import_sheet(path)
    assert [str(p) for p in result.problems] == [
        "工作表“目录”第 4 行 K 列：无法识别的标记“?”（应为 ✓、√、■，或留空）",
        "工作表“目录”第 6 行 A 列：这一行只有一个单元格有内容，不是一个事项；请删除或补全",
    ]
    # a channel outside the standard list is imported as an other channel, with a warning naming the list
    assert [str(p) for p in result.warnings] == [
        "工作表“目录”第 5 行 H 列：公开渠道“微信群”不在标准渠道中，已作为“其他”渠道导入；如对应某一标准渠道，请在 YAML 中改写。"
        "标准渠道为：政府网站、政府公报、两微一端、发布会/听证会、广播电视、纸质媒体、公开查阅点、政务服务中心、便民服务站、入户/现场、"
        "社区/企事业单位/村公示栏（电子屏）、精准推送",
    ]
    # a row without any mark is imported for the editor to confirm, not rejected and not guessed
    assert result.unconfirmed == [(7, "3", "公开对象、公开方式、公开层级没有标记")]


def test_import_unknown_and_missing_headers(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "事项名称", "公开依据"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    problems = [str(p) for p in import_sheet(path).problems]
    assert problems[0] == "工作表“Sheet”第 1 行 B 列：无法识别的表头“事项名称”"
    assert "工作表“Sheet”第 1 行：缺少“一级事项”列" in problems


def test_import_without_any_header(tmp_path):
    wb = Workbook()
    wb.active.append(["只有标题"])
    path = tmp_path / "none.xlsx"
    wb.save(path)
    assert [str(p) for p in import_sheet(path).problems] == ["工作表“Sheet”第 1 行：找不到表头（应有一个内容为“序号”的单元格）"]


@pytest.mark.parametrize("mark", ["√", "✓", "■", "✔"])
def test_every_usual_mark_means_yes(tmp_path, mark):
    path = sheet(tmp_path, [data_row(1, "户口登记", "出生登记", marks=(mark, "", mark, "", mark, ""))])
    [row] = import_sheet(path).rows
    assert (row.audience, row.mode, row.levels) == (["全社会"], ["主动"], ["县级"])


@pytest.mark.parametrize("machine", ["5", "null", "[1]", '"期限"', "DELETED_COLUMN"])
def test_a_hidden_machine_sheet_edited_by_hand_is_a_message_not_a_traceback(tmp_path, machine):
    """Whatever a spreadsheet program leaves in the hidden 机读数据 sheet: a message naming its row, or,
    with its data column gone, the sheet's columns alone (as when the sheet is deleted)."""
    from gongkai.sheets import MACHINE_SHEET, SheetError

    standard = demo_catalogs().standards["hjgl"]
    path = tmp_path / "c.xlsx"
    path.write_bytes(export_xlsx("t", standard.rows, standard.levels))
    wb = load_workbook(path)
    if machine == "DELETED_COLUMN":
        wb[MACHINE_SHEET].delete_cols(2)
    else:
        wb[MACHINE_SHEET].cell(2, 2).value = machine
    wb.save(path)
    if machine == "DELETED_COLUMN":
        result = import_sheet(path)
        assert result.problems == [] and [row.code for row in result.rows] == [row.code for row in standard.rows]
    else:
        with pytest.raises(SheetError, match=f"工作表“{MACHINE_SHEET}”第 2 行不是有效的数据"):
            import_sheet(path)


@pytest.mark.parametrize("line_end", ["\r", "\n", "\r\n"])
def test_a_csv_with_any_line_ends_imports_as_the_same_catalog(tmp_path, line_end):
    """Old Mac programs end lines in \\r alone; Python's csv stopped at them with a traceback."""
    standard = demo_catalogs().standards["hjgl"]
    text = export_csv(standard.rows, standard.levels).replace("\r\n", line_end)
    (tmp_path / "c.csv").write_bytes(text.encode("utf-8"))
    result = import_sheet(tmp_path / "c.csv")
    assert result.problems == [] and result.rows == standard.rows


@pytest.mark.parametrize("broken", ["a cell of 200,000 characters", "a NUL"])
def test_a_csv_that_cannot_be_read_says_where(tmp_path, broken):
    from gongkai.sheets import SheetError

    standard = demo_catalogs().standards["hjgl"]
    lines = export_csv(standard.rows, standard.levels).split("\r\n")
    lines[3] += "," + ("长" * 200_000 if broken.startswith("a cell") else "\0")
    (tmp_path / "c.csv").write_bytes("\r\n".join(lines).encode("utf-8"))
    expected = "c.csv 第 4 行无法按 CSV 读取" if broken.startswith("a cell") else "c.csv 不是文本格式的 CSV 文件"
    with pytest.raises(SheetError, match=expected):
        import_sheet(tmp_path / "c.csv")
