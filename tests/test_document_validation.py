"""Bad document data: each mistake gives its Chinese message with file, line and field."""

from __future__ import annotations

import datetime

import pytest

from conftest import findings, replace_in, where

A = "data/documents/2020/a-2020-1.yml"
A_JD = "data/documents/2020/a-2020-1-jd.yml"
B = "data/documents/2021/b-2021-1.yml"
C = "data/documents/2021/c-2021-2.yml"


def test_the_document_fixture_is_clean(doc_site):
    assert findings(doc_site) == []


@pytest.mark.parametrize(
    "path, old, new, message",
    [
        (A, "number: 测政办〔2020〕1号", "number: 测政办2020年1号",
         "错误：number（文号）：文号“测政办2020年1号”格式不正确：应为“机关代字〔年份〕序号号”（泉鲤政办〔2020〕38号），"
         "或令、公告的编号（国令第707号、福建省人民政府令第211号、国家税务总局公告2018年第31号）；联合发文的多个文号用“、”分隔"),
        (A, "number: 测政办〔2020〕1号", "number: 测政办[2020]1号",
         "警告：number（文号）：文号已按“测政办〔2020〕1号”显示（年份用六角括号〔〕、数字用半角、多个文号用“、”分隔）；请修改数据"),
        (A, "number: 测政办〔2020〕1号", "number: 测政办【2020】1号",
         "警告：number（文号）：文号已按“测政办〔2020〕1号”显示（年份用六角括号〔〕、数字用半角、多个文号用“、”分隔）；请修改数据"),
        (A, "issuer: office", "issuer: ofice", "错误：issuer（发文机关）：发文机关“ofice”不存在；是否想写“office”？"),
        (A, "category: 规章和规范性文件", "category: 规范性文件",
         "错误：category（信息类别）：“规范性文件”不是可选的值；应为以下之一：规章和规范性文件、机构职能、规划、统计信息、行政许可、"
         "行政处罚和强制、财政预决算、行政事业性收费、政府集中采购、重大建设项目、民生政策、应急预案、监督检查、公务员招考、其他主动公开信息、"
         "市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助"),
        (A, "written: 2020-03-02", "written: 2020-03-05", "错误：published（发布日期）：发布日期早于成文日期 2020-03-05"),
        (A, "effective: 2020-04-01", "effective: 2020-02-01", "错误：effective（施行日期）：施行日期早于成文日期 2020-03-02"),
        (B, "expires: 2026-05-31", "expires: 2021-05-01", "错误：expires（有效期至）：有效期至早于施行日期 2021-06-01"),
        (A, "campaign: c2020", "campaign: c2021", "错误：events.第1项.campaign（清理活动）：清理活动“c2021”不存在；是否想写“c2020”？"),
        (A, "by: b-2021-1", "by: b2021-1", "错误：events.第2项.by（依据文件）：文件“b2021-1”不存在；是否想写“b-2021-1”？"),
        (A, "by: b-2021-1", "by: a-2020-1", "错误：events.第2项.by（依据文件）：文件不能修改或废止自己"),
        (C, "category: 应急预案", "category: 应急预案\ninterprets: b-2021-1",
         "错误：interprets（解读的文件）：只有政策解读才能填写 interprets（解读的文件）；请把 kind 改为 政策解读"),
    ],
)
def test_each_bad_document_field(doc_site, path, old, new, message):
    replace_in(doc_site, path, old, new)
    field = new.split("\n")[-1]
    if field.startswith("written"):  # the finding is about the publication date that now comes first
        field = "published: 2020-03-04"
    assert findings(doc_site) == [f"{where(doc_site, path, field)}: {message}"]


def test_interpretation_of_a_missing_document(doc_site):
    replace_in(doc_site, A_JD, "interprets: a-2020-1", "interprets: a-2020-9")
    assert findings(doc_site) == [
        f"{where(doc_site, A_JD, 'interprets: a-2020-9')}: 错误：interprets（解读的文件）：被解读的文件“a-2020-9”不存在；是否想写“a-2020-1”？",
        f"{where(doc_site, A, 'kind: 规范性文件')}: 警告：kind（文件类型）：规范性文件没有政策解读；如确实无需解读，请在 interpretation_exempt 中说明理由",
    ]


def test_only_an_interpretation_may_name_what_it_interprets(doc_site):
    replace_in(doc_site, A_JD, "kind: 政策解读", "kind: 其他文件")
    assert findings(doc_site)[0] == (
        f"{where(doc_site, A_JD, 'interprets: a-2020-1')}: 错误：interprets（解读的文件）：只有政策解读才能填写 interprets（解读的文件）；请把 kind 改为 政策解读"
    )


