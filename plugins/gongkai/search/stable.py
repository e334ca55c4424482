"""Make Pagefind's output depend on the site only, so that the same commit builds the same bytes.

Pagefind 1.5 writes the values of each filter in hash-map order, which changes from run to
run, and names the filter files and the metadata file after their contents; everything else
it writes is already stable (Pagefind/pagefind#638). Here the filter values and the list of
filters are sorted, and the files renamed after their new contents. The files are gzipped
CBOR behind a short signature; the JavaScript reads them by the names the metadata gives.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"


def stabilize(bundle: Path) -> None:
    entry_file = bundle / "pagefind-entry.json"
    entry_text = entry_file.read_text(encoding="utf-8")
    for language, info in json.loads(entry_text)["languages"].items():
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read_packed(meta_file)
        filters = meta[3]  # [[filter name, file hash], …]
        for pair in filters:
            pair[1] = _sort_filter(bundle / "filter" / f"{pair[1]}.pf_filter", language)
        filters.sort(key=lambda pair: pair[0])
        meta_file.unlink()
        meta_hash = write_packed(bundle, "pagefind.{}.pf_meta", meta, language, 13)
        entry_text = entry_text.replace(f'"{info["hash"]}"', f'"{meta_hash}"')
    entry_file.write_text(entry_text, encoding="utf-8")


def _sort_filter(file: Path, language: str) -> str:
    """Sort one filter's values; return the file's new hash."""
    name, values = read_packed(file)  # [filter name, [[value, [page numbers]], …]]
    file.unlink()
    return write_packed(file.parent, "{}.pf_filter", [name, sorted(values, key=lambda item: item[0])], language, 7)


def read_packed(file: Path) -> Any:
    raw = gzip.decompress(file.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{file} is not a Pagefind index file")
    return cbor2.loads(raw[len(SIGNATURE):])


def write_packed(folder: Path, pattern: str, data: Any, language: str, digits: int, compression: int = 9) -> str:
    """Write `data` the way Pagefind does, named after its contents; return the name's hash."""
    return write_encoded(folder, pattern, cbor2.dumps(data), language, digits, compression)


def write_encoded(folder: Path, pattern: str, encoded: bytes, language: str, digits: int, compression: int = 9) -> str:
    """`write_packed` of data already encoded (CBOR). Two different files whose names would be the same get a longer
    name, as Pagefind does."""
    content = gzip.compress(SIGNATURE + encoded, compresslevel=compression, mtime=0)
    full = hashlib.sha256(content).hexdigest()
    for length in range(digits, len(full) + 1):
        name = f"{language}_{full[:length]}"
        file = folder / pattern.format(name)
        if not file.exists() or file.read_bytes() == content:
            break
    file.write_bytes(content)
    return name


def drop_meta(bundle: Path, names: tuple[str, ...]) -> None:
    """Remove metadata fields that only serve finding from every page fragment.

    The fields stay in the index (Pagefind matched and weighed them there); a fragment is what a
    reader downloads to show a result, and it does not need them. The file keeps its name: the
    index refers to it by that name, and the name still changes whenever the page does.
    """
    for file in (bundle / "fragment").iterdir():
        fragment = read_fragment(file)
        if not any(name in fragment["meta"] for name in names):
            continue
        fragment["meta"] = {k: v for k, v in fragment["meta"].items() if k not in names}
        text = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        file.write_bytes(gzip.compress(SIGNATURE + text, compresslevel=9, mtime=0))


def read_fragment(file: Path) -> dict[str, Any]:
    """A page's fragment: its address, text, filters and metadata (gzipped JSON behind the signature)."""
    return json.loads(gzip.decompress(file.read_bytes())[len(SIGNATURE):])
