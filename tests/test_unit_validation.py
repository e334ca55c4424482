"""Every kind of bad unit data gives one Chinese message naming file, line, column and field."""

from __future__ import annotations

import pytest

from conftest import findings, replace_in, where


def test_the_valid_fixture_has_no_findings(site):
    assert findings(site) == []


@pytest.mark.parametrize(
    "old, new, at, expected",
    [
        (  # wrong type: a list where text is expected
            "head: 乙演示",
            "head:\n  - 乙演示",
            ("  - 乙演示", "-"), "错误：head（负责人姓名）：应为一段文本",
        ),
        (  # missing required field
            "office_hours: 工作日 8:00—17:30\n",
            "",
            None, "错误：请填写办公时间：office_hours，或 seasonal_hours（分季节）",
        ),
        (  # unknown key, with a suggestion
            "parent: gov",
            "parnt: gov",
            ("parnt: gov", "parnt"), "错误：parnt：未知字段“parnt”；是否想写“parent”（上级单位）？",
        ),
        (  # unknown 事项类型
            "type: 行政检查",
            "type: 行政监督",
            ("type: 行政监督", None), "错误：powers.第2项.type（事项类型）：“行政监督”不是可选的值；"
            "应为以下之一：行政许可、行政处罚、行政强制、行政征收、行政给付、行政检查、行政确认、行政奖励、行政裁决、其他行政权力、公共服务",
        ),
        (  # unknown unit type
            "type: 区政府工作部门",
            "type: 局",
            ("type: 局", None), "错误：type（机构类型）：“局”不是可选的值；应为以下之一：市政府、县级政府、区政府、政府工作部门、区政府工作部门、乡镇政府、街道办事处、管委会、事业单位、其他",
        ),
        (  # malformed phone
            "phone: 0595-29990010",
            "phone: 0595 2999 0010",
            ("phone: 0595 2999 0010", None), "错误：phone（联系电话）：电话号码“0595 2999 0010”格式不正确：固定电话写作 0595-22355663"
            "（区号与号码之间用半角连字符，分机写作 0595-22355663转8001），手机写作 13900000001",
        ),
        (  # malformed date
            "updated: 2020-08-26",
            "updated: 2020年8月26日",
            ("updated: 2020年8月26日", None), "错误：updated（更新日期）：日期“2020年8月26日”格式不正确，应写作 YYYY-MM-DD，例如 2020-08-20",
        ),
        (  # a date that does not exist
            "updated: 2020-08-26",
            "updated: 2020-02-30",
            ("updated: 2020-02-30", None), "错误：updated（更新日期）：日期“2020-02-30”不存在（请检查月份和日期）",
        ),
        (  # boolean written as something else
            "    internal: true",
            "    internal: 是",
            ("    internal: 是", None), "错误：staff.第4项.internal（仅内部报送）：应为 true 或 false，而不是“是”",
        ),
        (  # an empty item in a list of functions
            "  - 负责区政府会议的组织工作。",
            '  - ""',
            ('  - ""', '"'), "错误：functions.第2项（工作职能）：不能为空",
        ),
        (  # a nested unknown key
            "    phone: 0595-29990015",
            "    tel: 0595-29990015",
            ("    tel: 0595-29990015", "tel"), "错误：offices.第1项.tel：未知字段“tel”；"
            "此处可用的字段有：name、functions、phone",
        ),
        (  # a reference to a unit that does not exist
            "parent: gov",
            "parent: govv",
            ("parent: govv", None), "错误：parent（上级单位）：上级单位“govv”不存在；是否想写“gov”？",
        ),
        (  # malformed email
            "email: office@example.gov.cn",
            "email: office#example.gov.cn",
            ("email: office#example.gov.cn", None), "错误：email（电子邮箱）：电子邮箱“office#example.gov.cn”格式不正确",
        ),
    ],
)
def test_each_bad_input_gives_its_message(site, old, new, at, expected):
    """`at`: the line (and the text on it) the message points to; None for the record as a whole (1:1)."""
    replace_in(site, "data/units/office.yml", old, new)
    position = where(site, "data/units/office.yml", *at) if at else "data/units/office.yml:1:1"
    assert findings(site) == [f"{position}: {expected}"]


