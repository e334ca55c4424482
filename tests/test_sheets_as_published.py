"""Catalog spreadsheets as real platforms publish them, imported: √ marks lost in conversion,
channels without ■/□, an unticked “□其他”, channels outside the standard list, several wrong
cells in one row, 公开依据 and 公开时限 typed loosely, and row numbers written 1 for 01."""

from __future__ import annotations

import subprocess
import sys

from test_sheets import data_row, sheet

from conftest import findings, replace_in
from gongkai.sheets import UNCONFIRMED, import_sheet

NO_MARKS = ("", "", "", "", "", "")


def test_marks_lost_in_conversion_are_one_message_and_the_rows_are_kept(tmp_path):
    path = sheet(tmp_path, [
        data_row("01", "户口登记", "出生登记", marks=NO_MARKS),
        data_row("02", "户口登记", "死亡注销", marks=NO_MARKS),
        data_row("03", "居民身份证", "首次申领", marks=("√", "", "", "", "√", "")),  # 公开方式 lost only
        data_row("04", "居民身份证", "换领"),
    ])
    result = import_sheet(path)
    assert result.problems == []
    assert [r.code for r in result.rows] == ["01", "02", "03", "04"]  # nothing dropped
    assert (result.rows[0].audience, result.rows[0].mode, result.rows[0].levels) == ([], [], [])
    assert result.rows[2].audience == ["全社会"] and result.rows[2].mode == []
    assert result.confirmation() == (
        "工作表“目录”有 3 行需要确认：第 4 行（序号 01）公开对象、公开方式、公开层级没有标记；"
        "第 5 行（序号 02）公开对象、公开方式、公开层级没有标记；第 6 行（序号 03）公开方式没有标记。"
        f"这些行已导入，缺失的标记留空、未标明 ■/□ 的渠道写作“{UNCONFIRMED}”，请在 YAML 中逐一补上后再构建")


def test_a_channel_without_a_box_is_asked_not_guessed(tmp_path):
    path = sheet(tmp_path, [data_row("1", "户口登记", "出生登记", channels="■政府网站\n入户/现场\n□其他")])
    result = import_sheet(path)
    [row] = result.rows
    assert row.channels == {"政府网站": "必选", "入户/现场": UNCONFIRMED}
    assert row.other_channels == []  # the unticked □其他 is no channel
    assert result.unconfirmed == [(4, "1", "公开渠道“入户/现场”未标明必选（■）或可选（□）")]
    assert result.warnings == []


def test_channels_outside_the_list_are_a_warning_not_a_rejected_sheet(tmp_path):
    path = sheet(tmp_path, [data_row("1", "户口登记", "出生登记", channels="■政府网站 ■山东政务服务网 □办事窗口 ■其他")])
    result = import_sheet(path)
    [row] = result.rows
    assert row.other_channels == ["山东政务服务网", "办事窗口"]
    assert [p.message.split("；")[0] for p in result.warnings] == [
        "“■其他”没有写明是什么渠道，未导入",
        "公开渠道“山东政务服务网、办事窗口”不在标准渠道中，已作为“其他”渠道导入",
    ]


def test_every_wrong_cell_of_a_row_is_reported(tmp_path):
    row = data_row("1", "户口登记", "出生登记", marks=("√", "?", "√", "", "X", "√"))
    row[3] = None  # 公开内容 left empty as well
    problems = [str(p) for p in import_sheet(sheet(tmp_path, [row])).problems]
    assert problems == [
        "工作表“目录”第 4 行 J 列：无法识别的标记“?”（应为 ✓、√、■，或留空）",
        "工作表“目录”第 4 行 M 列：无法识别的标记“X”（应为 ✓、√、■，或留空）",
        "工作表“目录”第 4 行 D 列：content（公开内容（要素））：缺少必填字段",
    ]


