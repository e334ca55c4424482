"""Hard-link many files into the site in a process of its own, while the build goes on.

A build that takes most pages from the cache links each into the new site: at 10,000 documents
16,000 links and as many folders, seconds of system calls in the build's one busy thread
(`mkdocs serve` renders in one thread; the other core idles). The list is known once the build
has planned its pages, long before it writes them, so it is handed to a process on the other
core then, and the build waits for it only when the site must be whole.

    python -m gongkai.linker SITE_DIR < "source\\0target\\0source\\0target\\0…"

Folders are made only inside the site folder: when the build stops and its folder is removed,
the linker fails instead of making it again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .cache import link

BATCH = 4096  # pairs written to the other process at a time


class Linking:
    """Links under way: `source → target` pairs (targets in `site_dir`), by another process when one can be started."""

    def __init__(self, site_dir: Path, pairs: list[tuple[str | Path, str | Path]]):
        self.site_dir, self.pairs = site_dir, pairs
        self._process: subprocess.Popen | None = None
        if not pairs:
            return
        try:
            self._process = subprocess.Popen([sys.executable, "-m", __name__, site_dir], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL)
            assert self._process.stdin is not None
            for start in range(0, len(pairs), BATCH):  # (all at once took 80 MB for the 190,000 files of a merge)
                self._process.stdin.write(b"".join(os.fsencode(path) + b"\0" for pair in pairs[start:start + BATCH] for path in pair))
            self._process.stdin.close()
        except OSError:  # no process to be had (or it died at once): the build links them itself
            self._process = None

    def finished(self) -> bool:
        """Wait for the other process; whether it linked every pair."""
        process, self._process = self._process, None
        return process is not None and process.wait() == 0

    def wait(self) -> None:
        """Until every pair is linked (here, if the other process did not finish the job)."""
        if not self.finished():
            link_all(self.site_dir, self.pairs)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()


def remove_site(site_dir: str | os.PathLike) -> None:
    """Remove a site folder another process may still be linking into (a rebuild stopped half way): moved aside first,
    under a name that starts the same, since the linker adds folders only inside one still at its path. Removed where
    it stood, the linker made folders again behind `rmtree` and a part of the folder was left."""
    folder = os.fspath(site_dir)
    aside = f"{folder}-stopped"
    try:
        os.rename(folder, aside)
    except OSError:  # gone already, or another process's name is in the way: removed where it is
        aside = folder
    shutil.rmtree(aside, ignore_errors=True)


def link_all(site_dir: Path, pairs: list[tuple[str | Path, str | Path]]) -> None:
    def make_folder(folder: Path) -> None:
        _make_folder(site_dir, folder)

    for source, target in pairs:
        link(source, target, make_folder)


def _make_folder(site_dir: Path, folder: Path) -> None:
    """Make `folder` and the folders between it and `site_dir`, which must be there (FileNotFoundError if not)."""
    if folder == site_dir:  # a page at the top of a site whose folder is gone
        raise FileNotFoundError(site_dir)
    try:
        os.mkdir(folder)
    except FileExistsError:  # made by the build meanwhile
        pass
    except FileNotFoundError:
        if folder.parent == folder:  # `folder` was never in the site
            raise
        _make_folder(site_dir, folder.parent)
        _make_folder(site_dir, folder)


def main() -> None:
    paths = [os.fsdecode(name) for name in sys.stdin.buffer.read().split(b"\0")[:-1]]
    link_all(Path(sys.argv[1]), list(zip(paths[::2], paths[1::2])))


if __name__ == "__main__":
    main()
