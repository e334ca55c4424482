"""Annual reports: each statutory identity violated on purpose gives the exact error."""

from __future__ import annotations

import re

from conftest import findings, replace_in, where

OFFICE_2021 = "data/reports/office/2021.yml"
OFFICE_2020 = "data/reports/office/2020.yml"
GOV_2021 = "data/reports/gov/2021.yml"


def item(site, relative: str, line_start: str, index: int) -> str:
    """“file:line:column” of the index-th number in a flow list line such as ``  new: [5, 1, …]``."""
    for number, line in enumerate((site.root / relative).read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(line_start):
            starts = [m.start() + 1 for m in re.finditer(r"-?\d+", line[line.index("["):])]
            return f"{relative}:{number}:{line.index('[') + starts[index]}"
    raise AssertionError(line_start)


def findings_of_2021(site) -> list[str]:
    """The findings, less the 2022 report's carry-over warnings that follow from changing 2021's 结转."""
    return [line for line in findings(site) if not line.startswith("data/reports/office/2022.yml")]


def test_the_report_fixture_is_clean(report_site):
    assert findings(report_site) == []


def test_row_total_must_be_the_sum_of_the_six_applicant_columns(report_site):
    replace_in(report_site, OFFICE_2021, "new: [5, 1, 0, 0, 0, 1, 7]", "new: [5, 1, 0, 0, 0, 1, 8]")
    lines = findings(report_site)
    assert lines[0] == (f"{item(report_site, OFFICE_2021, '  new:', 6)}: 错误：requests.new（一、本年新收政府信息公开申请数量）"
                        "第 7 列（总计）：应为 7（前六列之和），实际为 8；如原报告即如此发布，可在 known_errors 中登记"
                        "：{check: row-total, cell: requests.new[7], reason: 原文如此}")
    # the same wrong total also breaks 一 + 二 = 三(七) + 四 in that column
    assert lines[1] == (f"{item(report_site, OFFICE_2021, '  carried_forward:', 6)}: 错误：requests.carried_forward（四、结转下年度继续办理）"
                        "第 7 列（总计）：应为 6（第一项加第二项减去第三项（七）：8 + 3 − 5），实际为 5；"
                        "如原报告即如此发布，可在 known_errors 中登记：{check: balance, cell: requests.carried_forward[7], reason: 原文如此}")
    assert len(lines) == 2


def test_results_total_must_be_the_sum_of_the_result_rows(report_site):
    replace_in(report_site, OFFICE_2021, "      not_held: [1, 0, 0, 0, 0, 0, 1]", "      not_held: [2, 0, 0, 0, 0, 0, 2]")
    lines = findings(report_site)
    assert lines[0] == (f"{item(report_site, OFFICE_2021, '    total:', 0)}: 错误：requests.results.total（（七）总计）"
                        "第 1 列（自然人）：应为 5（（一）至（六）各项之和），实际为 4；如原报告即如此发布，可在 known_errors 中登记"
                        "：{check: results-total, cell: requests.results.total[1], reason: 原文如此}")
    assert lines[1].startswith(f"{item(report_site, OFFICE_2021, '    total:', 6)}: 错误：requests.results.total（（七）总计）第 7 列（总计）：应为 6")




def test_one_plus_two_identity_names_the_cell(report_site):
    # 自然人: 5 new + 2 carried over = 4 handled + 3 carried forward; an editor shifts one to 商业企业
    replace_in(report_site, OFFICE_2021, "carried_forward: [3, 0, 0, 0, 0, 2, 5]", "carried_forward: [2, 1, 0, 0, 0, 2, 5]")
    assert findings_of_2021(report_site) == [
        f"{item(report_site, OFFICE_2021, '  carried_forward:', 0)}: 错误：requests.carried_forward（四、结转下年度继续办理）第 1 列（自然人）："
        "应为 3（第一项加第二项减去第三项（七）：5 + 2 − 4），实际为 2；"
        "如原报告即如此发布，可在 known_errors 中登记：{check: balance, cell: requests.carried_forward[1], reason: 原文如此}",
        f"{item(report_site, OFFICE_2021, '  carried_forward:', 1)}: 错误：requests.carried_forward（四、结转下年度继续办理）第 2 列（商业企业）："
        "应为 0（第一项加第二项减去第三项（七）：1 + 0 − 1），实际为 1；"
        "如原报告即如此发布，可在 known_errors 中登记：{check: balance, cell: requests.carried_forward[2], reason: 原文如此}",
    ]


def test_reviews_total(report_site):
    replace_in(report_site, GOV_2021, "    total: 2", "    total: 3")
    assert findings(report_site) == [
        f"{where(report_site, GOV_2021, 'total: 3')}: 错误：reviews.review.total（行政复议·总计）：应为 2（结果维持、结果纠正、其他结果、尚未审结之和），实际为 3；"
        "如原报告即如此发布，可在 known_errors 中登记：{check: reviews-total, cell: reviews.review.total, reason: 原文如此}"
    ]


def test_counts_are_non_negative_integers(report_site):
    replace_in(report_site, OFFICE_2021, "new: [5, 1, 0, 0, 0, 1, 7]", "new: [5, 1, -1, 0, 0, 1, 7]")
    replace_in(report_site, OFFICE_2021, "partial: [0, 0, 0, 0, 0, 0, 0]", "partial: [0, 0, 0, 0, 0, 0]")
    assert findings(report_site) == [
        f"{item(report_site, OFFICE_2021, '  new:', 2)}: 错误：requests.new.第3项（一、本年新收政府信息公开申请数量）：不能小于 0",
        f"{where(report_site, OFFICE_2021, 'partial: [', '[')}: 错误：requests.results.partial（（二）部分公开（区分处理的，只计这一情形，不计其他情形））：至少需要 7 项",
    ]


def test_year_to_year_carry_over_is_a_warning(report_site):
    replace_in(report_site, OFFICE_2021, "carried_over: [2, 0, 0, 0, 0, 1, 3]", "carried_over: [3, 0, 0, 0, 0, 1, 4]")
    replace_in(report_site, OFFICE_2021, "carried_forward: [3, 0, 0, 0, 0, 2, 5]", "carried_forward: [4, 0, 0, 0, 0, 2, 6]")
    lines = findings_of_2021(report_site)
    assert lines == [
        f"{item(report_site, OFFICE_2021, '  carried_over:', 0)}: 警告：requests.carried_over（二、上年结转政府信息公开申请数量）第 1 列（自然人）："
        "与 2020 年度报告的“结转下年度继续办理”（2）不一致，实际为 3",
        f"{item(report_site, OFFICE_2021, '  carried_over:', 6)}: 警告：requests.carried_over（二、上年结转政府信息公开申请数量）第 7 列（总计）："
        "与 2020 年度报告的“结转下年度继续办理”（3）不一致，实际为 4",
    ]


def test_typed_normative_figures_must_match_the_document_register(report_site):
    # the office issued one 规范性文件 in 2021 (b-2021-1), which repealed a-2020-1 in 2021
    replace_in(report_site, OFFICE_2021, "active:\n", "active:\n  normative: {made: 2, repealed: 1, in_force: 1}\n")
    assert findings(report_site) == [
        f"{where(report_site, OFFICE_2021, 'normative: {made: 2', '2')}: 错误：active.normative.made（规范性文件·本年制发件数）："
        "应为 1（由文件库推算），实际为 2；可删除此项，由系统自动填写"
    ]


def test_figures_without_anything_to_derive_them_from(report_site):
    replace_in(report_site, GOV_2021, "  normative:\n    made: 0\n    repealed: 0\n    in_force: 0\n", "")
    assert findings(report_site) == [
        f"{where(report_site, GOV_2021, '  licensing', 'licensing')}: 错误：active.normative.{name}（规范性文件·{label}）：未填写，文件库中也没有本单位的规范性文件可供推算"
        for name, label in (("made", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
    ]


def test_typed_request_table_must_match_the_register(report_site):
    from gongkai.yamlout import dump
    from reports_fixture import requests_table

    table = requests_table("2021", [3, 1, 0, 0, 1, 0], [1, 0, 0, 0, 0, 0], {("results", "public"): [2, 0, 0, 0, 0, 0]})
    text = dump({"requests": table})
    replace_in(report_site, GOV_2021, "reviews:", text + "reviews:")
    lines = findings(report_site)
    assert f"{item(report_site, GOV_2021, '    public:', 0)}: 错误：requests.results.public（（一）予以公开）第 1 列（自然人）：应为 2（由 data/requests/gov.yml 的登记推算），实际为 2" not in lines
    assert lines[0] == (f"{item(report_site, GOV_2021, '    partial:', 1)}: 错误：requests.results.partial（（二）部分公开（区分处理的，只计这一情形，不计其他情形））"
                        "第 2 列（商业企业）：应为 1（由 data/requests/gov.yml 的登记推算），实际为 0")


def test_report_without_table_three_or_register(report_site):
    report_site.remove("data/requests/gov.yml")
    assert findings(report_site) == [
        f"data/reports/gov/{year}.yml:1:1: 错误：requests：缺少“三、收到和处理政府信息公开申请情况”：请填写 requests，或在 data/requests/gov.yml 中登记本单位收到的申请"
        for year in (2021, 2022)
    ]


def test_report_published_within_its_own_year(report_site):
    replace_in(report_site, GOV_2021, "published: '2022-01-25'", "published: '2021-12-30'")
    assert findings(report_site) == [f"{where(report_site, GOV_2021, 'published:', chr(39))}: 警告：published（发布日期）：2021 年度报告应在次年发布，发布日期却是 2021-12-30"]


def test_report_file_named_after_no_year(report_site):
    report_site.write("data/reports/office/latest.yml", (report_site.root / OFFICE_2021).read_text(encoding="utf-8"))
    assert findings(report_site) == ["data/reports/office/latest.yml: 错误：年度报告的文件名应为年份，例如 data/reports/office/2021.yml，而不是“latest”"]


def test_a_2019_format_field_in_a_2021_report(report_site):
    replace_in(report_site, OFFICE_2021, "  licensing: 12", "  licensing: {last_year: 5, change: -1, decisions: 12}")
    [line] = findings(report_site)
    assert line == f"{where(report_site, OFFICE_2021, 'licensing: {', '{')}: 错误：active.licensing（行政许可（本年处理决定数量））：应为整数"


def test_request_register_needs_outcome_and_date_together(report_site):
    replace_in(report_site, "data/requests/gov.yml", "received: 2021-12-28}", "received: 2021-12-28, outcome: 予以公开}")
    [line] = findings(report_site)
    assert line.endswith("错误：requests.第6项（申请）：办理结果和办结日期要么都填，要么都不填（未办结）")
