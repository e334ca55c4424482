"""The parts of a platform's repository that a build reads: copied together wherever a copy is built
(tests, benchmarks, synthetic platforms), so no copy forgets one."""

from __future__ import annotations

import shutil
from pathlib import Path

PARTS = ("mkdocs.yml", "content", "data", "overrides", "admin")
"""Configuration, hand-written pages, records, theme overrides, the web editor's configuration."""

NPM_PACKAGES = Path("tools") / "cms"
"""The web editor's program (npm): linked, not copied (hundreds of megabytes, never changed by a build)."""


def copy_platform(project: Path, into: Path, parts: tuple[str, ...] = PARTS) -> None:
    """Copy `parts` of the platform at `project` into `into` and link its npm packages."""
    into.mkdir(parents=True, exist_ok=True)
    for name in parts:
        source = project / name
        if source.is_dir():
            shutil.copytree(source, into / name)
        elif source.is_file():
            shutil.copy(source, into / name)
    packages = project / NPM_PACKAGES
    if packages.is_dir() and not (into / NPM_PACKAGES).exists():
        (into / NPM_PACKAGES).parent.mkdir(parents=True, exist_ok=True)
        (into / NPM_PACKAGES).symlink_to(packages.resolve(), target_is_directory=True)