def test_loose_basis_and_deadline_are_warnings_with_the_suggested_text(tmp_path):
    rows = [data_row("1", "户口登记", "出生登记"), data_row("2", "户口登记", "死亡注销"), data_row("3", "居民身份证", "首次申领")]
    rows[0][4] = "《国务院办公厅关于推进基层政务公开标准化规范化工作的指导意见》（国办发(2019)54号）"
    rows[1][4] = "《中华人民共和国户口登记条例》第七条；《公安部关于户籍管理的规定"
    rows[2][5] = "制 定 或 获 取 信 息之日起20个工作日内"
    result = import_sheet(sheet(tmp_path, rows))
    assert result.problems == []
    assert [str(p) for p in result.warnings] == [
        "工作表“目录”第 4 行 E 列：公开依据：文号的年份应使用六角括号，建议写作“《国务院办公厅关于推进基层政务公开标准化规范化工作的指导意见》"
        "（国办发〔2019〕54号）”",
        "工作表“目录”第 5 行 E 列：公开依据：“《”与“》”不成对，请检查是否漏写",
        "工作表“目录”第 6 行 F 列：公开时限“制 定 或 获 取 信 息之日起20个工作日内”中有空格，无法读出天数，已按原文保留；"
        "建议写作“制定或获取信息之日起20个工作日内”",
    ]
    assert result.rows[2].deadline == "制 定 或 获 取 信 息之日起20个工作日内" and result.rows[2].deadline_rule is None


def cli(site, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], cwd=site.root, capture_output=True, text=True, timeout=120)


def official_sheet(site, codes: list[str], marks=("√", "", "√", "", "√", "√")) -> None:
    """The test standard (hjgl) as a unit received it: codes written as the sheet's author liked."""
    subitems = ["出生登记", "死亡注销登记", "首次申领"]
    rows = [data_row(code, "户口登记" if subitem != "首次申领" else "居民身份证", subitem, marks=marks) for code, subitem in zip(codes, subitems)]
    sheet(site.root, rows, title="户籍管理领域基层政务公开标准目录")


def test_row_numbers_1_and_01_are_the_same_row(catalog_site):
    official_sheet(catalog_site, ["1", "2", "3"])
    result = cli(catalog_site, "catalog", "import", "in.xlsx", "--domain", "hjgl", "--unit", "office", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert "action: 新增" not in result.stdout and "action: 删除" not in result.stdout  # matched to 01, 02, 03
    assert "row: '01'" in result.stdout  # changes name the standard's own 序号, quoted


def test_import_keeps_the_files_header_and_reference_and_never_overwrites_unasked(catalog_site):
    path = "data/catalogs/standard/hjgl.yml"
    text = (catalog_site.root / path).read_text(encoding="utf-8")
    (catalog_site.root / path).write_text("# 编辑说明：本目录由区政务公开办维护\n" + text.replace("issuer: 公安部\n", "issuer: 公安部\nreference: 公安部标准指引（2019）\n"),
                                          encoding="utf-8")
    official_sheet(catalog_site, ["01", "02", "03"], marks=NO_MARKS)
    before = (catalog_site.root / path).read_text(encoding="utf-8")
    result = cli(catalog_site, "catalog", "import", "in.xlsx", "--domain", "hjgl")
    assert result.returncode == 1 and "已经存在，没有覆盖" in result.stderr
    assert (catalog_site.root / path).read_text(encoding="utf-8") == before
    result = cli(catalog_site, "catalog", "import", "in.xlsx", "--domain", "hjgl", "--force")
    assert result.returncode == 0, result.stderr
    assert "工作表“目录”有 3 行需要确认" in result.stderr
    written = (catalog_site.root / path).read_text(encoding="utf-8")
    assert written.startswith("# 编辑说明：本目录由区政务公开办维护\n") and "reference: 公安部标准指引（2019）" in written
    # the rows to confirm do not build until an editor has given their marks
    lines = [line for line in findings(catalog_site) if line.startswith(path)]
    assert lines and all("至少需要 1 项" in line for line in lines)
    assert len([line for line in lines if "audience" in line]) == 3
    for _ in range(3):
        replace_in(catalog_site, path, "audience: []", "audience: [全社会]")
        replace_in(catalog_site, path, "mode: []", "mode: [主动]")
        replace_in(catalog_site, path, "levels: []", "levels: [县级]")
    assert not [line for line in findings(catalog_site) if line.startswith(path)]


def test_importing_a_unit_catalog_again_keeps_its_note_and_the_reasons_given(catalog_site):
    path = "data/catalogs/units/office/hjgl.yml"
    result = cli(catalog_site, "catalog", "export", "--domain", "hjgl", "--unit", "office", "-o", "office.xlsx")
    assert result.returncode == 0, result.stderr
    result = cli(catalog_site, "catalog", "import", "office.xlsx", "--domain", "hjgl", "--unit", "office", "--force")
    assert result.returncode == 0, result.stderr
    written = (catalog_site.root / path).read_text(encoding="utf-8")
    assert "note: 本单位对照公安部标准指引编制。" in written
    assert "reason: 死亡注销由派出所办理" in written and "reason: 由本单位代收材料" in written
    assert findings(catalog_site) == []
