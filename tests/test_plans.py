"""应急预案, the kind added through the registry: its checks, its pages, `gongkai new plan`, diff."""

from __future__ import annotations

import csv
import datetime
import io
import subprocess

import pytest

from conftest import GIT, disclosure_yml, findings, replace_in, text_pdf, where

FLOOD = "data/plans/flood.yml"
FLOOD_YML = """\
    title: 测试区防汛防台风应急预案
    level: 专项
    category: 自然灾害
    unit: gov
    scope: 台风、暴雨灾害的防御和处置。
    keywords: [防汛, 台风]
    versions:
      - published: 2019-06-03
        number: 测政办〔2019〕8号
        attachments:
          - file: flood-2019.pdf
            title: 预案全文（2019年版）
      - published: 2023-05-26
        note: 明确危险区域人员转移的启动条件。
        attachments:
          - file: flood-2023.pdf
            title: 预案全文（2023年修订）
        handbook:
          - file: flood-2023-guide.pdf
            title: 一图读懂
    drills:
      - date: 2023-06-18
        title: 人员转移演练
        type: 实战演练
        organizer: office
    """
OVERALL_YML = """\
    title: 测试区突发事件总体应急预案
    level: 总体
    unit: gov
    versions:
      - published: 2022-03-01
        attachments:
          - file: overall.pdf
        handbook:
          - file: overall-handbook.pdf
    drills: []
    """
OLD_YML = """\
    title: 测试区甲型流感防控应急预案
    level: 专项
    category: 公共卫生事件
    unit: office
    versions:
      - published: 2009-05-01
        attachments:
          - file: old.pdf
    repealed: 2021-01-01
    repeal_note: 已并入突发公共卫生事件应急预案
    """


@pytest.fixture
def plan_site(site):
    site.write(FLOOD, FLOOD_YML)
    site.write("data/plans/overall.yml", OVERALL_YML)
    site.write("data/plans/old.yml", OLD_YML)
    for name in ("flood-2019", "flood-2023", "flood-2023-guide", "overall", "overall-handbook", "old"):
        (site.root / f"data/plans/{name}.pdf").write_bytes(text_pdf(f"Plan text {name}"))
    site.write("data/disclosure/gov.yml", disclosure_yml(True, {"应急预案"}))
    site.write("data/disclosure/office.yml", disclosure_yml(False, {"其他主动公开信息", "应急预案"}))
    return site


def test_valid_plans_load_without_findings(plan_site):
    assert findings(plan_site) == []


def test_the_shape_of_a_plan_is_checked_where_it_is_written(plan_site):
    replace_in(plan_site, "data/plans/overall.yml", "level: 总体\n", "level: 总体\ncategory: 自然灾害\n")
    replace_in(plan_site, FLOOD, "category: 自然灾害\n", "")
    replace_in(plan_site, "data/plans/old.yml", "level: 专项", "level: 省级")
    lines = "\n".join(findings(plan_site))
    assert "data/plans/overall.yml:1:1: 错误：总体应急预案适用于各类突发事件，不填预案类别（category）" in lines
    assert "data/plans/flood.yml:1:1: 错误：请填写预案类别（category）" in lines
    assert f"{where(plan_site, 'data/plans/old.yml', 'level: 省级')}: 错误：level（预案层级）" in lines


def test_versions_must_run_from_oldest_to_newest(plan_site):
    replace_in(plan_site, FLOOD, "published: 2023-05-26", "published: 2018-05-26")
    assert any("versions 应按发布日期从早到晚排列" in line for line in findings(plan_site))


def test_references_dates_and_missing_files_are_reported_with_their_field(plan_site):
    replace_in(plan_site, FLOOD, "unit: gov", "unit: gv")
    replace_in(plan_site, FLOOD, "organizer: office", "organizer: ofice")
    replace_in(plan_site, FLOOD, "number: 测政办〔2019〕8号", "number: 测政办〔2019〕8号\n    document: no-such-doc")
    replace_in(plan_site, "data/plans/overall.yml", "published: 2022-03-01", "published: 2024-03-01")  # after as_of
    lines = findings(plan_site)
    assert f"{where(plan_site, FLOOD, 'unit: gv')}: 错误：unit（编制单位）：编制单位“gv”不存在；是否想写“gov”？" in lines
    assert f"{where(plan_site, FLOOD, 'organizer: ofice')}: 错误：drills.第1项.organizer（组织单位）：组织单位“ofice”不存在；是否想写“office”？" in lines
    assert any(line.startswith(f"{where(plan_site, FLOOD, 'document: no-such-doc')}: 错误：versions.第1项.document（印发文件）") for line in lines)
    assert any("发布日期 2024-03-01 晚于今天" in line for line in lines)


