"""Annual reports and the 政府信息公开 column, built for real and read back from the HTML."""

from __future__ import annotations

import io

import docx

from conftest import TODAY, replace_in
from gongkai.check import check_data

NORMATIVE_2019_HEADERS = ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]


def table(page, caption: str):
    return page.find("caption", string=caption).find_parent("table")


def heads(row) -> list[tuple]:
    return [(th.get_text(), th.get("colspan"), th.get("rowspan")) for th in row.find_all("th")]


def values(page, caption: str) -> dict[str, list[str]]:
    rows = table(page, caption).tbody.find_all("tr")
    return {r.find_all("th")[-1].get_text(): [td.get_text() for td in r.find_all("td")] for r in rows}


def test_derived_figures_match_hand_counted_ones(report_site):
    site, _ = check_data(report_site.root / "data", report_site.root, TODAY)
    gov = site.figures["gov/2021"].requests  # from data/requests/gov.yml, counted by hand:
    assert gov.new == [3, 1, 0, 0, 1, 0, 5]
    assert gov.carried_over == [1, 0, 0, 0, 0, 0, 1]  # received 2020-12-20, closed in 2021
    assert gov.results.public == [2, 0, 0, 0, 0, 0, 2]
    assert gov.results.partial == [0, 1, 0, 0, 0, 0, 1]
    assert gov.results.withheld.state_secret == [1, 0, 0, 0, 0, 0, 1]
    assert gov.results.other.overdue_correction == [0, 0, 0, 0, 1, 0, 1]
    assert gov.results.total == [3, 1, 0, 0, 1, 0, 5]
    assert gov.carried_forward == [1, 0, 0, 0, 0, 0, 1]  # received 2021-12-28, still open
    # the office's 规范性文件: a-2020-1 (2020, repealed 2021-06-01 by b-2021-1) and b-2021-1 (2021)
    assert site.figures["office/2021"].normative == {"made": 1, "repealed": 1, "in_force": 1}
    assert site.figures["office/2020"].normative == {"made": 1, "published": 1, "total": 1}


def test_2021_format_labels_spans_and_order(report_site):
    report_site.build()
    page = report_site.html("reports/office/2021/index.html")
    assert page.find("h1").get_text() == "测试区人民政府办公室2021年政府信息公开工作年度报告"
    assert [h.get_text() for h in page.find_all("h2")] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    # table 二, 2021 format
    assert [c.get_text() for c in page.select("table.gk-report--active caption")] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    first = table(page, "第二十条第（一）项")
    assert [th.get_text() for th in first.thead.find_all("th")] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert values(page, "第二十条第（一）项") == {"规章": ["0", "0", "0"], "行政规范性文件": ["1", "1", "1"]}
    assert values(page, "第二十条第（八）项") == {"行政事业性收费": ["1.25"]}
    # table 三
    requests = table(page, "三、收到和处理政府信息公开申请情况")
    top, middle, bottom = requests.thead.find_all("tr")
    assert top.td.get_text() == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert (top.td["colspan"], top.td["rowspan"]) == ("3", "3")
    assert heads(top) == [("申请人情况", "7", None)]
    assert heads(middle) == [("自然人", None, "2"), ("法人或其他组织", "5", None), ("总计", None, "2")]
    assert [th.get_text() for th in bottom.find_all("th")] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    rows = requests.tbody.find_all("tr")
    assert len(rows) == 25 and all(len(r.find_all("td")) == 7 for r in rows)
    assert heads(rows[2])[0] == ("三、本年度办理结果", None, "22")
    labels = [r.find_all("th")[-1].get_text() for r in rows]
    assert labels[-3:] == ["3.其他", "（七）总计", "四、结转下年度继续办理"]
    other = next(r for r in rows if r.find("th", string="（六）其他处理"))
    assert heads(other)[0] == ("（六）其他处理", None, "3")
    assert labels[labels.index("（七）总计") - 3] == "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    # table 四
    reviews = table(page, "四、政府信息公开行政复议、行政诉讼情况")
    r1, r2, r3 = reviews.thead.find_all("tr")
    assert heads(r1) == [("行政复议", "5", None), ("行政诉讼", "10", None)]
    assert heads(r2) == [(label, None, "2") for label in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]] + [
        ("未经复议直接起诉", "5", None), ("复议后起诉", "5", None)]
    assert len(r3.find_all("th")) == 10
    assert len(reviews.tbody.find_all("td")) == 15


