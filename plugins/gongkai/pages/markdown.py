"""Markdown written in data fields (report narratives, guide text), rendered and sanitized.

Document bodies go through MkDocs' own Markdown pipeline as page content; these shorter
texts sit between generated tables, so they are rendered here, once, with the same
sanitizer as bodies.
"""

from __future__ import annotations

import markdown as md
from markupsafe import Markup

from .sanitize import clean

_EXTENSIONS = ["tables", "attr_list", "sane_lists"]


def render(text: str | None, shift_headings: int = 2) -> Markup:
    """HTML of `text`; its headings start at h3 by default, under the page's own h2 sections."""
    if not text:
        return Markup("")
    converter = md.Markdown(extensions=[*_EXTENSIONS, "toc"], extension_configs={"toc": {"baselevel": 1 + shift_headings}})
    return Markup(clean(converter.convert(text)))
