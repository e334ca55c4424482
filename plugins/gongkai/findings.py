"""Findings: what validation says about the data, with where it was said.

Every check in gongkai (the loader, the cross-record rules, later the output audit)
reports problems as `Finding`s, so that the build, `gongkai check` and the tests all
print and count them the same way.
"""

from __future__ import annotations

import enum
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


@dataclass
class SourceMap:
    """Where each value of one source file was written."""

    file: str
    marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    """Where each value starts."""
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    """Where each mapping key is written (for findings about the key itself)."""

    def at(self, path: FieldPath = ()) -> Position:
        """The position of `path`, or of its nearest written ancestor (for a missing field)."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        line, column = self.marks.get(path, (1, 1))
        return Position(self.file, line, column)

    def key_at(self, path: FieldPath) -> Position:
        """The position of the key that introduces `path` (falls back to its value)."""
        if tuple(path) in self.keys:
            return Position(self.file, *self.keys[tuple(path)])
        return self.at(path)


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
