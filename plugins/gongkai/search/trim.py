"""A page as Pagefind needs it: without the header and navigation before its search body.

Pagefind reads every byte of a page, but once the page marks its body (`data-pagefind-body`) it
keeps nothing from outside that element except what a few attributes and tags say (its parser,
`fossick/parser.rs`): `data-pagefind-*` anywhere, the first `<h1>` (the title when none is
given), the `<title>`, an image after the title, the `<html lang>`. On a page at 10,000 documents
about two thirds of the bytes come before the body: reading them was a fifth of Pagefind's work.

So Pagefind is given the page's head up to its `<title>`, then the page from its body on, when the
part left out provably says none of those things: it is read as markup without doubt (tags,
doctype, comments, scripts and styles, and text, none holding a stray `<` or `>`), so the body's
tag is a tag and not text in a comment, a script or an attribute, and it names none of them. Any
page where that cannot be shown is given whole. The test indexes pages both ways and compares.
"""

from __future__ import annotations

import re

BODY_NAME = b"data-pagefind-body"
BODY_TAG = re.compile(rb"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=/>]")
_TITLE_END = b"</title>"

# The markup the part before the body may be made of (lower-cased): text, start and end tags not of an element whose
# text is read otherwise (raw text, RCDATA, plaintext), the doctype, complete comments, a title of text, and scripts
# and styles ending at their end tag.
_RAW_TEXT = rb"(?:title|textarea|xmp|iframe|noembed|noframes|noscript|plaintext|script|style)\b"
_PLAIN_MARKUP = re.compile(
    rb"(?:[^<>]++"
    rb"|</?(?!" + _RAW_TEXT + rb")[a-z][^<>]*+>"
    rb"|<!doctype\b[^<>]*+>"
    rb"|<!--(?!-?>)[^<>]*?-->"
    rb"|<title\b[^<>]*+>[^<>]*+</title>"
    rb"|<(script|style)\b[^<>]*+>(?:(?!</\1|<!--)[\s\S])*+</\1>"
    rb")*+")
# What Pagefind takes from before the body (an image only after a title, which then cannot come before the body)
_TELLING = (b"data-pagefind", b"<h1", b"_pagefind")
# and what it takes from a second one of these.
_ONCE = (b"<title", b"<html")


def body_start(page: bytes) -> int:
    """Where the first tag marked `data-pagefind-body` begins; -1 without one. The pattern is tried only from the `<`
    before each mention of the attribute's name: searching a whole 35 KB page with it took 4 s for 16,000 pages."""
    at = page.find(BODY_NAME)
    while at != -1:
        start = page.rfind(b"<", 0, at)
        if BODY_TAG.match(page, start, at + len(BODY_NAME) + 1):
            return start
        at = page.find(BODY_NAME, at + 1)
    return -1


def trimmed(page: bytes) -> bytes | None:
    """The page as Pagefind reads it to the same index, without the part before its body; None when that
    part cannot be shown to say nothing Pagefind keeps (then it reads the whole page)."""
    cut = body_start(page)
    if cut == -1:
        return None
    before = page[:cut].lower()
    head = before.find(_TITLE_END) + len(_TITLE_END)  # (markup to there, too: not a `</title>` in a script)
    left_out = before[head:]
    if (head < len(_TITLE_END) or any(word in before for word in _TELLING) or any(word in left_out for word in _ONCE)
            or left_out.count(b"</head>") != 1 or left_out.count(b"<body") != 1 or _foreign_left_open(left_out)
            or _PLAIN_MARKUP.fullmatch(before) is None or _PLAIN_MARKUP.fullmatch(before, 0, head) is None):
        return None
    return page[:head] + b"</head><body>" + page[cut:]


def _foreign_left_open(markup: bytes) -> bool:
    """Whether an <svg> or <math> may still be open at the end (the body would be read as SVG or MathML)."""
    return any(markup.count(b"<" + name) != markup.count(b"</" + name) for name in (b"svg", b"math"))
