"""In `mkdocs serve`, the saved record's own pages first, before the rebuild.

A rebuild of a platform of 10,000 documents takes a quarter of a minute (every record is checked,
every page planned, 16,000 pages passed over), and the editor who saved a record waits for one
page: the record's own. So when records were saved, and each is a valid edit of a record the
served site already shows, the pages whose view has the record itself as a subject (a
document's page, a unit's page and catalogs, …) are made again at once: from the last build's
site with those records replaced, through the last build's theme, navigation and templates, and
put in the served folder in place of the old ones; the browsers reload. Then the rebuild runs as
always, replaces the whole site, and the browsers reload again.

Until then, everything else is the last build's: the lists, the register, the home page, and the
parts of the record's own page that come from other records. A new or deleted file, a file with
an error, a body or an attachment changed, a page to link to that the last build has not, many
files at once (a branch switched): nothing is shown early, the rebuild does all. The
checks across records (rules) run in the rebuild only: when it fails, the early pages are put
back as they were (`serve.py`), so the preview stays the last site that passed the checks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import pages
from .load import read_record
from .model import Site
from .pages import theme
from .pages.view import View

MOST_FILES = 20
"""Past this many files changed at once, nothing is shown early."""


@dataclass
class LastBuild:
    """What a build that succeeded leaves to make one of its pages again."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    site: Site
    per_page: int
    data_dir: Path
    describe: Callable[[Page, View], None]
    """Give a page its metadata, as the build did (`on_page_markdown`)."""
    content: Callable[[View, Page, str], str]
    """Wrap MkDocs' HTML of a page's Markdown in its template, as the build did (`on_page_content`)."""


def own_pages(last: LastBuild, changed: Iterable[Path]) -> list[tuple[Path, bytes]]:
    """The pages of the records in the `changed` files, made again (their file in the served site, their bytes);
    none when any changed file is not a valid edit of a record the site has."""
    changed = list(changed)
    if len(changed) > MOST_FILES:  # a branch switched, a folder copied in: the rebuild alone
        return []
    root = Path(last.config.config_file_path).parent
    replaced: dict[str, dict] = {}
    subjects: list = []
    for path in changed:
        found = read_record(last.data_dir, root, path)
        if found is None:
            return []
        kind, record = found
        records = replaced.setdefault(kind, dict(last.site.records_of(kind)))
        if record.id not in records:  # a new record: the last build has no page for it
            return []
        if records[record.id] is not record:  # (the same bytes again are the same record)
            records[record.id] = record
            subjects.append(record)
    if not subjects:
        return []
    site = dataclasses.replace(last.site, records={**last.site.records, **replaced})  # its derived parts computed anew
    views = pages.subject_views(site, subjects, last.per_page)
    return [_page(last, view) for view in views
            if not view.in_nav and not view.needs_bodies and last.files.src_uris.get(view.src_uri) is not None]


def _page(last: LastBuild, view: View) -> tuple[Path, bytes]:
    """What MkDocs' build does for one page (`_populate_page`, `_build_page`), with the build's own plugin only."""
    config = last.config
    file = File.generated(config, view.src_uri, content=view.markdown, inclusion=InclusionLevel.NOT_IN_NAV)
    page = Page(None, file, config)
    config._current_page = page
    try:
        page.read_source(config)
        last.describe(page, view)
        page.render(config, last.files)
        page.content = last.content(view, page, page.content or "")
        page.active = True
        context = get_context(last.nav, last.files.documentation_pages(inclusion=InclusionLevel.is_included), config, page)
        output = last.env.get_template(page.meta.get("template", "main.html")).render(context)
    finally:
        config._current_page = None
    return Path(file.abs_dest_path), theme.repair(output).encode("utf-8", errors="xmlcharrefreplace")
