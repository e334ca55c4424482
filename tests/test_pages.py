"""`pages/`: the views made from a loaded platform, their addresses and search words, without a build."""

from __future__ import annotations

import io
import zipfile

from bs4 import BeautifulSoup

from conftest import TODAY
from gongkai.load import load_site
from gongkai.pages import generate, paths
from gongkai.pages.pagination import paginate
from gongkai.pages.replies import REPLIES
from gongkai.pages.search import SearchEntry, bigrams, block, findable, number_words, synonyms_in, words_of
from gongkai.pages.view import Made


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


def test_the_reply_templates_are_made_when_written_not_held_by_the_plan(doc_site):
    """Ten .docx per unit, 36 KB each: 1 GB held through a build of 3,000 units when made with the views."""
    site, views = views_of(doc_site)
    published = [(uri, source) for view in views.values() for uri, source in view.files if uri.endswith(".docx")]
    assert len(published) == len(REPLIES) * len(site.units)
    assert all(isinstance(source, Made) for _, source in published)
    doc_site.build()
    for uri, source in published:
        written = (doc_site.out / uri).read_bytes()
        assert written == source.bytes()
        assert zipfile.ZipFile(io.BytesIO(written)).testzip() is None
    unit = next(iter(site.units.values()))
    assert unit.name.encode() in zipfile.ZipFile(doc_site.out / paths.reply_docx(unit, "withheld")).read("word/document.xml")


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
    # whole, with the issuer's code cut short from the front, and by the serial; never the year alone
    assert number_words("泉鲤政办〔2020〕38号") == ["泉鲤政办202038号", "鲤政办202038号", "政办202038号", "办202038号", "38号"]
    assert number_words("泉鲤民〔2019〕12号、泉鲤财〔2019〕3号")[-1] == "3号"  # a joint number: each of its parts
    assert number_words("无规则 文号") == ["无规则文号"]
    # every pair of adjacent characters, across the words jieba would cut (营商|环境 or 营商环境)
    assert bigrams("优化营商环境。应急预案") == ["优化", "化营", "营商", "商环", "环境", "应急", "急预", "预案"]
    assert bigrams("局") == ["局"] and bigrams("QZ06101") == []
    assert words_of("区司法局 sfj") == ["区司", "司法", "法局", "sfj"]
    assert synonyms_in("最低生活保障标准", [["最低生活保障", "低保"], ["户籍", "户口"]]) == ["低保"]


def test_search_block_escapes_what_comes_from_data():
    html = str(block(SearchEntry("文件", None, {"发布机构": "<b>x</b>"}, {"文号": '"><script>'}, ["<i>"])))
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    words = findable('<script>标题</script>', "<p>正文</p>", SearchEntry("文件", keywords=['"><img src=x>']), [])
    assert "<script>" not in words and "<img" not in words


def test_search_fields_of_a_page():
    entry = SearchEntry("文件", filters={"年份": "2020"}, aliases=["简称"], keywords=["关键词", "sfj"], numbers=["泉鲤政办〔2020〕38号"])
    html = findable("鲤城区低保细则", "<h1>鲤城区低保细则</h1><p>最低生活保障<b>标准</b></p>", entry, [["最低生活保障", "低保"]])
    fields = {span["data-pagefind-meta"]: span.get_text().split() for span in BeautifulSoup(html, "html.parser").find_all("span")}
    assert fields["t"][:3] == ["鲤城", "城区", "区低"] and "简称" in fields["t"]
    assert fields["k"] == ["关键", "键词", "sfj"] and fields["y"] == ["2020"] and "38号" in fields["n"]
    assert "障标" in fields["b"] and "低保" in fields["b"]  # across an inline tag, and the synonym of what the text says
    assert "细则最" not in fields["b"]  # but not across the end of a heading
    assert findable("标题", "", None, [])  # a hand-written page: its title and text


def test_a_split_compilation_puts_each_part_with_its_issuer_and_every_text_in_one_part(demo_site):
    # (so that in a sharded build each part is made by its issuer's shard, not all by `shared`)
    import dataclasses

    loaded, _ = load_site(demo_site.root / "data", demo_site.root, TODAY)
    whole = {view.src_uri: view for view in generate(loaded)}[paths.COMPILATION]
    loaded.settings = dataclasses.replace(loaded.settings, compilation_most=2)
    views = generate(loaded)
    parts = [view for view in views if view.src_uri.startswith("documents/compilation/")]
    assert len({view.owner for view in parts}) > 1
    for view in parts:
        assert view.src_uri.split("/")[2] == view.owner
        assert {paths.document(d) for d in view.context["documents"]} == set(view.bodies_of)
        assert all(d.issuer == view.owner for d in view.context["documents"]) and len(view.bodies_of) <= 2
    assert sorted(uri for view in parts for uri in view.bodies_of) == sorted(whole.bodies_of)
    index = next(view for view in views if view.src_uri == paths.COMPILATION)
    assert index.owner is None and not index.bodies_of and index.in_nav
