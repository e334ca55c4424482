"""Indexing: what is marked for Pagefind, the extended binary, and several platforms in one search."""

from __future__ import annotations

import gzip
import json
import sys

import pytest

from conftest import Sandbox, page, replace_in, serve, small_platform
from gongkai.audit.csp import policy, site_script_hashes
from gongkai.pages.search import FIELDS
from gongkai.search.stable import SIGNATURE


def with_search(site: Sandbox, merge: str = "") -> None:
    replace_in(site, "mkdocs.yml", "plugins:\n  - gongkai:", f"plugins:\n  - gongkai-search{merge}\n  - gongkai:")


def test_content_pages_carry_filters_metadata_and_a_date(doc_site):
    doc_site.build()
    page = doc_site.html("documents/b-2021-1/index.html")
    body = page.find(attrs={"data-pagefind-body": True})
    assert body is not None and body.find("h1").get_text() == "测试区政府信息公开规定"
    data = body.find(class_="gk-search-data")
    assert data.has_attr("data-pagefind-ignore")
    filters = {s["data-pagefind-filter"]: s.get_text() for s in data.find_all(attrs={"data-pagefind-filter": True})}
    assert filters == {"类型": "文件", "发布机构": "测试区人民政府办公室", "信息类别": "规章和规范性文件", "年份": "2021", "有效性": "现行有效"}
    meta = {s["data-pagefind-meta"]: s.get_text() for s in data.find_all(attrs={"data-pagefind-meta": True})}
    assert meta["文号"] == "测政办〔2021〕3号" and meta["发布日期"] == "2021-05-10"
    assert data.find(attrs={"data-pagefind-sort": True})["data-pagefind-sort"] == "date:2021-05-10"
    words = {s["data-pagefind-meta"]: s.get_text().split() for s in body.find(class_="gk-search-words").find_all("span")}
    assert {"测政办202103号", "政办20213号", "3号"} & set(words["n"]) == {"政办20213号", "3号"}  # the 文号 typed other ways
    assert words["y"] == ["2021"] and "信息" in words["t"] and "信息" in words["b"]


def test_the_fields_for_finding_are_not_in_what_a_reader_downloads(doc_site):
    with_search(doc_site)
    doc_site.build()
    bundle = doc_site.out / "pagefind"
    fragments = [json.loads(gzip.decompress(f.read_bytes())[len(SIGNATURE):]) for f in (bundle / "fragment").iterdir()]
    document = next(f for f in fragments if f["url"] == "/documents/b-2021-1/")
    assert document["meta"]["文号"] == "测政办〔2021〕3号" and not set(FIELDS) & set(document["meta"])
    assert "索引号" not in document["content"] and "发文机关" not in document["content"]  # the metadata table is not an excerpt


def test_lists_the_home_page_and_the_search_page_are_not_indexed(doc_site):
    with_search(doc_site)
    doc_site.build()
    for path in ("index.html", "documents/index.html", "documents/year/2021/index.html", "documents/register/index.html", "search/index.html"):
        assert doc_site.html(path).find(attrs={"data-pagefind-body": True}) is None, path
    for path in ("units/office/index.html", "documents/a-2020-1/index.html", "disclosure/guide/index.html", "disclosure/office/apply/index.html"):
        assert doc_site.html(path).find(attrs={"data-pagefind-body": True}) is not None, path
    marked = [p for p in doc_site.out.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert len(list((doc_site.out / "pagefind" / "fragment").iterdir())) == len(marked)  # every marked page, and nothing else


def test_the_build_stops_without_the_extended_binary(doc_site, monkeypatch):
    with_search(doc_site)
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)  # as if only pagefind-bin were installed
    message = doc_site.build_error()
    assert message.startswith("站内搜索需要 Pagefind 扩展版（支持中文分词）：请安装 pagefind[extended]")


def test_synonyms_from_data_are_indexed(doc_site):
    doc_site.write("data/search.yml", "synonyms:\n  - [规范性文件, 红头文件]\n")
    doc_site.build()
    words = doc_site.html("documents/a-2020-1/index.html").find(class_="gk-search-words").find(attrs={"data-pagefind-meta": "b"})
    assert {"红头", "头文"} <= set(words.get_text().split())


@pytest.mark.browser
def test_several_platforms_in_one_search(tmp_path, browser):
    other = small_platform(tmp_path / "other")
    other.write("content/notice.md", page("区司法局平台的通知", "紫帽山茶园法律服务点开放时间。"))
    with_search(other)
    other.build()
    with serve(other.out, headers={"Access-Control-Allow-Origin": "*"}) as other_url:
        main = small_platform(tmp_path / "main")
        with_search(main, f":\n      merge:\n        - url: {other_url}pagefind/\n          label: 区司法局平台\n          weight: 0.8")
        main.build()
        headers = {"Content-Security-Policy": policy(site_script_hashes(main.out), [other_url.rstrip("/")])}
        with serve(main.out, headers=headers) as main_url:
            tab = browser.new_page()
            errors = []
            tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            tab.goto(main_url + "search/?q=紫帽山茶园")
            tab.wait_for_selector(".gk-search__results li")
            assert tab.locator(".gk-search__results a").first.get_attribute("href") == other_url + "notice/"
            assert tab.locator(".gk-search__meta").first.inner_text().startswith("区司法局平台")
            assert errors == []
            tab.close()
