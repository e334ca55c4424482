"""`audit/scan.py` on HTML written here: what the audit reads from one page, without a build."""

from __future__ import annotations

from gongkai.audit.facts import of_page
from gongkai.audit.scan import css_references, js_references, scan_html

PAGE = """<!doctype html><html lang="zh-CN"><head>
<title>测试页面 &amp; 标题</title>
<meta name="description" content="一句话 &quot;描述&quot;">
<META NAME="robots" CONTENT="noindex">
<link rel="stylesheet" href="/assets/a.css">
<style>body { background: url('img/bg.png') }</style>
<script>var u = "https://cdn.example.com/x.js";</script>
</head><body>
<!-- <img src="commented.png"> -->
<h1 id="top">标题</h1>
<IMG SRC="http://192.0.2.1/p.png" alt="">
<a href="#top">上</a><a name="old">旧锚点</a><a href='../x/'>相对</a>
<article><h1>标题</h1><time datetime="2024-01-01">2024-01-01</time><p>正文有十个字左右。</p></article>
<table data-gk-items><thead><tr><th>名</th></tr></thead>
<tbody><tr><td><time datetime="2024-01-01">x</time></td></tr><tr><td>无日期</td></tr></tbody></table>
<ul data-gk-items><li>一</li></ul>
</body></html>"""


def test_references_say_how_they_were_written_and_whether_they_load():
    page = scan_html(PAGE)
    found = {(r.url, r.where, r.loads) for r in page.references}
    assert ("/assets/a.css", "link href", True) in found
    assert ("http://192.0.2.1/p.png", "src", True) in found  # upper-case tags and attributes too
    assert ("#top", "href", False) in found and ("../x/", "href", False) in found
    assert ("img/bg.png", "style 元素 url()", True) in found
    assert ("https://cdn.example.com/x.js", "JS 字符串", False) in found  # listed, not known to load
    assert not any("commented" in url for url, _, _ in found)  # comments are not references


def test_anchors_metadata_and_counts():
    page = scan_html(PAGE)
    assert {"top", "old"} <= page.ids
    assert page.title == "测试页面 & 标题" and page.description == '一句话 "描述"'
    assert page.robots_noindex and page.has_date and page.h1_count == 2
    assert page.item_lists == [(2, 1), (1, 1)]  # (entries, entries without a date) of each list
    assert page.content_chars is not None and page.content_chars > 0
    assert "正文有十个字左右" in page.text and "cdn.example.com" not in page.text  # script text is not page text
    assert page.inline_scripts == ['var u = "https://cdn.example.com/x.js";']


def test_anchors_are_ids_and_names_of_links_only():
    page = scan_html("<div ID='box'><form><input name=\"q\" id=\"q-field\"></form><A NAME=old>旧</A><p name=\"p\">x</p></div>")
    assert page.ids == {"box", "q-field", "old"}


def test_each_reference_carries_its_line_whatever_order_it_was_found_in():
    source = "<html>\n<body>\n<img src=a.png>\n<script>\nvar u = 'https://x.example.com/';\n</script>\n\n<a href=b/>\n</body></html>"
    found = {(url, line, where) for url, line, _, where in of_page(source.encode())["references"]}
    # the script's reference is found first, the attributes' after: lines are still those of the page
    assert found == {("a.png", 3, "src"), ("https://x.example.com/", 5, "JS 字符串"), ("b/", 8, "href")}


def test_a_page_without_article_has_no_content_count():
    assert scan_html("<html><body><p>x</p></body></html>").content_chars is None


def test_css_and_script_references():
    css = "a { background: url(data:image/png;base64,AAAA) } @import 'https://fonts.example.com/f.css'; b { src: url(\"x.woff2\") }"
    assert [(r.url, r.where) for r in css_references(css)] == [("https://fonts.example.com/f.css", "CSS @import"), ("x.woff2", "CSS url()")]
    assert [r.url for r in js_references("fetch('https://api.example.com/v1'); var s = 'plain text';")] == ["https://api.example.com/v1"]


def test_attributes_are_found_from_their_equals_signs_as_from_the_spaces_before_them():
    import random

    from gongkai.audit.scan import _ATTRIBUTE, _ATTRIBUTE_AT_EQUALS, _SPACE_BEFORE_EQUALS, _VALUE_GROUP, _attributes_found

    def slow(lower: str) -> list:
        return [(m.start(), m[1], m.start(2), m.end(2)) for m in _ATTRIBUTE.finditer(lower)]

    written = ['<img src="a.png" srcset="a.png 1x, b.png 2x" imagesrcset=c.png>', "<a href='x' data-href=y xhref=z>",
               '<form action=/f><button formaction="/g">', '<p title="a src=b.png" id=top>', "<p>src=x 与\u3000href=y</p>",
               '<a\nhref="/n"\tname=old>', "<video poster=p.jpg data=d background=''>", '<q cite="/c" style="x:url(a)">',
               '<a href=">">', '<a href=  "/spaced-after">', "<a id=>", "srcset=a", " id=x", "=src id=a=b"]
    tokens = [" ", "\n", "\t", "\u3000", "\xa0", "src", "srcset", "imagesrcset", "set", "data", "-", "href", "id", "name",
              "action", "form", "style", "cite", "poster", "=", "==", '"', "'", ">", "<a", "x", "中", "/",
              " src=", " href=", "\tid=", "\u3000name=", "\nsrcset=", ' style="', " data='"]
    rng = random.Random(7)
    fuzzed = ["".join(rng.choice(tokens) for _ in range(rng.randint(1, 40))) for _ in range(4000)]
    fast_finds = 0
    for lower in written + fuzzed:
        assert list(_attributes_found(lower)) == slow(lower), lower
        if _SPACE_BEFORE_EQUALS.search(lower) is None:
            fast_finds += bool(slow(lower))
            fast = [(m.start() - len(n) - 1, n, m.start(_VALUE_GROUP), m.end(_VALUE_GROUP))
                    for m in _ATTRIBUTE_AT_EQUALS.finditer(lower) for n in [next(filter(None, m.groups()))]]
            assert fast == slow(lower), lower
    assert fast_finds > 1000  # the fast pattern was tried on pages where there is something to find
    assert len(slow(written[0])) == 3 and _SPACE_BEFORE_EQUALS.search("<a href =x>")
