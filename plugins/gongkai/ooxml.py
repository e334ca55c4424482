"""Write Office Open XML packages (.docx, .xlsx) as reproducible zip archives, quickly.

Every entry gets the same timestamp, so the same content gives the same bytes (builds can
be compared file by file). Parts that do not change between documents are compressed
once and reused: a reply template is written for every unit of a large platform, and
only its document.xml differs.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Iterable

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0


@dataclass(frozen=True)
class Part:
    name: str
    crc: int
    size: int
    deflated: bytes


def part(name: str, data: bytes) -> Part:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Part(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def package(parts: Iterable[Part]) -> bytes:
    """A zip archive of already deflated parts, in the given order."""
    out = io.BytesIO()
    central = []
    for p in parts:
        name = p.name.encode("utf-8")
        offset = out.tell()
        fields = (20, 0x0800, 8, _DOS_TIME, _DOS_DATE, p.crc, len(p.deflated), p.size, len(name), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name + p.deflated)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0))
    return out.getvalue()


def read_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
