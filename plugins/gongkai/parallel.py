"""Render pages through the theme in forked processes, beside MkDocs' own serial loop.

By `on_env` every page has its content, the navigation is known and the theme's globals
are set: a process forked then holds all that MkDocs' loop would use, and renders its
share of the pages by the same function the loop calls (so with the same plugin events
and the same bytes). The main process lets the loop pass over those pages with an empty
template, which MkDocs does not write, and waits for its helpers before anything reads
the site (Pagefind, the audit). Only from a process with a single thread: a fork copies
locks another thread may hold (`mkdocs serve` builds in a thread, so it renders alone).

Converting the Markdown (and our templates) is shared out too, with the results handed back
(`convert_elsewhere.py`): tried early on, it made builds 20 s slower (87.6 and 93.2 s against
66.8 and 74.3 s), the helpers' share taking far longer than the same share in the main process;
it no longer does.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
import threading
import traceback
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
from mkdocs.theme import Theme

from . import memory

ELSEWHERE = "gongkai/rendered-elsewhere.html"
WARNINGS = 3  # a helper's exit status when its pages logged warnings
ALONE_FROM = 2_000_000  # characters of a page's HTML before the theme: rendered before the helpers are forked (`Helpers.start`)

log = get_plugin_logger(__name__)  # under "mkdocs": counted by strict builds


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def held_bytes() -> int:
    """The memory this process holds now (its resident set; 0 where that cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def safe_to_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked:
    """`work()` done in a forked process (only when `safe_to_fork`), its answer pickled back to this one."""

    def __init__(self, work: Callable[[], Any]):
        self._reader, writer = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:
            os.close(self._reader)
            status = 1
            try:
                answer = pickle.dumps(work())
                with os.fdopen(writer, "wb") as out:
                    out.write(answer)
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(status)
        os.close(writer)

    def answer(self) -> Any:
        """Wait for the work to end; its answer, or None if it failed."""
        with os.fdopen(self._reader, "rb") as source:
            answer = source.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        return pickle.loads(answer) if os.waitstatus_to_exitcode(status) == 0 and answer else None

    def stop(self) -> None:
        """End the work unfinished, when its answer is no longer wanted (the build failed)."""
        if not self._pid:
            return
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        self._pid = 0
        os.close(self._reader)


HALVES_FROM = 2000  # items: for fewer, forking costs more than it saves
HALVES_HELD_MOST = 1 << 30
"""Bytes this process may hold for `halves` to fork: the forked process touches (and so copies) most of what it reads.
Page keys computed so in a shard of 100,000 documents took its peak from 2.0 to 2.9 GB."""


def second_core() -> bool:
    """Whether work may be shared with a forked process: two cores, no other thread, and this process small enough to
    be copied in part (`HALVES_HELD_MOST`)."""
    return cpu_count() >= 2 and safe_to_fork() and held_bytes() <= HALVES_HELD_MOST


def halves(work: Callable[[Any], Any], items: list, enough: bool | None = None) -> list:
    """`work(item)` for each item, every other one in a forked process when there are `enough` (by default
    `HALVES_FROM` items), two cores, and the process is small enough to be copied in part (`HALVES_HELD_MOST`)."""
    if not (len(items) >= HALVES_FROM if enough is None else enough) or not second_core():
        return [work(item) for item in items]
    other = Forked(lambda: [work(item) for item in items[1::2]])
    try:
        mine = [work(item) for item in items[::2]]
    finally:
        theirs = other.answer()
    if theirs is None:
        theirs = [work(item) for item in items[1::2]]
    answers = [None] * len(items)
    answers[::2], answers[1::2] = mine, theirs
    return answers


def alongside(work: Callable[[], Any]) -> Callable[[], Any]:
    """Begin `work()` in a forked process when `second_core()` (else do it now); the function giving its answer
    (worked out here after all if the process failed)."""
    if not second_core():
        done = work()
        return lambda: done
    forked = Forked(work)

    def answer() -> Any:
        found = forked.answer()
        return work() if found is None else found
    return answer


READS_EVERY_PAGE = ("sitemap.xml",)  # the theme's templates that list the whole site


class Helpers:
    """The forked processes rendering some of this build's pages."""

    def __init__(self, pids: list[int], elsewhere: set[str], quiet: logging.Filter, theme: Theme, written: list[str]):
        self._pids = pids
        self._elsewhere = elsewhere
        self._quiet = quiet
        self._theme, self._written = theme, written

    @classmethod
    def start(cls, processes: int, pages: list[Page], config: MkDocsConfig, files: Files, nav: Navigation,
              env: jinja2.Environment, alone: list[Page]) -> Helpers:
        """Render the pages `alone` (some of `pages`) now; fork helpers rendering all but this process's share of the rest.
        A page of many MB takes about ten times its size while it is rendered: the 13 MB register of 100,000 documents
        took the shared shard over 2 GB when it came while a helper held its own share of the build's memory."""
        if alone:
            log.debug("在复制渲染进程之前先生成 %d 个很大的页面：%s", len(alone), "、".join(page.file.src_uri for page in alone))
        _render(alone, config, files, nav, env)
        rendered = {page.file.src_uri for page in alone}
        rest = [page for page in pages if page.file.src_uri not in rendered]
        shares = [share for k in range(1, processes) if (share := rest[k::processes])]
        written = _write_site_lists(env, files, config, nav)
        memory.settle()  # a collection in a helper would otherwise touch, and so copy, every object
        pids = []
        for share in shares:
            pid = os.fork()
            if pid == 0:
                _render_and_exit(share, config, files, nav, env)
            pids.append(pid)
        elsewhere = [*alone, *(page for share in shares for page in share)]
        return cls(pids, {page.file.src_uri for page in elsewhere}, pass_over(env, elsewhere), config.theme, written)

    def renders(self, page: Page) -> bool:
        """Whether a helper renders `page`, or it was rendered before them (so MkDocs' loop need not)."""
        return page.file.src_uri in self._elsewhere

    def wait(self) -> None:
        """Wait for every helper to finish; raise if one failed, log a warning if one warned
        (which a strict build counts, as it would have counted the page's own)."""
        codes = []
        for pid in self._pids:
            _, status = os.waitpid(pid, 0)
            codes.append(os.waitstatus_to_exitcode(status))
        self._pids = []
        self._done()
        if any(code not in (0, WARNINGS) for code in codes):
            raise PluginError("并行生成页面的进程失败（见上文）")
        if WARNINGS in codes:
            log.warning("并行生成的页面有警告（见上文）")

    def stop(self) -> None:
        for pid in self._pids:
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self._pids = []
        self._done()

    def _done(self) -> None:
        hear_again(self._quiet)
        self._theme.static_templates.update(self._written)
        self._written = []


def _write_site_lists(env: jinja2.Environment, files: Files, config: MkDocsConfig, nav: Navigation) -> list[str]:
    """Write the theme's templates that read every page (`READS_EVERY_PAGE`) before the helpers are forked, and take them
    out of MkDocs' own run of the theme's templates until the helpers are done. Written after the fork, they would touch
    every page object the helpers share, and so copy it: in the shared shard of 100,000 documents, 300 MB more at its
    peak. The bytes are the same: the same MkDocs function writes them, from the same pages."""
    written = [name for name in READS_EVERY_PAGE if name in config.theme.static_templates]
    for name in written:
        build._build_theme_template(name, env, files, config, nav)
        config.theme.static_templates.discard(name)
    return written


def pass_over(env: jinja2.Environment, pages: list[Page]) -> logging.Filter:
    """Have MkDocs' loop write nothing for `pages` (made elsewhere), quietly; undo the quiet by `hear_again`."""
    assert env.loader is not None
    first = getattr(env.loader, "loaders", [None])[0]
    if not (isinstance(first, jinja2.DictLoader) and ELSEWHERE in first.mapping):
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE: ""}), env.loader])
    for page in pages:
        page.meta["template"] = ELSEWHERE
    quiet = _SkippedPages({page.file.src_uri for page in pages})
    logging.getLogger(build.__name__).addFilter(quiet)
    return quiet