def test_interpretation_without_its_document(doc_site):
    replace_in(doc_site, A_JD, "interprets: a-2020-1\n", "")
    assert findings(doc_site)[0] == f"{where(doc_site, A_JD, 'kind: 政策解读')}: 错误：kind（文件类型）：政策解读需要填写 interprets（解读的文件）"


UNUSED_PDF = "data/documents/2020/a-2020-1-附件.pdf: 警告：未识别的数据文件，构建时不会读取；请检查文件所在目录和扩展名（.yml）"


def test_attachment_format(doc_site):
    replace_in(doc_site, A, "file: a-2020-1-附件.pdf", "file: a-2020-1-附件.exe")
    assert findings(doc_site) == [
        f"{where(doc_site, A, 'file: a-2020-1-附件.exe')}: 错误：attachments.第1项.file（文件）：附件“a-2020-1-附件.exe”的格式不支持；"
        "可用的格式：doc、docx、et、jpg、ofd、pdf、png、wps、xls、xlsx",
        UNUSED_PDF,  # the file on disk is now named by nothing
    ]


def test_attachment_must_exist(doc_site):
    replace_in(doc_site, A, "file: a-2020-1-附件.pdf", "file: 申请表.pdf")
    assert findings(doc_site) == [
        f"{where(doc_site, A, 'file: 申请表.pdf')}: 错误：attachments.第1项.file（文件）：附件文件“申请表.pdf”不存在（应与本文件放在同一目录）",
        UNUSED_PDF,
    ]


def test_an_event_needs_what_it_refers_to(doc_site):
    replace_in(doc_site, A, "  - type: 废止\n    by: b-2021-1", "  - type: 修改\n    date: 2021-01-01")
    assert findings(doc_site) == [
        f"{where(doc_site, A, '- type: 修改', 'type')}: 错误：events.第2项（生命周期事件）：“修改”事件需要填写 by（作出修改的文件）"
    ]


def test_event_before_the_document_existed(doc_site):
    replace_in(doc_site, A, "    date: 2020-11-30", "    date: 2019-11-30")
    assert findings(doc_site) == [
        f"{where(doc_site, A, '- type: 清理', 'type')}: 错误：events.第1项：“清理”的日期 2019-11-30 早于文件的成文日期 2020-03-02"
    ]


def test_repeal_before_the_document_took_effect(doc_site):
    replace_in(doc_site, A, "  - type: 废止\n    by: b-2021-1", "  - type: 废止\n    reason: 测试\n    date: 2020-03-10")
    assert findings(doc_site) == [
        f"{where(doc_site, A, '- type: 废止', 'type')}: 错误：events.第2项：“废止”的日期 2020-03-10 早于文件的施行日期 2020-04-01"
    ]


def test_a_document_ends_only_once(doc_site):
    replace_in(doc_site, A, "  - type: 废止\n    by: b-2021-1", "  - type: 废止\n    by: b-2021-1\n  - type: 失效\n    date: 2022-01-01")
    assert findings(doc_site) == [
        f"{where(doc_site, A, '- type: 失效', 'type')}: 错误：events.第3项：文件已在第2项事件中废止或失效，不能再次废止或失效"
    ]


def test_repeal_cycle(doc_site):
    replace_in(doc_site, B, "body: ", "events:\n  - type: 修改\n    by: a-2020-1\n    date: 2021-07-01\nbody: ")
    assert findings(doc_site) == [
        f"{where(doc_site, A, 'by: b-2021-1')}: 错误：events.第2项.by（依据文件）：修改或废止关系形成循环：a-2020-1 → b-2021-1 → a-2020-1"
    ]


def test_expiry_passed_without_an_event_is_a_warning(doc_site):
    late = datetime.date(2026, 6, 1)
    assert findings(doc_site, late) == [
        f"{where(doc_site, B, 'expires: 2026-05-31')}: 警告：expires（有效期至）：有效期已于 2026-05-31 届满，已按“已失效”显示；"
        "请补充“失效”事件，或以清理结论“继续有效”延续"
    ]


def test_normative_document_without_interpretation(doc_site):
    doc_site.remove(A_JD)
    assert findings(doc_site) == [
        f"{where(doc_site, A, 'kind: 规范性文件')}: 警告：kind（文件类型）：规范性文件没有政策解读；如确实无需解读，请在 interpretation_exempt 中说明理由"
    ]
    replace_in(doc_site, A, "kind: 规范性文件", "kind: 规范性文件\ninterpretation_exempt: 仅调整文字表述")
    assert findings(doc_site) == []


def test_late_interpretation_counts_working_days(doc_site):
    # the document was published on Wed 2020-03-04; Mon 2020-03-09 is the 3rd working day, Tue the 4th
    replace_in(doc_site, A_JD, "published: 2020-03-05", "published: 2020-03-10")
    assert findings(doc_site) == [
        f"{where(doc_site, A_JD, 'published: 2020-03-10')}: 警告：published（发布日期）：解读在文件发布 4 个工作日后才发布（应不超过 3 个工作日，宜同步发布）"
    ]


