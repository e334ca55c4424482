"""Pagefind given pages without what comes before their search body indexes them as it indexes the whole pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_search_parts import decoded

from gongkai.search import parts
from gongkai.search.parts import BUNDLE, indexable, run_pagefind
from gongkai.search.trim import body_start, trimmed

HEAD = ('<!doctype html>\n<html lang="zh-CN" class="no-js"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="/assets/a.css"><title>{title} - 鲤城区</title>'
        '<script>__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0)</script></head>\n<body dir="ltr">'
        '<input class="md-toggle" type="checkbox" id="__drawer"><header class="md-header">'
        '<svg viewBox="0 0 24 24"><path d="M3 6h18v2H3V6m0 5h18v2H3v-2z"/></svg><span>鲤城区政务公开</span></header>'
        '<nav class="md-nav"><ul><li><a href="/units/">机构</a></li><li><a href="/documents/">文件库</a></li></ul></nav>\n')
BODY = ('<main><article><div data-pagefind-body><h1 id="top">关于{title}的通知</h1><p>{title}正文内容，社会救助。</p>'
        '<span data-pagefind-filter="类型">文件</span></div></article></main>')
FOOT = '<footer><p>主办单位：鲤城区人民政府办公室</p><img src="/assets/badge.png" alt="党政机关"></footer></body></html>\n'

# Before the body, each of these says something Pagefind keeps, or makes the marked tag no tag at all. Each is
# a class: cut at the marked tag, the page would be indexed otherwise.
TELLING = {
    "h1-in-header": "<header><h1>站点名称</h1></header>",
    "h1-upper-case": "<HEADER><H1>站点名称</H1></HEADER>",
    "meta-outside": '<span data-pagefind-meta="作者:办公室"></span>',
    "filter-outside": '<span data-pagefind-filter="年份">2020</span>',
    "ignored-ancestor": '<div data-pagefind-ignore="all">',
    "marker-in-comment": "<!-- <div data-pagefind-body>旧版正文</div> -->",
    "marker-in-script": "<script>document.write('<div data-pagefind-body>脚本正文</div>')</script>",
    "marker-in-attribute": '<meta name="x" content="<div data-pagefind-body>属性正文</div>">',
    "marker-in-textarea": "<textarea><div data-pagefind-body>文本框正文</div></textarea>",
    "marker-in-title": "<title><div data-pagefind-body>标题正文</div></title>",
    "marker-in-conditional-comment": "<!--[if lt IE 9]><div data-pagefind-body>旧版浏览器正文</div><![endif]-->",
}
# These say nothing Pagefind keeps, but are read in ways a cut must not guess at: the page is given whole, or
# cut, and indexed the same either way.
UNUSUAL = {
    "stray-angle-bracket": "<p>甲 > 乙</p>",
    "noscript": "<noscript><img src=/a.png></noscript>",
    "iframe": '<iframe src="/x/"></iframe>',
    "processing-instruction": "<?xml version='1.0'?>",
    "cdata-in-svg": "<svg><![CDATA[ x ]]></svg>",
    "abrupt-comment": "<!--> 甲",
    "style-with-comment": "<style>/* <!-- */ a{color:red}</style>",
    "script-end-tag-with-space": "<script>var a = 1;</script >",
    "image-in-header": '<img src="/logo.png" alt="标志">',
    "old-bundle": '<script src="/_pagefind/pagefind.js"></script>',
    "second-html-lang": '<html lang="en">',  # (the language is given to Pagefind)
    "svg-left-open": '<svg viewBox="0 0 8 8"><path d="M0 0h8"/>',
}


def page(name: str, inserted: str = "") -> bytes:
    if name in WHOLE:
        return WHOLE[name].encode()
    return (HEAD.format(title=name) + inserted + BODY.format(title=name) + FOOT).encode()


# Pages of another head: a `</title>` that ends no title (the page has none) but a script, which the cut would leave open.
WHOLE = {"title-end-in-script": "<!doctype html><html><head><script>var end = '</title>';</script></head><body><nav>导航</nav>"
                                + BODY.format(title="脚本") + '<script src="/a.js"></script>' + FOOT}
TELLING.update(dict.fromkeys(WHOLE, ""))


def naive(page: bytes) -> bytes:
    """The cut without the checks: the head to its title, then the page from the first marked tag."""
    head = page.find(b"</title>") + len(b"</title>")
    return page[:head] + b"</head><body>" + page[body_start(page):]


def indexed(site: Path, out: Path, monkeypatch, given) -> dict:
    """What Pagefind's index (one part) says of the site's pages, given each page as `given` makes it."""
    with monkeypatch.context() as m:
        m.setattr(parts, "trimmed", given)
        run_pagefind(site, indexable(site), out)
    return decoded(out)


def of_page(index: dict, url: str) -> tuple:
    """What the index says of one page."""
    words = {word: (pages.get(url), {form: more.get(url) for form, more in variants.items()})
             for word, (pages, variants) in index["words"].items()}
    return ([f for f in index["fragments"] if f'"url": "{url}"' in f], dict(index["pages"]).get(url),
            {word: said for word, said in words.items() if said != (None, {form: None for form in said[1]})},
            {(name, value) for name, values in index["filters"].items() for value, urls in values.items() if url in urls})


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("trim") / "site"
    for name, inserted in {"plain": "", **TELLING, **UNUSUAL}.items():
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_bytes(page(name, inserted))
    return site


def test_a_page_of_our_templates_is_given_from_its_head_and_body(crafted):
    whole = (crafted / "plain/index.html").read_bytes()
    short = trimmed(whole)
    assert short is not None and b"<nav" not in short and b"__drawer" not in short and len(short) < len(whole) * 0.7
    assert short.startswith(whole[:whole.find(b"</title>")]) and short.endswith(whole[body_start(whole):])


def test_pages_are_indexed_as_whole_pages_are_and_cut_naively_some_would_not_be(crafted, tmp_path, monkeypatch):
    whole = indexed(crafted, tmp_path / "whole", monkeypatch, lambda page: None)
    given = indexed(crafted, tmp_path / "given", monkeypatch, trimmed)
    cut = indexed(crafted, tmp_path / "cut", monkeypatch, lambda page: naive(page) if body_start(page) != -1 else None)
    assert given == whole
    assert whole["page_count"] == 1 + len(TELLING) + len(UNUSUAL) - 1  # (the ignored ancestor hides its page)
    for name in TELLING:
        assert trimmed(page(name, TELLING[name])) is None, name
        assert of_page(cut, f"/{name}/") != of_page(whole, f"/{name}/"), name  # the case tells: the cut would change it
    assert of_page(cut, "/plain/") == of_page(whole, "/plain/")
    assert trimmed(page("image-in-header", UNUSUAL["image-in-header"])) is not None  # no title before it: no image taken


def test_the_demo_is_indexed_as_its_whole_pages_are(demo_site, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(demo_site.out, site, ignore=shutil.ignore_patterns(BUNDLE))
    pages = indexable(site)
    given = [trimmed((site / name).read_bytes()) for name in pages]
    assert sum(short is not None for short in given) > 0.9 * len(pages)  # our own templates' pages are cut
    assert indexed(site, tmp_path / "given", monkeypatch, trimmed) == indexed(site, tmp_path / "whole", monkeypatch, lambda page: None)


def test_pages_are_staged_on_disk_where_memory_has_no_room(crafted, tmp_path, monkeypatch):
    in_memory = indexed(crafted, tmp_path / "in-memory", monkeypatch, trimmed)
    full, staged_in = tmp_path / "full", []
    full.mkdir()
    real_stage = parts._stage

    def stage(page: Path, staged: Path) -> None:
        staged_in.append(staged)
        if full in staged.parents:
            raise OSError(28, "No space left on device")
        real_stage(page, staged)

    monkeypatch.setattr(parts, "STAGING", (tmp_path / "missing", full))
    monkeypatch.setattr(parts, "_stage", stage)
    assert indexed(crafted, tmp_path / "on-disk", monkeypatch, trimmed) == in_memory
    assert any(full in staged.parents for staged in staged_in)  # tried there first
    assert not list(full.iterdir())  # and left nothing behind
