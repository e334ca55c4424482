"""The preview's folders under `.cache/gongkai/preview/`, and the last one kept for the next `mkdocs serve`.

Starting the preview built the whole site before the server answered: at 10,000 documents about
35 s even with every page from the cache. So when the preview stops, the site it served (the last
good one) is kept, and the next preview at the same address serves it at once while it builds the
site again from the data and templates as they are now; live reload then shows the new pages.

The folders live beside the page cache (not in the system's temp dir, often another file system)
so that keeping one is a rename and the cached pages are linked into them, not copied. One folder
per address: two previews of a project at two ports keep their own.

A first preview at an address serves, while it builds, the newest site the project has otherwise:
another address's last preview or the site the last `mkdocs build` wrote and passed, as a copy of
hard links (the original stays its owner's). Their pages carry another address or the published
one, which only the absolute links show, and only until the site built now replaces them.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

from .cache import FOLDER, digest, read_entry, stamp, write_entry
from .old_site import Removal

LAST = "last"
BUILT = "built-"
SITE_BUILT = "site.json"
"""Beside the addresses' folders: where the last build that passed wrote its site, and its home page's stamp."""


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
        folder = _folder(project_root) / digest([site_url])[:16]
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

    def copy_latest(self) -> tuple[str, str] | None:
        """A copy of the newest site of the project's other previews and its last build, and which it is; None if none."""
        found = [(_modified(last), "上次在另一地址预览", last) for last in self.folder.parent.glob(f"*/{LAST}")
                 if last.parent != self.folder]
        if built := _built_site(self.folder.parent / SITE_BUILT):
            found.append((_modified(self.folder.parent / SITE_BUILT), f"上次构建（{built}）", built))
        for _, what, site in sorted(found, key=lambda entry: entry[0], reverse=True):
            copy = self.new_folder()
            try:
                _linked_copy(site, Path(copy))
                return copy, what
            except OSError:  # on another file system (a copy of a whole site would take longer than building it)
                Removal(Path(copy))
        return None

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


def _folder(project_root: Path) -> Path:
    return project_root / FOLDER / "preview"


def _answering(address: tuple[str, int]) -> bool:
    host, port = address
    host = {"": "localhost", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 — to connect, not to bind
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def mark_built(project_root: Path, site_dir: Path) -> None:
    """The build that wrote `site_dir` passed: a preview may show it while it builds (`copy_latest`)."""
    write_entry(_marker(project_root), {"site": str(site_dir.resolve()), "home": stamp(site_dir / "index.html")})


def built_moved(project_root: Path, built: Path, to: Path) -> None:
    """The site a build that passed wrote into `built` is now at `to` (`publish.swap`)."""
    if _built_site(_marker(project_root), at=to) == built.resolve():
        mark_built(project_root, to)


def unmark_built(project_root: Path) -> None:
    """A build starts writing its site: until it passes, the site is no preview's to show."""
    _marker(project_root).unlink(missing_ok=True)


def _marker(project_root: Path) -> Path:
    return _folder(project_root) / SITE_BUILT


def _built_site(marker: Path, at: Path | None = None) -> Path | None:
    """The site the last build that passed wrote, if it is still as written (its home page not replaced),
    at the place it was written or at `at`."""
    entry = read_entry(marker)
    if entry is None or not isinstance(entry[0], dict):
        return None
    site, home = Path(str(entry[0].get("site"))), entry[0].get("home")
    return site if home and list(stamp((at or site) / "index.html") or ()) == home else None


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _linked_copy(site: Path, copy: Path) -> None:
    """Link every file of `site` into the (empty) folder `copy`; hidden entries at the top (a deployment's) are left.
    Raises OSError when a file cannot be linked or a folder went away meanwhile: no half copy."""
    shutil.copytree(site, copy, copy_function=os.link, dirs_exist_ok=True,
                    ignore=lambda folder, names: [name for name in names if name.startswith(".")] if Path(folder) == site else [])
