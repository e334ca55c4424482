"""Typed options of the `gongkai-search` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..config import PositiveInt


class MergedIndex(base.Config):
    """Another gongkai platform whose Pagefind index is searched together with this one."""

    url = c.Type(str)
    """Where its bundle is, e.g. https://sfj.example.gov.cn/pagefind/ (the server must allow CORS)."""
    label = c.Type(str, default="")
    """Shown to readers as where a result comes from, e.g. 区司法局平台."""
    weight = c.Type(float, default=1.0)
    """Multiplies its results' ranking: below 1 ranks them after this platform's own."""


class SearchConfig(base.Config):
    enabled = c.Type(bool, default=True)
    index_on_serve = c.Type(bool, default=True)
    """Index the `mkdocs serve` preview at all."""
    reindex_on_serve = c.Type(bool, default=False)
    """Index again on every rebuild of the preview; by default a rebuild keeps the index made when it started
    (the search index is a full Pagefind run: a second at 100 pages, tens of seconds at 10,000)."""
    part_pages = PositiveInt(default=400)
    """About how many pages each part of the index holds: after a change Pagefind reads again only the parts
    holding a changed page, and its memory grows with one part's pages, not the site's (`parts.py`)."""
    merge = c.ListOfItems(c.SubConfig(MergedIndex), default=[])
    """Other platforms searched from this one's search page (Pagefind multisite)."""
