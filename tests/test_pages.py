"""`pages/`: the views made from a loaded platform, their addresses and search words, without a build."""

from __future__ import annotations

from conftest import TODAY
from gongkai.load import load_site
from gongkai.pages import generate, paths
from gongkai.pages.pagination import paginate
from gongkai.pages.search import block, index_terms, number_terms, phrase_terms


def views_of(site):
    loaded, report = load_site(site.root / "data", site.root, TODAY)
    assert not report.errors, report.lines()
    return loaded, {view.src_uri: view for view in generate(loaded, per_page=2)}


def test_every_record_page_is_where_paths_says(doc_site):
    site, views = views_of(doc_site)
    for unit in site.units.values():
        assert paths.of(unit) == f"units/{unit.id}.md" in views
    for doc in site.documents.values():
        assert paths.of(doc) == f"documents/{doc.id}.md" in views
    doc = site.documents["a-2020-1"]
    assert views[paths.of(doc)].files == ((paths.attachment(doc, "a-2020-1-附件.pdf"), doc.path.parent / "a-2020-1-附件.pdf"),)
    assert paths.attachment(doc, "x.pdf") == "documents/a-2020-1/x.pdf"


def test_only_section_and_list_pages_are_in_the_nav(doc_site):
    _, views = views_of(doc_site)
    in_nav = {uri for uri, view in views.items() if view.in_nav}
    assert paths.DOCUMENTS in in_nav and paths.UNITS_INDEX in in_nav
    assert not any(uri.startswith(("units/", "documents/")) and uri.count("/") == 1 and not uri.endswith(("index.md", "directory.md",
                   "register.md", "compilation.md")) for uri in in_nav)


def test_lists_are_split_by_per_page_and_linked(doc_site):
    site, views = views_of(doc_site)
    years = {doc.year for doc in site.documents.values()}
    for year in years:
        count = sum(1 for doc in site.documents.values() if doc.year == year)
        pages = [uri for uri in views if uri.startswith(f"documents/year/{year}/")]
        assert len(pages) == -(-count // 2)


def test_every_page_has_a_date_and_a_description(doc_site):
    _, views = views_of(doc_site)
    assert all(view.date is not None and view.description for view in views.values())


def test_paginate_keeps_every_item_once_in_order():
    items = list(range(7))
    pages = list(paginate(items, 3, lambda n: f"p/{n}.md"))
    assert [list(chunk) for _, chunk, _ in pages] == [[0, 1, 2], [3, 4, 5], [6]]
    last = pages[-1][2]
    assert (last.number, last.previous, last.next, last.first_item, last.total) == (3, "p/2.md", None, 7, 7)
    assert [uri for uri, _, _ in paginate([], 3, lambda n: f"p/{n}.md")] == ["p/1.md"]  # an empty list still has its page


def test_search_words_for_numbers_and_titles():
    assert number_terms("泉鲤政办〔2020〕38号") == ["泉鲤政办〔2020〕38号", "泉鲤政办202038", "泉鲤政办 2020 38", "泉鲤政办2020年38号", "泉鲤政办[2020]38号"]
    assert number_terms("无规则文号") == ["无规则文号"]
    assert {"应", "案", "预案", "急预"} <= set(phrase_terms("应急预案"))
    assert index_terms("QZ06101-2001-2020-00038") == ["QZ06101-2001-2020-00038", "QZ06101 2001 2020 00038"]


def test_search_block_escapes_what_comes_from_data():
    from gongkai.pages.search import SearchEntry

    html = str(block(SearchEntry("文件", None, {"发布机构": "<b>x</b>"}, {"文号": '"><script>'}, ["<i>"])))
    assert "<script>" not in html and "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
