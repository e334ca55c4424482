"""Annual reports as real platforms published them: blank cells, the one-row （六）, figures
printed with separators or full-width digits, errors kept as published, and the fields real
reports have (their own title, the 统计期限 sentence, the contact block)."""

from __future__ import annotations

import datetime

from conftest import findings, replace_in, where

OFFICE_2021 = "data/reports/office/2021.yml"

# A 2021-format report of a small office as published: nothing from 法人或其他组织 (the five
# columns left blank) and （六）其他处理 printed as one row.
BLANK_COLUMNS_2022 = """\
published: 2023-01-28
overview: 2022 年，本办公室依法做好政府信息公开工作。
active:
  licensing: 0
  punishment: 0
  enforcement: 0
  fees: '0'
requests:
  new: [4, ~, ~, ~, ~, ~, 4]
  carried_over: [3, ~, ~, ~, ~, ~, 5]
  results:
    public: [2, ~, ~, ~, ~, ~, 2]
    partial: [0, ~, ~, ~, ~, ~, 0]
    withheld:
      state_secret: [0, ~, ~, ~, ~, ~, 0]
      prohibited: [0, ~, ~, ~, ~, ~, 0]
      three_safeties: [0, ~, ~, ~, ~, ~, 0]
      third_party: [0, ~, ~, ~, ~, ~, 0]
      internal_affairs: [0, ~, ~, ~, ~, ~, 0]
      process_info: [0, ~, ~, ~, ~, ~, 0]
      enforcement_files: [0, ~, ~, ~, ~, ~, 0]
      inquiry: [0, ~, ~, ~, ~, ~, 0]
    unable:
      not_held: [1, ~, ~, ~, ~, ~, 1]
      needs_creation: [0, ~, ~, ~, ~, ~, 0]
      still_unclear: [0, ~, ~, ~, ~, ~, 0]
    not_processed:
      petition: [0, ~, ~, ~, ~, ~, 0]
      repeated: [0, ~, ~, ~, ~, ~, 0]
      publications: [0, ~, ~, ~, ~, ~, 0]
      excessive: [0, ~, ~, ~, ~, ~, 0]
      confirmation: [0, ~, ~, ~, ~, ~, 0]
    other: [1, ~, ~, ~, ~, ~, 1]
    total: [4, ~, ~, ~, ~, ~, 4]
  carried_forward: [3, ~, ~, ~, ~, ~, 5]
reviews:
  review: {upheld: 0, corrected: 0, other: 0, pending: 0, total: 0}
  litigation_direct: {upheld: 0, corrected: 0, other: 0, pending: 0, total: 0}
  litigation_after_review: {upheld: 0, corrected: 0, other: 0, pending: 0, total: 0}
problems: 信息公开的及时性有待提高。
other: 本年度未收取信息处理费。
"""

# A 2019-format report whose whole 总计 column was left blank, and a 复议 row whose 总计 is 0
# beside non-zero parts: published so, acknowledged by the editor. Its figures are printed
# with separators and full-width digits.
BLANK_TOTALS_2019 = """\
title: 某某办公室 2019 年度政府信息公开工作报告
period: 本报告中所列数据的统计期限为 2019 年 1 月 1 日至 2019 年 12 月 31 日。
published: 2020-03-10
overview: |
  2019 年，本办公室认真贯彻新修订的《条例》。

  ## （一）主动公开

  全年主动公开信息 1,024 条。
active:
  licensing: {last_year: 5, change: -1, decisions: '3,985'}
  other_services: {last_year: 2, change: 0, decisions: 3}
  punishment: {last_year: 1, change: 1, decisions: １２}
  enforcement: {last_year: 0, change: 0, decisions: 0}
  fees: {last_year: 1, change: 0}
  procurement: {projects: 3, amount: '96171.6', unit: 万元}
requests:
  new: [4, 0, 0, 0, 0, 0, ~]
  carried_over: [0, 0, 0, 0, 0, 0, ~]
  results:
    public: [2, 0, 0, 0, 0, 0, ~]
    partial: [0, 0, 0, 0, 0, 0, ~]
    withheld:
      state_secret: [0, 0, 0, 0, 0, 0, ~]
      prohibited: [0, 0, 0, 0, 0, 0, ~]
      three_safeties: [0, 0, 0, 0, 0, 0, ~]
      third_party: [0, 0, 0, 0, 0, 0, ~]
      internal_affairs: [0, 0, 0, 0, 0, 0, ~]
      process_info: [0, 0, 0, 0, 0, 0, ~]
      enforcement_files: [0, 0, 0, 0, 0, 0, ~]
      inquiry: [0, 0, 0, 0, 0, 0, ~]
    unable:
      not_held: [1, 0, 0, 0, 0, 0, ~]
      needs_creation: [0, 0, 0, 0, 0, 0, ~]
      still_unclear: [0, 0, 0, 0, 0, 0, ~]
    not_processed:
      petition: [0, 0, 0, 0, 0, 0, ~]
      repeated: [0, 0, 0, 0, 0, 0, ~]
      publications: [0, 0, 0, 0, 0, 0, ~]
      excessive: [0, 0, 0, 0, 0, 0, ~]
      confirmation: [0, 0, 0, 0, 0, 0, ~]
    other: [0, 0, 0, 0, 0, 0, ~]
    total: [3, 0, 0, 0, 0, 0, ~]
  carried_forward: [1, 0, 0, 0, 0, 0, ~]
reviews:
  review: {upheld: 1, corrected: 1, other: 0, pending: 0, total: 0}
  litigation_direct: {upheld: —, corrected: —, other: '-', pending: ／, total: ~}
  litigation_after_review: {upheld: 0, corrected: 0, other: 0, pending: 0, total: 0}
problems: 信息公开的及时性有待提高。
other: 本年度未收取信息处理费。
section_titles:
  problems: 五、政府信息公开工作存在的主要问题及改进情况
contact:
  address: 某某市某某路 1 号
  postcode: '362000'
  phones: [0595-22355663, 0595-22355664]
  email: gk@example.gov.cn
known_errors:
  - {check: reviews-total, cell: reviews.review.total, reason: 原文如此}
"""


