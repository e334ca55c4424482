"""Cross-record rules about units."""

from __future__ import annotations

from conftest import findings, replace_in, where


def test_parent_cycle(site):
    replace_in(site, "data/units/gov.yml", "type: 区政府\n", "type: 区政府\nparent: office\n")
    assert findings(site) == [f"{where(site, 'data/units/gov.yml', 'parent: office')}: 错误：parent（上级单位）：上级单位形成循环：gov → office → gov"]


def test_parent_is_itself(site):
    replace_in(site, "data/units/office.yml", "parent: gov", "parent: office")
    assert findings(site) == [f"{where(site, 'data/units/office.yml', 'parent: office')}: 错误：parent（上级单位）：上级单位不能是本单位"]


def test_reference_to_a_unit_that_failed_validation_is_not_reported_twice(site):
    replace_in(site, "data/units/gov.yml", "type: 区政府", "type: 政府")
    lines = findings(site)
    assert len(lines) == 1 and lines[0].startswith(f"{where(site, 'data/units/gov.yml', 'type: 政府')}: 错误：type（机构类型）")


def test_host_unit_must_exist(site):
    replace_in(site, "data/site.yml", "host_unit: office", "host_unit: ofice")
    assert findings(site) == [f"{where(site, 'data/site.yml', 'host_unit: ofice')}: 错误：host_unit（主办单位编号）：主办单位“ofice”不存在；是否想写“office”？"]


def test_repeated_power_code_is_an_error_and_repeated_item_a_warning(site):
    replace_in(site, "data/units/office.yml", "  - name: 对政府信息公开工作的监督检查\n    type: 行政检查",
               "  - name: 政府信息公开申请办理\n    code: A1\n    type: 公共服务")
    replace_in(site, "data/units/office.yml", "  - name: 政府信息公开申请办理\n    type: 公共服务",
               "  - name: 政府信息公开申请办理\n    code: A1\n    type: 公共服务")
    assert findings(site) == [
        f"{where(site, 'data/units/office.yml', 'code: A1', occurrence=2)}: 错误：powers.第2项.code（事项编码）：事项编码“A1”与第1项重复",
        f"{where(site, 'data/units/office.yml', 'name: 政府信息公开申请办理', occurrence=2)}: 警告：powers.第2项.name（事项名称）：“政府信息公开申请办理”（公共服务）与第1项重复",
    ]


def test_repeated_office(site):
    replace_in(site, "data/units/office.yml", "staff:\n", "  - name: 政务公开办公室\n    functions: [重复]\nstaff:\n")
    assert findings(site) == [f"{where(site, 'data/units/office.yml', 'name: 政务公开办公室', occurrence=2)}: 错误：offices.第2项.name（机构名称）：内设机构“政务公开办公室”与第1项重复"]


def test_department_without_power_list_is_warned(site):
    text = (site.root / "data/units/office.yml").read_text(encoding="utf-8")
    site.write("data/units/office.yml", text[: text.index("powers:")] + "updated: 2020-08-26\n")
    assert findings(site) == [
        "data/units/office.yml:1:1: 警告：powers（权责清单）：区政府工作部门应公开权责清单，但 powers（权责清单）为空"
    ]
