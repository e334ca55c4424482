"""Generated pages kept from the last build and reused when nothing they are made of changed.

A page's key is the digest of what it is made of (`pages.reads`): what every page depends
on (`global_key`: our code, the theme and overrides, mkdocs.yml, the hand-written pages' places
and titles, the list of pages, the site's own details), its view, and the values at the places its templates
read the last time it was rendered. The manifest keeps, for each page, that key and those
places; the page's HTML is kept by the digest of its bytes, as a hard link to the file the
build wrote (no copy). A later build looks the same places up again: when the key comes out
the same and the kept file still has the digest it is named by, MkDocs reads and converts
nothing for the page (`CachedPage`), the theme skips it and the kept file is linked into the
site. A damaged file is noticed by its digest (read again whenever the file's stamp is not the one
the manifest noted when the digest was last checked) and the page rendered again; the cache is
`.cache/gongkai/pages/`, safe to delete.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Iterable, Iterator

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import is_markdown_file
from mkdocs.utils.meta import get_data

from . import parallel
from .cache import BLOB, FOLDER, Cache, Stamps, digest, file_digest, framed, link, read_entry, stamp, tree_digests, write_at_once, write_entry, write_members
from .linker import Linking
from .pages.reads import Fingerprints, Read, Unfingerprintable
from .pages.view import Made, View

KIND = "pages"
MADE = "made"  # beside the pages: the files made with them (`made_file`)
MADE_SEEN = "made-seen.json"  # beside that folder: the stamp of each file there when it was written
BODIES = "bodies-{}.json"
MANIFEST = "manifest-{}.json"
NAMES = "names-{}.json"  # the files a manifest names, beside it: another flavour's build prunes by them
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions")


@dataclass
class Kept:
    """What the manifest says of one page."""

    key: str
    reads: list[Read]
    html: str  # digest of the page's bytes: the name of its file in the cache
    anchors: list[str] = field(default_factory=list)  # ids its Markdown made (other pages' links may point at them)
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # anchors it links to, by page
    checked: list[int] | None = None  # the kept file's stamp when it was last found to have its digest
    _json: dict | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, value: Any, places: list[Read]) -> Kept:
        """`value` as the manifest holds it, its reads numbers in `places` (`_manifest_members`)."""
        if min(value["reads"], default=0) < 0:
            raise ValueError("not a place")
        reads = [places[number] for number in value["reads"]]
        checked = value.get("checked")
        kept = cls(str(value["key"]), reads, str(value["html"]), list(value.get("anchors", [])), dict(value.get("links", {})),
                   [int(n) for n in checked] if isinstance(checked, list) else None)
        if value.keys() <= _JSON_FIELDS:  # as `as_json` wrote it: written again as it is (1.5 s at 10,000 documents)
            value["reads"] = reads  # the same places, held once (JSON's lists of two strings were 580 MB at 100,000)
            kept._json = value
        return kept

    def as_json(self) -> dict:
        """(Once: a page reused on every rebuild of `mkdocs serve` is written to the manifest each time.)"""
        if self._json is None:
            # the reads as they are (JSON writes a tuple as a list): a list page of a large platform reads 100,000 records
            self._json = {"key": self.key, "reads": sorted(self.reads, key=str), "html": self.html}
            if self.anchors:
                self._json["anchors"] = self.anchors
            if self.links:
                self._json["links"] = self.links
            if self.checked:
                self._json["checked"] = self.checked
        return self._json

    def found_sound(self, at: tuple[int, int, int]) -> None:
        self.checked, self._json = list(at), None


_JSON_FIELDS = {"key", "reads", "html", "anchors", "links", "checked"}


class BlankPage(Page):
    """A generated page without Markdown (its view's template makes all of it): nothing to convert. MkDocs would
    build a Markdown converter with every extension for it all the same (0.2 ms a page, 6,000 pages at 10,000
    documents)."""

    def __init__(self, file: File, config: MkDocsConfig, title: str | None = None):
        """`title`: the page's title in `nav:` (`nav_titles`)."""
        super().__init__(title, file, config)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown:  # a plugin's `on_page_markdown` gave it some
            return super().render(config, files)
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()


class CachedPage(Page):
    """A page whose HTML comes from the cache: MkDocs reads and converts nothing for it."""

    def __init__(self, file: File, config: MkDocsConfig, kept: Kept, title: str | None = None):
        """`title`: the page's title in `nav:` (`nav_titles`)."""
        super().__init__(title, file, config)
        self.kept = kept

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set(self.kept.anchors)
        self.links_to_anchors = {target: links for uri, links in self.kept.links.items()
                                 if (target := files.src_uris.get(uri)) is not None}


class PageCache:
    def __init__(self, project_root: Path | None, fingerprints: Fingerprints, flavour: str):
        """`flavour`: builds whose pages differ throughout (`mkdocs serve` sets another `site_url`) keep a manifest each."""
        self.folder = project_root / FOLDER / KIND if project_root else None
        known_as = digest([flavour])[:12]
        self.manifest_name, self.bodies_name, self.names_name = (name.format(known_as) for name in (MANIFEST, BODIES, NAMES))
        self.fingerprints = fingerprints
        self.manifest: dict[str, Kept] | None = None  # read by the first `plan`, once the global key is known
        self.bodies: dict[str, list[str]] = {}  # src_uri → [key, body HTML], for the pages that show others' (汇编)
        self._kept_bodies: dict[str, list[str]] | None = None
        self.reused: dict[str, Kept] = {}
        self.fresh: dict[str, Kept] = {}
        self._made_of: dict[str, tuple[View, str]] = {}  # the view and body of each fresh page, for its key (`publish`)
        self.global_key = ""
        self._unsaved: tuple[dict[str, Kept], dict[str, list[str]]] | None = None
        self._linking: Linking | None = None
        self._reads_seen: dict[Read, Read] = {}
        self._framed_reads: dict[Read, bytes] = {}
        self.made_files = Cache(project_root)
        self._made_stamps: Stamps | None = None
        self._making: parallel.Forked | None = None

    def plan(self, views: Iterable[View], global_key: str) -> dict[str, Kept]:
        """The views whose page can be taken from the cache, with what is kept of each."""
        self.global_key = global_key
        if self.manifest is None:
            self.manifest = self._kept_manifest()
        known = [(view, kept) for view in views if (kept := self.manifest.get(view.src_uri)) is not None]
        keys = parallel.halves(lambda pair: self.key_of(pair[0], pair[1].reads), known)  # 3-4 s at 10,000 documents
        for (view, kept), key in zip(known, keys):
            if key == kept.key and self._sound(kept):
                self.reused[view.src_uri] = kept
        return self.reused

    def _kept_manifest(self) -> dict[str, Kept]:
        """The manifest kept, unless it was written under another global key (after a new version of gongkai, the
        theme or mkdocs.yml): then no page of it can be reused, and decoding it is only time and memory (the shared
        shard of 100,000 documents had 112 MB of it, before each place was written once; with one to decode its build
        peaked at 2.24 GB, without at 1.99)."""
        if self.folder is None:
            return {}
        path = self.folder / self.manifest_name
        found = read_entry(self.folder / self.names_name)
        entry = found[0] if found and isinstance(found[0], dict) else {}
        now = stamp(path)
        if now is not None and entry.get("manifest") == list(now) and entry.get("global_key") not in (None, self.global_key):
            return {}
        return _manifest(path)

    def made_file(self, made: Made) -> Path | None:
        """A kept file holding the bytes of a file published with a page, to be linked into the site (`Made`: making
        3,000 答复文书 took 2 s of every build at 10,000 documents, and copying them 1 s). Kept by the digest of how it
        is made and of what every page depends on (`plan`'s key); made again unless it is still the file written then
        (its stamp, as the pages are checked). None when nothing is kept."""
        if self.made_files.folder is None:
            return None
        try:
            key = digest([self.global_key, self.fingerprints.of(made)])
        except Unfingerprintable:
            return None
        self.made_files.use(MADE, key)
        name, stamps = f"{key}{BLOB}", self._stamps_of_made()
        if stamps.noted(name) is None:
            if not write_at_once(stamps.folder / name, [made.bytes()]):
                return None
            stamps.noted(name)  # the new file's stamp
            stamps.read(name, True)
        return stamps.folder / name

    def make_ahead(self, made: list[Made]) -> None:
        """Start keeping the files `made_file` will be asked for, in a forked process on the other core: the build
        converts its pages on one core meanwhile, and making 3,000 答复文书 and 目录 took 3 s of a cold build's
        one busy core after that (at 10,000 documents). `made_ahead` takes what it noted."""
        if self.made_files.folder is None or len(made) < parallel.HALVES_FROM or not parallel.second_core():
            return

        def keep_all() -> dict[str, list]:
            names = [path.name for item in made if (path := self.made_file(item))]
            return self._stamps_of_made().now(names)

        self._making = parallel.Forked(keep_all)

    def made_ahead(self) -> None:
        """Wait for `make_ahead`'s process; note the files it kept as if `made_file` had kept them here."""
        making, self._making = self._making, None
        if making and (noted := making.answer()):
            self._stamps_of_made().take(noted)

    def _stamps_of_made(self) -> Stamps:
        assert self.made_files.folder is not None
        if self._made_stamps is None:
            self._made_stamps = Stamps(self.made_files.folder / MADE, self.made_files.folder / MADE_SEEN, lambda value: value is True)
        return self._made_stamps

    def forget_unused_made(self) -> None:
        """Delete the kept files no `made` of this build asked for (call when the build made them all)."""
        self.made_files.prune(MADE, self.made_files.used.get(MADE, set()))

    def key_of(self, view: View, reads: list[Read]) -> str | None:
        """The digest of what `view`'s page is made of (`reads` sorted, as kept); None when part of it cannot be digested."""
        try:
            parts = [self.global_key, self.fingerprints.of(view)]
            framed_reads = b"".join([self._framed_read(read) for read in reads])
        except Unfingerprintable:
            return None
        return digest(parts, framed_reads)

    def _framed_read(self, read: Read) -> bytes:
        """A read and the digest of what is there, as part of a key (16,000 pages have 270,000 reads, 80,000 of them different)."""
        found = self._framed_reads.get(read)
        if found is None:
            path, key = read
            found = self._framed_reads[read] = framed(f"{path}\0{key}\0{self.fingerprints.of_read(read)}")
        return found

    def rendered(self, view: View, reads: Iterable[Read], body: str) -> None:
        """Note a page rendered in this build, with the places its templates read (its key is worked out in `publish`,
        on two cores: here, 2.3 s of the one busy core at 10,000 documents)."""
        self.fresh[view.src_uri] = Kept("", _one_of_each(sorted(reads, key=str), self._reads_seen), "")
        self._made_of[view.src_uri] = (view, body)

    def rendered_of(self, src_uri: str) -> tuple[list[Read], str] | None:
        """What `rendered` noted of a page (its reads and body), if anything (to be noted again in another process)."""
        kept = self.fresh.get(src_uri)
        return None if kept is None else (kept.reads, self._made_of[src_uri][1])

    def body(self, src_uri: str) -> str | None:
        """The body of a page taken from the cache, kept when it was last rendered; None when it is not kept."""
        kept, entry = self.reused.get(src_uri), self.kept_bodies().get(src_uri)
        return entry[1] if kept and entry and entry[0] == kept.key else None

    def need_bodies(self, shown: set[str]) -> None:
        """The pages among `shown` (by others: 汇编) are taken from the cache only if their bodies are kept too."""
        for uri in [uri for uri in shown if uri in self.reused]:
            if self.body(uri) is None:
                del self.reused[uri]

    def kept_bodies(self) -> dict[str, list[str]]:
        if self._kept_bodies is None:
            found = read_entry(self.folder / self.bodies_name) if self.folder and self.reused else None
            self._kept_bodies = found[0] if found and isinstance(found[0], dict) else {}
        return self._kept_bodies

    def link_reused(self, files: Files, site_dir: Path) -> None:
        """Start linking the reused pages into the site (beside the build: `linker.py`)."""
        if self.folder is not None:
            self._linking = Linking(site_dir, [(self.folder / f"{kept.html}.html", Path(file.abs_dest_path))
                                     for uri, kept in self.reused.items() if (file := files.src_uris.get(uri))])

    def stop(self) -> None:
        """Stop the processes working beside the build (it failed)."""
        linking, self._linking = self._linking, None
        if linking:
            linking.stop()
        making, self._making = self._making, None
        if making:
            making.stop()

    def links_made(self) -> None:
        """Wait until the reused pages are linked into the site (`link_reused`)."""
        linking, self._linking = self._linking, None
        if linking:
            linking.wait()

    def publish(self, files: Files) -> None:
        """Keep the pages rendered now (called once they are written), to be `save`d. The reused pages may still be being
        linked into the site meanwhile (`links_made`): the manifest is written while they are (0.6 s at 10,000 documents)."""
        if self.folder is None:
            return
        manifest = {uri: kept for uri, kept in self.reused.items()}
        fresh = [(uri, kept, files.src_uris.get(uri)) for uri, kept in self.fresh.items()]
        work = [(self._made_of[uri][0], kept.reads, file.abs_dest_path if file is not None and file.page is not None else None)
                for uri, kept, file in fresh]
        found = parallel.halves(self._key_and_kept_file, work)  # (each page is read again for its digest too)
        for (uri, kept, file), (key, names) in zip(fresh, found):
            if key is None:  # a part of it cannot be digested: not kept
                continue
            if body := self._made_of[uri][1]:
                self.bodies[uri] = [key, body]
            if names is None:  # not written (MkDocs skips an empty page)
                continue
            kept.key, (kept.html, at) = key, names
            if at:
                kept.found_sound(at)
            assert file is not None and file.page is not None
            kept.anchors = sorted(file.page.present_anchor_ids or ())
            kept.links = {target.src_uri: links for target, links in (file.page.links_to_anchors or {}).items()}
            manifest[uri] = kept
        bodies = {uri: entry for uri, entry in self.kept_bodies().items() if uri in self.reused and self.reused[uri].key == entry[0]}
        self._unsaved = (manifest, {**bodies, **self.bodies})

    def _key_and_kept_file(self, fresh: tuple[View, list[Read], str | None]) -> tuple[str | None, tuple[str, tuple | None] | None]:
        """A fresh page's key and, when it was written, the name and stamp of its kept file (`_keep_written`)."""
        view, reads, written = fresh
        key = self.key_of(view, reads)
        return key, _keep_written(self.folder, written) if key is not None and written and self.folder else None

    def save(self) -> None:
        """Write the manifest `publish` made, and delete the kept pages it no longer names (the preview
        does this once the new pages are served: it took a second and a half of each rebuild at 10,000 documents)."""
        if self.folder is None or self._unsaved is None:
            return
        (manifest, bodies), self._unsaved = self._unsaved, None
        if self._made_stamps:
            self._made_stamps.save()
        write_members(self.folder / self.manifest_name, _manifest_members(manifest))
        written = stamp(self.folder / self.manifest_name)
        _remember(self.folder / self.manifest_name, manifest, written)
        write_entry(self.folder / self.bodies_name, bodies)
        names = {f"{kept.html}.html" for kept in manifest.values()}
        _write_names(self.folder / self.names_name, written, names, self.global_key)
        self._prune(names)

    def _prune(self, keep: set[str]) -> None:
        """Delete the kept pages no manifest names (another flavour's manifest keeps its own)."""
        assert self.folder is not None
        for other in self.folder.glob(MANIFEST.format("*")):
            if other.name != self.manifest_name:
                keep |= _names(other)
        for name in os.listdir(self.folder):
            if name.endswith(".html") and name not in keep:
                (self.folder / name).unlink(missing_ok=True)

    def _sound(self, kept: Kept) -> bool:
        """Whether the kept file is still the one its name is the digest of.

        Read again only when it was rewritten or replaced since it was last found sound (its stamp then is
        in the manifest): a build spent seven seconds reading 16,000 unchanged pages. Whatever writes to the
        file changes its stamp (inode, size, modification time); bytes changed on the disk beneath it are not noticed."""
        assert self.folder is not None
        path = self.folder / f"{kept.html}.html"
        now = stamp(path)
        if now is not None and kept.checked == list(now):
            return True
        try:
            sound = file_digest(path) == kept.html
        except OSError:
            return False
        if sound and now is not None:
            kept.found_sound(now)
        return sound


def nav_titles(config: MkDocsConfig) -> dict[str, str]:
    """The titles `nav:` in mkdocs.yml gives pages. MkDocs gives them only to the pages it makes
    itself: a page a plugin makes before the navigation (`CachedPage`) is given its title here."""
    titles: dict[str, str] = {}

    def walk(items: Any) -> None:
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, str):
                        titles.setdefault(value, title)
                    else:
                        walk(value)

    walk(config.nav or [])
    return titles