def test_2019_format_labels_spans_and_order(report_site):
    report_site.build()
    page = report_site.html("reports/office/2020/index.html")
    assert [c.get_text() for c in page.select("table.gk-report--active caption")] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项"]
    assert [th.get_text() for th in table(page, "第二十条第（一）项").thead.find_all("th")] == NORMATIVE_2019_HEADERS
    assert values(page, "第二十条第（一）项") == {"规章": ["0", "0", "0"], "规范性文件": ["1", "1", "1"]}
    assert [th.get_text() for th in table(page, "第二十条第（五）项").thead.find_all("th")] == [
        "信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
    assert values(page, "第二十条第（五）项") == {"行政许可": ["5", "-1", "12"], "其他对外管理服务事项": ["2", "0", "3"]}
    assert values(page, "第二十条第（六）项")["行政处罚"] == ["1", "+1", "4"]
    assert values(page, "第二十条第（八）项") == {"行政事业性收费": ["1", "0"]}
    assert values(page, "第二十条第（九）项") == {"政府集中采购": ["3", "12.5万元"]}
    rows = table(page, "三、收到和处理政府信息公开申请情况").tbody.find_all("tr")
    assert len(rows) == 23
    assert heads(rows[2])[0] == ("三、本年度办理结果", None, "20")
    other = next(r for r in rows if r.find("th", string="（六）其他处理"))
    assert heads(other) == [("（六）其他处理", "2", None)] and len(other.find_all("td")) == 7


def test_register_derived_table_is_published_with_a_note(report_site):
    report_site.build()
    page = report_site.html("reports/gov/2021/index.html")
    rows = table(page, "三、收到和处理政府信息公开申请情况").tbody.find_all("tr")
    assert [td.get_text() for td in rows[0].find_all("td")] == ["3", "1", "0", "0", "1", "0", "5"]
    assert "由本单位政府信息公开申请登记逐件统计生成" in page.get_text()


def test_column_has_exactly_the_four_entries(report_site):
    report_site.build()
    platform = report_site.html("disclosure/index.html")
    assert [a.get_text() for a in platform.select("ul.gk-entries a")] == [
        "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开工作年度报告"]
    unit = report_site.html("disclosure/office/index.html")
    assert [a.get_text() for a in unit.select("ul.gk-entries a")] == [
        "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开工作年度报告"]
    reports = report_site.html("disclosure/office/reports/index.html")
    assert [a.get_text() for a in reports.find("table").find_all("a")] == [
        f"测试区人民政府办公室{year}年政府信息公开工作年度报告" for year in (2022, 2021, 2020)]


def test_content_lists_items_and_says_why_a_category_does_not_apply(report_site):
    report_site.build()
    page = report_site.html("disclosure/office/content/index.html")
    headings = [h.get_text() for h in page.find_all("h2")]
    assert len(headings) == 15 and headings[:2] == ["规章和规范性文件", "机构职能"]
    section = page.find("h2", string="规章和规范性文件")
    assert "测试区政府信息公开办法" in section.find_next("table").get_text()
    assert page.find("h2", string="统计信息").find_next("p").find_next("p").get_text() == "不适用：本单位无此类信息（测试）"
    government = report_site.html("disclosure/gov/content/index.html")
    assert len(government.find_all("h2")) == 22  # articles 20 and 21 for the district government


def test_an_empty_category_stops_the_build(report_site):
    replace_in(report_site, "data/disclosure/office.yml", "  统计信息: 本单位无此类信息（测试）\n", "")
    message = report_site.build_error()
    assert "data/disclosure/office.yml" in message
    assert "“统计信息”（第二十条第（四）项）没有任何信息；如本单位不适用，请在 not_applicable 中写明理由" in message


def test_guide_is_generated_from_the_data(report_site):
    report_site.build()
    page = report_site.html("disclosure/office/guide/index.html")
    office = page.find("h3", id="office").find_next("dl")
    facts = {dt.get_text(): dt.find_next("dd").get_text(strip=True) for dt in office.find_all("dt")}
    assert facts["名称"] == "测试区人民政府办公室" and facts["联系电话"] == "0595-29990010" and facts["传真"] == "0595-29990019"
    system = [dt.get_text() for dt in page.find("h3", id="system").find_next("dl").find_all("dt")]
    assert system == ["索引号", "信息名称", "发布机构", "成文日期", "文号"]
    assert "也可以依法向测试区人民政府申请行政复议，或者向测试区人民法院提起行政诉讼" in page.get_text(" ", strip=True).replace("\n", "")


def test_apply_page_and_reply_templates(report_site):
    report_site.build()
    page = report_site.html("disclosure/office/apply/index.html")
    templates = page.find("caption", string="政府信息公开答复文书样式").find_parent("table")
    assert len(templates.tbody.find_all("tr")) == 10
    assert "20 个工作日" in page.get_text() and "7 个工作日" in page.get_text() and "15 个工作日" in page.get_text()
    letter = report_site.html("disclosure/office/replies/withheld/index.html").find("article", class_="gk-letter")
    text = letter.get_text()
    assert "测试区人民政府办公室" in text and "第三十六条第（三）项" in text
    assert "向测试区人民政府申请行政复议；对行政复议决定不服的，可以依法向人民法院提起行政诉讼" in text
    word = docx.Document(io.BytesIO((report_site.out / "disclosure/office/replies/withheld.docx").read_bytes()))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[:2] == ["测试区人民政府办公室", "政府信息不予公开告知书"]
    assert any("第三十六条第（三）项" in p for p in paragraphs)
