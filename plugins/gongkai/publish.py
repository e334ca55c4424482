"""A failed build never replaces the published site, and nothing is left half-written.

MkDocs empties `site/` before it writes the first page, so a build that fails half way (a
crash, the audit refusing the result, a full disk) leaves no site at all. Here the site is
built into a new folder beside it, and only a build that passed (strict, search index and
audit included) is swapped in, by two renames on the same file system.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .last_preview import built_moved


class PublishFailed(Exception):
    """The message is Chinese; the previous site is as it was."""


def build_and_swap(config_file: Path, site_dir: Path) -> None:
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(staging)])
        if built.returncode != 0:
            raise PublishFailed(f"构建没有通过（退出码 {built.returncode}，原因见上方信息），原有的 {site_dir.name}/ 保持不变")
        swap(staging, site_dir)
        built_moved(config_file.resolve().parent, staging, site_dir)  # a preview may show it while it builds its own
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap(new: Path, site_dir: Path) -> None:
    """Put `new` where `site_dir` is; the old site is removed only once the new one is in place."""
    old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    try:
        new.rename(site_dir)
    except OSError:
        if old.exists():
            old.rename(site_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
