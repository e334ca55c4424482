"""Brotli copies of the search files a search loads, beside them (`pagefind.js.br`, `….pf_meta.br`), for a server
that sends such a copy to a browser that accepts it (nginx's `brotli_static`, `deploy/nginx/site.conf`).

Pagefind gzips its files and unpacks them in the browser. The copy holds the file's bytes unpacked and compressed
again with brotli; the browser unpacks it on arrival, and Pagefind takes a file that already begins with its
signature as it is. At 100,000 documents brotli made the metadata 0.66x its gzipped size, the filter files 0.58x,
the WebAssembly 0.87x and the word chunks 0.90x (at quality 8: 11 gave 0.76x, but at 0.5 MB/s, fifty times slower).
Fragments (one a result shown, a hundred thousand files) get no copy: brotli saves least on them.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import brotli

from .. import parallel
from ..cache import link
from . import kept

SUFFIX = ".br"
BEST, FAST = 11, 8  # brotli's quality: the few files every search loads, and the many word chunks
FORK_FROM = 1 << 20  # bytes to compress (gzipped): for less, a second process is not worth starting


def loaded(bundle: Path) -> list[tuple[str, int]]:
    """The files (relative names) a search may load, but the fragments, each with the quality to compress it at."""
    names = [("pagefind.js", BEST)]
    names += [(file.name, BEST) for file in sorted(bundle.glob("wasm.*.pagefind"))]
    names += [(file.name, BEST) for file in sorted(bundle.glob("*.pf_meta"))]
    names += [(f"filter/{file.name}", BEST) for file in sorted(bundle.glob("filter/*.pf_filter"))]
    names += [(f"index/{file.name}", FAST) for file in sorted(bundle.glob("index/*.pf_index"))]
    return [(name, quality) for name, quality in names if (bundle / name).is_file()]


def write_beside(bundle: Path, before: Path | None) -> None:
    """Write each loaded file's brotli copy, when smaller than the file (a word chunk of a few words may not be); the
    one beside the same file in `before` (the last index) is taken as it is. The rest on both cores: at 100,000
    documents compressing them took 13.5 s of the merge job, which every pipeline waits for."""
    if before is not None and kept.sound(before) is None:  # not a kept index, or damaged: its copies may not be taken
        before = None
    made = []
    for name, quality in loaded(bundle):
        if before is not None and _same(bundle / name, before / name) and (before / (name + SUFFIX)).is_file():
            link(before / (name + SUFFIX), bundle / (name + SUFFIX))
        else:
            made.append((bundle / name, quality, (bundle / name).stat().st_size))
    made.sort(key=lambda item: (item[1], item[2]), reverse=True)  # dealt in turn to the two processes: costliest first
    parallel.halves(_write, made, enough=sum(size for _, _, size in made) >= FORK_FROM)


def _write(item: tuple[Path, int, int]) -> None:
    file, quality, _ = item
    content = file.read_bytes()
    compressed = brotli.compress(unpacked(content), quality=quality)
    if len(compressed) < len(content):
        file.with_name(file.name + SUFFIX).write_bytes(compressed)


def unpacked(content: bytes) -> bytes:
    """A search file's bytes as the browser's script reads them: Pagefind's gzipped files unzipped."""
    return gzip.decompress(content) if content[:2] == b"\x1f\x8b" else content


def _same(file: Path, other: Path) -> bool:
    try:
        if os.path.samefile(file, other):
            return True
        return file.stat().st_size == other.stat().st_size and file.read_bytes() == other.read_bytes()
    except OSError:
        return False
