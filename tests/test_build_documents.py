"""End-to-end builds of a small document library: every page type, asserted on its HTML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from test_build_units import cells

from conftest import disclosure_yml, replace_in, with_audit


def meta(page) -> dict[str, str]:
    return {dt.get_text(): dt.find_next("dd").get_text(" ", strip=True) for dt in page.select("dl.gk-meta dt")}


def test_document_page_metadata(doc_site):
    doc_site.build()
    page = doc_site.html("documents/b-2021-1/index.html")
    assert page.find("h1").get_text() == "测试区政府信息公开规定"
    assert meta(page) == {
        "索引号": "3505020000-2001-2021-00001",  # generated: no prefix configured, so the 网站标识码
        "信息类别": "规章和规范性文件",
        "发文机关": "测试区人民政府办公室",
        "文号": "测政办〔2021〕3号",
        "成文日期": "2021-05-06",
        "发布日期": "2021-05-10",
        "施行日期": "2021-06-01",
        "有效期至": "2026-05-31",
        "有效性": "现行有效",
        "公开方式": "主动公开",
    }
    assert page.find("dt", string="信息类别").find_next("a")["href"] == "../category/2001/"
    assert page.find(class_="gk-banner") is None  # in force: no banner


def test_repealed_document_says_so_and_links_its_successor(doc_site):
    doc_site.build()
    page = doc_site.html("documents/a-2020-1/index.html")
    banner = page.find(class_="gk-banner")
    assert banner.get_text(" ", strip=True).startswith("本文件已废止。 已于 2021年6月1日 被 《测试区政府信息公开规定》 （测政办〔2021〕3号）废止。")
    assert banner.find("a")["href"] == "../b-2021-1/"
    assert meta(page)["有效性"] == "已废止"
    history = [li.get_text(" ", strip=True) for li in page.select("ol.gk-timeline li")]
    assert history == [
        "2020-03-04 发布",
        "2020-04-01 施行",
        "2020-11-30 经 2020年规范性文件清理 ，结论为“继续有效”",
        "2021-06-01 被 《测试区政府信息公开规定》 （测政办〔2021〕3号）废止",
    ]
    # and the successor's page says what it repealed
    successor = [li.get_text(" ", strip=True) for li in doc_site.html("documents/b-2021-1/index.html").select("ol.gk-timeline li")]
    assert successor[-1] == "2021-06-01 废止 《测试区政府信息公开办法》 （测政办〔2020〕1号）"


def test_body_attachments_and_interpretation_links(doc_site):
    doc_site.build()
    page = doc_site.html("documents/a-2020-1/index.html")
    body = page.find(class_="gk-body")
    assert body.find("h2").get_text() == "第二章　主动公开"
    toc = [a.get_text(strip=True) for a in page.select("nav.md-nav--secondary a.md-nav__link")]
    assert toc == ["第二章　主动公开", "附件", "文件历程"]
    [item] = page.select("ol.gk-attachments li")
    size = (doc_site.root / "data/documents/2020/a-2020-1-附件.pdf").stat().st_size
    assert item.get_text(" ", strip=True) == f"附件：政府信息公开申请表 （PDF，{size} B）"
    assert item.find("a")["href"] == "a-2020-1-%E9%99%84%E4%BB%B6.pdf"
    assert (doc_site.out / "documents/a-2020-1/a-2020-1-附件.pdf").read_bytes() == (doc_site.root / "data/documents/2020/a-2020-1-附件.pdf").read_bytes()
    assert page.find("p", class_="gk-related").find("a")["href"] == "../a-2020-1-jd/"
    back = doc_site.html("documents/a-2020-1-jd/index.html").find("p", class_="gk-related")
    assert back.get_text(" ", strip=True) == "本文是对 《测试区政府信息公开办法》 （测政办〔2020〕1号）的解读。"


def test_script_in_a_body_from_data_is_refused_and_plain_html_kept(doc_site):
    replace_in(doc_site, "data/documents/2021/c-2021-2.yml", "body: 为提高应对突发事件的能力，制定本预案。",
               'body: |\n  正文<script>alert(1)</script>\n\n  <a href="javascript:alert(2)">链接</a> <img src="x.png" onerror="alert(3)">')
    message = doc_site.build_error()
    assert "data/documents/2021/c-2021-2.yml:6:3: 错误：body（正文）：不能使用 <script> 标签" in message
    assert "data/documents/2021/c-2021-2.yml:8:1: 错误：body（正文）：<a> 的 href 不能使用 javascript: 地址" in message
    assert "data/documents/2021/c-2021-2.yml:8:38: 错误：body（正文）：<img> 不能带 onerror 属性（事件脚本）" in message
    replace_in(doc_site, "data/documents/2021/c-2021-2.yml", 'body: |\n  正文<script>alert(1)</script>\n\n  <a href="javascript:alert(2)">链接</a> <img src="x.png" onerror="alert(3)">',
               'body: |\n  正文<b>加粗</b>\n\n  <a href="../a-2020-1/">链接</a> <img src="x.png" alt="图">')
    doc_site.build()
    body = doc_site.html("documents/c-2021-2/index.html").find(class_="gk-body")
    assert body.find("b").get_text() == "加粗" and body.find("a")["href"] == "../a-2020-1/"
    assert body.find("img")["src"] == "x.png"


def test_document_on_request_is_listed_without_its_text(doc_site):
    replace_in(doc_site, "data/documents/2021/c-2021-2.yml", "category: 应急预案", "category: 应急预案\ndisclosure: 依申请公开")
    doc_site.write("data/disclosure/gov.yml", disclosure_yml(True, set()))  # no 应急预案 is public any more
    doc_site.build()
    page = doc_site.html("documents/c-2021-2/index.html")
    assert page.find(class_="gk-body") is None
    assert "为提高应对突发事件的能力" not in page.get_text()
    assert "本文件依申请公开，正文不在网上公布。" in page.get_text()


def test_lists_by_year_issuer_and_category_are_paginated_and_dated(doc_site):
    replace_in(doc_site, "mkdocs.yml", 'as_of: "2024-01-01"', 'as_of: "2024-01-01"\n      per_page: 2')
    doc_site.build()
    first = doc_site.html("documents/issuer/office/index.html")
    rows = cells(first.find("table", class_="gk-doclist"))
    assert [r[1] for r in rows] == ["《测试区政府信息公开规定》解读 解读", "测试区政府信息公开规定"]
    assert [r[4] for r in rows] == ["2021-05-10", "2021-05-10"]  # every entry shows its date
    pager = first.find("nav", class_="gk-pager")
    assert pager.p.get_text() == "共 5 件，第 1 / 3 页"  # four documents and the 制度 of the base site
    assert pager.find("a", rel="next")["href"] == "2/"
    second = doc_site.html("documents/issuer/office/2/index.html")
    assert [r[0] for r in cells(second.find("table", class_="gk-doclist"))] == ["3", "4"]
    assert (doc_site.out / "documents/issuer/office/3/index.html").is_file()
    assert doc_site.html("documents/year/2021/index.html").find("h1").get_text() == "2021年发布的文件"
    plans = doc_site.html("documents/category/2012/index.html")
    assert plans.find("h1").get_text() == "应急预案（第二十条第（十二）项）"
    assert [r[1] for r in cells(plans.find("table", class_="gk-doclist"))] == ["测试区突发事件总体应急预案"]


def test_register_lists_what_is_in_force(doc_site):
    doc_site.build()
    page = doc_site.html("documents/register/index.html")
    assert page.find("p", class_="gk-date").get_text() == "截至 2024年1月1日，现行有效的规范性文件共 1 件。"
    [table] = page.select("table")
    assert cells(table) == [["1", "测试区政府信息公开规定", "测政办〔2021〕3号", "2021-06-01", "2026-05-31", "现行有效"]]


def normative(site, doc_id: str, issuer: str, effective: str, number: str, published: str = "2022-01-05") -> None:
    """A 规范性文件 in force (written the day before it is published), with its 解读 published the same day."""
    site.write(f"data/documents/2022/{doc_id}.yml", f"""\
        title: 测试区{doc_id}管理办法
        kind: 规范性文件
        number: {number}
        issuer: {issuer}
        written: {published[:-2]}{int(published[-2:]) - 1:02d}
        published: {published}
        effective: {effective}
        category: 规章和规范性文件
        body: {doc_id}的全文。
        """)
    site.write(f"data/documents/2022/{doc_id}-jd.yml", f"""\
        title: 《测试区{doc_id}管理办法》解读
        kind: 政策解读
        issuer: {issuer}
        interprets: {doc_id}
        written: {published}
        published: {published}
        category: 规章和规范性文件
        body: 解读{doc_id}。
        """)


def test_a_compilation_past_its_size_is_one_part_per_issuer_and_loses_no_document(doc_site):
    normative(doc_site, "d-2022-1", "office", "2022-02-01", "测政办〔2022〕1号")
    normative(doc_site, "d-2022-2", "gov", "2022-03-01", "测政〔2022〕2号", published="2022-02-16")
    doc_site.write("data/disclosure/gov.yml", disclosure_yml(True, {"应急预案", "规章和规范性文件"}))
    replace_in(doc_site, "mkdocs.yml", 'as_of: "2024-01-01"', 'as_of: "2024-01-01"\n      compilation_most: 1')
    with_audit(doc_site)  # the parts are a list: each shows a date
    doc_site.build()
    index = doc_site.html("documents/compilation/index.html")
    assert "现行有效的规范性文件 3 件" in index.find("p", class_="gk-date").get_text()
    parts = [(a.get_text(), a["href"], *[td.get_text() for td in row.find_all("td")[2:]])
             for row in index.select("table tbody tr") for a in row.select("a")]
    assert parts == [("测试区人民政府制度文件汇编", "gov/", "1", "2022-02-16"),
                     ("测试区人民政府办公室制度文件汇编", "office/", "2", "2022-01-05")]
    shown = []
    for part in ("gov/index.html", "office/index.html", "office/2/index.html"):
        page = doc_site.html(f"documents/compilation/{part}")
        shown += [article.find("h2").get_text() for article in page.select("article.gk-compilation__doc")]
        crumbs = page.select("nav.gk-crumbs a")
        assert crumbs[-1].get_text() == "制度文件汇编" and crumbs[-1]["href"] == ("../../" if "/2/" in part else "../")  # the list of parts
    assert shown == ["测试区d-2022-2管理办法", "测试区政府信息公开规定", "测试区d-2022-1管理办法"]  # each once, by date within its part
    second = doc_site.html("documents/compilation/office/2/index.html")
    assert second.find("h1").get_text() == "测试区人民政府办公室制度文件汇编（第 2 页）"
    assert second.select_one("nav.gk-compilation__toc ol")["start"] == "2"
    assert second.find("nav", class_="gk-pager").p.get_text() == "共 2 件，第 2 / 2 页"


def test_a_shard_renders_the_parts_of_the_compilation_it_makes_and_no_other(doc_site, monkeypatch):
    from gongkai.plugin import GongkaiPlugin

    normative(doc_site, "d-2022-2", "gov", "2022-03-01", "测政〔2022〕2号", published="2022-02-16")
    doc_site.write("data/disclosure/gov.yml", disclosure_yml(True, {"应急预案", "规章和规范性文件"}))
    replace_in(doc_site, "mkdocs.yml", 'as_of: "2024-01-01"', 'as_of: "2024-01-01"\n      compilation_most: 1\n      shards:\n        offices: [office]')
    rendered = []
    render = GongkaiPlugin._render

    def noting(self, view, page, body):
        rendered.append(view.src_uri)
        return render(self, view, page, body)

    monkeypatch.setattr(GongkaiPlugin, "_render", noting)
    monkeypatch.setenv("GONGKAI_SHARD", "offices")
    doc_site.build()
    assert [uri for uri in rendered if uri.startswith("documents/compilation/")] == ["documents/compilation/office/index.md"]
    assert "测试区政府信息公开规定" in doc_site.html("documents/compilation/office/index.html").find("article").get_text()


def test_a_compilation_size_below_one_is_refused(doc_site):
    replace_in(doc_site, "mkdocs.yml", 'as_of: "2024-01-01"', 'as_of: "2024-01-01"\n      compilation_most: 0')
    assert "应为正整数，而不是 0" in doc_site.build_error()


def test_compilation_has_a_contents_list_and_the_full_texts(doc_site):
    doc_site.build()
    page = doc_site.html("documents/compilation/index.html")
    assert [a["href"] for a in page.select("nav.gk-compilation__toc a")] == ["#doc-b-2021-1"]
    article = page.find("article", class_="gk-compilation__doc")
    assert article.find("h2").get_text() == "测试区政府信息公开规定"
    assert article.find(class_="gk-body").get_text(strip=True) == "本规定自 2021 年 6 月 1 日起施行，原办法同时废止。"
    sidebar = [a.get_text(strip=True) for a in page.select("nav.md-nav--secondary a.md-nav__link")]
    assert "目录" not in sidebar  # the sidebar is titled 目录 already: the page's own 目录 is not one of its entries


def test_a_document_ends_with_its_sign_off_and_a_解读_does_not(doc_site):
    doc_site.build()
    signoff = doc_site.html("documents/a-2020-1/index.html").find(class_="gk-signoff")
    assert [p.get_text() for p in signoff.find_all("p")] == ["测试区人民政府办公室", "2020年3月2日"]  # 署名, 成文日期 (GB/T 9704)
    assert signoff.find("time")["datetime"] == "2020-03-02"
    assert doc_site.html("documents/a-2020-1-jd/index.html").find(class_="gk-signoff") is None


def test_cleanup_campaign_page(doc_site):
    doc_site.build()
    page = doc_site.html("documents/cleanups/c2020/index.html")
    assert cells(page.find("table")) == [["1", "测试区政府信息公开办法", "测政办〔2020〕1号", "区政府办", "继续有效", "2020-11-30", ""]]
    assert "2020年规范性文件清理" in doc_site.html("documents/cleanups/index.html").find("table").get_text()


def test_feed_and_sitemap(doc_site):
    doc_site.build()
    feed = ET.parse(doc_site.out / "documents/feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.find("a:title", ns).text for e in feed.findall("a:entry", ns)]
    assert titles[0] == "测试区突发事件总体应急预案"
    assert feed.find("a:entry/a:link", ns).get("href") == "https://test.example.gov.cn/documents/c-2021-2/"
    assert doc_site.html("documents/index.html").find("a", string="Atom 订阅")["href"] == "feed.xml"
    sitemap = (doc_site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://test.example.gov.cn/documents/a-2020-1/</loc>" in sitemap
    assert "<lastmod>2020-03-04</lastmod>" in sitemap


def test_overview_counts(doc_site):
    doc_site.build()
    page = doc_site.html("documents/index.html")
    assert page.find("p", class_="gk-date").find_next("p").get_text(" ", strip=True).startswith("本平台共公开文件 6 件，其中现行有效的规范性文件 1 件。")
    years = [li.get_text(" ", strip=True) for li in page.select("#years + ul li")]
    assert years == ["2021年 （3 件）", "2020年 （2 件）", "2019年 （1 件）"]
