"""Unit records (附件2) as units really are: several labelled phone numbers written with dashes
of every width or an extension, a postcode and a mailing address, office hours by season, the
机构规格 and the 设立依据, and the unit types of a multi-level platform."""

from __future__ import annotations

from conftest import findings, replace_in, where

OFFICE = "data/units/office.yml"

REAL = """\
rank: 正科级
basis: 《测试区人民政府办公室职能配置、内设机构和人员编制规定》（测委办发〔2019〕12号）
mailing_address: 测试区邮政信箱 12 号
postcode: '362000'
seasonal_hours:
  - {season: 夏季, period: 5月1日至9月30日, hours: 上午 8:00—12:00，下午 15:00—18:00}
  - {season: 冬季, period: 10月1日至次年4月30日, hours: 上午 8:00—12:00，下午 14:30—17:30}
phones:
  - {label: 值班, number: 0527—83593059}
  - {label: 投诉, number: 0595-29990010 转 8001}
  - {label: 咨询, number: （0595）29990011}
"""


def real_office(site) -> None:
    """The test office written the way a real unit page gives it: office_hours and phone replaced."""
    replace_in(site, OFFICE, "office_hours: 工作日 8:00—17:30\n", "")
    replace_in(site, OFFICE, "phone: 0595-29990010\nfax:", REAL + "fax:")


def test_a_unit_with_every_real_field_loads_and_dashes_are_a_note(site):
    real_office(site)
    lines = findings(site)
    assert lines == [
        f"{where(site, OFFICE, '0527—83593059', column_of='0527')}: 提示：phones.第1项.number（号码）："
        "电话号码“0527—83593059”已按“0527-83593059”显示，建议照此修改",
        f"{where(site, OFFICE, '转 8001', column_of='0595')}: 提示：phones.第2项.number（号码）："
        "电话号码“0595-29990010 转 8001”已按“0595-29990010转8001”显示，建议照此修改",
        f"{where(site, OFFICE, '（0595）', column_of='（0595）')}: 提示：phones.第3项.number（号码）："
        "电话号码“（0595）29990011”已按“0595-29990011”显示，建议照此修改",
    ]


def test_the_unit_page_and_the_directory_show_them(site):
    real_office(site)
    site.build()
    form = site.html("units/office/index.html").find("table", class_="gk-form").get_text()
    assert "值班 0527-83593059；投诉 0595-29990010转8001；咨询 0595-29990011" in form
    assert "夏季（5月1日至9月30日）：上午 8:00—12:00，下午 15:00—18:00" in form
    assert "冬季（10月1日至次年4月30日）" in form
    assert "测试区邮政信箱 12 号（邮编 362000）" in form
    facts = site.html("units/office/index.html").find("dl", class_="gk-facts").get_text()
    assert "正科级" in facts and "测委办发〔2019〕12号" in facts
    directory = site.html("units/directory/index.html").get_text()
    assert "值班 0527-83593059" in directory and "362000" in directory and "正科级" in directory


def test_the_single_phone_keeps_working_beside_the_list(site):
    replace_in(site, OFFICE, "phone: 0595-29990010\nfax:", "phone: 0595-29990010\nphones:\n  - {label: 值班, number: 0595-29990012}\nfax:")
    assert findings(site) == []
    site.build()
    form = site.html("units/office/index.html").find("table", class_="gk-form").get_text()
    assert "联系电话 0595-29990010；值班 0595-29990012" in form


def test_a_unit_needs_a_phone_one_way_or_the_other(site):
    replace_in(site, OFFICE, "phone: 0595-29990010\nfax:", "fax:")
    assert findings(site) == [f"{OFFICE}:1:1: 错误：请填写联系电话：phone（一个号码），或 phones（多个带用途的号码）"]


def test_a_unit_needs_office_hours_one_way_or_the_other(site):
    replace_in(site, OFFICE, "office_hours: 工作日 8:00—17:30\n", "")
    assert findings(site) == [f"{OFFICE}:1:1: 错误：请填写办公时间：office_hours，或 seasonal_hours（分季节）"]


def test_broken_numbers_and_unknown_ranks_are_still_errors(site):
    replace_in(site, OFFICE, "phone: 0595-29990010\nfax:", "phone: 0595-2999\nrank: 科级\nfax:")
    lines = findings(site)
    assert any("phone（联系电话）：电话号码“0595-2999”格式不正确" in line for line in lines)
    assert any("rank（机构规格）：“科级”不是可选的值；应为以下之一：正部级、副部级" in line for line in lines)
    assert len(lines) == 2


def test_a_township_government_is_bound_by_article_21(site):
    replace_in(site, OFFICE, "type: 区政府工作部门", "type: 乡镇政府")
    lines = findings(site)
    # its column now misses the seven article 21 categories: each is named, none is published empty
    assert len(lines) == 7 and all(line.startswith("data/disclosure/office.yml:") and "（第二十一条第（" in line for line in lines)
    assert "“市政建设”（第二十一条第（一）项）没有任何信息" in lines[0]


def test_a_public_institution_is_not(site):
    replace_in(site, OFFICE, "type: 区政府工作部门", "type: 事业单位")
    assert findings(site) == []
