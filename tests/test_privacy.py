"""Personal information: the detectors, and the data rule that names file, line and field."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from conftest import id_number, page, replace_in, where
from gongkai import personal_info
from gongkai.check import check_data


def luhn_complete(digits: str) -> str:
    """`digits` plus the check digit that makes it pass the Luhn test."""
    for last in "0123456789":
        number = digits + last
        total = sum(d if i % 2 == 0 else (2 * d - 9 if 2 * d > 9 else 2 * d) for i, d in enumerate(int(c) for c in reversed(number)))
        if total % 10 == 0:
            return number
    raise AssertionError


regions = st.integers(110000, 829999)
birthdays = st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31))
serials = st.integers(0, 999)


@given(regions, birthdays, serials)
def test_every_valid_id_number_is_found_in_running_text(region, born, serial):
    number = id_number(region, born, serial)
    hits = list(personal_info.find(f"申请人身份证号{number}，住址略。"))
    assert [(h.kind, h.value) for h in hits] == [("id", number)]


@given(regions, birthdays, serials, st.integers(1, 10))
def test_an_id_number_with_a_wrong_check_digit_is_not_reported(region, born, serial, shift):
    number = id_number(region, born, serial)
    wrong = number[:17] + "0123456789X"[("0123456789X".index(number[17]) + shift) % 11]
    assert [h for h in personal_info.find(f"编号 {wrong}") if h.kind == "id"] == []


def test_the_kinds_of_personal_information():
    card = luhn_complete("622202000000000000")
    text = f"电话 138-0013-8000；旧证 {'350502' + '800101' + '123'}；卡号 {card[:4]} {card[4:8]} {card[8:12]} {card[12:16]} {card[16:]}；邮箱 zhang.san@qq.com。"
    assert [(h.kind, h.key) for h in personal_info.find(text)] == [
        ("mobile", "13800138000"), ("id", "350502800101123"), ("card", card), ("email", "zhang.san@qq.com"),
    ]


def test_numbers_that_are_not_personal_are_left_alone():
    text = ("泉鲤政办〔2020〕38号，索引号 QZ06101-2015-2020-00038，统一社会信用代码 11350502003702316F，"
            "电话 0595-22355663，日期 2020-08-20，12345 热线，订单号 ABC13800138000，金额 1234567890.00 元。")
    assert list(personal_info.find(text)) == []


def test_masked_values_show_enough_to_find_them_and_no_more():
    hit = next(personal_info.find("13800138000"))
    assert hit.masked == "138****8000"
    assert next(personal_info.find("wang@qq.com")).masked == "wa***@qq.com"


def errors(site):
    _, report = check_data(site.root / "data", site.root, datetime.date(2024, 1, 1), content_dir=site.root / "content")
    return [str(f) for f in report.sorted()]


def test_an_id_number_in_a_document_is_an_error_naming_file_line_and_field(doc_site):
    number = id_number(350502, datetime.date(1980, 1, 1), 123)
    replace_in(doc_site, "data/documents/2021/c-2021-2.yml", "body: 为提高", f"body: 联系人身份证号 {number}。为提高")
    assert errors(doc_site) == [
        f"{where(doc_site, 'data/documents/2021/c-2021-2.yml', 'body: 联系人', column_of='联系人')}: 错误：body（正文）：含有居民身份证号“350***********{number[-4:]}”。个人信息不得公开："
        "请删除或隐去部分号码；如确为单位对外公布的号码或邮箱，请写入 data/privacy.yml 的 allowed 并说明理由"
    ]


def test_a_mobile_in_a_markdown_body_and_a_handwritten_page(doc_site):
    doc_site.write("data/documents/2020/a-2020-1.md", "第一条\n\n咨询：张老师 13912345678\n")
    doc_site.write("content/notice.md", page("通知", "报名请发邮件至 teacher.zhang@163.com。"))
    found = errors(doc_site)
    assert [line.split(": 错误")[0] for line in found] == ["content/notice.md:8:9", "data/documents/2020/a-2020-1.md:3:8"]
    assert "电子邮箱“te***@163.com”" in found[0] and "手机号码“139****5678”" in found[1]


def test_an_attachment_spreadsheet_is_read_cell_by_cell(doc_site):
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "身份证号"])
    sheet.append(["张三", id_number(350502, datetime.date(1990, 5, 6), 7)])
    doc_site.remove("data/documents/2020/a-2020-1-附件.pdf")
    book.save(doc_site.root / "data/documents/2020/a-2020-1-附件.xlsx")
    replace_in(doc_site, "data/documents/2020/a-2020-1.yml", "a-2020-1-附件.pdf", "a-2020-1-附件.xlsx")
    assert [line[:80] for line in errors(doc_site)] == [
        "data/documents/2020/a-2020-1-附件.xlsx: 错误：附件工作表“名单”B2 单元格：含有居民身份证号“350***********"[:80]
    ]


def test_published_numbers_may_be_allowed_with_a_reason(doc_site):
    doc_site.write("content/notice.md", page("通知", "服务热线 13800138000，邮箱 service@163.com。"))
    assert len(errors(doc_site)) == 2
    doc_site.write("data/privacy.yml", """\
        allowed:
          - value: "13800138000"
            reason: 政务服务中心对外公布的服务热线
          - value: service@163.com
            reason: 政务服务中心的工作邮箱
          - value: old@163.com
            reason: 已停用
        """)
    assert errors(doc_site) == [f"{where(doc_site, 'data/privacy.yml', 'value: old@163.com')}: 警告：allowed（允许公开）：“old@163.com”没有出现在任何公开内容中，可以删除此项"]


def test_unit_mailboxes_government_mail_and_consented_mobiles_need_no_listing(site):
    # the fixture's office has a mobile published with consent, one without (not shown), and an internal one
    assert errors(site) == []
    replace_in(site, "data/units/office.yml", "    phone: \"13900000001\"\n", "    phone: \"13900000001\"\n    phone_public: true\n")
    assert errors(site) == []  # now published, with the consent the field records
    site.write("content/contact.md", page("联系我们", "来信请寄 office@example.gov.cn 或 xinxi@fj.gov.cn。"))
    assert errors(site) == []


def test_handwritten_pages_need_a_description_and_a_valid_date(site):
    site.write("content/a.md", "# 无元数据\n")
    site.write("content/b.md", "---\ndescription: 有描述\n---\n\n# 无日期\n")
    site.write("content/c.md", "---\ndescription: 有描述\ndate: 2024-13-01\n---\n\n# 日期错误\n")
    site.write("content/d.md", "---\ndate: 2024-01-01\n---\n\n# 无描述\n")
    assert errors(site) == [
        "content/a.md:1:1: 错误：页面开头缺少元数据：请在第一行写 ---，其后写 description（页面描述）和 date（更新日期），再以 --- 结束",
        "content/b.md:2:1: 错误：date（更新日期）：缺少必填字段：本页内容最后一次更新的日期，写作 YYYY-MM-DD（每个页面都要显示日期）",
        "content/c.md:3:7: 错误：date（更新日期）：日期“2024-13-01”不存在（请检查月份和日期）",
        "content/d.md:2:1: 错误：description（页面描述）：缺少必填字段",
    ]