def recorded_reads(project_root: Path) -> dict[str, list[Read]]:
    """What each page's templates read when it was last rendered here (every flavour's manifest)."""
    reads: dict[str, list[Read]] = {}
    for manifest in sorted((project_root / FOLDER / KIND).glob(MANIFEST.format("*"))):
        for uri, kept in _manifest(manifest).items():
            reads.setdefault(uri, []).extend(kept.reads)
    return reads


def _one_of_each(reads: Iterable[Read], seen: dict[Read, Read]) -> list[Read]:
    """`reads` with one tuple for each place, however many pages read it: the 4,000 pages of the shared
    shard of 100,000 documents read millions of places, most of them again and again (178 MB held less)."""
    return [seen.setdefault(read, read) for read in reads]


def _manifest(path: Path) -> dict[str, Kept]:
    """A manifest as kept; empty when there is none, or it is damaged or of another form (an older gongkai's).

    (Not read again in the same process while the file is the one read or written last: a rebuild of
    `mkdocs serve` spent seconds decoding the manifests of 16,000 pages.)"""
    now = stamp(path)
    known = _MANIFESTS.get(path)
    if now is not None and known is not None and known[0] == now:
        return known[1]
    found = read_entry(path)
    try:
        members = found[0] if found else {}
        places = [(path, key) for path, key in members.pop(PLACES)] if members else []
        manifest = {uri: Kept.of(value, places) for uri, value in members.items()}
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        manifest = {}
    _remember(path, manifest, now)
    return manifest


