"""Merge Pagefind indexes of disjoint sets of pages into the one index Pagefind would make of them all
(but for shorter fragment names, `_page_names`, each part's pages numbered in order of length, `_by_length`,
their lengths rounded, `_rounded`, and the sort orders, kept in a file of their own apart from the metadata;
beside it, the pages of each filter value counted: both for the search page, `merge`).

Pagefind has no incremental mode, and its memory grows with the pages it reads at once. So the
site is indexed in parts (`parts.py`), each part kept while its pages stay the same, and the parts
are merged here. Searching the merged index is searching one index: a word is required when it
occurs anywhere on the site, a word's rarity and a page's length are weighed over the whole site,
and sorting by date orders every page. Pagefind's own multisite search (`mergeIndex`) does none
of that across indexes, which is why the parts are merged before the reader sees them.

The files are read and written in Pagefind 1.x's format (`index/mod.rs` of its source): the
metadata lists the pages (fragment name, word count), the word chunks (first and last word), the
filter files, the sort orders and the metadata field names; a word chunk holds words in order,
each with its pages (page numbers as differences from the one before) and their positions, and
positions in metadata fields by the field's number. Words are merged one chunk at a time, so the
merge holds a few chunks, never the index.

Where a chunk ends depends only on its own words and the word after it (`cut_between`), not on the words before it. So
after a change to a few parts (`Before`: the last merge), only the chunks holding a word whose
pages changed are made again, from the first such chunk to the first end they share with the
last merge; the others are the last merge's files, and the result is the one a merge from
nothing gives. The same property lets a second process walk the second half of the words from a
chunk end of its own choosing (`_Halves`): the two walks meet at the first end they share.

A chunk made again after a change to a few parts is the last merge's, with the entries of the
words whose pages changed made again (`_patched`). The merge notes where each word's entry lies in
its chunk's file (`Before.chunks`), so the other entries are copied as bytes: at 10,000 documents
a new title touched 73 of 181 chunks, and decoding and encoding them whole took 3.6 s.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import json
import os
import re
import shutil
import zlib
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Container, Iterable, Iterator

import cbor2

from .. import memory, parallel
from ..cache import file_digest, link
from . import kept, precompressed, splice
from .stable import SIGNATURE, read_fragment, read_packed, write_encoded, write_packed

# Positions and pages a chunk holds. Pagefind cuts at 20,000; smaller chunks cost the first search less: it loads
# a chunk for each word of the query, and the metadata lists every chunk. At 10,000 documents the 120 queries of
# benchmarks/search_queries.yml and bench.py's 5 loaded 92 KB of chunks on average with 181 chunks, 28 KB with 544
# (metadata +5 KB).
CHUNK_LEAST, CHUNK_MOST = 2500, 25000
CUT_ONE_IN = 8  # past its least, a chunk ends after a word whose hash is 0 modulo this
KEPT_TOGETHER = 2  # characters: words that begin with as many of the same stay in one chunk (`cut_between`)
NUMBER, LOCATIONS, META_LOCATIONS = (itemgetter(i) for i in range(3))  # of a word's page: [number, positions, field positions]
SORT_VALUES = "gongkai-sort-values.json"  # beside a part's index (`note_sort_values`), never published
WORDS_NOTED = "gongkai-words.json"  # beside a shard's index (`note_words`), never published
FILTER_COUNTS = "gongkai-filters.pf_counts"  # published: each filter's values and their pages counted (`_filters`)
SORT_ORDERS = "gongkai-sorts.pf_order"  # published: the sort orders when kept apart from the metadata (`merge`)
MADE_HERE = (SORT_VALUES, WORDS_NOTED, FILTER_COUNTS, SORT_ORDERS)  # not Pagefind's: never linked from the parts
PARALLEL_FROM = 16  # word chunks to make; for fewer, a second process (`_Halves`) is not worth starting
PATCH_FROM = 4  # parts a changed part is one of, at least, for the last merge to be patched (`_patched`)
LENGTH_DIGITS = 5  # the binary digits of a page's length its place among a part's pages depends on (`_by_length`)
CHUNK_COMPRESSION = 6  # Pagefind compresses best (9): 6 is 6 % larger and nine times faster on word chunks


class MergeError(ValueError):
    """Parts that cannot be merged (an index of another form, a sort value not carried as metadata)."""


class Part:
    """One part's index, in one language."""

    def __init__(self, bundle: Path, language: str, language_hash: str):
        self.bundle, self.language_hash = bundle, language_hash
        meta = read_packed(bundle / f"pagefind.{language_hash}.pf_meta")
        if len(meta) != 6:
            raise MergeError(f"{bundle} 不是 Pagefind 1.x 格式的索引")
        (self.version, pages, self.chunks, self.filters, sorts, self.fields) = meta
        merged = (bundle / FILTER_COUNTS).is_file()  # a merge's index (a shard's): its parts' pages were numbered here
        order = list(range(len(pages))) if merged else _by_length(pages)
        self.number = [0] * len(pages)  # of each page as Pagefind numbered them, the page's number here
        for new, old in enumerate(order):
            self.number[old] = new
        self.reordered = order != list(range(len(pages)))
        self.pages = [pages[old] for old in order]
        self.sorts = [[name, [self.number[page] for page in sort_order]] for name, sort_order in sorts]
        if not self.sorts and (bundle / SORT_ORDERS).is_file():  # a merged index's, kept apart: by fragment name
            number = {name: n for n, (name, _) in enumerate(self.pages)}
            kept_apart = _read_orders(bundle).get(language, {})
            if any(page not in number for order in kept_apart.values() for page in order):
                raise _damaged_orders(bundle)
            self.sorts = [[name, [number[page] for page in order]] for name, order in sorted(kept_apart.items())]
        self._read: dict[str, list] = {}  # the two chunks read last: the next stretch of words often starts in one
        self.noted = None if self.reordered else _noted(bundle, language, self.chunks)
        """Each chunk's lengths, sizes and last pages of its words, by the chunk's name (`note_words`), when noted."""

    def words(self, offset: int, fields: list[str], after: str | None = None,
              only: Container[str] | None = None) -> Iterator[tuple[str, Any, Any]]:
        """Each word (after `after`) in order, its pages numbered from `offset`, its metadata fields by their number in `fields`.
        A word not in `only` (when given) comes without its pages (None, None): only that it is there."""
        renumber = [fields.index(name) for name in self.fields]
        moved = next((old for old, new in enumerate(renumber) if old != new), None)  # a field the part lacks sorts before it
        for _first, last, name in self.chunks:
            if after is not None and last < after and not after.startswith(last):  # (`last` is a prefix of its last word)
                continue
            for word, pages, variants in self._chunk(name):
                if after is not None and word <= after:
                    continue
                if only is not None and word not in only:
                    yield word, None, None
                else:
                    yield (word, _shifted(self._numbered(pages, moved), offset, renumber, moved),
                           [[form, _shifted(self._numbered(vp, moved), offset, renumber, moved)] for form, vp in variants])

    def noted_words(self, after: str | None) -> Iterator[_Entry]:
        """Each word (after `after`) as its chunk's file holds it, cut as noted (ValueError when a file is not the one
        noted)."""
        assert self.noted is not None
        for _first, last, name in self.chunks:
            if after is not None and last < after and not after.startswith(last):
                continue
            content = (self.bundle / "index" / f"{name}.pf_index").read_bytes()
            if not hashlib.sha256(content).hexdigest().startswith(name.rpartition("_")[2]):
                raise ValueError("not the file noted")
            for entry in _entries(gzip.decompress(content), *self.noted[name]):
                if after is None or entry[0] > after:
                    yield entry

    def entries(self) -> Iterator[list]:
        """Each word's entry: [word, pages, variants], the pages numbered from 0 (as its chunk's file holds it, but for
        the pages' numbers)."""
        for _first, _last, name in self.chunks:
            entries = read_packed(self.bundle / "index" / f"{name}.pf_index")[0]
            if not self.reordered:
                yield from entries
                continue
            for word, pages, variants in entries:
                yield [word, self._numbered(pages, None), [[form, self._numbered(vp, None)] for form, vp in variants]]

    def filter_values(self) -> Iterator[tuple[str, str, list[int]]]:
        """Each filter's values, each with its pages."""
        for name, file in self.filters:
            _, values = read_packed(self.bundle / "filter" / f"{file}.pf_filter")
            for value, pages in values:
                yield name, value, sorted(self.number[page] for page in pages) if self.reordered else pages

    def _numbered(self, pages: list, moved: int | None) -> list:
        """A word's pages numbered as here: a copy of what `_shifted` changes (the chunk may be read from again)."""
        if not self.reordered:
            return _copied(pages, moved)
        renumbered = []
        at = 0  # the page number the differences so far add up to
        for page in pages:
            at += page[0]
            renumbered.append([self.number[at], *page[1:]])
        renumbered.sort(key=NUMBER)
        at = 0
        for page in renumbered:
            page[0], at = page[0] - at, page[0]
        return renumbered

    def _chunk(self, name: str) -> list:
        if name not in self._read:
            if len(self._read) == 2:
                del self._read[next(iter(self._read))]
            self._read[name] = read_packed(self.bundle / "index" / f"{name}.pf_index")[0]
        return self._read[name]

    def fragment(self, name: str) -> Path:
        return self.bundle / "fragment" / f"{name}.pf_fragment"

    def sort_values(self) -> dict[str, list[list]]:
        """For each sort, the [value, address] of its pages in its order: as noted when the part was made
        (`note_sort_values`), else read from the pages' fragments. A page without the value has None."""
        noted = self.bundle / SORT_VALUES
        if noted.is_file():
            return json.loads(noted.read_text(encoding="utf-8"))[self.language_hash]
        return {name: [_sort_value(self.fragment(self.pages[page][0]), name) for page in order] for name, order in self.sorts}


