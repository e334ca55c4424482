"""Judging a page's references once per place they lead from (`links.Judge`) gives what judging each one does."""

from __future__ import annotations

import itertools

import pytest

from gongkai.audit.links import BuiltSite, Judge, judge
from gongkai.audit.scan import Reference

FILES = frozenset({"index.html", "404.html", "units/index.html", "units/u1/index.html", "documents/index.html",
                   "documents/d1/index.html", "documents/d2/index.html", "documents/register/index.html",
                   "documents/d1/a.pdf", "a/b/c/index.html", "a/b/index.html", "b/index.html", "rel/x"})
PAGES = ["index.html", "404.html", "documents/d1/index.html", "documents/d2/index.html", "documents/index.html",
         "units/u1/index.html", "a/b/c/index.html", "documents/d1/a.html"]
URLS = ["../../units/", "../register/", "../d1/a.pdf", "a.pdf", "./", ".", "..", "", "#top", "?page=2", "index.html#x",
        "../../../b/", "../../../../b/", "/units/", "/outside/", "//cdn.example.com/x.js", "https://xxgk.example.gov.cn/units/",
        "http://example.org/", "http://192.168.1.2/", "http:rel/x", "https:../b/", "mailto:a@example.org",
        "javascript:void(0)", "..//units/", " ../units/ ", "..\t/units/", "../a/../../b/", "../../a/b/../b/", "{{ url }}"]


@pytest.mark.parametrize("root", ["/", "/xxgk/"])
def test_a_remembered_verdict_is_the_one_judging_again_gives(root):
    site = BuiltSite("xxgk.example.gov.cn", root, FILES)
    judging = Judge(site)
    for page, pages_again in ((PAGES, False), (list(reversed(PAGES)), True)):  # the second round reads what the first kept
        for page_path, url, (loads, where) in itertools.product(page, URLS, [(False, "href"), (True, "src")]):
            expected = judge(Reference(url, 0, loads, where), page_path, site)
            assert judging(url, loads, where, page_path) == expected, (page_path, url, pages_again)
    # the same place from every document's folder is judged once, a link within a page once per page
    kept = [key for key in judging._verdicts if key[1:3] == (False, "href")]
    assert sum(key[0] == "../../units/" for key in kept) == len(PAGES) - 3  # the 4 pages two folders deep: 1
    assert sum(key[0] == "#top" for key in kept) == len(PAGES)