def test_a_missing_attachment_of_an_old_version_is_an_error(plan_site):
    (plan_site.root / "data/plans/flood-2019.pdf").unlink()
    lines = findings(plan_site)
    assert any(line.startswith(f"{where(plan_site, FLOOD, 'file: flood-2019.pdf')}: 错误") and "附件文件“flood-2019.pdf”不存在" in line
               for line in lines)


def test_what_the_rules_ask_of_a_plan_in_force(plan_site):
    replace_in(plan_site, FLOOD, "    handbook:\n      - file: flood-2023-guide.pdf\n        title: 一图读懂\n", "")
    plan_site.remove("data/plans/flood-2023-guide.pdf")
    replace_in(plan_site, FLOOD, "date: 2023-06-18", "date: 2018-06-18")  # before the plan, and long ago
    replace_in(plan_site, "data/plans/overall.yml", "      - file: overall.pdf\n", "      []\n")
    replace_in(plan_site, "data/plans/overall.yml", "    attachments:\n      []\n", "    attachments: []\n")
    lines = "\n".join(findings(plan_site))
    assert "警告：versions.第2项（版本）：现行版本没有简明操作手册或图解" in lines
    assert "警告：drills.第1项.date（演练日期）：演练日期早于预案首次发布（2019-06-03）" in lines
    assert "警告：drills（演练记录）：预案应至少每 3 年演练一次，最近一次演练是 2018-06-18" in lines
    assert "错误：versions.第1项（版本）：现行版本没有预案文本" in lines
    assert "old.yml" not in lines  # a repealed plan is not asked for drills or handbooks


def test_a_stray_file_beside_the_plans_is_reported(plan_site):
    (plan_site.root / "data/plans/flood-2024.pdf").write_bytes(text_pdf("draft"))
    assert "data/plans/flood-2024.pdf: 警告：未识别的数据文件，构建时不会读取；请检查文件所在目录和扩展名（.yml）" in findings(plan_site)


def test_a_category_with_plans_cannot_be_declared_not_applicable(plan_site):
    plan_site.write("data/disclosure/gov.yml", disclosure_yml(True, set()))
    assert any("“应急预案”已有信息，却声明为不适用" in line for line in findings(plan_site))


def test_plan_pages_list_by_category_and_level_and_keep_old_versions(plan_site):
    plan_site.build()
    index = plan_site.html("plans/index.html")
    headings = [h.get_text() for h in index.select("article h2")]
    assert headings == ["综合（总体应急预案）", "自然灾害", "已废止的应急预案"]
    counts = {row.th.get_text(strip=True): [td.get_text() for td in row.select("td")] for row in index.select("#plan-counts-caption ~ tbody tr")}
    assert counts["自然灾害"] == ["—", "1", "—", "—", "1"] and counts["综合"][0] == "1"
    page = plan_site.html("plans/flood/index.html")
    text = page.article.get_text(" ", strip=True)
    assert "预案层级 专项应急预案" in text and "2023-05-26 修订" in text and "已被后续版本替代" in text
    links = {a["href"] for a in page.select("article a")}
    assert {"flood-2023.pdf", "flood-2023-guide.pdf", "flood-2019.pdf"} <= links  # the old version stays readable
    for name in ("flood-2019.pdf", "flood-2023.pdf", "flood-2023-guide.pdf"):
        assert (plan_site.out / "plans/flood" / name).is_file()
    filters = {span["data-pagefind-filter"]: span.get_text() for span in page.select("[data-pagefind-filter]")}
    assert filters["类型"] == "预案" and filters["预案类别"] == "自然灾害" and filters["预案层级"] == "专项"
    assert "已废止" in plan_site.html("plans/old/index.html").article.get_text()


def test_a_units_disclosure_column_lists_its_plans(plan_site):
    plan_site.build()
    content = plan_site.html("disclosure/gov/content/index.html")
    section = content.find("h2", string="应急预案").find_next("ul")
    assert [a.get_text() for a in section.select("a")] == ["测试区防汛防台风应急预案", "测试区突发事件总体应急预案"]
    platform = plan_site.html("disclosure/content/index.html")
    assert any(a.get_text() == "应急预案 3 件" for a in platform.select("article a"))


