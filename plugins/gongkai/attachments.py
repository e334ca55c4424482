"""The text an attachment holds, wherever in the file it is kept, for the personal-information guard.

* Office Open XML (.docx .xlsx .pptx) and OFD are zip packages of XML: every XML part is
  read, so headers, footers, comments, document properties and formulas are read too.
* PDF: the text layer of every page and the document information (pypdf).
* Legacy .xls: every cell (xlrd).
* PNG and JPEG: the text kept in the file (PNG text chunks, JPEG comments and EXIF); the
  picture itself cannot be read.
* Plain text, CSV, HTML and Markdown: the text, in UTF-8 or GBK.

What cannot be read (scans, .wps/.et/.doc, the picture of an image) is said in `unread`,
for a person to check. A file that does not parse as what its name says is `Malformed`,
never a traceback; a package that would expand past the limits is refused unread.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache as cache_once
from importlib.metadata import version
from pathlib import Path
from xml.etree import ElementTree

from .cache import digest

MAX_UNPACKED = 256 * 1024 * 1024
"""Bytes a package may hold once unpacked (a zip bomb is refused before anything is read)."""
MAX_READ = 64 * 1024 * 1024
"""Bytes of an attachment read for its text; a larger file is left to a person to check."""
MAX_PART = 64 * 1024 * 1024
MAX_PARTS = 10_000

PACKAGES = {".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".ofd"}
TEXT = {".txt", ".md", ".csv", ".html", ".htm", ".xml"}
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}
_JOINED = {"p", "si", "is", "TextObject", "r"}
"""XML elements whose pieces of text are one run of text (a Word paragraph split into runs)."""
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class Malformed(Exception):
    """The file is not what its name says, or is broken; the message is Chinese."""


@dataclass
class AttachmentText:
    parts: list[tuple[str, str]] = field(default_factory=list)
    """(where in the file, text)."""
    unread: str | None = None
    """Why some of the file could not be read, for a person to check; None when all was read."""


def read(path: Path) -> AttachmentText:
    suffix = path.suffix.lower()
    if path.stat().st_size > MAX_READ:
        return AttachmentText([], f"文件大于 {MAX_READ // 1024 // 1024} MB，无法自动检查其中的文字")
    if suffix in (".xlsx", ".xlsm"):
        parts = _package(path)  # proven a sound package before openpyxl opens it
        return AttachmentText(_workbook_cells(path) + parts)
    if suffix in PACKAGES:
        return AttachmentText(_package(path))
    if suffix == ".pdf":
        return _pdf(path)
    if suffix == ".xls":
        return AttachmentText(_legacy_workbook(path))
    if suffix in TEXT:
        return AttachmentText([("", decode(path.read_bytes()))])
    if suffix in IMAGES:
        return AttachmentText(_image_metadata(path), "图片中的文字无法自动检查")
    return AttachmentText([], f"无法读取 {suffix or '无扩展名'} 格式文件中的文字")


@cache_once
def reader() -> str:
    """This module and the libraries it reads with: what the text read from given bytes depends on."""
    return digest([Path(__file__).read_bytes(), *(f"{name} {version(name)}" for name in ("openpyxl", "pypdf", "xlrd"))])


def decode(raw: bytes) -> str:
    """Text in UTF-8 (with or without BOM), else GBK, the two encodings offices save in."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    return text.lstrip("\ufeff")


# --- zip packages of XML -------------------------------------------------------------------

def _package(path: Path) -> list[tuple[str, str]]:
    try:
        with zipfile.ZipFile(path) as package:
            members = [m for m in package.infolist() if not m.is_dir()]
            check_package_size(members)
            return [(member.filename, text) for member in members if member.filename.lower().endswith((".xml", ".rels"))
                    for text in _xml_texts(package, member)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, zlib.error) as exc:
        raise Malformed(f"不是有效的 {path.suffix.lower()} 文件（压缩包损坏：{exc}）") from None