def test_all_problems_are_reported_in_one_run(site):
    replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 12")
    replace_in(site, "data/units/office.yml", "updated: 2020-08-26", "updated: 26/08/2020")
    replace_in(site, "data/units/gov.yml", "type: 区政府", "type: 政府")
    site.write("data/site.yml", (site.root / "data/site.yml").read_text(encoding="utf-8").replace('"3505020000"', "123"))
    lines = findings(site)
    assert [line.split("：")[0] for line in lines] == [
        f"{where(site, 'data/site.yml', 'site_code: 123')}: 错误",
        f"{where(site, 'data/units/gov.yml', 'type: 政府')}: 错误",
        f"{where(site, 'data/units/office.yml', 'phone: 12')}: 错误",
        f"{where(site, 'data/units/office.yml', 'updated: 26/08/2020')}: 错误",
    ]


def test_duplicate_ids_across_folders(site):
    site.write("data/units/streets/office.yml", (site.root / "data/units/office.yml").read_text(encoding="utf-8"))
    assert findings(site) == [
        "data/units/streets/office.yml: 错误：编号“office”重复：data/units/office.yml 已使用此编号"
    ]


def test_file_name_that_cannot_be_an_id(site):
    site.write("data/units/司法局.yml", (site.root / "data/units/office.yml").read_text(encoding="utf-8"))
    assert findings(site) == [
        "data/units/司法局.yml: 错误：“司法局”不能用作编号：文件名和目录名只能由小写字母、数字和连字符组成、以字母或数字开头、不超过 64 个字符（例如 qzfb、sfj-2020）"
    ]


def test_duplicate_key_in_a_unit_file(site):
    replace_in(site, "data/units/gov.yml", "head: 甲演示\n", "head: 甲演示\nhead: 乙演示\n")
    at = where(site, "data/units/gov.yml", "head: 乙演示", column_of="head")
    assert findings(site) == [f"{at}: 错误：head：字段“head”在同一层重复出现；请删除或合并其中一个"]


def test_yaml_syntax_error(site):
    replace_in(site, "data/units/gov.yml", "head: 甲演示", "head: 甲演示: 兼任")
    [line] = findings(site)
    assert line.startswith(f"{where(site, 'data/units/gov.yml', 'head: 甲演示: 兼任', column_of=': 兼任')}: 错误：YAML 语法错误")


def test_file_that_is_not_utf8(site):
    (site.root / "data/units/gov.yml").write_bytes("name: 测试区人民政府\n".encode("gbk"))
    assert findings(site) == ["data/units/gov.yml: 错误：文件不是 UTF-8 编码；请用 UTF-8 重新保存"]


def test_misplaced_file_is_reported_not_ignored(site):
    site.write("data/unit/extra.yml", "name: 放错目录\n")
    site.write("data/units/notes.txt", "备注\n")
    assert findings(site) == [
        "data/unit/extra.yml: 警告：未识别的数据文件，构建时不会读取；请检查文件所在目录和扩展名（.yml）",
        "data/units/notes.txt: 警告：未识别的数据文件，构建时不会读取；请检查文件所在目录和扩展名（.yml）",
    ]


def test_missing_site_file(site):
    site.remove("data/site.yml")
    assert findings(site) == ["data/site.yml: 错误：缺少网站基本信息文件 site.yml"]


def test_site_file_fields(site):
    replace_in(site, "data/site.yml", "icp: 闽ICP备00000000号-1", "icp: 备案中")
    at = where(site, "data/site.yml", "icp: 备案中")
    assert findings(site) == [f"{at}: 错误：icp（ICP备案编号）：ICP备案编号“备案中”格式不正确，应类似“闽ICP备05008123号-1”"]
