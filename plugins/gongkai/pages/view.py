"""`View`: one generated page, before MkDocs and the theme get it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from .search import SearchEntry


@dataclass(frozen=True)
class Made:
    """The bytes of a published file, made when the file is written rather than held by the build
    (the 答复文书 .docx: 36 KB each, ten per unit, 1 GB on a platform of 3,000 units)."""

    make: Callable[..., bytes]
    args: tuple[Any, ...]

    def bytes(self) -> bytes:
        return self.make(*self.args)


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
    files: tuple[tuple[str, Path | bytes | Made], ...] = ()
    """Files published with the page: (src_uri, a file in data/, the bytes to write or how to make them)."""
    bodies_of: tuple[str, ...] = ()
    """The pages whose bodies it shows (汇编): it is rendered after every page's Markdown."""
    shows_nav: bool = False
    """Its template lists the nav by the pages' titles, which their conversion gives (网站地图): converted after them."""
    owner: str | None = None
    """The unit whose page it is (its shard builds it, `shards.py`); None for the platform's shared pages."""
    search: SearchEntry | None = None
    """How the page is indexed for search; None keeps it out of the index (list pages)."""

    def outline(self) -> View:
        """The page as a build that does not make it needs it: where it is, its title, date, Markdown (shared
        with its record) and files; not what its template would show (a shard build, `shard_build.py`)."""
        return replace(self, context={}, crumbs=(), search=None)

    @property
    def needs_bodies(self) -> bool:
        return bool(self.bodies_of)
