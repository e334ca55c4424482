"""Convert half of the generated pages in a forked process while MkDocs' loop converts the rest.

MkDocs converts every page (its Markdown, then our template around it, `on_page_content`) on one core before it
writes the first: 27 s of a cold build at 10,000 documents, the other core idle. At `on_nav` a process is forked that
converts every other page of those that need no other page converted first (generated, outside the nav, made by
this build, not taken from the cache, not a 汇编 or the 网站地图), by the function MkDocs' loop calls, so with the same plugin
events and the same bytes. The loop meanwhile passes over stand-ins for them. At `on_env` the process's results go
into the pages themselves: what the conversion set on each page, what the plugin noted of it (`noted` → `take`),
and every message it logged, logged again here (so a strict build counts its warnings). If the process failed,
its pages are converted here then.

Tried early on and dropped then (builds 20 s slower, see `parallel.py`). Measured again on today's build (its
objects set aside from the collector before anything forks, `memory.settle`): at 10,000 documents the process
converts its 8,000 pages in 12.1 s, the main process then waits 0.8 s for it and takes its results in 0.2 s.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from mkdocs import utils
from mkdocs.commands import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import parallel

CONVERTED = ("meta", "update_date", "toc", "_title_from_render", "present_anchor_ids", "content", "title")
"""What converting a page sets on it (`title` only when a plugin set it)."""


class StandIn(Page):
    """In MkDocs' loop, a page another process converts: nothing to read or convert (the plugin's events pass it too)."""

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content, self.toc, self.present_anchor_ids = "", get_toc([]), set()


@dataclass
class Converted:
    attributes: dict[str, Any]
    links: dict[str, dict[str, str]] | None  # anchors the page links to, by page (`links_to_anchors`)
    noted: Any


class Converting:
    """The pages a forked process converts (`start`), until their results are taken (`take`)."""

    def __init__(self, pages: list[Page], config: MkDocsConfig, files: Files, noted: Callable[[Page], Any]):
        self._pages, self._config, self._files = pages, config, files
        self._forked = parallel.Forked(partial(_convert, pages, config, files, noted))
        for page in pages:
            StandIn(None, page.file, config)  # (it is now the file's page)

    @classmethod
    def start(cls, pages: list[Page], config: MkDocsConfig, files: Files, noted: Callable[[Page], Any]) -> Converting | None:
        """Fork a process converting every other one of `pages` (`noted(page)`: what a plugin noted of one, in that
        process), when there are enough of them and a second core; None when not."""
        if len(pages) < parallel.HALVES_FROM or not parallel.second_core():
            return None
        return cls(pages[1::2], config, files, noted)

    def take(self, take: Callable[[Page, Any], None]) -> None:
        """Wait for the process; give its pages what it made of them (`take(page, noted)`: what a plugin noted)."""
        answer = self._forked.answer()
        self._put_back()
        if answer is None:  # (it said why)
            for page in self._pages:
                build._populate_page(page, self._config, self._files)
            return
        records, converted = answer
        for record in records:
            logging.getLogger(record.name).handle(record)
        for page, done in zip(self._pages, converted):
            page.markdown = ""  # (what the conversion read: nothing reads it again)
            for name, value in done.attributes.items():
                setattr(page, name, value)
            if done.links is not None:
                page.links_to_anchors = {target: links for uri, links in done.links.items()
                                         if (target := self._files.src_uris.get(uri)) is not None}
            take(page, done.noted)

    def stop(self) -> None:
        """The build failed: end the process, its results unwanted."""
        self._forked.stop()
        self._put_back()

    def _put_back(self) -> None:
        for page in self._pages:
            page.file.page = page


def _convert(pages: list[Page], config: MkDocsConfig, files: Files, noted: Callable[[Page], Any]) -> tuple[list, list[Converted]]:
    heard = _Heard.instead_of_output()
    converted = []
    for page in pages:
        build._populate_page(page, config, files)  # what MkDocs' loop calls
        links = page.links_to_anchors
        converted.append(Converted({name: page.__dict__[name] for name in CONVERTED if name in page.__dict__},
                                   None if links is None else {file.src_uri: found for file, found in links.items()}, noted(page)))
    return heard.records, converted


class _Heard(logging.Handler):
    """What MkDocs' logger is told in the forked process, kept to be logged again in the main one (not printed)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    @classmethod
    def instead_of_output(cls) -> _Heard:
        logger = logging.getLogger("mkdocs")
        for handler in list(logger.handlers):
            if not isinstance(handler, utils.CountHandler):  # counters stay: the plugin asks whether a page warned
                logger.removeHandler(handler)
        logger.propagate = False
        heard = cls()
        logger.addHandler(heard)
        return heard

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args, record.exc_info = record.getMessage(), None, None  # (so that it pickles)
        self.records.append(record)