PLACES = ""
"""The manifest's first member (no page's address): every place the pages read, once; a page's reads are numbers in it."""


def _manifest_members(manifest: dict[str, Kept]) -> Iterator[tuple[str, Any]]:
    """The manifest as written: the places read, then each page, its reads by number. The 4,000 pages of the shared
    shard of 100,000 documents read 2.8 million places, most of them again and again: written out each time, they were
    112 MB (now 21), and decoded as lists of two strings they took that shard's warm build to 2.2 GB (now 1.8)."""
    pages = sorted(manifest.items())
    numbers: dict[Read, int] = {}
    for _, kept in pages:
        for read in kept.as_json()["reads"]:
            numbers.setdefault(read, len(numbers))
    yield PLACES, list(numbers)
    for uri, kept in pages:
        value = kept.as_json()
        yield uri, {**value, "reads": [numbers[read] for read in value["reads"]]}


_MANIFESTS: dict[Path, tuple[tuple, dict[str, Kept]]] = {}


def _names(manifest: Path) -> set[str]:
    """The files `manifest` names: from the list written beside it when that list was written with it
    (decoding another flavour's manifest took a second and a half of every build)."""
    listed = manifest.with_name(NAMES.format(manifest.stem.removeprefix("manifest-")))
    found = read_entry(listed)
    entry = found[0] if found and isinstance(found[0], dict) else {}
    now = stamp(manifest)
    if now is not None and entry.get("manifest") == list(now) and isinstance(entry.get("names"), list):
        return {str(name) for name in entry["names"]}
    names = {f"{kept.html}.html" for kept in _manifest(manifest).values()}
    _write_names(listed, now, names)  # for the next build: a manifest an older gongkai wrote has no list
    return names


