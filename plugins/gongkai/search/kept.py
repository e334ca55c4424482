"""Search indexes kept by the pages they were made from.

Pagefind has no incremental mode: it reads every page it is given each time. The index is made
in parts (`parts.py`); a part whose pages are byte for byte those of a kept part is linked in
instead of indexed again, and a site whose every part is kept takes the merged index as it is.
Each kept file is checked against the digest noted when it was kept; a damaged one is made
again. Under `.cache/gongkai/search/`: the ones the last build used and a few more, safe to delete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..cache import FOLDER, file_digest, link, read_entry, write_entry

KIND = "search"
LIST = "files.json"


def take(project_root: Path, key: str, bundle: Path) -> bool:
    """Link the index kept for `key` in as `bundle`; False when there is none, or it is damaged."""
    kept = project_root / FOLDER / KIND / key
    files = sound(kept)
    if files is None:
        return False
    shutil.rmtree(bundle, ignore_errors=True)
    for name in files:
        link(kept / name, bundle / name)
    os.utime(kept)  # recently used: kept longest
    return True


def sound(kept: Path) -> list[str] | None:
    """The files of the index kept in `kept`; None when there is none, or it is damaged."""
    found = read_entry(kept / LIST)
    try:
        if not found or not isinstance(found[0], dict) or not all(file_digest(kept / name) == sha for name, sha in found[0].items()):
            return None
    except OSError:  # a kept file is missing
        return None
    return list(found[0])


def keep(project_root: Path, key: str, bundle: Path) -> None:
    """Keep `bundle` (just made) for `key`."""
    folder = project_root / FOLDER / KIND
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".tmp-"))
        files = {path.relative_to(bundle).as_posix(): file_digest(path) for path in sorted(bundle.rglob("*")) if path.is_file()}
        for name in files:
            link(bundle / name, staging / name)
        write_entry(staging / LIST, files)
        shutil.rmtree(folder / key, ignore_errors=True)
        staging.rename(folder / key)
    except OSError:
        return  # a read-only checkout builds without keeping


def prune(project_root: Path, used: set[str]) -> None:
    """Forget the kept indexes but those in `used` and as many again used most recently before them
    (a branch switched back and forth indexes nothing again)."""
    folder = project_root / FOLDER / KIND
    if not folder.is_dir():
        return
    others = sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in used),
                    key=lambda p: p.stat().st_mtime)
    for old in others[:-len(used)] if used else others:
        shutil.rmtree(old, ignore_errors=True)
