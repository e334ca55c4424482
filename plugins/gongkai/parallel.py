"""Make a share of the pages in forked processes, beside MkDocs' own serial loop.

MkDocs converts and renders pages one after another, on one core. By `on_nav` the files
and the navigation are settled, so a process forked then can make its share of the pages
(generated pages outside the nav) by the very functions MkDocs' loop calls, with the same
plugin events and so the same bytes, while the main process makes the rest. A helper:

1. converts its pages, and the pages in the nav (their titles are in every navigation),
   quietly: the main process reports what those say;
2. hands the main process what other pages need of its pages: what `keep` takes of each
   (the body a 汇编 shows) and their anchors, which links from any page are checked against;
3. runs the plugins' `on_env` on its own theme environment, renders its pages and writes them.

The main process gives the helpers' pages a stand-in that converts nothing and an empty
template, which MkDocs does not write; it takes their hand-over in `on_env`, and waits for
the helpers before anything reads the site (Pagefind, the audit). Only from a process with
a single thread: a fork copies locks another thread may hold (`mkdocs serve` builds in a
thread, so it makes every page itself).
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import shutil
import sys
import tempfile
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable

import jinja2
from mkdocs import utils
from mkdocs.commands import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

ELSEWHERE = "gongkai/made-elsewhere.html"
WARNINGS = 3  # a helper's exit status when its pages logged warnings

log = get_plugin_logger(__name__)  # under "mkdocs": counted by strict builds


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def safe_to_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


class StandIn(Page):
    """A page a helper makes: here it converts nothing and renders to nothing."""

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {"template": ELSEWHERE}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content, self.present_anchor_ids, self.links_to_anchors = "", set(), {}


class Helpers:
    """The forked processes making some of this build's pages."""

    def __init__(self, helpers: list[tuple[int, int, Path]], folder: Path, pages: dict[str, StandIn], files: Files):
        self._helpers = helpers  # (pid, read end of its "converted" pipe, its hand-over file)
        self._folder = folder
        self._pages = pages
        self._files = files
        self._quiet = _SkippedPages(set(pages))
        logging.getLogger(build.__name__).addFilter(self._quiet)

    @classmethod
    def start(cls, processes: int, files: list[File], config: MkDocsConfig, all_files: Files, nav: Navigation,
              keep: Callable[[Page], Any]) -> Helpers:
        """Fork `processes - 1` helpers, each making every `processes`-th of `files`."""
        shares = [share for k in range(1, processes) if (share := files[k::processes])]
        folder = Path(tempfile.mkdtemp(prefix="gongkai-helpers-"))
        helpers = []
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # a collection in a helper would otherwise touch, and so copy, every object
        for number, share in enumerate(shares):
            hand_over = folder / f"{number}.pickle"
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _make_and_exit(share, config, all_files, nav, keep, hand_over, write)
            os.close(write)
            helpers.append((pid, read, hand_over))
        gc.unfreeze()
        pages = {file.src_uri: StandIn(None, file, config) for share in shares for file in share}
        return cls(helpers, folder, pages, all_files)

    def make(self, page: Page) -> bool:
        """Whether a helper makes `page` (so this process need not)."""
        return isinstance(page, StandIn) and page.file.src_uri in self._pages

    def hand_over(self) -> dict[str, Any]:
        """Wait until every helper has converted its pages; what `keep` took of each, by page.
        The stand-ins get the anchors of the pages they stand for."""
        kept = {}
        for pid, read, hand_over in self._helpers:
            with os.fdopen(read, "rb") as ready:
                converted = ready.read(1)
            if not converted:
                self.stop()
                raise PluginError("并行生成页面的进程失败（见上文）")
            with hand_over.open("rb") as stream:
                pages = pickle.load(stream)
            for src_uri, (value, anchors, links) in pages.items():
                kept[src_uri] = value
                stand_in = self._pages[src_uri]
                stand_in.present_anchor_ids = anchors
                stand_in.links_to_anchors = {target: found for uri, found in links.items()
                                             if (target := self._files.get_file_from_path(uri)) is not None}
        shutil.rmtree(self._folder, ignore_errors=True)
        return kept

    def wait(self) -> None:
        """Wait for every helper to finish; raise if one failed, log if one warned."""
        failed = warned = 0
        for pid, _, _ in self._helpers:
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            warned += code == WARNINGS
            failed += code not in (0, WARNINGS)
        self._helpers = []
        logging.getLogger(build.__name__).removeFilter(self._quiet)
        if failed:
            raise PluginError("并行生成页面的进程失败（见上文）")
        if warned:
            log.warning("并行生成的页面有警告（见上文）")

    def stop(self) -> None:
        for pid, _, _ in self._helpers:
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self._helpers = []
        shutil.rmtree(self._folder, ignore_errors=True)
        logging.getLogger(build.__name__).removeFilter(self._quiet)


def _make_and_exit(share: list[File], config: MkDocsConfig, files: Files, nav: Navigation, keep: Callable[[Page], Any],
                   hand_over: Path, ready: int) -> None:
    status = 1
    try:
        with _quiet():
            for page in nav.pages:  # their titles and metadata are in the navigation of every page
                page.read_source(config)
                page.markdown = config.plugins.on_page_markdown(page.markdown or "", page=page, config=config, files=files)
                if "title" not in page.meta:
                    page.render(config, files)  # the title is the first heading
        warnings = utils.CountHandler()
        warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(warnings)
        pages = [Page(None, file, config) for file in share]
        for page in pages:
            build._populate_page(page, config, files)  # what MkDocs' loop calls
        made = {page.file.src_uri: (keep(page), page.present_anchor_ids or set(),
                                    {file.src_uri: found for file, found in (page.links_to_anchors or {}).items()})
                for page in pages}
        with hand_over.open("wb") as file:
            pickle.dump(made, file, pickle.HIGHEST_PROTOCOL)
        os.write(ready, b"1")
        os.close(ready)
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        for page in pages:
            build._build_page(page, config, doc_files, nav, env)
        status = WARNINGS if warnings.get_counts() else 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(status)


@contextmanager
def _quiet():
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def add_elsewhere_template(env: jinja2.Environment) -> None:
    """The empty template the stand-ins render with."""
    assert env.loader is not None
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE: ""}), env.loader])


class _SkippedPages(logging.Filter):
    """MkDocs logs “Page skipped” for each page it did not write: here, the helpers' pages."""

    def __init__(self, elsewhere: set[str]):
        super().__init__()
        self._elsewhere = elsewhere

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Page skipped: '") and message[len("Page skipped: '"):].split("'")[0] in self._elsewhere)
