"""Search indexes kept by the pages they were made from.

Pagefind has no incremental mode: it reads every page each time (tens of seconds at 10,000
documents). When a build's HTML is byte for byte that of a kept index — a preview started again,
a change that shows on no page Pagefind reads — the kept index is linked into the site instead.
Each kept file is checked against the digest noted when it was kept; a damaged index is made
again. Under `.cache/gongkai/search/`, the last few kept, safe to delete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

from ..cache import FOLDER, digest, file_digest, link, read_entry, write_entry

KIND = "search"
KEPT = 3
LIST = "files.json"


def pages_key(site_dir: Path, options: list[str]) -> str:
    """The digest of every HTML file Pagefind would read, with its version, its options and our
    code that rewrites its output (`stable.py`)."""
    parts: list[str | bytes] = [version("pagefind_bin_extended"), *options]
    parts += [path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))]
    for path in sorted(site_dir.rglob("*.html")):
        parts += [path.relative_to(site_dir).as_posix(), file_digest(path)]
    return digest(parts)


def take(project_root: Path, key: str, bundle: Path) -> bool:
    """Link the index kept for `key` in as `bundle`; False when there is none, or it is damaged."""
    kept = project_root / FOLDER / KIND / key
    found = read_entry(kept / LIST)
    try:
        if not found or not isinstance(found[0], dict) or not all(file_digest(kept / name) == sha for name, sha in found[0].items()):
            return False
    except OSError:  # a kept file is missing
        return False
    shutil.rmtree(bundle, ignore_errors=True)
    for name in found[0]:
        link(kept / name, bundle / name)
    os.utime(kept)  # recently used: kept longest
    return True


def keep(project_root: Path, key: str, bundle: Path) -> None:
    """Keep `bundle` (just made by Pagefind) for `key`; forget all but the last few kept."""
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
    kept = sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
    for old in kept[:-KEPT]:
        shutil.rmtree(old, ignore_errors=True)
