"""End-to-end: real MkDocs builds of small platforms, asserting on the HTML of the unit pages."""

from __future__ import annotations

import re

from conftest import page, replace_in


def cells(table, section: str = "tbody") -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])] for row in table.find(section).find_all("tr")]


def test_unit_page_reproduces_the_form_in_order(site):
    site.build()
    page = site.html("units/office/index.html")
    assert page.find("html")["lang"] == "zh-CN"
    assert page.find("h1").get_text() == "测试区人民政府办公室"
    assert page.title.get_text() == "测试区人民政府办公室 - 测试平台"
    form = page.find("caption", string="测试区人民政府办公室工作职能清单").find_parent("table")
    rows = cells(form)
    assert [r[0] for r in rows] == ["全称", "办公地址", "办公时间", "联系电话", "负责人姓名", "工作职能", "机构设置"]
    assert rows[4][1] == "乙演示（主任）"
    assert rows[5][1] == "（一） 负责全区政务公开工作。 （二） 负责区政府会议的组织工作。"
    assert rows[6][1].replace(" ", "") == "内设1个机构：政务公开办公室"
    assert form.find("a")["href"] == "#office-1"
    assert page.find("p", class_="gk-date").get_text() == "更新日期：2020-08-26"


def test_unit_page_shows_offices_and_parent(site):
    site.build()
    page = site.html("units/office/index.html")
    assert page.find("h3", id="office-1").get_text() == "政务公开办公室"
    parent = page.find("dt", string="上级单位").find_next("a")
    assert (parent.get_text(), parent["href"]) == ("测试区人民政府", "../gov/")
    assert page.find("dt", string="传真").find_next("dd").get_text() == "0595-29990019"
    # the table of contents is built from the page's sections
    toc = [a.get_text(strip=True) for a in page.select("nav.md-nav--secondary a.md-nav__link")]
    assert toc[:4] == ["工作职能清单", "机构信息", "内设机构", "政务公开办公室"]


def test_staff_table_protects_personal_information(site):
    site.build()
    page = site.html("units/office/index.html")
    staff = page.find("caption", id="staff-caption").find_parent("table")
    rows = cells(staff)
    # 分管领导 first, as on the form; the internal-only person is not there at all
    assert [r[:3] for r in rows] == [["分管领导", "丁演示", "副主任"], ["工作人员", "丙演示", "科员"], ["工作人员", "戊演示", "科员"]]
    assert rows[0][3] == "个人号码不公开，请拨打单位电话"  # a mobile without consent
    assert rows[1][3] == "0595-29990016"
    assert rows[2][3] == "13900000002"  # a mobile published with consent
    everything = site.text_of_all_output()
    assert "13900000001" not in everything
    assert "内部己" not in everything and "13900000003" not in everything


def test_power_list_is_filterable_by_type(site):
    site.build()
    page = site.html("units/office/index.html")
    table = page.find("table", id="powers-table")
    assert [th.get_text() for th in table.find("thead").find_all("th")] == [
        "序号", "事项名称", "事项类型", "设定依据", "实施主体", "责任事项", "追责情形"
    ]
    assert [row["data-type"] for row in table.find("tbody").find_all("tr")] == ["公共服务", "行政检查"]
    form = page.find("form", attrs={"data-gk-filter": "powers-table"})
    assert form.has_attr("hidden")  # shown by the script; without it the whole list is visible
    assert [o.get_text() for o in form.find_all("option")] == ["全部（2 项）", "行政检查（1 项）", "公共服务（1 项）"]


def test_directory_groups_units_by_type(site):
    site.build()
    page = site.html("units/directory/index.html")
    assert [h.get_text() for h in page.find_all("h2")] == ["区政府（1 个）", "区政府工作部门（1 个）"]
    card = page.find("h3", id="unit-office").find_parent("section")
    facts = {dt.get_text(): dt.find_next("dd").get_text(" ", strip=True) for dt in card.find_all("dt")}
    assert facts["更新日期"] == "2020-08-26"
    assert facts["负责人"] == "乙演示（主任）"
    assert facts["联系电话"] == "0595-29990010"
    assert facts["内设机构"] == "政务公开办公室"
    assert facts["权责事项"] == "共 2 项 （行政检查 1，公共服务 1）"
    assert card.find("summary").get_text() == "工作职能（2 项）"


def test_index_shows_the_hierarchy(site):
    site.build()
    page = site.html("units/index.html")
    tree = page.find("ul", class_="gk-tree")
    top = tree.find("li", recursive=False)
    assert top.find("a").get_text() == "测试区人民政府"
    assert [a.get_text() for a in top.find("ul").find_all("a")] == ["测试区人民政府办公室"]
    # list pages are in the nav, unit pages are not
    nav = " ".join(a.get_text(" ", strip=True) for a in page.select("nav.md-nav--primary a"))
    assert "机构职能目录" in nav and "测试区人民政府办公室" not in nav


def test_footer_lists_what_inspections_check(site):
    site.build()
    footer = site.html("units/gov/index.html").find("footer", class_="gk-footer")
    facts = {dt.get_text(): dt.find_next("dd").get_text(strip=True) for dt in footer.find_all("dt")}
    assert facts == {
        "主办单位": "测试区人民政府办公室",
        "联系地址": "测试区测试路 1 号",
        "联系电话": "0595-29990000",
        "联系邮箱": "test@example.gov.cn",
        "网站标识码": "3505020000",
        "ICP备案编号": "闽ICP备00000000号-1",
        "公安机关备案号": "闽公网安备35050200000000号",
    }
    assert footer.find("a", string="网站地图")["href"] == "/sitemap/"


def test_data_is_escaped_everywhere(site):
    # script is refused at the door (test_hostile); what is left of markup is shown as text, never parsed
    replace_in(site, "data/units/office.yml", "name: 测试区人民政府办公室", 'name: "<b>办公室</title><i>"')
    replace_in(site, "data/units/office.yml", "  - 负责全区政务公开工作。", '  - "<img src=x>"')
    site.build()
    raw = (site.out / "units/office/index.html").read_text(encoding="utf-8")
    assert "<b>办公室" not in raw and "<img src=x" not in raw
    assert "&lt;b&gt;办公室&lt;/title&gt;&lt;i&gt;" in raw
    page = site.html("units/office/index.html")
    assert page.find("h1").get_text() == "<b>办公室</title><i>"
    assert page.title.get_text() == "<b>办公室</title><i> - 测试平台"
    for other in ("units/index.html", "units/directory/index.html", "units/gov/index.html"):
        assert "<b>办公室" not in (site.out / other).read_text(encoding="utf-8")


def test_no_request_to_another_host(site):
    site.build()
    for path in site.out.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        html = re.sub(r'<link rel="canonical"[^>]*>', "", html)  # names the page, loads nothing
        loads = re.findall(r"<(?:link|script|img|iframe|source)\b[^>]*?\b(?:href|src)=\"(?:https?:)?//[^\"]*", html)
        assert loads == [], f"{path} loads from another host"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_generated_page_cannot_shadow_a_handwritten_one(site):
    site.write("content/units/index.md", page("手写", "手写的机构页面。"))
    assert site.build_error() == ("有的网址被两个来源同时使用，本次没有生成网站：\n"
                                  "  units/index.html：content/units/index.md 与 平台页面 units/index.md 生成的是同一个网址，后者会覆盖前者；请修改其中一个的编号或文件名")