def with_historical_reports(site) -> None:
    site.write("data/reports/office/2022.yml", BLANK_COLUMNS_2022)
    site.write("data/reports/office/2019.yml", BLANK_TOTALS_2019)


def test_blank_cells_are_kept_and_what_they_leave_undecided_is_one_note_per_table(report_site):
    with_historical_reports(report_site)
    lines = findings(report_site)
    notes = [line for line in lines if "提示" in line]
    assert not [line for line in lines if "错误" in line or "警告" in line], lines
    # one note per table with blanks: 2022's table 三 (five blank columns), 2019's 三 (blank 总计) and 四 (a blank row)
    assert len(notes) == 3, notes
    assert any(line.startswith("data/reports/office/2022.yml") and "表三有空白单元格" in line for line in notes)
    assert any(line.startswith("data/reports/office/2019.yml") and "表四有空白单元格，1 处" in line for line in notes)


def test_the_build_passes_and_blank_cells_render_blank_not_zero(report_site):
    with_historical_reports(report_site)
    report_site.build()
    page = report_site.html("reports/office/2022/index.html")
    rows = page.select("table.gk-report--requests tbody tr")
    assert [td.get_text() for td in rows[0].select("td")] == ["4", "", "", "", "", "", "4"]
    labels = [th.get_text() for tr in rows for th in tr.select("th")]
    assert "（六）其他处理" in labels and "3.其他" not in labels  # the one-row variant, as written
    assert len(rows) == 23


def test_acknowledged_errors_are_published_with_a_note_under_their_table(report_site):
    with_historical_reports(report_site)
    report_site.build()
    page = report_site.html("reports/office/2019/index.html")
    assert page.h1.get_text() == "某某办公室 2019 年度政府信息公开工作报告"
    assert "统计期限为 2019 年 1 月 1 日至 2019 年 12 月 31 日" in page.get_text()
    assert page.select_one("h3").get_text() == "（一）主动公开"  # a section's sub-heading sits under its h2
    assert page.find(id="s5").get_text() == "五、政府信息公开工作存在的主要问题及改进情况"  # the title as printed
    errata = page.select(".gk-report__errata")
    assert len(errata) == 1
    assert errata[0].find_previous("table")["class"] == ["gk-report", "gk-report--reviews"]
    assert "“行政复议·总计”原文为 0，按结果维持、结果纠正、其他结果、尚未审结之和应为 2（原文如此）" in errata[0].get_text()
    assert [td.get_text() for td in page.select("table.gk-report--reviews td")][5:10] == ["", "", "", "", ""]
    figures = [td.get_text() for td in page.select("table.gk-report--active td")]
    assert "3,985" in figures and "12" in figures and "96,171.6万元" in figures
    contact = page.find(id="contact").find_next("dl").get_text()
    assert "362000" in contact and "0595-22355664" in contact and "gk@example.gov.cn" in contact


def test_an_unacknowledged_error_fails_and_a_stale_acknowledgement_warns(report_site):
    with_historical_reports(report_site)
    path = "data/reports/office/2019.yml"
    replace_in(report_site, path, "  - {check: reviews-total, cell: reviews.review.total, reason: 原文如此}",
               "  - {check: reviews-total, cell: reviews.litigation_after_review.total, reason: 原文如此}")
    lines = findings(report_site)
    assert f"{where(report_site, path, '  review: {upheld: 1', column_of='0}')}: 错误：reviews.review.total（行政复议·总计）：应为 2" in "\n".join(lines)
    assert any(line.startswith(f"{path}:") and "警告" in line and "与现有数据不符" in line for line in lines)


