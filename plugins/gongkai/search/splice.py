"""A word's entries in several merged indexes joined into one as bytes, without decoding their pages.

The merge job of a sharded build joins the shards' indexes. Decoding every word's entry (cbor2 makes a Python
object of every position) and encoding it again took most of its 100 s of CPU at 100,000 documents. Each shard's
merge notes where each word's entry lies in its chunk's file and the word's last page (`merge.note_words`).
A word's pages are numbered by difference, so the joined entry is each shard's pages as they are, but for the
first of each, moved to the shard's place after the last page of the shard before: only that number is encoded
again. CBOR's heads are written as cbor2 writes them (the shortest form), so the bytes are those an encoding of the
decoded entry gives.

An index that lacks a metadata field others have numbers its fields otherwise (`shared` has no 文号): in its pages'
field positions, each field's mark (a negative number) is then written again. A regular expression finds them: it
reads the pages item by item (a position may hold the byte of a mark) and passes over each page's positions (where
a negative number is a weight, not a field) whole.
"""

from __future__ import annotations

import re

UNSIGNED, NEGATIVE, TEXT, ARRAY = 0, 1, 3, 4  # CBOR's major types
EMPTY_ARRAY = b"\x80"
TRIPLE = 0x83  # the head of an array of three: a word's entry [word, pages, variants], a page [number, positions, fields]


def word_of(item: bytes) -> tuple[str, int]:
    """The word of an entry, and where its pages begin (ValueError when the bytes are not an entry)."""
    if item[0] != TRIPLE:
        raise ValueError("not a word's entry")
    length, start = _head(item, 1, TEXT)
    return item[start:start + length].decode("utf-8"), start + length


_UNSIGNED = rb"(?:[\x00-\x17]|\x18.|\x19..|\x1a.{4}|\x1b.{8})"
_NEGATIVE = rb"(?:[\x20-\x37]|\x38.|\x39..|\x3a.{4}|\x3b.{8})"
_ARRAY = rb"(?:[\x80-\x97]|\x98.|\x99..|\x9a.{4}|\x9b.{8})"
_UP_TO_FIELDS = rb"\x83" + _UNSIGNED + _ARRAY + rb"(?:" + _UNSIGNED + rb"|" + _NEGATIVE + rb")*+" + _ARRAY  # a page but its fields
_TO_MARK = re.compile(rb"((?:" + _UP_TO_FIELDS + rb"|" + _UNSIGNED + rb")*+)(" + _NEGATIVE + rb"|\Z)", re.DOTALL)
"""A page's number and positions, and positions in fields, up to a field's mark (or the end)."""


def marks(numbers: list[int]) -> dict[bytes, bytes] | None:
    """The marks of fields numbered anew (`numbers`: each field's number now, by its number then); None for no change."""
    if numbers == list(range(len(numbers))):
        return None
    return {head(NEGATIVE, then): head(NEGATIVE, now) for then, now in enumerate(numbers)} | {b"": b""}  # (the end)


def joined(entries: list[tuple[bytes, int, int, dict[bytes, bytes] | None]]) -> tuple[bytes, int]:
    """One entry of a word from its entries in several indexes, each (entry, the number its index's pages begin at,
    its last page there, its fields' marks as they are now, `marks`), in the order of their pages, none with other
    forms (`variants`); and its last page."""
    pieces: list[bytes] = []
    count = last = 0
    for item, offset, end, fields in entries:
        _, pages_at = word_of(item)
        pages, first_page = _head(item, pages_at, ARRAY)
        if not pages or item[first_page] != TRIPLE or not item.endswith(EMPTY_ARRAY):
            raise ValueError("not an entry of pages alone")
        numbered = _renumbered(item[first_page:-1], fields) if fields else item[first_page:-1]
        number, rest = _head(numbered, 1, UNSIGNED)
        pieces += [bytes((TRIPLE,)), head(UNSIGNED, offset + number - last), numbered[rest:]]
        count += pages
        last = offset + end
    return b"".join([entries[0][0][:word_of(entries[0][0])[1]], head(ARRAY, count), *pieces, EMPTY_ARRAY]), last


def _renumbered(pages: bytes, marks: dict[bytes, bytes]) -> bytes:
    """A word's pages with each field's mark as `marks` has it now (KeyError for a field it does not know)."""
    found = _TO_MARK.findall(pages)  # (the items before a mark, the mark): the last with none
    if sum(len(items) + len(mark) for items, mark in found) != len(pages):  # an item not read: not pages
        raise ValueError("not a word's pages")
    return b"".join([piece for items, mark in found for piece in (items, marks[mark])])


def head(major: int, value: int) -> bytes:
    """A CBOR head in its shortest form."""
    if value < 24:
        return bytes((major << 5 | value,))
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << 8 * width:
            return bytes((major << 5 | info,)) + value.to_bytes(width, "big")
    raise ValueError("a number too large for CBOR")


def _head(data: bytes, at: int, major: int) -> tuple[int, int]:
    """The value of the head of `major` type at `at`, and where what follows it begins."""
    first = data[at]
    info = first & 0x1F
    if first >> 5 != major or info > 27:
        raise ValueError("not the CBOR expected")
    if info < 24:
        return info, at + 1
    width = 1 << (info - 24)
    if at + 1 + width > len(data):
        raise ValueError("cut short")
    return int.from_bytes(data[at + 1:at + 1 + width], "big"), at + 1 + width