def note_words(bundle: Path, chunks: dict[str, list[list]]) -> None:
    """Note beside an index its word chunks as its merge noted them (`merge`'s answer), so that a merge of it with
    others joins its words' entries as bytes (`_merged_entries`)."""
    (bundle / WORDS_NOTED).write_text(json.dumps(chunks, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _noted(bundle: Path, language: str, chunks: list[list]) -> dict[str, list] | None:
    """The lengths, sizes and last pages of the words of each of `chunks`, by name, when noted for all of them."""
    try:
        noted = json.loads((bundle / WORDS_NOTED).read_text(encoding="utf-8"))[language]
        by_name = {chunk[2]: chunk[3:] for chunk in noted if isinstance(chunk, list) and len(chunk) == 6}
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return by_name if all(name in by_name for _, _, name in chunks) else None


def note_sort_values(bundle: Path) -> None:
    """Note beside a part's index the values its pages sort by, so that a merge does not read every page's fragment."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    noted = {info["hash"]: Part(bundle, language, info["hash"]).sort_values() for language, info in entry["languages"].items()}
    (bundle / SORT_VALUES).write_text(json.dumps(noted, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _sort_value(fragment_file: Path, name: str) -> list:
    fragment = read_fragment(fragment_file)
    return [fragment["meta"].get(name), fragment["url"]]


@dataclass
class Before:
    """The last merge: its parts' bundles (the same number as now), its output, and its word chunks
    by language (`merge`'s answer: first and last word, file name, and of each word the length of its entry
    in the file and its size)."""

    parts: list[Path]
    bundle: Path
    chunks: dict[str, list[list]]
    changed: list[int]
    """The parts that are not the same as then."""


def merge(bundles: list[Path], out: Path, before: Before | None = None, sorts_apart: bool | None = None) -> dict[str, list[list]]:
    """Write into `out` the index of all the pages of `bundles` (each a Pagefind bundle of other pages);
    return its word chunks by language, for the next merge's `before`.

    With `sorts_apart` (by default: as the bundles keep them), the sort orders are not in the metadata, which
    every first search loads (a third of it at 100,000 documents: a page number for every page), but in a file of
    their own (`SORT_ORDERS`: each order's fragment names), which the search page loads to sort; Pagefind then
    sorts nothing. Kept in the metadata for a search page that merges other sites' indexes (`mergeIndex`): Pagefind
    sorts each index by its own order, and fragment names of different indexes can be the same."""
    if sorts_apart is None:
        sorts_apart = any((bundle / SORT_ORDERS).is_file() and _read_orders(bundle) for bundle in bundles)
    with memory.collection_paused():  # millions of short lists, none in a cycle: collecting would walk them over and over
        chunks = _merge(bundles, out, before, sorts_apart)
    precompressed.write_beside(out, before.bundle if before else bundles[0])
    return chunks


def _merge(bundles: list[Path], out: Path, before: Before | None, sorts_apart: bool) -> dict[str, list[list]]:
    entries = [json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8")) for bundle in bundles]
    shutil.rmtree(out, ignore_errors=True)
    for folder in ("index", "fragment", "filter"):
        (out / folder).mkdir(parents=True)
    for file in bundles[0].iterdir():  # the scripts and the WebAssembly, the same in every part (read where it is kept)
        if (file.is_file() and file.suffix not in (".pf_meta", precompressed.SUFFIX)
                and file.name not in ("pagefind-entry.json", *MADE_HERE, kept.LIST)):
            link(file, out / file.name)
    languages, chunks, counts, orders = {}, {}, {}, {}
    for language in sorted({language for entry in entries for language in entry["languages"]}):
        parts = [Part(bundle, language, entry["languages"][language]["hash"])
                 for bundle, entry in zip(bundles, entries) if language in entry["languages"]]
        old = _Old.of(before, language, parts) if before and len(parts) == len(bundles) else None
        languages[language], chunks[language], counts[language], orders[language] = _merge_language(
            parts, out, language, old, sorts_apart)
        languages[language]["wasm"] = next(e["languages"][language]["wasm"] for e in entries if language in e["languages"])
    entry = {"version": entries[0]["version"], "languages": languages}
    if "include_characters" in entries[0]:
        entry["include_characters"] = entries[0]["include_characters"]
    (out / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _write_published(out / FILTER_COUNTS, counts)
    _write_published(out / SORT_ORDERS, orders if sorts_apart else {})  # empty: the search page finds it and lets Pagefind sort
    return chunks


def _write_published(file: Path, data: dict) -> None:
    """A file of ours for the search page: gzipped JSON (the page unpacks it, as Pagefind does its own)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    file.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))


def _read_orders(bundle: Path) -> dict[str, dict[str, list[str]]]:
    """The sort orders a merged index keeps apart, by language (`SORT_ORDERS`)."""
    try:
        orders = json.loads(gzip.decompress((bundle / SORT_ORDERS).read_bytes()))
    except (OSError, ValueError):
        raise _damaged_orders(bundle) from None
    if not (isinstance(orders, dict) and all(isinstance(named, dict) and all(isinstance(order, list) for order in named.values())
                                             for named in orders.values())):
        raise _damaged_orders(bundle)
    return orders


def _damaged_orders(bundle: Path) -> MergeError:
    return MergeError(f"{bundle / SORT_ORDERS} 已损坏，或不是这个索引的排序次序")


def _merge_language(parts: list[Part], out: Path, language: str, old: _Old | None, sorts_apart: bool
                    ) -> tuple[dict[str, Any], list[list], dict[str, dict[str, int]], dict[str, list[str]]]:
    fields = sorted({name for part in parts for name in part.fields})
    offsets = [sum(len(p.pages) for p in parts[:i]) for i in range(len(parts))]
    pages = _pages(parts, out, language)
    if old and not old.same_layout(offsets, fields):
        old = None
    chunks = _words(parts, offsets, fields, out, language, old)
    filters, counts = _filters(parts, offsets, out, language)
    sorts = _sorts(parts, offsets)
    orders = {name: [pages[page][0] for page in order] for name, order in sorts} if sorts_apart else {}
    meta = [parts[0].version, pages, _trimmed([chunk[:3] for chunk in chunks]), filters, [] if sorts_apart else sorts, fields]
    info = {"hash": write_packed(out, "pagefind.{}.pf_meta", meta, language, 13), "wasm": None, "page_count": len(pages)}
    return info, chunks, counts, orders


def _pages(parts: list[Part], out: Path, language: str) -> list[list]:
    """Every page, part after part, its fragment linked in under a short name (`_page_names`)."""
    names = _page_names([(len(part.pages), part.language_hash.rpartition("_")[2][:2]) for part in parts], language)
    folder = os.path.join(out, "fragment")
    pages = []
    for part, part_names in zip(parts, names):
        source = os.path.join(part.bundle, "fragment")  # (paths as text: 10,000 paths made with pathlib took 0.4 s)
        for (name, word_count), short in zip(part.pages, part_names):
            link(os.path.join(source, f"{name}.pf_fragment"), os.path.join(folder, f"{short}.pf_fragment"))
            pages.append([short, _rounded(word_count)])
    return pages


def _by_length(pages: list[list]) -> list[int]:
    """The pages' numbers (as Pagefind numbered them) in order of length, in classes of `LENGTH_DIGITS` binary digits.

    Every first search loads every page's word count: in the order Pagefind read the files, the counts were 142 of
    the 347 KB of metadata at 100,000 documents; in order of length each differs little from the one before. Pages of
    a kind are about as long, so the pages of a word are also nearer one another. At 10,000 documents: metadata
    40.1 -> 32.8 KB, word chunks 3.48 -> 2.87 MB. Within a class the pages keep their order, so that a page a few
    words longer or shorter after an edit mostly stays where it is. One that changes class moves, and renumbers the
    pages between: every chunk holding one of their words is made again (a sentence added to a document's body:
    417 of 544 chunks, 142 without the order).

    A merged index (a shard's, `shard_merge.py`) keeps its numbering: its parts are in order of length already, and
    ordering each shard's 11,000 pages as one would make the final merge of 100,000 documents 1.4-1.6 times as long
    (on the pipeline's critical path) for 249 -> 217 KB of metadata."""
    return sorted(range(len(pages)), key=lambda page: _length_class(pages[page][1])[0])


def _length_class(words: int) -> tuple[int, int]:
    """The class of pages `words` long: its least length, and how many lengths it holds."""
    drop = max(words.bit_length() - LENGTH_DIGITS, 0)
    return words >> drop << drop, 1 << drop


def _rounded(words: int) -> int:
    """A page's length as the metadata gives it: the middle of its class, at most 1/32 from the length itself.

    Pagefind weighs a page's length against the mean length (BM25), and a length 3 % off moves a score less than
    one occurrence of a word more does. Within a class the lengths are then the same, so the counts of a part's pages
    cost next to nothing in every first search: the metadata at 10,000 documents 29.8 -> 24.9 KB. Rounding a rounded
    length changes nothing, so a shard's merged index keeps its lengths in the final merge."""
    least, width = _length_class(words)
    return least + width // 2


def _page_names(parts: list[tuple[int, str]], language: str) -> list[list[str]]:
    """Each page's fragment name, by part (its number of pages, and a tag that changes with its pages): the page's
    place in its part, then the part's number, each in base 36 of a fixed width, lowest digit first, then the tag.

    Every first search reads every page's name: Pagefind's (seven hexadecimal digits of a digest of the page) were
    536 of 963 KB of metadata at 100,000 documents, the shortest prefixes of a digest that no other page's shared
    were 397 KB, these are 147 KB: names that count up compress well, the lowest digit first best (the rest of the
    name repeats). A page added to or changed in a part renames only that part's fragments; its tag (two digits of
    the digest of the part's metadata) keeps a search page loaded before a new version of the site from showing
    another page under an old name: the name is gone, as a changed page's digest was."""
    place_width = len(_base36(max([1, *(size for size, _ in parts)]) - 1))
    part_width = len(_base36(len(parts) - 1))
    return [[f"{language}_{_base36(place, place_width)}{_base36(number, part_width)}{tag}" for place in range(size)]
            for number, (size, tag) in enumerate(parts)]


def _base36(number: int, width: int = 1) -> str:
    """`number` in base 36, its lowest digit first, padded with zeros to `width`."""
    digits = ""
    while number or len(digits) < width:
        number, digit = divmod(number, 36)
        digits += "0123456789abcdefghijklmnopqrstuvwxyz"[digit]
    return digits


def _copied(pages: list, moved: int | None) -> list:
    """What `_shifted` and `_joined` change of a word's pages, copied: the chunk may be read from again."""
    if moved is not None:
        return [list(page) for page in pages]
    return [list(pages[0]), *pages[1:]] if pages else pages


def _shifted(pages: list, offset: int, renumber: list[int], moved: int | None) -> list:
    """A word's pages (numbered by difference, as read: changed in place), the first moved by `offset`,
    and the metadata fields from number `moved` on renumbered."""
    if moved is not None:
        for page in pages:
            meta = page[2]
            if meta and min(meta) < -moved:  # a field numbered `moved` or more is marked -(number + 1)
                page[2] = [-renumber[-loc - 1] - 1 if loc < 0 else loc for loc in meta]
    if pages:
        pages[0][0] += offset
    return pages


def _joined(lists: list[list]) -> list:
    """The pages of one word from several parts (each numbered from 0 by difference), as one list."""
    joined: list = []
    last = 0  # the page number the differences so far add up to
    for pages in lists:
        if pages:
            end = sum(map(NUMBER, pages))  # the first is a page number, the rest differences
            pages[0][0] -= last
            joined += pages
            last = end
    return joined


class _Old:
    """The last merge of one language, when its parts had as many pages as now and the same fields."""

    def __init__(self, bundle: Path, chunks: list[list], parts: list[Part], changed: dict[int, Part], language: str):
        self.bundle, self.chunks, self.language = bundle, chunks, language
        self.parts = [changed.get(n, part) for n, part in enumerate(parts)]  # the unchanged ones are the same now
        self.new, self.changed = parts, changed
        self._changes: tuple[set[int], set[str]] | None = None
        self._sound: dict[int, bool] = {}

    @classmethod
    def of(cls, before: Before, language: str, parts: list[Part]) -> _Old | None:
        chunks = before.chunks.get(language)
        if not chunks or len(before.parts) != len(parts):
            return None
        try:
            changed = {n: Part(before.parts[n], language, _language_hash(before.parts[n], language)) for n in before.changed}
        except (OSError, ValueError, KeyError):  # gone from the cache, or damaged
            return None
        return cls(before.bundle, chunks, parts, changed, language)

    def same_layout(self, offsets: list[int], fields: list[str]) -> bool:
        """Whether every page has the number it had, and every field too."""
        counts = [len(part.pages) for part in self.parts]
        return counts == [len(part.pages) for part in self.new] and sorted({f for p in self.parts for f in p.fields}) == fields

    def unchanged(self, k: int, made: Container[str]) -> bool:
        """Whether the chunk `k` is what it would be made now: none of its words has other pages, and its file is sound
        (and its name the shortest, none of the chunks `made` so far has: a merge from nothing names it the same)."""
        name = self.chunks[k][2]
        if k in self.changes()[0] or len(name) != len(self.language) + 1 + 7 or name in made:
            return False
        return self.sound(k)

    def sound(self, k: int) -> bool:
        """Whether the chunk `k`'s file is the one its name is (the start of) the digest of (read once a merge)."""
        if k not in self._sound:
            try:
                self._sound[k] = file_digest(self.file(k)).startswith(self.chunks[k][2][len(self.language) + 1:])
            except OSError:
                self._sound[k] = False
        return self._sound[k]

    def file(self, k: int) -> Path:
        return self.bundle / "index" / f"{self.chunks[k][2]}.pf_index"

    def patchable(self) -> bool:
        """Whether the last merge's chunks may be patched (`_patched`): a few parts changed, of many."""
        return 0 < len(self.changed) * PATCH_FROM <= len(self.new)

    def words_from(self, k: int) -> Iterator[_Entry]:
        """The last merge's words as they are in its files, from its chunk `k` on (`_Unsound` at a chunk whose file is
        not the one named, or not as noted)."""
        for j in range(k, len(self.chunks)):
            try:
                if not self.sound(j):
                    raise _Unsound(j)
                entries = _entries(gzip.decompress(self.file(j).read_bytes()), *self.chunks[j][3:])
            except (OSError, ValueError, IndexError, TypeError, EOFError, cbor2.CBORDecodeError):
                raise _Unsound(j) from None
            yield from entries

    def changes(self) -> tuple[set[int], set[str]]:
        """The chunks holding a word whose pages are not what they were (a word gone or new included), and those words."""
        if self._changes is None:
            fields = sorted({f for part in self.new for f in part.fields})
            offsets = [sum(len(p.pages) for p in self.new[:i]) for i in range(len(self.new))]
            words: set[str] = set()
            for n, was in self.changed.items():
                now = self.new[n]
                if was.fields == now.fields:  # then an entry the same as read is a word with the same pages once merged
                    then: dict[str, Any] = {entry[0]: entry for entry in was.entries()}
                    words |= {entry[0] for entry in now.entries() if then.pop(entry[0], None) != entry}
                else:
                    then = {word: (pages, forms) for word, pages, forms in was.words(offsets[n], fields)}
                    words |= {word for word, pages, forms in now.words(offsets[n], fields) if then.pop(word, None) != (pages, forms)}
                words |= then.keys()
            lasts = [chunk[1] for chunk in self.chunks]
            self._changes = {k for word in words for k in _chunks_of(lasts, word)}, words
        return self._changes


def _chunks_of(lasts: list[str], word: str) -> Iterator[int]:
    """The chunk a word is (or would be) in, by the chunks' last words; and the one before, when the word begins as that
    one's last word does: a new word there joins the two (`cut_between`)."""
    k = min(bisect_left(lasts, word), len(lasts) - 1)
    yield k
    if k and lasts[k - 1][:KEPT_TOGETHER] == word[:KEPT_TOGETHER]:
        yield k - 1


def _language_hash(bundle: Path, language: str) -> str:
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"][language]["hash"]


def cut_between(word: str, size: int, next_word: str) -> bool:
    """Whether a chunk whose words hold `size` positions and pages, the last `word`, ends before `next_word`.

    Pagefind reads one chunk for each word of a query, and finds there the words that begin with it: a cut between
    two words that begin alike would hide the second from a query of their beginning (“鲤发改20” found one page of
    three). So a chunk is not cut between words whose first `KEPT_TOGETHER` characters are the same, unless full."""
    if size >= CHUNK_MOST:
        return True
    return (size >= CHUNK_LEAST and zlib.crc32(word.encode("utf-8")) % CUT_ONE_IN == 0
            and word[:KEPT_TOGETHER] != next_word[:KEPT_TOGETHER])


_Entry = tuple[str, bytes, int, int]
"""A word as a chunk's file holds it: the word, its entry (CBOR: [word, pages, variants]), its size (`_size`) and its
last page (-1 when it has other forms: it is then decoded to be joined, `splice.joined`)."""


class _Chunks:
    """The word chunks written so far (first and last word, file name, lengths and sizes of its words' entries), and
    the words of the next."""

    def __init__(self, out: Path, language: str):
        self.out, self.language = out, language
        self.made: list[list] = []
        self.names: set[str] = set()
        self.words: list[_Entry] = []
        self.size = 0

    def add(self, entry: _Entry) -> str | None:
        """Add a word; the last word of the chunk that ended before it, if one did."""
        ended = None
        if self.words and cut_between(self.words[-1][0], self.size, entry[0]):
            ended = self.words[-1][0]
            self.close()
        self.words.append(entry)
        self.size += entry[2]
        return ended

    def close(self) -> None:
        if self.words:
            encoded = b"".join([_chunk_head(len(self.words)), *(item for _, item, _, _ in self.words)])
            name = write_encoded(self.out / "index", "{}.pf_index", encoded, self.language, 7, CHUNK_COMPRESSION)
            self.made.append([self.words[0][0], self.words[-1][0], name, [len(item) for _, item, _, _ in self.words],
                              [size for _, _, size, _ in self.words], [end for _, _, _, end in self.words]])
            self.names.add(name)
            self.words, self.size = [], 0

    def drop(self) -> None:
        """Forget the words of the chunk not yet ended."""
        self.words, self.size = [], 0

    def take(self, chunk: list, file: Path) -> None:
        link(file, self.out / "index" / file.name)
        self.made.append(chunk)
        self.names.add(chunk[2])


def _chunk_head(words: int) -> bytes:
    """How a chunk's file starts, before its words' entries: [[entry, …]], in CBOR."""
    return splice.head(splice.ARRAY, 1) + splice.head(splice.ARRAY, words)


def _entries(content: bytes, lengths: list[int], sizes: list[int], ends: list[int]) -> list[_Entry]:
    """The words of a chunk's file (`content`, unzipped), cut at the noted lengths of their entries."""
    head = SIGNATURE + _chunk_head(len(lengths))
    start = len(head)
    if not content.startswith(head) or start + sum(lengths) != len(content) or not len(sizes) == len(ends) == len(lengths):
        raise ValueError("not as noted")
    entries = []
    for length, size, end in zip(lengths, sizes, ends):
        item = content[start:start + length]
        entries.append((splice.word_of(item)[0], item, size, end))
        start += length
    return entries


def _encoded(words: Iterable[list]) -> Iterator[_Entry]:
    for packed in words:
        yield packed[0], cbor2.dumps(packed), _size(packed[1]), -1 if packed[2] else sum(map(NUMBER, packed[1]))


def _size(pages: list) -> int:
    """What a word adds to its chunk (`cut_between`): its pages and positions."""
    return len(pages) + sum(map(len, map(LOCATIONS, pages))) + sum(map(len, map(META_LOCATIONS, pages)))


def _merged(parts: list[Part], offsets: list[int], fields: list[str], after: str | None) -> Iterator[list]:
    """Each word after `after`, its pages in all the parts."""
    streams = [part.words(offset, fields, after) for part, offset in zip(parts, offsets)]
    merged = heapq.merge(*streams, key=itemgetter(0))  # stable: an earlier part's pages come first
    for word, group in _grouped(merged):
        yield _combined(word, [(pages, forms) for _, pages, forms in group])


def _placed(part: Part, offset: int, fields: list[str], after: str | None
            ) -> Iterator[tuple[str, bytes, int, int, int, dict[bytes, bytes] | None]]:
    """A noted part's words (`Part.noted_words`), each with the number its part's pages begin at and its fields'
    marks as they are now (`splice.marks`)."""
    marks = splice.marks([fields.index(name) for name in part.fields])
    for entry in part.noted_words(after):
        yield *entry, offset, marks


def _decoded(item: bytes, offset: int, marks: dict[bytes, bytes] | None) -> tuple[list, list]:
    """The pages and other forms of a word's entry (`item`), numbered from `offset`, its fields' marks as in `marks`."""
    _, pages, forms = cbor2.loads(item)
    number = [-cbor2.loads(now) - 1 for then, now in marks.items() if then] if marks else []  # (b"": the end)
    moved = 0 if marks else None
    return (_shifted(pages, offset, number, moved), [[form, _shifted(form_pages, offset, number, moved)] for form, form_pages in forms])


def _combined(word: str, group: list[tuple[list, list]]) -> list:
    """A word's entry from its pages and other forms in several parts (numbered as merged), in order."""
    variants: dict[str, list[list]] = defaultdict(list)
    for _, forms in group:
        for form, pages in forms:
            variants[form].append(pages)
    return [word, _joined([pages for pages, _ in group]), [[form, _joined(lists)] for form, lists in variants.items()]]


def _merged_entries(parts: list[Part], offsets: list[int], fields: list[str], after: str | None) -> Iterator[_Entry]:
    """`_merged`, encoded; joined as bytes (`splice.py`) when every part notes its words (a shard's index). From where
    a noted chunk turns out not to be as noted on, decoded and encoded."""
    if any(part.noted is None for part in parts):
        yield from _encoded(_merged(parts, offsets, fields, after))
        return
    streams = [_placed(part, offset, fields, after) for part, offset in zip(parts, offsets)]
    try:
        for word, group in _grouped(heapq.merge(*streams, key=itemgetter(0))):
            if any(end < 0 for _, _, _, end, _, _ in group):  # other forms: decoded
                yield from _encoded([_combined(word, [_decoded(item, offset, number) for _, item, _, _, offset, number in group])])
            else:
                item, end = splice.joined([(item, offset, end, number) for _, item, _, end, offset, number in group])
                yield word, item, sum(entry[2] for entry in group), end
            after = word
    except (OSError, ValueError, KeyError, IndexError, TypeError, EOFError, cbor2.CBORDecodeError):
        yield from _encoded(_merged(parts, offsets, fields, after))


def _patched(old: _Old, k: int, after: str | None, parts: list[Part], offsets: list[int], fields: list[str]) -> Iterator[_Entry]:
    """`_merged`, from the last merge's chunk `k` on (its words follow `after`), made from that merge's words with the
    pages of the parts changed since replaced: reading those few parts and the last merge's chunks is a fraction of
    reading every part. The entry of a word whose pages did not change is the last merge's, as it is. A word whose
    other forms (`variants`) the changed parts touch, or a chunk whose file is not the one named, ends the patching:
    the rest is merged from every part."""
    ranges = [(offsets[n], offsets[n] + len(parts[n].pages), n) for n in sorted(old.changed)]
    changed = old.changes()[1]
    streams = [((entry[0], -1, entry, None) for entry in old.words_from(k)),
               *(_tagged(parts[n].words(offsets[n], fields, after, only=changed), n) for _, _, n in ranges)]
    last = after
    try:
        for word, group in _grouped(heapq.merge(*streams, key=itemgetter(0))):
            entries = {source: (pages, forms) for _, source, pages, forms in group}
            if word not in changed:
                if -1 not in entries:  # a word of a changed part the last merge lacks, yet unchanged: not that merge
                    break
                yield entries[-1][0]
                last = word
                continue
            old_pages, forms = cbor2.loads(entries[-1][0][1])[1:] if -1 in entries else ([], [])
            if any(entries[n][1] for _, _, n in ranges if n in entries) or any(_within(ranges, pages) for _, pages in forms):
                break
            pages = _spliced(old_pages, [(low, high, entries.get(n, ([], []))[0]) for low, high, n in ranges])
            if forms and not pages:
                break
            if pages:
                yield from _encoded([[word, pages, forms]])
            last = word
        else:
            return
    except _Unsound:
        pass
    yield from _merged_entries(parts, offsets, fields, last)


class _Unsound(Exception):
    """A chunk of the last merge is not the file it is named after."""


def _tagged(words: Iterable[tuple[str, Any, Any]], source: int) -> Iterator[tuple[str, int, Any, Any]]:
    for word, pages, forms in words:
        yield word, source, pages, forms


def _within(ranges: list[tuple[int, int, int]], pages: list) -> bool:
    """Whether any of `pages` (numbered by difference) is in one of `ranges`."""
    return any(low <= number < high for number in accumulate(map(NUMBER, pages)) for low, high, _ in ranges)


def _spliced(pages: list, replaced: list[tuple[int, int, list]]) -> list:
    """A word's pages (by difference, as merged) with those numbered within each (low, high) replaced by the given
    pages (the first numbered as it is, the rest by difference: a changed part's, moved to its place)."""
    numbers = list(accumulate(map(NUMBER, pages)))
    pieces: list[tuple[list, int, int]] = []  # (pages, first page's number, last page's number)
    start = 0
    for low, high, new in replaced:
        cut, resume = bisect_left(numbers, low, start), bisect_left(numbers, high, start)
        if cut > start:
            pieces.append((pages[start:cut], numbers[start], numbers[cut - 1]))
        if new:
            pieces.append((new, new[0][0], sum(map(NUMBER, new))))
        start = resume
    if start < len(pages):
        pieces.append((pages[start:], numbers[start], numbers[-1]))
    joined: list = []
    last = 0
    for piece, first, end in pieces:
        joined += [[first - last, *piece[0][1:]], *piece[1:]]
        last = end
    return joined


class _Walk:
    """The word chunks in order, from a cut on: the last merge's where none of their words changed, the others made again."""

    def __init__(self, parts: list[Part], offsets: list[int], fields: list[str], out: Path, language: str, old: _Old | None):
        self.parts, self.offsets, self.fields, self.out, self.old = parts, offsets, fields, out, old
        self.chunks = _Chunks(out, language)
        self.before = old.chunks if old else []
        self.ends = {chunk[1]: k for k, chunk in enumerate(self.before[:-1])}  # the last one ended with the words, not by `cut_between`

    def run(self, k: int = 0, after: str | None = None, stop: Callable[[str], bool] = lambda word: False,
            ahead: Callable[[str], None] = lambda word: None) -> list[list]:
        """From the cut after the word `after` (the last merge's chunk `k` next) to the last word, or to a cut
        after a word `stop` names; `ahead` is told each word before a chunk holding it is written."""
        old, before, chunks = self.old, self.before, self.chunks
        while True:
            if k < len(before) and old and old.unchanged(k, chunks.names):
                ahead(before[k][1])
                chunks.take(before[k], old.file(k))
                after, k = before[k][1], k + 1
                if stop(after):
                    break
                continue
            if before and k == len(before):
                break
            words = _patched(old, k, after, self.parts, self.offsets, self.fields) if old and old.patchable() else \
                _merged_entries(self.parts, self.offsets, self.fields, after)
            for entry in words:
                ahead(entry[0])
                ended = chunks.add(entry)
                if ended is None:
                    continue
                after = ended
                if stop(after):
                    return chunks.made
                if self.ends.get(after, -1) >= k:  # an end the last merge has too: its next chunk may be taken
                    k = self.ends[after] + 1
                    chunks.drop()  # the word after the end: the next chunk's, or read again from `after` on
                    break
            else:
                chunks.close()
                break
        return chunks.made


def _words(parts: list[Part], offsets: list[int], fields: list[str], out: Path, language: str, old: _Old | None) -> list[list]:
    """The word chunks: the last merge's where none of their words changed, the others made again; the second half
    of the work in a second process (`_Halves`) when there is enough of it."""
    walk = _Walk(parts, offsets, fields, out, language, old)
    half = _halfway(parts, old)
    if half is None or not parallel.safe_to_fork():
        return walk.run()
    return _Halves(walk, *half).run()


def _halfway(parts: list[Part], old: _Old | None) -> tuple[int, str] | None:
    """Where a second process may start: after the word ending the chunk before the middle one to be made again
    (the last merge's chunk number next), when there are at least `PARALLEL_FROM` to make."""
    if old is not None:
        made = sorted(k for k in range(len(old.chunks)) if not old.unchanged(k, ()))
        if len(made) < PARALLEL_FROM or made[len(made) // 2] == 0:
            return None
        k = made[len(made) // 2]
        return k, old.chunks[k - 1][1]
    lasts = sorted(last for part in parts for _, last, _ in part.chunks)  # (a prefix of the chunk's last word)
    return (0, lasts[len(lasts) // 2]) if len(lasts) >= PARALLEL_FROM else None


class _Halves:
    """The walk in two processes. The second starts as if a chunk ended after `word`; the first walks on from the start
    until a chunk of its own ends where one of the second's does, and takes the second's from there: as `cut_between`
    depends only on the words since the last end and the next (and the last merge's ends are the same for both), the
    walks are one from a shared end on. The second's chunks before that end are deleted."""

    def __init__(self, walk: _Walk, k: int, word: str):
        self.walk, self.word = walk, word
        self.second = parallel.Forked(lambda: walk.run(k, word))
        self.made: list[list] | None = None
        self.ends: dict[str, int] = {}

    def run(self) -> list[list]:
        try:
            first = self.walk.run(stop=self._joins, ahead=self._cross)
        finally:
            self._wait()
        assert self.made is not None
        at = self.ends.get(first[-1][1]) if first else None
        chunks = first + (self.made[at + 1:] if at is not None else [])
        kept = {f"{chunk[2]}.pf_index" for chunk in chunks}
        for file in (self.walk.out / "index").glob(f"{self.walk.chunks.language}_*"):  # the second's, or what it left failing
            if file.name not in kept:
                file.unlink()
        return chunks

    def _wait(self) -> None:
        if self.made is None:
            self.made = self.second.answer() or []  # failed: the first walks on to the end
            self.ends = {chunk[1]: n for n, chunk in enumerate(self.made)} | ({self.word: -1} if self.made else {})

    def _cross(self, word: str) -> None:
        """Before the first writes what the second may have written (the second's files are then all there)."""
        if word > self.word:
            self._wait()

    def _joins(self, word: str) -> bool:
        if word >= self.word:
            self._wait()
        return word in self.ends


def _grouped(merged: Iterator[Any]) -> Iterator[tuple[str, list[Any]]]:
    """Runs of items with the same first member (a word)."""
    group: list[Any] = []
    for item in merged:
        if group and item[0] != group[0][0]:
            yield group[0][0], group
            group = []
        group.append(item)
    if group:
        yield group[0][0], group


def _trimmed(chunks: list[list]) -> list[list]:
    """Each chunk's first and last word cut to the shortest prefixes that still tell neighbours apart (as Pagefind does)."""
    for before, after in zip(chunks, chunks[1:]):
        common = 0
        while common < min(len(before[1]), len(after[0])) and before[1][common] == after[0][common]:
            common += 1
        last, first = before[1][:common + 1], after[0][:common + 1]
        if last >= before[0]:
            before[1] = last
        after[0] = first
    return chunks


def _filters(parts: list[Part], offsets: list[int], out: Path, language: str) -> tuple[list[list], dict[str, dict[str, int]]]:
    """The filter files of all pages, and the pages of each filter's values counted: all the search page needs of
    the filters until a reader filters (the files held 1.1 of the 2.5 MB of a first search at 100,000 documents)."""
    values: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for part, offset in zip(parts, offsets):
        for name, value, pages in part.filter_values():
            values[name][value] += [page + offset for page in pages]
    files = [[name, write_packed(out / "filter", "{}.pf_filter", [name, sorted(map(list, by_value.items()))], language, 7)]
             for name, by_value in sorted(values.items())]
    return files, {name: {value: len(pages) for value, pages in by_value.items()} for name, by_value in values.items()}


def _sorts(parts: list[Part], offsets: list[int]) -> list[list]:
    """Each sort order over all pages, by the value each page also carries as metadata of the sort's name;
    pages of the same value by address (Pagefind leaves them in the order it happened to read the files)."""
    keyed: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for part, offset in zip(parts, offsets):
        values = part.sort_values()
        for name, order in part.sorts:
            for page, (value, url) in zip(order, values[name]):
                if value is None:
                    raise MergeError(f"页面 {url} 按“{name}”排序（data-pagefind-sort），"
                                     f"却没有同名的元数据（data-pagefind-meta=\"{name}:…\"）：合并时无从比较")
                keyed[name].append((value, url, page + offset))
    return [[name, [page for _, _, page in sorted(entries, key=_sort_key(entries))]] for name, entries in sorted(keyed.items())]


NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _sort_key(entries: list[tuple[str, str, int]]):
    """Numbers when every value is a number (as Pagefind decides), else text in Pagefind's (byte) order."""
    if all(NUMBER_TEXT.fullmatch(value) for value, _, _ in entries):
        return lambda entry: (float(entry[0]), entry[1])
    return lambda entry: (entry[0].encode("utf-8"), entry[1])
