"""The last build's output, set aside instead of deleted while the build waits.

MkDocs empties `site/` before it builds; at 10,000 documents that is 45,000 files and seconds
of a build that otherwise reuses almost everything. Just before, each entry of `site/` is
moved into a hidden folder beside it (a rename: no file is touched), and that folder is
removed by a process of its own while the build goes on. What cannot be moved (another file
system, no right to write beside `site/`) is left where it is, for MkDocs to delete as before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

PREFIX = ".site-old-"


def set_aside(site_dir: Path) -> None:
    """Move what `site/` holds (but hidden entries, which MkDocs keeps too) out of it, and remove it in the background."""
    try:
        entries = [entry for entry in os.scandir(site_dir) if not entry.name.startswith(".")]
        if not entries:
            return
        trash = Path(tempfile.mkdtemp(prefix=PREFIX, dir=site_dir.parent))
    except OSError:
        return
    for entry in entries:
        try:
            os.rename(entry.path, trash / entry.name)
        except OSError:  # another file system: MkDocs deletes it
            break
    Removal(trash)


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
