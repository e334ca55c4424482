"""Nothing outside the repository is read, published or written.

A symbolic link may point anywhere (`env.pdf → /proc/self/environ` would copy the build's
secrets into the site), and an id typed on the command line may climb out of `data/`
(`../../x`). Both are judged by where the path really leads, links followed.
Links that stay inside the repository are allowed: two documents may share one attachment.
"""

from __future__ import annotations

import os
from pathlib import Path


def within(path: Path, root: Path) -> bool:
    """Whether `path`, every link on the way followed, lies inside `root`."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(root)))
    except (OSError, ValueError):
        return False


def outside_message(path: Path) -> str:
    try:
        target = os.path.realpath(path)
    except OSError:  # a link into what this user may not look into (/proc/1/cwd): where it says it leads
        target = _link_text(path)
    return f"这是指向仓库之外（{target}）的链接：仓库之外的文件不会读取或发布；请把文件本身放进仓库，或删除这个链接"


def _link_text(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return str(path)


class OutsideRepository(ValueError):
    pass


def confined(root: Path, path: Path) -> Path:
    """`path` if writing it stays inside `root`; raises OutsideRepository (in Chinese) if not."""
    if not within(path, root):
        raise OutsideRepository(f"拒绝写入 {path}：它不在仓库 {root} 之内")
    return path
