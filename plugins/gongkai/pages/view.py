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
    needs_bodies: bool = False
    """Rendered after every page's Markdown, because it shows other pages' bodies (汇编)."""
    search: SearchEntry | None = None
    """How the page is indexed for search; None keeps it out of the index (list pages)."""
