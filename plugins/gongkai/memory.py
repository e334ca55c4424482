"""The build's memory: what Python's cycle collector walks, and what is given back before Pagefind
and the audit run beside the build process.

A build holds millions of objects that live as long as it does (records, views, pages), almost
none in a reference cycle. Python's collector walks all of them again whenever enough new
objects have survived: seventeen full walks, 5.5 seconds of a 24-second no-change build at
10,000 documents, freeing next to nothing. So once the records and the page plan are made they
are set aside from the collector (`settle`, Python's `gc.freeze`) until the build ends; the
collector still frees the cycles that rendering pages leaves (millions of objects when every
page is rendered), and the loading of `data/` and the index merge, which make no cycles, pause it.

Between their conversion and the theme, the pages' HTML waits, compressed (`HeldContent`): MkDocs
converts every page before it writes the first, and a forked helper renders half of them.

Once every page is written, the pages' Markdown and HTML (a few hundred MB at 10,000
documents) are garbage, but the build process keeps them, and the memory freed by Python
stays with the process unless the C allocator is asked to return it.

And once `mkdocs build` has published the site, the process ends without Python's teardown
(`leave_now`), which would free every one of those objects, one by one, for nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
import sys
import threading
import zlib
from contextlib import contextmanager
from typing import Iterator

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_settled = False


def settle() -> None:
    """Set what is alive now aside from the collector until the build ends (`unsettle`)."""
    global _settled
    gc.freeze()
    _settled = True


def unsettle() -> None:
    """The build has ended (or failed): what it set aside is the collector's again (`mkdocs serve` builds again
    in the same process: the last build's objects are garbage now)."""
    global _settled
    if _settled:
        gc.unfreeze()
        _settled = False


@contextmanager
def settling() -> Iterator[None]:
    """No automatic collection within the block, and what is alive at its end `settle`d: set aside
    before the collector is on again, which would otherwise walk everything the block made once more."""
    with collection_paused():
        yield
        settle()


@contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic collection within the block (left as it was after it)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class HeldContent:
    """Pages' HTML from their conversion to their theme, compressed: MkDocs holds every page's until it writes
    them all. The shared shard of 100,000 documents (the whole platform's lists) holds 287 MB less so."""

    def __init__(self) -> None:
        self._held: dict[str, bytes] = {}
        self._chars: dict[str, int] = {}

    def hold(self, page: Page, content: str) -> str:
        """What `on_page_content` gives MkDocs instead of `content` (until `give_back`)."""
        self._held[page.file.src_uri] = zlib.compress(content.encode("utf-8"), 1)
        self._chars[page.file.src_uri] = len(content)
        return ""

    def take(self, src_uri: str) -> tuple[bytes, int] | None:
        """A page's HTML as held, no longer held here (for `put` in another process)."""
        held = self._held.pop(src_uri, None)
        return None if held is None else (held, self._chars.pop(src_uri))

    def put(self, src_uri: str, held: tuple[bytes, int] | None) -> None:
        if held is not None:
            self._held[src_uri], self._chars[src_uri] = held

    def largest(self, pages: list[Page], least: int) -> list[Page]:
        """Those of `pages` whose HTML held is at least `least` characters long."""
        return [page for page in pages if self._chars.get(page.file.src_uri, 0) >= least]

    def give_back(self, page: Page) -> None:
        """Before the page is rendered through the theme."""
        held = self._held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = zlib.decompress(held).decode("utf-8")


def drop_pages(files: Files) -> None:
    for file in files.documentation_pages():
        if file.page is not None:
            file.page.markdown = file.page.content = None


def give_back() -> None:
    """Collect what was dropped and return it to the system (about a second at 10,000 documents)."""
    gc.collect()
    _return_free_memory()


def _return_free_memory() -> None:
    name = ctypes.util.find_library("c")
    if not name:
        return
    libc = ctypes.CDLL(name)
    if hasattr(libc, "malloc_trim"):  # glibc
        libc.malloc_trim(0)


def is_mkdocs_program() -> bool:
    """Whether this process is MkDocs' command line (`mkdocs build`, `python -m mkdocs build`), not a
    program that builds within itself (as the tests do) and goes on after the build."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return (spec is not None and spec.name == "mkdocs.__main__") or os.path.basename(sys.argv[0]) == "mkdocs"


def leave_now() -> None:
    """End a process whose work is done, as it would end (status 0), without freeing its objects first:
    the teardown took 2.8 s after a 20-second build at 10,000 documents, some 10 s after a shard of 100,000."""
    if threading.active_count() > 1:  # another thread's work would be cut short
        return
    if sys.getprofile() is not None or sys.gettrace() is not None:  # cProfile, coverage: they write at exit
        return
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
