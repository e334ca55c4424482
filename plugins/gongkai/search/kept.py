"""Search indexes kept by the pages they were made from.

Pagefind has no incremental mode: it reads every page it is given each time. The index is made
in parts (`parts.py`); a part whose pages are byte for byte those of a kept part is linked in
instead of indexed again, and a site whose every part is kept takes the merged index as it is.
Each kept file is checked against the digest noted when it was kept (read again only when it is no
longer the same file: another inode, size or modification time); a damaged one is made again.
Under `.cache/gongkai/search/`: the ones the last build used and as many more, safe to delete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..cache import FOLDER, file_digest, files_in, link, read_entry, stamp, write_entry

KIND = "search"
LIST = "files.json"
_KNOWN: dict[tuple[int, int, int], str] = {}
"""The digest of each file by its stamp, as checked or noted in this process (a merged index links
the parts' files: keeping it needs no file read again)."""


def take(project_root: Path, key: str, bundle: Path) -> bool:
    """Link the index kept for `key` in as `bundle`; False when there is none, or it is damaged."""
    kept = project_root / FOLDER / KIND / key
    files = _used(kept)
    if files is None:
        return False
    shutil.rmtree(bundle, ignore_errors=True)
    for name in files:
        link(kept / name, bundle / name)
    return True


def found(project_root: Path, key: str) -> Path | None:
    """The folder of the index kept for `key`, to be read where it is; None when there is none, or it is damaged."""
    kept = project_root / FOLDER / KIND / key
    return kept if _used(kept) is not None else None


def _used(kept: Path) -> list[str] | None:
    """`sound(kept)`, the folder then marked as used now (`prune` keeps the ones used last)."""
    files = sound(kept)
    if files is not None:
        os.utime(kept)
    return files


def sound(kept: Path) -> list[str] | None:
    """The files of the index kept in `kept`; None when there is none, or it is damaged."""
    entry = read_entry(kept / LIST)
    noted = entry[0] if entry else None
    if not isinstance(noted, dict) or not all(isinstance(v, list) and len(v) == 4 for v in noted.values()):
        return None
    folder = str(kept)
    for name, (sha, *as_kept) in noted.items():
        path = os.path.join(folder, name)  # not a Path: thousands of files a build
        now = stamp(path)
        try:
            if now is None or (list(now) != as_kept and _digest(path, now) != sha):  # missing, or damaged
                return None
        except OSError:
            return None
        _KNOWN[now] = sha
    return list(noted)


def _digest(path: str, now: tuple[int, int, int]) -> str:
    if now not in _KNOWN:
        _KNOWN[now] = file_digest(Path(path))
    return _KNOWN[now]


def keep(project_root: Path, key: str, bundle: Path) -> None:
    """Keep `bundle` (just made) for `key`."""
    folder = project_root / FOLDER / KIND
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".tmp-"))
        files = {}
        made, kept = str(bundle), str(staging)  # not Paths: thousands of files a build
        for name in files_in(bundle):
            now = stamp(os.path.join(made, name))
            if now is not None:
                files[name] = [_digest(os.path.join(made, name), now), *now]
        for name in files:
            link(os.path.join(made, name), os.path.join(kept, name))
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
