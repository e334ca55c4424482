"""Look for personal information in everything the platform publishes from `data/` and
`content/`: every value of every record, Markdown bodies, and attachments whose text can
be read (spreadsheets, Word documents, plain text). Whether a hit may stay is decided
later, with the whole platform known (`rules.privacy`)."""

from __future__ import annotations

from bisect import bisect_right
from functools import cache as cache_once
from itertools import groupby
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from .. import attachments, personal_info
from ..cache import Cache, digest
from ..findings import FieldPath, Position, SourceMap
from ..model.labels import field_label
from ..model.privacy import Found


def texts(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every text value of one YAML file, with the field it is in."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from texts(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from texts(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


def in_values(data: Any, source: SourceMap, model: type[BaseModel]) -> Iterator[tuple[FieldPath, Found]]:
    """Every hit in the plain values of one YAML file, with the field it is in."""
    for path, text in texts(data):
        for hit in personal_info.find(text):
            yield path, Found(source.at(path), field_label(path, model), hit)


def in_text(text: str, file: str, label: str = "正文", first_line: int = 1) -> Iterator[Found]:
    """Every hit in a text file, with its line and column; a number may run over two lines of
    one paragraph (a blank line ends the paragraph)."""
    starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    for hit in personal_info.find(text):
        line = bisect_right(starts, hit.start) - 1
        yield Found(Position(file, first_line + line, hit.start - starts[line] + 1), label, hit)


def in_attachment(path: Path, file: str, cache: Cache) -> tuple[list[Found], str | None]:
    """Every hit in the text an attachment holds, and why part of it could not be read (for a
    person to check). Raises `attachments.Malformed` for a broken file.

    What is found is kept in the cache by the attachment's bytes (and the code that reads and
    looks): a platform has thousands of attachments that rarely change, and reading them again
    and searching their text cost seconds on every build."""
    if path.stat().st_size > attachments.MAX_READ:
        return _found_in(path, file)

    def compute() -> dict:
        try:
            found, unread = _found_in(path, "")
        except attachments.Malformed as exc:
            return {"malformed": str(exc)}
        return {"found": [[f.position.line, f.position.column, f.label, f.hit.kind, f.hit.value, f.hit.start] for f in found],
                "unread": unread}

    value = cache.value("attachment-findings", [_looker(), path.suffix.lower(), path.read_bytes()], compute)
    if "malformed" in value:
        raise attachments.Malformed(value["malformed"])
    return [Found(Position(file, line, column), label, personal_info.Hit(kind, text, start))
            for line, column, label, kind, text, start in value["found"]], value["unread"]


@cache_once
def _looker() -> str:
    """What is found in given bytes depends on: the readers, the detectors and this module."""
    return digest([attachments.reader(), Path(personal_info.__file__).read_bytes(), Path(__file__).read_bytes()])


def _found_in(path: Path, file: str) -> tuple[list[Found], str | None]:
    content = attachments.read(path)
    found: dict[str, Found] = {}  # one finding per number and file, where it is named best (the first)
    if path.suffix.lower() in attachments.TEXT:
        hits = (hit for _, text in content.parts for hit in in_text(text, file, "附件"))
    else:
        hits = (Found(Position(file), f"附件{where}" if where.startswith("工作表") else f"附件（{where}）", hit)
                for where, text in _by_part(content.parts) for hit in personal_info.find(text))
    for hit in hits:
        found.setdefault(hit.hit.key, hit)
    return list(found.values()), content.unread


_APART = " | "
"""Between the texts of one part: “|” ends a number and an e-mail address, so no number is made
of two texts, while one search per part instead of one per text is many times faster (the
styles of a Word document alone are thousands of texts). A worksheet's cells are parts of their own."""


def _by_part(parts: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    for where, group in groupby(parts, key=lambda part: part[0]):
        yield where, _APART.join(text for _, text in group)