def test_the_one_row_variant_and_a_wrong_shape_name_the_layouts(report_site):
    replace_in(report_site, OFFICE_2021, "    other:\n", "    other: 0\n    unused:\n")
    lines = [line for line in findings(report_site) if "other" in line]
    assert lines and "（六）其他处理有两种写法：三项 overdue_correction、overdue_fee、other" in lines[0] and "other: [0, 0, 0, 0, 0, 0, 0]" in lines[0]
    assert lines[0].startswith(f"{OFFICE_2021}:") and "requests.results.other（（六）其他处理）" in lines[0]


def test_an_error_inside_a_layout_names_the_field_not_the_layout(report_site):
    replace_in(report_site, OFFICE_2021, "overdue_fee: [0, 0, 0, 0, 0, 0, 0]", "overdue_fee: [0, x, 0, 0, 0, 0, 0]")
    lines = findings(report_site)
    assert len(lines) == 1 and "<" not in lines[0]
    assert "requests.results.other.overdue_fee.第2项" in lines[0] and "应为整数" in lines[0]


def test_recent_reports_must_fill_every_cell(report_site):
    report_site.write("data/reports/office/2025.yml", BLANK_COLUMNS_2022.replace("2023-01-28", "2026-01-20"))
    lines = [line for line in findings(report_site, datetime.date(2026, 3, 1)) if "2025.yml" in line and "错误" in line]
    assert len(lines) == 1
    assert "2025 年度报告是新报告，每个单元格都应填写（没有的填 0），有 115 处空白" in lines[0]
    # the same file as a report of 2022 is historical: blanks are kept
    assert not [line for line in findings(report_site, datetime.date(2026, 3, 1)) if "2022.yml" in line and "错误" in line]


def test_a_missing_report_is_overdue_after_31_january(report_site):
    # the test platform has reports up to 2022 for both units: 2023's are due by 2024-01-31
    assert not [line for line in findings(report_site, datetime.date(2024, 1, 31)) if "第五十条" in line]
    report_site.write("data/reports/office/2023.yml", (report_site.root / "data/reports/office/2022.yml").read_text(encoding="utf-8")
                      .replace("published: '2023-01-20'", "published: '2024-01-20'"))
    overdue = [line for line in findings(report_site, datetime.date(2024, 2, 1)) if "第五十条" in line]
    assert overdue == ["data/reports/gov/2023.yml: 警告：测试区人民政府 2023 年度政府信息公开工作年度报告应于 2024 年 1 月 31 日前公布"
                       "（《政府信息公开条例》第五十条），本平台上最新的是 2022 年度报告"]


def test_a_column_that_says_a_category_does_not_apply_must_agree_with_the_newest_report(report_site):
    replace_in(report_site, "data/reports/office/2022.yml", "licensing: 0", "licensing: 7")
    replace_in(report_site, "data/reports/office/2022.yml", "fees: '0'", "fees: '1.5'")
    lines = findings(report_site)
    assert len(lines) == 2 and all(line.startswith("data/disclosure/office.yml:") and "警告" in line for line in lines)
    assert "not_applicable.行政许可（不适用的类别）：栏目说本单位没有“行政许可”类信息" in lines[0]
    assert "而 2022 年度报告表二的行政许可为 7（data/reports/office/2022.yml）" in lines[0]
    assert "行政事业性收费为 1.5" in lines[1]
    # an older report is history: only the newest is compared
    replace_in(report_site, "data/reports/office/2022.yml", "licensing: 7", "licensing: 0")
    replace_in(report_site, "data/reports/office/2022.yml", "fees: '1.5'", "fees: '0'")
    assert findings(report_site) == []


def test_a_2019_format_report_may_print_other_handling_as_three_rows(report_site):
    path = "data/reports/office/2020.yml"
    replace_in(report_site, path, "    other: [0, 0, 0, 0, 0, 0, 0]\n",
               "    other:\n      overdue_correction: [0, 0, 0, 0, 0, 0, 0]\n      overdue_fee: [0, 0, 0, 0, 0, 0, 0]\n"
               "      other: [0, 0, 0, 0, 0, 0, 0]\n")
    assert findings(report_site) == []
    report_site.build()
    rows = report_site.html("reports/office/2020/index.html").select("table.gk-report--requests tbody tr")
    assert len(rows) == 25 and "3.其他" in [th.get_text() for tr in rows for th in tr.select("th")]
