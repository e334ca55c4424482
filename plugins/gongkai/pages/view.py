"""`View`: one generated page, before MkDocs and the theme get it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .search import SearchEntry


@dataclass
class View:
    src_uri: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    date: datetime.date | None = None
    """The date the page's information was last formed or changed; every page shows one."""
    markdown: str = ""
    in_nav: bool = False
    """Only section and list pages may be listed in the nav; bulk pages never are (see README)."""
    crumbs: tuple[tuple[str, str], ...] = ()
    """(title, src_uri) of the pages above this one, home page excluded."""
    files: tuple[tuple[str, Path | bytes], ...] = ()
    """Files published with the page: (src_uri, a file in data/ or the bytes to write)."""
    bodies_of: tuple[str, ...] = ()
    """The pages whose bodies it shows (汇编): it is rendered after every page's Markdown."""
    owner: str | None = None
    """The unit whose page it is (its shard builds it, `shards.py`); None for the platform's shared pages."""
    search: SearchEntry | None = None
    """How the page is indexed for search; None keeps it out of the index (list pages)."""

    @property
    def needs_bodies(self) -> bool:
        return bool(self.bodies_of)
