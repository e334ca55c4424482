"""Findings: what validation says about the data, with where it was said.

Every check in gongkai (the loader, the cross-record rules, later the output audit)
reports problems as `Finding`s, so that the build, `gongkai check` and the tests all
print and count them the same way.
"""

from __future__ import annotations

import enum
import weakref
from array import array
from dataclasses import dataclass, field
from typing import Iterable


class Severity(enum.Enum):
    ERROR = "错误"
    WARNING = "警告"
    NOTE = "提示"
    """For the editor to know, never a reason to stop a build (not even a strict one)."""


@dataclass(frozen=True)
class Position:
    """A place in a source file; line and column count from 1 (as editors do)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"


FieldPath = tuple[str | int, ...]


class SourceMap:
    """Where each value of one source file was written, and where each mapping key was.

    Held for every record for as long as a build runs, so kept small: the paths a file
    writes (its shape) are shared by all files of the same shape, and a file keeps only its
    lines and columns, packed. As dicts of tuples they took 376 of the 866 MB that a
    platform of 100,000 documents holds.
    """

    __slots__ = ("file", "_shape", "_places")

    def __init__(self, file: str, marks: dict[FieldPath, tuple[int, int]] | None = None,
                 keys: dict[FieldPath, tuple[int, int]] | None = None):
        """`marks`: where each value starts; `keys`: where each key introducing a path is written."""
        marks, keys = marks or {}, keys or {}
        self.file = file
        self._shape = _Shape.of(tuple(marks), tuple(keys))
        self._places = array("I", [n for place in (*marks.values(), *keys.values()) for n in place])

    def at(self, path: FieldPath = ()) -> Position:
        """The position of `path`, or of its nearest written ancestor (for a missing field)."""
        path = tuple(path)
        marks = self._shape.marks
        while path not in marks and path:
            path = path[:-1]
        return self._position(marks.get(path))

    def key_at(self, path: FieldPath) -> Position:
        """The position of the key that introduces `path` (falls back to its value)."""
        index = self._shape.keys.get(tuple(path))
        return self.at(path) if index is None else self._position(index)

    def _position(self, index: int | None) -> Position:
        if index is None:
            return Position(self.file, 1, 1)
        return Position(self.file, self._places[2 * index], self._places[2 * index + 1])

    def __getstate__(self) -> tuple:
        """Pickled with its shape's paths as they were given, one object for all the files of that shape (so written once
        in a pickle, and made again once), and its places as bytes: no dict is made to pickle one or to read it back."""
        return self.file, self._shape.paths, self._places.tobytes()

    def __setstate__(self, state: tuple) -> None:
        self.file, paths, places = state
        self._shape = _Shape.of(*paths)
        self._places = array("I")
        self._places.frombytes(places)


class _Shape:
    """The paths of one file's values and keys, numbered: the same object for every file written alike."""

    __slots__ = ("marks", "keys", "paths", "__weakref__")
    _known: weakref.WeakValueDictionary[tuple, _Shape] = weakref.WeakValueDictionary()

    def __init__(self, marks: tuple[FieldPath, ...], keys: tuple[FieldPath, ...]):
        self.paths = (marks, keys)
        self.marks = {path: i for i, path in enumerate(marks)}
        self.keys = {path: i for i, path in enumerate(keys, len(marks))}

    @classmethod
    def of(cls, marks: tuple[FieldPath, ...], keys: tuple[FieldPath, ...]) -> _Shape:
        shape = cls._known.get((marks, keys))
        if shape is None:
            shape = cls._known[(marks, keys)] = cls(marks, keys)
        return shape


@dataclass(frozen=True)
class Finding:
    severity: Severity
    position: Position
    message: str
    field: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.position}: {self.severity.value}"
        what = f"{self.field}：{self.message}" if self.field else self.message
        return f"{where}：{what}"


def error(position: Position, message: str, field: str = "") -> Finding:
    return Finding(Severity.ERROR, position, message, field)


def warning(position: Position, message: str, field: str = "") -> Finding:
    return Finding(Severity.WARNING, position, message, field)


def note(position: Position, message: str, field: str = "") -> Finding:
    return Finding(Severity.NOTE, position, message, field)


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


@dataclass
class Findings:
    """All findings of one run, in the order they were found."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.NOTE]

    def sorted(self) -> list[Finding]:
        """Errors first, then by file and line, so a long list reads file by file."""
        return sorted(
            self.findings,
            key=lambda f: (_RANK[f.severity], f.position.file, f.position.line, f.position.column),
        )

    def lines(self) -> list[str]:
        return [str(f) for f in self.sorted()]

    def failed(self, strict: bool) -> bool:
        """Whether these findings stop a build (or fail a check): any error; in strict mode any warning too."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def summary(self) -> str:
        notes = f"，{len(self.notes)} 条提示" if self.notes else ""
        return f"{len(self.errors)} 个错误，{len(self.warnings)} 个警告{notes}"

    def markdown(self, title: str, failed: bool) -> str:
        """The findings as a Markdown table, for a CI job summary or a merge-request comment."""
        lines = [f"### {title}：{'未通过' if failed else '通过'}（{self.summary()}）", ""]
        if self.findings:
            lines += ["| 级别 | 位置 | 字段 | 说明 |", "|---|---|---|---|"]
            lines += [f"| {f.severity.value} | `{f.position}` | {table_cell(f.field)} | {table_cell(f.message)} |" for f in self.sorted()]
        return "\n".join(lines) + "\n"


def table_cell(text: str) -> str:
    """Text that can stand in a cell of a Markdown table."""
    return text.replace("|", "\\|").replace("\n", " ")