def _write_names(path: Path, manifest_stamp: tuple | None, names: set[str], global_key: str | None = None) -> None:
    """The list of the files a manifest names, and the global key it was written under (None: not known)."""
    if manifest_stamp is not None:
        write_entry(path, {"manifest": list(manifest_stamp), "names": sorted(names),
                           **({"global_key": global_key} if global_key else {})})


def _remember(path: Path, manifest: dict[str, Kept], at: tuple | None) -> None:
    """`at`: the file's stamp when `manifest` was read from it or written to it (`write_entry` replaces it: a new inode)."""
    if at is not None:
        _MANIFESTS[path] = (at, manifest)


def global_key(config: MkDocsConfig, views: Iterable[View], fingerprints: Fingerprints, *shared: Any) -> str:
    """The digest of what every generated page may depend on, besides its view and its reads."""
    parts: list[str | bytes] = [version(package) for package in PACKAGES]
    own = [Path(__file__).parent] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    parts += tree_digests(own)  # the installed themes are known by their packages' versions
    parts += _handwritten(config)
    parts += [Path(config.config_file_path).read_bytes(), str(config.site_url), str(config.use_directory_urls)]
    parts += [f"{view.src_uri}\0{view.title}" for view in views if view.in_nav]
    parts += [fingerprints.of(value) for value in shared]
    return digest(parts)


