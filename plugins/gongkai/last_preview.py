"""The preview's folders under `.cache/gongkai/preview/`, and the last one kept for the next `mkdocs serve`.

Starting the preview built the whole site before the server answered: at 10,000 documents about
35 s even with every page from the cache. So when the preview stops, the site it served (the last
good one) is kept, and the next preview at the same address serves it at once while it builds the
site again from the data and templates as they are now; live reload then shows the new pages.

The folders live beside the page cache (not in the system's temp dir, often another file system)
so that keeping one is a rename and the cached pages are linked into them, not copied. One folder
per address: two previews of a project at two ports keep their own.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

from .cache import FOLDER, digest
from .old_site import Removal

LAST = "last"
BUILT = "built-"


class Previews:
    """The preview folders of one address (`site_url`) of one project."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def of(cls, project_root: Path, site_url: str, address: tuple[str, int]) -> Previews | None:
        """The folders of this preview, once those a stopped one left behind are removed; None when they cannot be made
        here (a read-only checkout) or when another server answers at the address (they may be its own)."""
        if _answering(address):
            return None
        folder = project_root / FOLDER / "preview" / digest([site_url])[:16]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            left = [entry for entry in folder.iterdir() if entry.name.startswith(BUILT)]  # a preview that was killed
        except OSError:
            return None
        for entry in left:
            Removal(entry)
        return cls(folder)

    def new_folder(self) -> str:
        return tempfile.mkdtemp(prefix=BUILT, dir=self.folder)

    def holds(self, folder: str) -> bool:
        return Path(folder).parent == self.folder

    def take_last(self) -> str | None:
        """The last preview's site, moved to a folder of this one (so a preview stopped now does not leave it half kept)."""
        if not (self.folder / LAST).is_dir():
            return None
        try:
            taken = self.new_folder()
            os.replace(self.folder / LAST, taken)  # the empty folder made for the name is replaced
        except OSError:
            return None
        return taken

    def keep(self, served: str) -> None:
        """Keep the site served as the last preview (the one it replaces is removed)."""
        last = self.folder / LAST
        try:
            if last.exists():
                old = self.new_folder()
                os.replace(last, old)
                Removal(Path(old)).wait()
            os.replace(served, last)
        except OSError:
            Removal(Path(served)).wait()


def _answering(address: tuple[str, int]) -> bool:
    host, port = address
    host = {"": "localhost", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 — to connect, not to bind
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
