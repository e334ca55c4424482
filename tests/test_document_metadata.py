"""Document metadata as real platforms publish it: the 文号 forms in use at every level, their
consistency, documents far older than the platform, and a 发布日期 with a time of day."""

from __future__ import annotations

import datetime

import pytest

from conftest import TODAY, findings, replace_in, where
from gongkai.check import check_data
from gongkai.model import Settings
from gongkai.model.docnumber import parse
from gongkai.pages.search import number_words

DOC = "data/documents/2020/a-2020-1.yml"

ACCEPTED = {
    # national: State Council and President's orders, ministry orders and announcements
    "国令第707号": "国令第707号",
    "中华人民共和国国务院令第711号": "中华人民共和国国务院令第711号",
    "中华人民共和国主席令第三十一号": "中华人民共和国主席令第三十一号",
    "主席令（第二十四号）": "主席令（第二十四号）",
    "交通运输部令2016年第62号": "交通运输部令2016年第62号",
    "建设部令第89号": "建设部令第89号",
    "中华人民共和国国家发展和改革委员会令 第16号": "中华人民共和国国家发展和改革委员会令第16号",
    "国家税务总局公告 2018年第7号": "国家税务总局公告2018年第7号",
    "国家税务总局公告2018年第31号": "国家税务总局公告2018年第31号",
    "财政部 税务总局公告2019年第39号": "财政部 税务总局公告2019年第39号",
    # provincial and municipal government orders
    "福建省人民政府令第211号": "福建省人民政府令第211号",
    "泉州市人民政府令第5号": "泉州市人民政府令第5号",
    # county level: the GB/T 9704 form, with 第, with other brackets or full-width digits
    "泉鲤政办〔2020〕38号": "泉鲤政办〔2020〕38号",
    "公告〔2020〕第1号": "公告〔2020〕第1号",
    "泉政文〔2020〕第12号": "泉政文〔2020〕第12号",
    "泉鲤政办[2020]38号": "泉鲤政办〔2020〕38号",
    "泉鲤政办【2020】38号": "泉鲤政办〔2020〕38号",
    "泉鲤政办〔２０２０〕３８号": "泉鲤政办〔2020〕38号",
    # joint documents under several numbers
    "闽财税〔2020〕1号、闽税发〔2020〕2号": "闽财税〔2020〕1号、闽税发〔2020〕2号",
    "闽财税〔2020〕1号；闽税发〔2020〕2号": "闽财税〔2020〕1号、闽税发〔2020〕2号",
}

REJECTED = {
    "广安区府办发〔202026": "国令第707号",  # a bracket and 号 lost: the forms are listed
    "泉政文(2014)5号": "是否应为“泉政文〔2014〕5号”",
    "泉政文（2014）5号": "是否应为“泉政文〔2014〕5号”",
    "泉政文[2014〕5号": "国令第707号",
    "主席令（第二十四号": "国令第707号",
    "2020年第1号": "国令第707号",
    "闽政〔2020〕0号": "国令第707号",
}


@pytest.mark.parametrize("written, shown", ACCEPTED.items())
def test_real_forms_are_accepted_and_shown_normalised(written, shown):
    parsed = parse(written)
    assert parsed is not None and str(parsed) == shown


@pytest.mark.parametrize("written, hint", REJECTED.items())
def test_broken_numbers_are_rejected_with_a_suggestion_or_the_forms(doc_site, written, hint):
    replace_in(doc_site, DOC, "number: 测政办〔2020〕1号", f"number: {written}")
    lines = findings(doc_site)
    assert len(lines) == 1 and lines[0].startswith(f"{where(doc_site, DOC, f'number: {written}')}: 错误：number（文号）：文号“{written}”格式不正确")
    assert hint in lines[0]


def test_a_number_in_a_form_other_than_the_standard_is_published_as_written(doc_site):
    replace_in(doc_site, DOC, "number: 测政办〔2020〕1号", "number: 福建省人民政府令第211号")
    assert findings(doc_site) == []
    doc_site.build()
    assert "福建省人民政府令第211号" in doc_site.html("documents/a-2020-1/index.html").find("dl", class_="gk-meta").get_text()


