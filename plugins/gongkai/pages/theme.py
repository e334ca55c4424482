"""Repairs to what mkdocs-material writes, made on the finished page.

Each is a small, exact replacement of markup the Nu HTML Checker rejects; the alternative,
overriding the partials that write it, would mean keeping copies of Material's templates.
"""

from __future__ import annotations

import re

# Material keeps Firefox from restoring its hidden toggles with autocomplete="off", which
# HTML allows on text inputs only.
_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"')
# A nav section label gets tabindex="" (an empty value is not a number).
_EMPTY_TABINDEX = ' tabindex=""'
# The table of contents is labelled for the "__toc" toggle, which only pages listed in the
# nav have.
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def repair(html: str) -> str:
    html = _TOGGLE_AUTOCOMPLETE.sub(r"\1", html)
    html = html.replace(_EMPTY_TABINDEX, "")
    if 'id="__toc"' not in html:
        html = html.replace(_TOC_LABEL, '<label class="md-nav__title">')
    return html


_ID = re.compile(r'\b(id|href)="(#?)([^"]*)"')


def scope_ids(html: str, prefix: str) -> str:
    """Make the ids of one document's body unique where several bodies share a page (汇编):
    every id, and every link to one of them, gets `prefix`."""
    ids = set(re.findall(r'\bid="([^"]*)"', html))

    def rename(match: re.Match) -> str:
        attribute, hash_, value = match.groups()
        if attribute == "id":
            return f'id="{prefix}{value}"'
        if hash_ and value in ids:
            return f'href="#{prefix}{value}"'
        return match.group()

    return _ID.sub(rename, html)
