"""Clean HTML that came from editors' Markdown in `data/` (document bodies).

Markdown lets raw HTML through; data may carry Markdown but never script. nh3 (the Rust
`ammonia` sanitizer) keeps the structure Markdown produces and drops everything else:
scripts, styles, event handlers, `javascript:` links, frames, forms.
"""

from __future__ import annotations

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start", "type"},
    "time": {"datetime"},
}


def clean(html: str) -> str:
    if not html:
        return html
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, link_rel=None, url_schemes={"http", "https", "mailto"})
