"""The last build's output, set aside instead of deleted while the build waits, and its folders reused.

MkDocs empties `site/` before it builds; at 10,000 documents that is 45,000 files and seconds
of a build that otherwise reuses almost everything. Just before, each entry of `site/` is
moved into a hidden folder beside it (a rename: no file is touched). A process of its own
deletes the files in it while the build goes on, keeping the folders. Before the build writes
its first file (`take_folders`: the kept pages' links, else the pages themselves), the folders
it writes into go back into `site/`: making 16,000 page folders again took seconds of system
calls (a `mkdir` costs ten times a link here), and removing them as many. Not earlier: when
the last site's files are their only copies (a cold build), deleting them outlasts the data
check, and the build waited 4 s for it. The other folders, and anything that could not be
emptied, are removed in the background; what the build left empty after all is removed at
its end (`sweep`). What cannot be moved (another file system, no right to write beside
`site/`) is left where it is, for MkDocs to delete as before.

    python -m gongkai.old_site FOLDER   # deletes the files under FOLDER; prints its folders, NUL-separated
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterator

PREFIX = ".site-old-"


class OldSite:
    """What `site/` held, moved aside into `trash`, where its files are being deleted."""

    def __init__(self, site_dir: Path, trash: Path):
        self.site_dir, self.trash = site_dir, trash
        self.taken: list[str] = []
        self._removing = False
        try:
            self._emptying: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-m", __name__, str(trash)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            self._emptying = None
        atexit.register(self.give_up)  # a build stopped before `take_folders` leaves nothing behind

    @classmethod
    def set_aside(cls, site_dir: Path) -> OldSite | None:
        """Move what `site/` holds (but hidden entries, which MkDocs keeps too) out of it, before MkDocs empties it."""
        try:
            entries = [entry for entry in os.scandir(site_dir) if not entry.name.startswith(".")]
            if not entries:
                return None
            trash = Path(tempfile.mkdtemp(prefix=PREFIX, dir=site_dir.parent))
        except OSError:
            return None
        for entry in entries:
            try:
                os.rename(entry.path, trash / entry.name)
            except OSError:  # another file system: MkDocs deletes it
                break
        return cls(site_dir, trash)

    def take_folders(self, needed: set[str]) -> None:
        """Put back the emptied folders among `needed` (paths in the site, with /), before anything is written;
        remove the rest. Nothing is put back unless every file was deleted."""
        folders = self._emptied()
        if folders:
            for folder in sorted(set(folders) - needed, key=_depth, reverse=True):
                _remove_folder(self.trash / folder)
            for name in {folder for folder in folders if "/" not in folder} & needed:
                try:
                    os.rename(self.trash / name, self.site_dir / name)
                except OSError:  # (MkDocs made it meanwhile)
                    continue
            self.taken = [folder for folder in folders if folder in needed]
        self.give_up()

    def sweep(self) -> None:
        """Remove the folders put back that the build left empty (a page MkDocs skipped for want of content).
        (An attempt each: 0.1 s for 16,000 folders, two thirds of it with `Path`s.)"""
        self.give_up()  # (none were put back: all of it goes)
        site_dir = str(self.site_dir)
        for folder in sorted(self.taken, key=_depth, reverse=True):
            _remove_folder(f"{site_dir}/{folder}")
        self.taken = []

    def give_up(self) -> None:
        """Remove what is still set aside, in the background (once)."""
        if self._removing:
            return
        self._removing = True
        atexit.unregister(self.give_up)
        if self._emptying is not None:
            self._emptying.kill()
            self._emptying.wait()
            self._emptying = None
        Removal(self.trash)

    def _emptied(self) -> list[str]:
        """The folders left once every file under `trash` was deleted; none if that failed."""
        if self._emptying is None:
            return []
        out, _ = self._emptying.communicate()
        failed, self._emptying = self._emptying.returncode != 0, None
        return [] if failed or not out else [os.fsdecode(name) for name in out.split(b"\0")]


def needed_folders(paths: list[str]) -> set[str]:
    """The folders (with /) that files at `paths` (in the site, with /) are in, and the folders those are in."""
    needed: set[str] = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder and folder not in needed:
            needed.add(folder)
            folder = folder.rpartition("/")[0]
    return needed


def _depth(folder: str) -> int:
    return folder.count("/")


def _remove_folder(folder: str | Path) -> None:
    try:
        os.rmdir(folder)
    except OSError:  # not empty (or gone)
        pass


def _empty(folder: str) -> Iterator[str]:
    """Delete every file under `folder` (links included, not followed), keeping the folders; their paths, with /."""
    todo = [("", folder)]
    while todo:
        prefix, path = todo.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((f"{prefix}{entry.name}/", entry.path))
                    yield prefix + entry.name
                else:
                    os.unlink(entry.path)


class Removal:
    """A folder being removed in the background: by `rm -rf` in its own process (so the build keeps
    both cores' worth of Python to itself), else by a thread (which the process waits for at exit)."""

    def __init__(self, folder: Path):
        rm = shutil.which("rm")
        self._process = subprocess.Popen([rm, "-rf", "--", str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True) if rm else None
        self._thread = None if rm else threading.Thread(target=shutil.rmtree, args=(folder, True))
        if self._thread:
            self._thread.start()

    def done(self) -> bool:
        return self._process.poll() is not None if self._process else not (self._thread and self._thread.is_alive())

    def wait(self) -> None:
        if self._process:
            self._process.wait()
        elif self._thread:
            self._thread.join()


if __name__ == "__main__":
    sys.stdout.buffer.write(b"\0".join(os.fsencode(name) for name in _empty(sys.argv[1])))