def test_late_publication_counts_working_days_across_the_national_day(doc_site):
    # formed on Fri 2020-09-18; the National Day holiday (10-1 … 10-8) does not count, the 调休 Sundays do
    replace_in(doc_site, C, "written: 2021-07-01\npublished: 2021-07-02", "written: 2020-09-18\npublished: 2020-10-23")
    doc_site.write("data/documents/2020/c-2021-2.yml", (doc_site.root / C).read_text(encoding="utf-8"))
    doc_site.remove(C)
    path = "data/documents/2020/c-2021-2.yml"
    assert findings(doc_site) == [
        f"{where(doc_site, path, 'published: 2020-10-23')}: 警告：published（发布日期）：成文后第 21 个工作日才公开，"
        "超过《政府信息公开条例》第二十六条规定的 20 个工作日；如有正当原因，请在 late_reason 中说明"
    ]
    replace_in(doc_site, path, "body:", "late_reason: 涉及多部门会签\nbody:")
    assert findings(doc_site) == []


def test_body_written_twice(doc_site):
    replace_in(doc_site, A, "summary: 规范本区政府信息公开工作。", "summary: 规范本区政府信息公开工作。\nbody: 另一份正文")
    assert findings(doc_site) == [
        f"{where(doc_site, A, 'body: 另一份正文')}: 错误：body（正文）：正文只能写在一处：已有 data/documents/2020/a-2020-1.md，请删除此处的 body"
    ]


def test_document_ids_are_unique_across_years(doc_site):
    doc_site.write("data/documents/2021/a-2020-1.yml", (doc_site.root / C).read_text(encoding="utf-8"))
    assert findings(doc_site) == [
        "data/documents/2021/a-2020-1.yml: 错误：编号“a-2020-1”重复：data/documents/2020/a-2020-1.yml 已使用此编号"
    ]


def test_reserved_id(doc_site):
    doc_site.write("data/documents/2021/register.yml", (doc_site.root / C).read_text(encoding="utf-8"))
    assert findings(doc_site) == [
        "data/documents/2021/register.yml:1:1: 错误：“register”是文件库栏目页面的地址，不能用作文件编号；请给文件改名"
    ]


def test_folder_year_must_fit_the_document(doc_site):
    doc_site.write("data/documents/2019/c-2021-3.yml", (doc_site.root / C).read_text(encoding="utf-8"))
    assert findings(doc_site) == ["data/documents/2019/c-2021-3.yml: 警告：文件应放在 data/documents/2021/ 目录下（按发布年份归档）"]


def test_index_numbers_are_unique(doc_site):
    replace_in(doc_site, C, "issuer: gov", "issuer: gov\nindex_number: QZ06101-2012-2021-00001")
    replace_in(doc_site, B, "issuer: office", "issuer: office\nindex_number: QZ06101-2012-2021-00001")
    assert findings(doc_site) == [
        f"{where(doc_site, C, 'index_number: QZ06101-2012-2021-00001')}: 错误：index_number（索引号）：索引号“QZ06101-2012-2021-00001”与文件 b-2021-1 重复"
    ]


def test_unreferenced_file_beside_documents_is_reported(doc_site):
    (doc_site.root / "data/documents/2020/旧版.docx").write_bytes(b"x")
    assert findings(doc_site) == ["data/documents/2020/旧版.docx: 警告：未识别的数据文件，构建时不会读取；请检查文件所在目录和扩展名（.yml）"]


def test_unknown_holiday_year_is_noted_once_and_data_can_supply_it(doc_site):
    replace_in(doc_site, C, "written: 2021-07-01\npublished: 2021-07-02", "written: 2099-07-01\npublished: 2099-07-02")
    doc_site.write("data/documents/2099/c-2021-2.yml", (doc_site.root / C).read_text(encoding="utf-8"))
    doc_site.remove(C)
    assert findings(doc_site) == [
        "data/holidays/2099.yml: 提示：2099 年的节假日安排未知，已按周一至周五计算工作日；国务院公布安排后，"
        "可在 data/holidays/<年份>.yml 中补充"
    ]
    doc_site.write("data/holidays/2099.yml", "holidays:\n  - name: 元旦\n    start: 2099-01-01\nworkdays: []\n")
    assert findings(doc_site) == []


def test_holiday_file_must_be_named_by_year(doc_site):
    doc_site.write("data/holidays/next.yml", "holidays: []\n")
    assert findings(doc_site) == ["data/holidays/next.yml:1:1: 错误：节假日安排的文件名应为年份，例如 2027.yml，而不是“next”"]