INCLUDERS = ("pymdownx.snippets", "macros")
"""Markdown extensions and plugins by which any page may take in the text of a file of `docs_dir`."""


def _handwritten(config: MkDocsConfig) -> list[str]:
    """What generated pages may take from the hand-written pages and other files of `docs_dir`: where each one is,
    and of a Markdown page only what its title may come from (its metadata and every line that may be a heading).
    Its title is in the navigation of every page; the rest of it is on its own page alone, so editing the text of
    关于本站 renders that one page again, not 16,000 (all of `docs_dir`'s bytes, when an includer is enabled)."""
    docs = Path(config.docs_dir)
    if any(name in INCLUDERS for name in [*config.markdown_extensions, *config.plugins]):
        return tree_digests([docs])
    parts = []
    for path in sorted(docs.rglob("*")):
        if path.is_file():
            name = path.relative_to(docs).as_posix()
            parts += [name, digest([_title_sources(path.read_text(encoding="utf-8", errors="replace"))])
                      if is_markdown_file(name) else file_digest(path)]
    return parts


def _title_sources(text: str) -> str:
    """The metadata of a Markdown page and each line that may make a heading: a superset of what MkDocs takes its
    title from (`title:`, else the first level-one heading, written `#`, underlined with `=`, or as HTML)."""
    body, meta = get_data(text)
    lines = body.splitlines()
    headings = [f"{lines[n - 1] if n else ''}\n{line}" for n, line in enumerate(lines)
                if line.lstrip().startswith("#") or "<h1" in line.lower() or (line.strip() and not line.strip().strip("="))]
    return json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str) + "\0" + "\0".join(headings)


def _keep_written(folder: Path, written: str) -> tuple[str, tuple | None] | None:
    """`_keep` a page, if it was written, with the kept file's stamp."""
    if not os.path.isfile(written):
        return None
    name = _keep(Path(written), folder)
    return name, stamp(folder / f"{name}.html")


def _keep(written: Path, folder: Path) -> str:
    """Keep the page just written under the digest of its bytes. When those bytes are kept already (the page
    was made again, the same), the new file takes the old one's place: the site's page and the kept one stay
    one file, so the next build's checks by stamp (here, in the search index and in the audit) find it unchanged."""
    name = file_digest(written)
    kept = folder / f"{name}.html"
    if stamp(kept) != stamp(written):
        folder.mkdir(parents=True, exist_ok=True)
        link(written, kept)
    return name