def hear_again(quiet: logging.Filter) -> None:
    logging.getLogger(build.__name__).removeFilter(quiet)


def leave_out(pages: list[Page]) -> dict[File, InclusionLevel]:
    """Leave `pages` (made elsewhere, passed over) out of MkDocs' loop altogether, from now until `put_back`: it still
    prepared each page's context and ran every plugin's events for it, 2 s for 16,000 kept pages. Templates still
    list every page (`sitemap.xml`: the plugin gives them the list from before). What they were is returned."""
    left = {page.file: page.file.inclusion for page in pages}
    for file in left:
        file.inclusion = InclusionLevel.EXCLUDED
    return left


def put_back(left: dict[File, InclusionLevel]) -> None:
    for file, inclusion in left.items():
        file.inclusion = inclusion


def _render(pages: list[Page], config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment) -> None:
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included) if pages else []
    for page in pages:
        build._build_page(page, config, doc_files, nav, env)  # what MkDocs' loop calls


def _render_and_exit(pages: list[Page], config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment) -> None:
    status = 1
    try:
        warnings = utils.CountHandler()
        warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(warnings)
        _render(pages, config, files, nav, env)
        status = WARNINGS if warnings.get_counts() else 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(status)


class _SkippedPages(logging.Filter):
    """MkDocs logs “Page skipped” for each page it did not write: here, the helpers' pages."""

    def __init__(self, elsewhere: set[str]):
        super().__init__()
        self._elsewhere = elsewhere

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Page skipped: '") and message[len("Page skipped: '"):].split("'")[0] in self._elsewhere)
