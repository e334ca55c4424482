"""Reading an editor's text file: UTF-8 (a BOM allowed), within a size limit, problems as findings."""

from __future__ import annotations

from pathlib import Path

from ..findings import Finding, Position, error

MAX_DATA_FILE = 8 * 1024 * 1024
"""Bytes in one YAML file: the largest real file (a domain's 标准目录) is a few hundred KB."""
MAX_MARKDOWN = 4 * 1024 * 1024
"""Bytes in one Markdown body or hand-written page."""


def read_text(path: Path, shown: str, limit: int, what: str = "文件") -> str | Finding:
    """The text of `path` (shown to editors as `shown`), or the error that stops it being read."""
    try:
        size = path.stat().st_size
        if size > limit:
            return error(Position(shown), f"{what}过大（{size / 1024 / 1024:.1f} MB，上限 {limit // 1024 // 1024} MB）；请拆分成几个{what}")
        raw = path.read_bytes()
    except OSError as exc:
        return error(Position(shown), f"无法读取文件（{exc.strerror or exc}）")
    return decoded(raw, shown)


def decoded(raw: bytes, shown: str) -> str | Finding:
    """A text file's bytes as Python reads them (a BOM dropped, newlines made \\n), or the error if they are not UTF-8."""
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        return error(Position(shown), "文件不是 UTF-8 编码；请用 UTF-8 重新保存")
