"""What one built file says, as the audit needs it: a function of its bytes alone, so kept
in the build's cache (`..cache`) and worked out again only for a file that changed.

Judging what a page links to needs the whole built site, so that stays out of the facts.
"""

from __future__ import annotations

import gzip
import json
import sys
from functools import cache
from pathlib import Path

from ..cache import digest
from ..personal_info import find
from . import csp
from .pages import page_rules
from .scan import Reference, css_references, js_references, scan_html

Facts = dict
"""JSON: references as [url, line, loads, where], ids, page rules as [severity, message],
inline script hashes, personal information as [kind, value, start]; for an index entry
only personal information, or broken."""


@cache
def code() -> str:
    """The audit's code that facts depend on: a new version reads every file again."""
    from .. import personal_info
    from . import pages, scan

    return digest(Path(module.__file__).read_bytes() for module in (personal_info, csp, pages, scan, sys.modules[__name__]))  # type: ignore[arg-type]


def decode(raw: bytes) -> str:
    """As Python reads a text file: bad bytes replaced, newlines made \\n."""
    return raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def of_page(raw: bytes) -> Facts:
    source = decode(raw)
    page = scan_html(source)
    return {
        "references": _with_lines(source, page.references),
        "ids": sorted(page.ids),
        "rules": [[severity, message] for severity, message in page_rules(page)],
        "scripts": sorted({csp.script_hash(body) for body in page.inline_scripts}),
        "personal": [[hit.kind, hit.value, hit.start] for hit in {hit.key: hit for hit in find(page.text)}.values()],
    }


def of_asset(raw: bytes, stylesheet: bool) -> Facts:
    """What a stylesheet or a script refers to (references as for a page). Kept like a page's: the site editor's
    script alone is 5 MB, and scanning it took 0.3 s of every build."""
    source = decode(raw)
    return {"references": _with_lines(source, css_references(source) if stylesheet else js_references(source))}


def _with_lines(source: str, references: list[Reference]) -> list[list]:
    """References as [url, line, loads, where]: lines counted from one reference to the next, in the page's order
    (listing every newline of the page first took twice as long)."""
    lines, line, at = [0] * len(references), 1, 0
    for n in sorted(range(len(references)), key=lambda n: references[n].offset):
        line, at = line + source.count("\n", at, references[n].offset), references[n].offset
        lines[n] = line
    return [[r.url, line, r.loads, r.where] for r, line in zip(references, lines)]


def of_index_entry(raw: bytes) -> Facts:
    """Personal information in one page's entry of the Pagefind index (its text, title and
    metadata, attributes included), which the search shows to anyone."""
    try:
        data = json.loads(gzip.decompress(raw).removeprefix(b"pagefind_dcd"))
    except (OSError, EOFError, ValueError):
        data = None
    if not isinstance(data, dict):
        return {"broken": True, "personal": []}
    texts = [str(data.get("content", "")), *map(str, (data.get("meta") or {}).values())]
    hits = {hit.key: hit for text in texts for hit in find(text)}.values()
    return {"broken": False, "personal": [[hit.kind, hit.value, hit.start] for hit in hits]}

