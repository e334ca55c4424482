"""One shard's build: the whole site is planned, only the shard's own files are made.

Every page and file of the platform stays in MkDocs' list, so the navigation, the links and
the pages' bytes are what one build of the whole site would give. Other shards' generated
pages and files are left out of MkDocs' passes (`EXCLUDED`; in the shared shard, whose
sitemap.xml lists every page, they are `ElsewherePage`s: nothing read, converted or written).
Hand-written pages, and the documents a 汇编 of this shard shows, are converted for their
titles and bodies, not written; other shards' static files are not copied. The MkDocs templates of the whole site
(404.html, sitemap.xml) are the shared shard's. At the end the shard's manifest is written
beside its files (`shards.MANIFEST`, see `shard_merge.py` for what the merge checks).
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .cache import digest, tree_digests
from .model import Site
from .page_cache import nav_titles
from .pages import paths
from .pages.view import View
from .search.merge import note_sort_values
from .search.parts import BUNDLE, note_merged_words
from .shards import MANIFEST, SHARED, ShardRule

STATIC_TEMPLATE_EXTRAS = {"sitemap.xml": ("sitemap.xml.gz",)}  # MkDocs writes the .gz beside it


class ElsewherePage(Page):
    """A page another shard makes. Its anchors are unknown here: links to them are checked where it is made."""

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])


@dataclass
class ShardBuild:
    name: str
    rule: ShardRule
    views: dict[str, View]
    files: Files
    owners: dict[str, str]
    """dest path → shard, for every file of the whole site."""
    templates: tuple[str, ...]
    """What MkDocs writes from the theme's templates in every build (404.html, sitemap.xml): the shared shard's."""
    built_from: BuiltFrom

    @classmethod
    def plan(cls, name: str, rule: ShardRule, views: dict[str, View], files: Files, config: MkDocsConfig,
             built_from: BuiltFrom) -> ShardBuild:
        """Decide which shard makes each file of the site, and leave the others' pages and files alone."""
        of_view = {}
        for view in views.values():
            shard = rule.shard_of(view.owner)
            of_view[view.src_uri] = shard
            of_view.update({src_uri: shard for src_uri, _ in view.files})
        owners = {file.dest_uri: of_view.get(file.src_uri, SHARED) for file in _included(files)}
        templates = tuple(path for template in config.theme.static_templates
                          for path in (template, *STATIC_TEMPLATE_EXTRAS.get(template, ())))
        owners.update({path: SHARED for path in templates})
        build = cls(name, rule, views, files, owners, templates, built_from)
        build._leave_others(config)
        return build

    def _leave_others(self, config: MkDocsConfig) -> None:
        shown = {uri for view in self.views.values() if self.makes(view.src_uri) for uri in view.bodies_of}
        titles = nav_titles(config)
        for file in _included(self.files):
            if self.owners[file.dest_uri] == self.name:
                continue
            if self._passed_by(file, shown):
                file.inclusion = InclusionLevel.EXCLUDED
            elif not file.is_documentation_page():
                file.copy_file = _made_elsewhere  # type: ignore[method-assign]
            elif file.generated_by is not None and file.src_uri not in shown:
                ElsewherePage(titles.get(file.src_uri), file, config)

    def _passed_by(self, file: File, shown: set[str]) -> bool:
        """Whether MkDocs need not pass over another shard's file at all (`EXCLUDED`: links to it still resolve, to its
        URL): generated, not in the nav, not a body a 汇编 here shows, and not in the shared shard, whose sitemap.xml lists
        every page. In a shard of 10,000 documents out of 100,000 this is some 145,000 pages MkDocs holds no `Page` for."""
        return (self.name != SHARED and file.generated_by is not None and file.src_uri not in shown
                and not (file.is_documentation_page() and file.inclusion.is_in_nav()))

    def makes(self, src_uri: str) -> bool:
        file = self.files.src_uris.get(src_uri)
        return file is not None and self.owners.get(file.dest_uri) == self.name

    def elsewhere(self) -> frozenset[str]:
        """The files of the site other shards make (this shard's links may lead there)."""
        return frozenset(path for path, shard in self.owners.items() if shard != self.name)

    def finish(self, site_dir: Path, site: Site) -> None:
        """Remove what MkDocs wrote for the whole site but another shard makes; write the manifest."""
        if self.name != SHARED:
            for path in self.templates:
                (site_dir / path).unlink(missing_ok=True)
        manifest = {
            "shard": self.name,
            "shards": self.rule.names,
            "built_from": self.built_from.digest(),
            "planned": sorted(self.owners),
            "written": sorted(path for path, shard in self.owners.items() if shard == self.name),
            "records": self._records(site),
        }
        (site_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @staticmethod
    def note_search(site_dir: Path, project_root: Path) -> None:
        """Note beside the shard's search index the values its pages sort by and where each word's entry lies in its
        chunk (not published: the merge job reads them instead of the pages' fragments, 15 s for the 110,000 pages
        of 100,000 documents, and joins the words' entries as bytes instead of decoding them, `search/splice.py`)."""
        if (site_dir / BUNDLE / "pagefind-entry.json").is_file():
            note_sort_values(site_dir / BUNDLE)
            note_merged_words(site_dir / BUNDLE, project_root)

    def _records(self, site: Site) -> dict[str, Any]:
        """Ids, titles, addresses and statuses of the units and documents whose pages this shard makes."""
        def url(src_uri: str) -> str:
            file = self.files.src_uris.get(src_uri)
            return file.url if file else ""

        units = {unit.id: {"name": unit.name, "url": url(paths.unit(unit))}
                 for unit in site.units.values() if self.makes(paths.unit(unit))}
        documents = {doc.id: {"title": doc.title, "number": doc.number_display or "", "url": url(paths.document(doc)),
                              "status": site.register.status.get(doc.id, "")}
                     for doc in site.documents.values() if self.makes(paths.document(doc))}
        return {"units": units, "documents": documents}


class BuiltFrom:
    """The digest of everything a shard's pages are made from (shards of one site must agree on it), worked out by another
    process while the build goes on: reading the 100,000 data files of a shard's platform again took 4 s of the build's one
    busy thread at its end."""

    def __init__(self, config: MkDocsConfig, data_dir: Path, today: datetime.date):
        folders = [data_dir, Path(config.docs_dir), Path(__file__).parent]
        if config.theme.custom_dir:
            folders.append(Path(config.theme.custom_dir))
        self._inputs = [*map(str, folders), config.config_file_path, today.isoformat()]
        try:
            self._process: subprocess.Popen | None = subprocess.Popen([sys.executable, "-m", __name__, *self._inputs],
                                                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:  # none to be had: worked out here when it is asked for
            self._process = None

    def digest(self) -> str:
        process, self._process = self._process, None
        if process is not None:
            answer, _ = process.communicate()
            if process.returncode == 0 and answer.strip():
                return answer.decode("ascii").strip()
        return _digest_of(self._inputs)


def _digest_of(inputs: list[str]) -> str:
    """`inputs`: the folders, the configuration file, the build's day (as `BuiltFrom` gives them)."""
    *folders, config_file, today = inputs
    return digest([*tree_digests(map(Path, folders)), Path(config_file).read_bytes(), today])


def _included(files: Iterable[File]) -> list[File]:
    return [file for file in files if InclusionLevel.is_included(file.inclusion)]


def _made_elsewhere(dirty: bool = False) -> None:
    """`File.copy_file` of a file another shard publishes."""


if __name__ == "__main__":  # `BuiltFrom`'s other process
    print(_digest_of(sys.argv[1:]))
