"""The search index, made in parts and merged.

Pagefind reads every page it is given, each time, and its memory grows with them. The pages it
indexes are dealt into parts by a hash of their path (a page stays in its part however the
others change); each part is indexed by a Pagefind run of its own, on a folder of links to its
pages, and kept by the digest of those pages (`kept.py`). After a change only the parts holding
a changed page are indexed again, and the parts are merged into one index (`merge.py`), so the
reader searches one index, exactly as if Pagefind had read the whole site at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Iterator

from mkdocs.exceptions import PluginError

from .. import parallel
from ..cache import FOLDER, Stamps, digest, files_in, link, read_entry, write_entry
from ..pages.search import FIELDS
from . import kept
from .merge import Before, MergeError, merge, note_sort_values, note_words
from .stable import drop_meta, stabilize
from .trim import body_start, trimmed

BUNDLE = "pagefind"
LANGUAGE = "zh-cn"
OPTIONS = ["--force-language", LANGUAGE]
SEEN = "search-pages.json"  # beside the kept indexes (`kept.py`), whose folder holds only them
MERGED = "search-merge.json"  # the last merge: its parts and its word chunks, for the next merge
STAGING = (Path("/dev/shm"),)  # where the pages Pagefind reads are put first (`_staged`), then the temporary folder


@dataclass
class Indexed:
    pages: int
    parts: int
    indexed_parts: list[int]  # the pages of each part Pagefind read this time
    keeping: threading.Thread | None = None
    """Keeping the merged index in the cache, while the build goes on (`Indexed.kept` waits for it)."""

    def kept(self) -> None:
        if self.keeping is not None:
            self.keeping.join()
            self.keeping = None


def index_site(site_dir: Path, project_root: Path, part_pages: int, keep_later: bool = False, sorts_apart: bool = True) -> Indexed:
    """Write the site's index into `site_dir/pagefind`, indexing again only the parts whose pages changed (the sort
    orders kept apart from the metadata unless told otherwise: `merge.merge`). With
    `keep_later`, the merged index is kept in the cache while the caller goes on (`Indexed.kept` waits for it): that
    links each of its files again, 0.4 s at 10,000 documents, beside the audit, which only reads them."""
    pages = indexable(site_dir, project_root)
    if not pages:  # a shard with no pages of its own (`shards.py`): nothing to index, nothing to merge
        shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
        return Indexed(0, 0, [])
    parts = split(pages, part_pages)
    tool = tool_digest()
    keys = [digest([tool, *(x for item in sorted(part.items()) for x in item)]) for part in parts]
    whole = digest(["merged" if sorts_apart else "merged, sorts within", *keys])
    bundle = site_dir / BUNDLE
    result = Indexed(len(pages), len(parts), [])
    if kept.take(project_root, whole, bundle):
        return result
    with _workspace(project_root) as workspace:
        work = Path(workspace)
        # a kept part is merged from where it is kept (linking its files elsewhere first took a second at 10k)
        made = [kept.found(project_root, key) or work / f"part-{n}" for n, key in enumerate(keys)]
        missing = [n for n, bundle in enumerate(made) if bundle.parent == work]

        def index_part(n: int) -> None:
            run_pagefind(site_dir, parts[n], made[n])
            kept.keep(project_root, keys[n], made[n])

        # two at a time on two cores: Pagefind keeps 1.1 of them busy on a part (0.73x the time, 120 MB a run, at 10k)
        with ThreadPoolExecutor(min(2, parallel.cpu_count())) as runs:
            list(runs.map(index_part, missing))
        result.indexed_parts = [len(parts[n]) for n in missing]
        shutil.rmtree(bundle, ignore_errors=True)
        try:  # one part too: its word chunks then end where a merge of several would end them
            chunks = merge(made, bundle, _before(project_root, tool, keys), sorts_apart)
        except MergeError as error:
            raise PluginError(f"站内搜索索引的各部分无法合并：{error}") from None
        write_entry(project_root / FOLDER / MERGED, {"tool": tool, "parts": keys, "merged": whole, "chunks": chunks})
    result.keeping = threading.Thread(target=_keep_merged, args=(project_root, whole, bundle, {whole, *keys}))
    result.keeping.start()
    if not keep_later:
        result.kept()
    return result


def _keep_merged(project_root: Path, key: str, bundle: Path, used: set[str]) -> None:
    with contextlib.suppress(OSError):  # a read-only checkout builds without keeping
        kept.keep(project_root, key, bundle)
        kept.prune(project_root, used)


def note_merged_words(bundle: Path, project_root: Path) -> None:
    """Note beside `bundle` (the index just written) its word chunks as its merge noted them, when it was kept."""
    found = read_entry(project_root / FOLDER / MERGED)
    note = found[0] if found else None
    if isinstance(note, dict) and isinstance(note.get("chunks"), dict):  # (a merge of it checks them against its files)
        note_words(bundle, note["chunks"])


def _before(project_root: Path, tool: str, keys: list[str]) -> Before | None:
    """The last merge, when it was made by this code from as many parts (a part is known by its key)."""
    found = read_entry(project_root / FOLDER / MERGED)
    note = found[0] if found else None
    if not (isinstance(note, dict) and note.get("tool") == tool and isinstance(note.get("parts"), list)
            and len(note["parts"]) == len(keys) and isinstance(note.get("chunks"), dict)):
        return None
    folder = project_root / FOLDER / kept.KIND
    changed = [n for n, (then, now) in enumerate(zip(note["parts"], keys)) if then != now]
    if any(kept.sound(folder / str(note["parts"][n])) is None for n in changed):  # what it was is needed, and sound
        return None
    return Before([folder / str(key) for key in note["parts"]], folder / str(note["merged"]), note["chunks"], changed)


def indexable(site_dir: Path, project_root: Path | None = None) -> dict[str, str]:
    """The digest of each page Pagefind indexes, by its path: those marked `data-pagefind-body`
    (all of them when none is, as Pagefind decides).

    With `project_root`, a page that is still the file seen last time (the same inode, size and
    modification time: a page linked in from the page cache) is not read again; the last build read
    16,000 pages (550 MB) only to find most of them unchanged."""
    stamps = Stamps(site_dir, project_root / FOLDER / SEEN if project_root else None,
                    lambda value: isinstance(value, list) and len(value) == 2 and isinstance(value[0], str))
    known = {name: stamps.noted(name) for name in files_in(site_dir, ".html")}
    unread = [name for name, value in known.items() if value is None]
    for name, value in zip(unread, parallel.halves(partial(_read_page, site_dir), unread)):  # (half in another process)
        known[name] = value
        stamps.read(name, value)
    every = {name: value[0] for name, value in known.items()}
    marked = {name: value[0] for name, value in known.items() if value[1]}
    stamps.save()
    return marked or every


def _read_page(site_dir: Path, name: str) -> list:
    """[digest, whether Pagefind indexes it alone] of one page."""
    content = (site_dir / name).read_bytes()
    return [hashlib.sha256(content).hexdigest(), _marked(content)]


def _marked(page: bytes) -> bool:
    """Whether a tag of the page has the `data-pagefind-body` attribute."""
    return body_start(page) != -1


def split(pages: dict[str, str], part_pages: int) -> list[dict[str, str]]:
    """Deal the pages into a power of two of parts of about `part_pages` each, by a hash of the path:
    the parts change only when the site doubles or halves."""
    count = 1
    while count * part_pages < len(pages):
        count *= 2
    parts: list[dict[str, str]] = [{} for _ in range(count)]
    for name, sha in pages.items():
        parts[int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16) % count][name] = sha
    return [part for part in parts if part] or [{}]


def tool_digest() -> str:
    """What every part's index depends on besides its pages: Pagefind's version and options, and our code that rewrites
    and merges its output."""
    code = [path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))]
    return digest([version("pagefind_bin_extended"), *OPTIONS, *code])


def run_pagefind(site_dir: Path, part: dict[str, str], out: Path) -> None:
    """Index the pages of `part` into `out`, with Pagefind's command-line program on a folder of them (`_staged`).

    Not through Pagefind's Python service: the service answers "written" while its file
    writes are still queued on tokio's blocking threads, and the wrapper then terminates it,
    which leaves files empty or cut short under load. The command-line program finishes
    every write before it exits.
    """
    from pagefind_bin_extended import get_executable

    with _staged(site_dir, part) as pages, tempfile.TemporaryDirectory() as empty:  # (no pagefind.yml of the caller's)
        command = [str(get_executable()), "--site", pages, "--output-path", str(out.resolve()), *OPTIONS]
        run = subprocess.run(command, cwd=empty, capture_output=True, text=True, encoding="utf-8", errors="replace",
                             stdin=subprocess.DEVNULL)
    if run.returncode != 0:
        raise PluginError(f"Pagefind 建立检索索引失败（退出码 {run.returncode}）：{(run.stderr or run.stdout).strip()[-2000:]}")
    stabilize(out)
    drop_meta(out, FIELDS)
    note_sort_values(out)


@contextlib.contextmanager
def _staged(site_dir: Path, part: dict[str, str]) -> Iterator[str]:
    """A folder of the part's pages as Pagefind needs them (`trim.py`): in memory where the system keeps a folder there
    (/dev/shm), else in the temporary folder. On disk, writing them while the other Pagefind run wrote its index made the
    system time of the whole index three times as long (12.9-16.6 s against 4.3-4.9 s at 10,000 documents)."""
    places = [folder for folder in STAGING if folder.is_dir() and os.access(folder, os.W_OK)]
    for place in [*places, None]:
        with tempfile.TemporaryDirectory(dir=place, prefix="gongkai-pages-") as pages:
            try:
                for name in part:
                    _stage(site_dir / name, Path(pages) / name)
            except OSError:  # full: the next place
                if place is None:
                    raise
                continue
            yield pages
            return


def _stage(page: Path, staged: Path) -> None:
    """Put the page where Pagefind reads it: as much of it as it needs (`trim.py`), else the page itself."""
    short = trimmed(page.read_bytes())
    if short is None:
        link(page, staged)
        return
    try:
        staged.write_bytes(short)
    except FileNotFoundError:  # the first page of its folder (making the folder first for each took 6 s at 10k)
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(short)


def _workspace(project_root: Path) -> tempfile.TemporaryDirectory:
    """Where the parts are made: beside the cache (the same disk, so pages are linked, not copied)."""
    folder = project_root / FOLDER / kept.KIND
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryDirectory(dir=folder, prefix=".work-")
    except OSError:
        return tempfile.TemporaryDirectory(prefix="gongkai-search-")
