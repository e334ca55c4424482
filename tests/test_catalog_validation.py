"""Bad catalog data: each mistake gives its Chinese message with file, line and field."""

from __future__ import annotations

from conftest import findings, replace_in, where

STD = "data/catalogs/standard/hjgl.yml"
OFFICE = "data/catalogs/units/office/hjgl.yml"


def test_the_catalog_fixture_is_clean(catalog_site):
    assert findings(catalog_site) == []


def test_a_change_without_a_reason(catalog_site):
    replace_in(catalog_site, OFFICE, "    reason: 死亡注销由派出所办理\n", "")
    assert findings(catalog_site) == [
        f"{where(catalog_site, OFFICE, '- action: 删除', 'action')}: 错误：changes.第1项.reason（变动原因）：缺少必填字段"
    ]


def test_an_empty_reason(catalog_site):
    replace_in(catalog_site, OFFICE, "reason: 死亡注销由派出所办理", 'reason: ""')
    assert findings(catalog_site) == [
        f"{where(catalog_site, OFFICE, 'reason: ' + chr(34))}: 错误：changes.第1项.reason（变动原因）：不能为空"
    ]


def test_deleting_a_row_the_standard_does_not_have(catalog_site):
    replace_in(catalog_site, OFFICE, 'row: "02"', 'row: "05"')
    assert findings(catalog_site) == [
        f"{where(catalog_site, OFFICE, 'row: ' + chr(34) + '05')}: 错误：changes.第1项.row：事项序号“05”不在标准目录中"
    ]


def test_modifying_a_field_to_what_it_already_is(catalog_site):
    replace_in(catalog_site, OFFICE, "subject: 测试区人民政府办公室\n      levels", "subject: 县级公安机关\n      levels")
    assert findings(catalog_site) == [
        f"{where(catalog_site, OFFICE, 'subject: 县级公安机关')}: 错误：changes.第2项.update.subject：“公开主体”与标准目录相同，不是修改"
    ]


def test_new_row_reusing_a_standard_code(catalog_site):
    replace_in(catalog_site, OFFICE, 'code: "01A"', 'code: "03"')
    assert findings(catalog_site) == [
        f"{where(catalog_site, OFFICE, 'code: ' + chr(34) + '03')}: 错误：changes.第3项.new.code：序号“03”已被标准目录使用，新增事项请另编序号"
    ]


def test_level_outside_the_catalogs_vocabulary(catalog_site):
    replace_in(catalog_site, OFFICE, "      levels: [乡级]\n    reason: 由本单位代收材料", "      levels: [村级]\n    reason: 由本单位代收材料")
    assert findings(catalog_site) == [
        f"{where(catalog_site, OFFICE, 'levels: [村级]', '村级')}: 错误：levels（公开层级）：公开层级“村级”不在本目录的层级中（县级、乡级）"
    ]


def test_basis_document_that_does_not_exist(catalog_site):
    replace_in(catalog_site, OFFICE, "basis_documents: [b-2021-1]", "basis_documents: [b-2021-9]")
    assert findings(catalog_site) == [
        f"{where(catalog_site, OFFICE, 'basis_documents: [b-2021-9]', 'b-2021-9')}: 错误：basis_documents（依据文件）：依据文件“b-2021-9”不存在；是否想写“b-2021-1”？"
    ]


def test_unknown_channel_and_need(catalog_site):
    replace_in(catalog_site, STD, "channels: {政府网站: 必选}", "channels: {政府网站: 必须}")
    [line] = findings(catalog_site)
    assert line.startswith(f"{where(catalog_site, STD, 'channels: {政府网站: 必须}', '必须')}: 错误：rows.第2项.channels.政府网站（公开渠道和载体）：“必须”不是可选的值；应为以下之一：必选、可选")


def test_unknown_channel(catalog_site):
    replace_in(catalog_site, STD, "channels: {政府网站: 必选}", "channels: {微信: 必选}")
    [line] = findings(catalog_site)
    assert line.startswith(f"{where(catalog_site, STD, 'channels: {微信: 必选}', '微信')}: 错误：rows.第2项.channels.微信（公开渠道和载体）：“微信”不是可选的值；应为以下之一：政府网站、")


def test_repeated_code_in_a_standard(catalog_site):
    replace_in(catalog_site, STD, '  - code: "02"', '  - code: "01"')
    assert findings(catalog_site) == [
        f"{where(catalog_site, STD, '- code: ' + chr(34) + '01', chr(34), occurrence=2)}: 错误：rows.第2项.code（序号）：序号“01”与第1项重复",
        f"{where(catalog_site, OFFICE, 'row: ' + chr(34) + '02')}: 错误：changes.第1项.row：事项序号“02”不在标准目录中",
    ]


def test_standard_named_after_no_domain(catalog_site):
    catalog_site.write("data/catalogs/standard/hjgll.yml", (catalog_site.root / STD).read_text(encoding="utf-8"))
    assert findings(catalog_site) == [
        "data/catalogs/standard/hjgll.yml:1:1: 错误：领域编号“hjgll”不存在；是否想写“hjgl”？（文件名应为领域编号，例如 hjgl.yml）"
    ]


def test_unit_catalog_of_a_unit_that_does_not_exist(catalog_site):
    catalog_site.write("data/catalogs/units/ofice/hjgl.yml", (catalog_site.root / OFFICE).read_text(encoding="utf-8"))
    assert findings(catalog_site) == [
        "data/catalogs/units/ofice/hjgl.yml:1:1: 错误：机构“ofice”不存在；是否想写“office”？（目录应放在 data/catalogs/units/<机构编号>/ 下）"
    ]


def test_unit_catalog_of_a_domain_without_standard(catalog_site):
    catalog_site.write("data/catalogs/units/office/shjz.yml", "compiled: 2020-08-30\nchanges: []\n")
    assert findings(catalog_site) == ["data/catalogs/units/office/shjz.yml:1:1: 错误：领域“shjz”没有标准目录：缺少 data/catalogs/standard/shjz.yml"]
