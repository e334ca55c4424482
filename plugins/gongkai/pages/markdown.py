"""Markdown written in data fields (report narratives, guide text), rendered and sanitized.

Document bodies go through MkDocs' own Markdown pipeline as page content; these shorter
texts sit between generated tables, so they are rendered here, once, with the same
sanitizer as bodies.
"""

from __future__ import annotations

import re

import markdown as md
from markupsafe import Markup

from .sanitize import clean

_EXTENSIONS = ["tables", "attr_list", "sane_lists"]


_HEADING = re.compile(r"^(#{1,6})[ \t]", re.MULTILINE)


def render(text: str | None, shift_headings: int = 2) -> Markup:
    """HTML of `text`; its top headings become h3 by default (whether the editor wrote them
    `#`, `##` or `###`), under the page's own h2 sections."""
    if not text:
        return Markup("")
    top = min((len(m.group(1)) for m in _HEADING.finditer(text)), default=1)
    baselevel = max(1, 2 + shift_headings - top)
    converter = md.Markdown(extensions=[*_EXTENSIONS, "toc"], extension_configs={"toc": {"baselevel": baselevel}})
    return Markup(clean(converter.convert(text)))