def check_package_size(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_PARTS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise Malformed(f"压缩包解压后超过 {MAX_UNPACKED // 1024 // 1024} MB 或 {MAX_PARTS} 个文件，疑似压缩炸弹，没有读取")


def _xml_texts(package: zipfile.ZipFile, member: zipfile.ZipInfo) -> list[str]:
    with package.open(member) as stream:
        raw = stream.read(MAX_PART + 1)
    if len(raw) > MAX_PART:
        raise Malformed(f"{member.filename} 解压后过大，没有读取")
    if _DTD.search(raw):  # Office and OFD never declare entities: a declaration is an attack
        raise Malformed(f"{member.filename} 含有 DTD 或实体声明，不是正常的办公文档")
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        raise Malformed(f"{member.filename} 不是有效的 XML（{exc}）") from None
    texts: list[str] = []
    _collect(root, texts)
    return [t for t in texts if t.strip()]


_NUMBER_OR_AT = re.compile(r"[0-9@]")
"""Attribute values worth reading: personal information has digits or an “@” (names of styles and fonts do not)."""


def _collect(element: ElementTree.Element, texts: list[str]) -> None:
    """Text and attribute values in document order; the runs of one paragraph as one text.
    A worksheet's cells are left to `_workbook_cells`, which names them."""
    name = element.tag.rsplit("}", 1)[-1]
    if name == "sheetData":
        return
    if name in _JOINED:
        texts.append("".join(element.itertext()))
    else:
        texts.append(element.text or "")
        for child in element:
            _collect(child, texts)
            texts.append(child.tail or "")
    texts.extend(value for value in element.attrib.values() if _NUMBER_OR_AT.search(value))


def _workbook_cells(path: Path) -> list[tuple[str, str]]:
    """Every cell by sheet and coordinate: its value, and for a formula the formula and the
    value it last computed."""
    from openpyxl import load_workbook

    parts = []
    formulas: set[tuple[str, str]] = set()
    for computed in (False, True):
        try:
            book = load_workbook(path, read_only=True, data_only=computed)
        except Exception as exc:  # openpyxl raises what its XML parser or zip reader raised
            raise Malformed(f"不是有效的 Excel 工作簿（{type(exc).__name__}）") from None
        try:
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        value = getattr(cell, "value", None)
                        if value is None or isinstance(value, bool) or (computed and (sheet.title, cell.coordinate) not in formulas):
                            continue
                        where = f"工作表“{sheet.title}”{cell.coordinate} 单元格"
                        if isinstance(value, str) and value.startswith("="):
                            formulas.add((sheet.title, cell.coordinate))
                            value = re.sub(r'"\s*&\s*"', "", value)  # ="1101"&"0519…" is one number
                        parts.append((where, str(value)))
        finally:
            book.close()
    return parts


# --- PDF, legacy Excel ---------------------------------------------------------------------

def _pdf(path: Path) -> AttachmentText:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about sloppy PDFs are noise here
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return AttachmentText([], "PDF 已加密，无法读取其中的文字")
        parts = [(f"第 {i} 页", page.extract_text() or "") for i, page in enumerate(reader.pages, 1)]
        parts += [("文档属性", str(value)) for value in (reader.metadata or {}).values()]
    except Exception as exc:  # pypdf raises many kinds on a hostile file; each means "not a readable PDF"
        raise Malformed(f"不是有效的 PDF 文件（{type(exc).__name__}）") from None
    empty = [label for label, text in parts if label.startswith("第") and not text.strip()]
    return AttachmentText(parts, f"{'、'.join(empty[:5])}{'等' if len(empty) > 5 else ''}没有文字层（可能是扫描件）" if empty else None)


def _legacy_workbook(path: Path) -> list[tuple[str, str]]:
    import xlrd

    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except Exception as exc:  # xlrd.XLRDError, struct and compound-document errors alike
        raise Malformed(f"不是有效的 .xls 文件（{exc}）") from None
    parts = []
    try:
        for sheet in book.sheets():
            for row in range(sheet.nrows):
                for col, value in enumerate(sheet.row_values(row)):
                    if isinstance(value, str) or (isinstance(value, float) and value.is_integer()):
                        text = value if isinstance(value, str) else str(int(value))
                        parts.append((f"工作表“{sheet.name}”第 {row + 1} 行第 {col + 1} 列", text))
    finally:
        book.release_resources()
    return parts


# --- images --------------------------------------------------------------------------------

_PNG = b"\x89PNG\r\n\x1a\n"


def _image_metadata(path: Path) -> list[tuple[str, str]]:
    raw = path.read_bytes()
    if raw.startswith(_PNG):
        return _png_text(raw)
    if raw.startswith(b"\xff\xd8"):
        return _jpeg_text(raw)
    return []


def _png_text(raw: bytes) -> list[tuple[str, str]]:
    parts, offset = [], len(_PNG)
    while offset + 8 <= len(raw):
        length, kind = struct.unpack(">I4s", raw[offset:offset + 8])
        data = raw[offset + 8:offset + 8 + length]
        offset += 12 + length
        if kind == b"tEXt":
            parts.append(("图片文字信息", data.replace(b"\0", b" ").decode("latin-1")))
        elif kind in (b"zTXt", b"iTXt"):
            parts.append(("图片文字信息", _png_compressed_text(kind, data)))
    return parts


def _png_compressed_text(kind: bytes, data: bytes) -> str:
    keyword, _, rest = data.partition(b"\0")
    try:
        if kind == b"zTXt":
            return zlib.decompressobj().decompress(rest[1:], MAX_PART).decode("latin-1")
        compressed, rest = rest[0], rest[2:]
        _, _, rest = rest.partition(b"\0")  # language tag
        _, _, text = rest.partition(b"\0")  # translated keyword
        return (zlib.decompressobj().decompress(text, MAX_PART) if compressed else text).decode("utf-8", "replace")
    except (zlib.error, IndexError):
        return ""


def _jpeg_text(raw: bytes) -> list[tuple[str, str]]:
    """Comments and APPn segments (EXIF, XMP), read as text."""
    parts, offset = [], 2
    while offset + 4 <= len(raw) and raw[offset] == 0xFF:
        marker = raw[offset + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no metadata after this
            break
        length = struct.unpack(">H", raw[offset + 2:offset + 4])[0]
        if marker == 0xFE or 0xE0 <= marker <= 0xEF:
            segment = raw[offset + 4:offset + 2 + length]
            parts.append(("图片文字信息", segment.decode("utf-8", "replace").replace("\0", " ")))
        offset += 2 + length
    return parts