def test_search_finds_orders_without_their_punctuation():
    assert number_words("国令第707号") == ["国令707号", "令707号", "707号"]
    assert "国家税务总局公告201831号" in number_words("国家税务总局公告2018年第31号")


def test_brackets_other_than_the_official_ones_are_a_warning(doc_site):
    replace_in(doc_site, DOC, "number: 测政办〔2020〕1号", "number: 测政办[2020]1号")
    assert findings(doc_site) == [f"{where(doc_site, DOC, 'number: 测政办[2020]1号')}: 警告：number（文号）：文号已按“测政办〔2020〕1号”显示"
                                  "（年份用六角括号〔〕、数字用半角、多个文号用“、”分隔）；请修改数据"]


def test_a_year_far_from_the_written_date_is_a_warning(doc_site):
    replace_in(doc_site, DOC, "number: 测政办〔2020〕1号", "number: 测政办〔2002〕1号")
    assert findings(doc_site) == [f"{where(doc_site, DOC, 'number: 测政办〔2002〕1号')}: 警告：number（文号）：文号的年份 2002 与成文日期 2020-03-02 相差一年以上，请核对"]
    replace_in(doc_site, DOC, "number: 测政办〔2002〕1号", "number: 测政办〔2019〕1号")  # a number given late in the year before
    assert findings(doc_site) == []


def test_two_documents_with_one_number_name_each_other(doc_site):
    replace_in(doc_site, "data/documents/2021/b-2021-1.yml", "number: 测政办〔2021〕3号", "number: 测政办[2020]1号")
    lines = [line for line in findings(doc_site) if "错误" in line]
    assert lines == [f"{where(doc_site, 'data/documents/2021/b-2021-1.yml', 'number: 测政办[2020]1号')}: 错误：number（文号）："
                     f"文号“测政办〔2020〕1号”与 {DOC}（测试区政府信息公开办法）重复"]


OLD = """\
title: 关于加强城市绿化管理的通知
number: 泉政〔1981〕112号
issuer: office
written: 1981-06-12
published: 2018-07-02 16:40
category: 其他主动公开信息
genre: 通知
"""


def test_an_old_document_is_history_not_late(doc_site):
    doc_site.write("data/documents/2018/old-1981.yml", OLD)
    lines = findings(doc_site)
    assert not [line for line in lines if "警告" in line or "错误" in line], lines
    doc_site.build()
    meta = doc_site.html("documents/old-1981/index.html").find("dl", class_="gk-meta")
    assert "历史文件" in meta.get_text()
    assert meta.find("time", datetime="2018-07-02T16:40").get_text() == "2018-07-02 16:40"


def test_the_day_history_ends_is_the_sites_to_choose(doc_site):
    doc_site.write("data/documents/2018/old-1981.yml", OLD.replace("written: 1981-06-12", "written: 2016-06-12")
                   .replace("泉政〔1981〕112号", "泉政〔2016〕112号"))
    assert [line for line in findings(doc_site) if "第二十六条" in line]  # written after 2008: late
    replace_in(doc_site, "mkdocs.yml", "  - gongkai:\n", "  - gongkai:\n      timely_from: '2018-01-01'\n")
    doc_site.build()  # strict: the lateness warning is gone
    assert "历史文件" in doc_site.html("documents/old-1981/index.html").get_text()


def test_unknown_holiday_years_are_one_note(doc_site):
    """Were the 1981 document checked for lateness, 23 years of calendars would be missing: one note says so."""
    doc_site.write("data/documents/2018/old-1981.yml", OLD)
    _, report = check_data(doc_site.root / "data", doc_site.root, TODAY, Settings(timely_from=datetime.date(1949, 10, 1)))
    notes = [line for line in report.lines() if "节假日安排未知" in line]
    assert notes == ["data/holidays/1981.yml: 提示：1981、1982、1983、1984、1985、1986、1987、1988、1989、1990 等 23 个年份的节假日安排未知，"
                     "已按周一至周五计算工作日；国务院公布安排后，可在 data/holidays/<年份>.yml 中补充"]
    assert not report.errors
