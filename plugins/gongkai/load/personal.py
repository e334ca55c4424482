"""Look for personal information in everything the platform publishes from `data/` and
`content/`: every value of every record, Markdown bodies, and attachments whose text can
be read (spreadsheets, Word documents, plain text). Whether a hit may stay is decided
later, with the whole platform known (`rules.privacy`)."""

from __future__ import annotations

import csv
import re
import io
import zipfile
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from .. import privacy
from ..findings import FieldPath, Position, SourceMap
from ..model.privacy import Found
from .messages import field_label

TEXT_SUFFIXES = {".txt", ".md", ".csv", ".html", ".htm"}


def in_values(data: Any, source: SourceMap, model: type[BaseModel], path: FieldPath = ()) -> Iterator[tuple[FieldPath, Found]]:
    """Every hit in the plain values of one YAML file, with the field it is in."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from in_values(value, source, model, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from in_values(value, source, model, (*path, i))
    elif isinstance(data, str):
        for hit in privacy.find(data):
            yield path, Found(source.at(path), field_label(path, model), hit)


def in_text(text: str, file: str, label: str = "正文", first_line: int = 1) -> Iterator[Found]:
    """Every hit in a text file, with its line and column."""
    for number, line in enumerate(text.splitlines(), first_line):
        for hit in privacy.find(line):
            yield Found(Position(file, number, hit.start + 1), label, hit)


def in_attachment(path: Path, file: str) -> Iterator[Found]:
    """Every hit in an attachment whose text can be read; other formats (PDF, images) are
    not looked into, and the editor's guide says so."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            yield from _in_workbook(path, file)
        elif suffix == ".docx":
            yield from _in_word(path, file)
        elif suffix in TEXT_SUFFIXES:
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
            if suffix == ".csv":
                for row_number, row in enumerate(csv.reader(io.StringIO(text)), 1):
                    for hit in privacy.find(" | ".join(row)):
                        yield Found(Position(file, row_number), f"附件第 {row_number} 行", hit)
            else:
                yield from in_text(text, file, "附件")
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return  # an unreadable attachment is the attachment rules' business, not this one's


def _in_workbook(path: Path, file: str) -> Iterator[Found]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, (str, int)) and not isinstance(cell.value, bool):
                        for hit in privacy.find(str(cell.value)):
                            yield Found(Position(file), f"附件工作表“{sheet.title}”{cell.coordinate} 单元格", hit)
    finally:
        book.close()


def _in_word(path: Path, file: str) -> Iterator[Found]:
    """The text of every paragraph and table cell of a .docx, read from its XML."""
    from xml.etree import ElementTree

    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml")
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for number, paragraph in enumerate(ElementTree.fromstring(xml).iter(f"{namespace}p"), 1):
        text = "".join(node.text or "" for node in paragraph.iter(f"{namespace}t"))
        for hit in privacy.find(re.sub(r"\s+", " ", text)):
            yield Found(Position(file), f"附件第 {number} 段", hit)
