"""The notice's 附件1 and 附件2 as units fill them in and send them back, read into a unit record;
and the same forms written from a unit."""

from __future__ import annotations

import subprocess
import sys

from openpyxl import Workbook, load_workbook

from conftest import findings


def gongkai(site, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], cwd=site.root, capture_output=True, text=True, timeout=300)


def filled_form2(path) -> None:
    """附件2 as a 街道 sent it back: merged label cells, functions numbered in one cell and over two
    rows, 内设机构 with duties in one cell, a blank row, two phone numbers in one cell."""
    wb = Workbook()
    ws = wb.active
    ws.title = "附件2"
    for row in [["附件 2"], ["街道（部门）工作职能清单"], ["单位（盖章）：测试区海滨街道办事处"],
                ["全称", "测试区海滨街道办事处"], ["办公地址", "测试区海滨路 8 号"], ["办公时间", "工作日 8:00—12:00，14:30—17:30"],
                ["联系电话", "办公室 0595-29991001；值班：0595—29991002"], ["负责人姓名", "庚演示"],
                ["工作职能", "1.贯彻执行党和国家的方针政策；2.负责辖区社会治理工作。\n3.负责辖区民生服务。"],
                [None, "4.完成区委、区政府交办的其他任务。"], [None, None],
                ["机构设置", "1.党政综合办公室：负责机关日常运转\n2.社会事务办公室：负责民政、计生工作\n3.平安建设办公室"],
                ["注：请于 8 月 28 日前报送。"]]:
        ws.append(row)
    ws.merge_cells("A9:A10")
    wb.save(path)


def filled_form1(path) -> None:
    wb = Workbook()
    ws = wb.active
    for row in [["附件 1"], ["街道（部门）政务公开（政府信息公开）工作人员情况表"], ["单位（盖章）："],
                [None, "姓名", "职务", "联系方式", "备注"],
                ["分管领导", "辛演示", "副主任", "0595-29991003", None],
                ["工作人员", "壬演示", "科员", "13900000011", "手机"],
                [None, "癸演示", "信息员", "0595-29991004", None],
                [None, None, None, None, None]]:
        ws.append(row)
    ws.merge_cells("A6:A7")
    wb.save(path)


def test_filled_forms_become_a_unit_that_builds(site):
    filled_form2(site.root / "form2.xlsx")
    filled_form1(site.root / "form1.xlsx")
    result = gongkai(site, "import", "unit", "form2.xlsx", "form1.xlsx", "--id", "hbjd", "--type", "街道办事处", "--parent", "gov")
    assert result.returncode == 1  # one cell could not be placed
    assert "第 12 行 B 列：内设机构只写了名称，没有职责：平安建设办公室" in result.stderr
    unit = (site.root / "data/units/hbjd.yml").read_text(encoding="utf-8")
    assert "- 贯彻执行党和国家的方针政策" in unit and "- 完成区委、区政府交办的其他任务。" in unit and "- 1." not in unit
    assert "name: 党政综合办公室" in unit and "负责民政、计生工作" in unit
    assert "label: 值班" in unit and "0595—29991002" in unit  # as written; shown normalised, with a note
    assert "role: 工作人员\n    name: 癸演示" in unit  # the merged 类别 cell covers both rows
    assert (site.root / "data/disclosure/hbjd.yml").is_file()
    lines = findings(site)
    assert [line for line in lines if "units/hbjd.yml" in line and "错误" in line] == []
    assert any("units/hbjd.yml" in line and "提示" in line and "0595-29991002" in line for line in lines)


def test_an_existing_unit_is_only_updated_when_forced(site):
    filled_form2(site.root / "form2.xlsx")
    refused = gongkai(site, "import", "unit", "form2.xlsx", "--id", "office")
    assert refused.returncode == 1 and "将更新的栏目：" in refused.stdout and "没有覆盖" in refused.stderr
    before = (site.root / "data/units/office.yml").read_text(encoding="utf-8")
    assert "测试区人民政府办公室" in before
    forced = gongkai(site, "import", "unit", "form2.xlsx", "--id", "office", "--force")
    after = (site.root / "data/units/office.yml").read_text(encoding="utf-8")
    assert "已更新" in forced.stdout and "name: 测试区海滨街道办事处" in after
    assert "powers:" in after and "short_name: 区政府办" in after  # what the form does not have is kept


def test_a_unit_written_as_forms_reads_back_the_same(site):
    result = gongkai(site, "export", "unit", "office", "-o", "forms")
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(site.root / "forms/office-附件2.xlsx").active
    assert [sheet.cell(r, 1).value for r in range(4, 11)] == ["全称", "办公地址", "办公时间", "联系电话", "负责人姓名", "工作职能", "机构设置"]
    staff = load_workbook(site.root / "forms/office-附件1.xlsx").active
    names = [staff.cell(r, 2).value for r in range(5, staff.max_row + 1)]
    assert "内部己" not in names and "丁演示" in names  # internal staff stay internal
    assert "13900000001" not in [staff.cell(r, 4).value for r in range(5, staff.max_row + 1)]  # a mobile without consent
    before = (site.root / "data/units/office.yml").read_text(encoding="utf-8")
    again = gongkai(site, "import", "unit", "forms/office-附件2.xlsx", "--id", "office")
    assert "将更新的栏目：无" in again.stdout, again.stdout + again.stderr
    assert (site.root / "data/units/office.yml").read_text(encoding="utf-8") == before