def test_gongkai_new_plan_starts_a_record_that_check_completes(plan_site):
    result = plan_site.run("gongkai.cli", "new", "plan", "quake")
    assert result.returncode == 0, result.stderr
    text = (plan_site.root / "data/plans/quake.yml").read_text(encoding="utf-8")
    assert "published: 20" in text and "file: quake.pdf" in text
    lines = findings(plan_site)
    title_line = where(plan_site, "data/plans/quake.yml", "title:").rsplit(":", 1)[0]  # the value is empty: its line
    assert any(line.startswith(f"{title_line}:") and "错误：title（预案名称）：不能为空" in line for line in lines)
    again = plan_site.run("gongkai.cli", "new", "plan", "quake")
    assert again.returncode == 1 and "应急预案编号“quake”已经存在" in again.stderr
    bad = plan_site.run("gongkai.cli", "new", "plan", "../escape")
    assert bad.returncode == 1 and not (plan_site.root / "data/escape.yml").exists()


def test_gongkai_diff_reports_a_new_version(plan_site):
    subprocess.run([*GIT, "init", "-q"], cwd=plan_site.root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=plan_site.root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "预案"], cwd=plan_site.root, check=True)
    replace_in(plan_site, FLOOD, "drills:\n", "  - published: 2023-12-01\n    attachments:\n      - file: flood-2023.pdf\ndrills:\n")
    out = plan_site.run("gongkai.cli", "diff", "HEAD").stdout
    assert "修改 应急预案 flood　测试区防汛防台风应急预案（data/plans/flood.yml）" in out
    assert "影响页面：/plans/flood/" in out


def test_export_writes_one_row_per_plan_with_its_newest_version(plan_site):
    result = plan_site.run("gongkai.cli", "export", "plan", "-o", "plans.csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO((plan_site.root / "plans.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["编号", "预案名称", "预案层级", "预案类别"]
    flood = next(r for r in rows if r[0] == "flood")
    assert flood[1:5] == ["测试区防汛防台风应急预案", "专项", "自然灾害", "gov"] and "2023-05-26" in flood
    assert len(rows) == 4


def _workbook(path, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["测试区应急预案目录"])  # a title above the header, as real lists have
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_import_reads_a_units_list_of_plans(plan_site):
    _workbook(plan_site.root / "预案.xlsx", [
        ["序号", "预案名称", "预案层级", "预案类别", "编制单位", "发布日期", "文号"],
        [1, "测试区地震应急预案", "专项", "自然灾害", "测试区人民政府办公室", datetime.datetime(2022, 4, 1), "测政办〔2022〕3号"],
        [2, "测试区大面积停电事件应急预案", "专项", "事故灾难", "gov", "2021-09-30", None],
    ])
    result = plan_site.run("gongkai.cli", "import", "plan", "预案.xlsx")
    assert result.returncode == 0, result.stderr
    quake = (plan_site.root / "data/plans/plan-1.yml").read_text(encoding="utf-8")
    assert "title: 测试区地震应急预案" in quake and "unit: office" in quake and "published: 2022-04-01" in quake
    assert "number: 测政办〔2022〕3号" in quake
    assert "unit: gov" in (plan_site.root / "data/plans/plan-2.yml").read_text(encoding="utf-8")
    lines = findings(plan_site)  # imported plans still need their text: the check says so
    assert any(line.startswith("data/plans/plan-1.yml:") and "现行版本没有预案文本" in line for line in lines)


def test_import_writes_nothing_when_any_row_is_wrong(plan_site):
    _workbook(plan_site.root / "预案.xlsx", [
        ["编号", "预案名称", "预案层级", "预案类别", "编制单位", "发布日期"],
        ["quake", "测试区地震应急预案", "专项", "自然灾害", "gov", "2022-04-01"],
        ["blackout", "测试区大面积停电事件应急预案", "省级", "事故灾难", "gov", "2021-13-30"],
        ["flood", "重复的预案", "专项", "自然灾害", "gov", "2021-01-01"],
    ])
    result = plan_site.run("gongkai.cli", "import", "plan", "预案.xlsx")
    assert result.returncode == 1
    assert "第 4 行“预案层级”列：" in result.stderr and "第 4 行“发布日期”列：日期“2021-13-30”不存在" in result.stderr
    assert "第 5 行“编号”列：编号“flood”已经存在" in result.stderr
    assert "表格中有 3 处问题，没有导入任何记录" in result.stderr
    assert not (plan_site.root / "data/plans/quake.yml").exists()


def test_import_names_the_columns_it_looks_for(plan_site):
    (plan_site.root / "list.csv").write_text("名称,日期\n地震,2022-01-01\n", encoding="utf-8")
    result = plan_site.run("gongkai.cli", "import", "plan", "list.csv")
    assert result.returncode == 1 and "找不到表头：应有这些列中的至少两列：编号、预案名称" in result.stderr
