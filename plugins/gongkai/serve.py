"""`mkdocs serve` that always answers at once with the last good site.

MkDocs builds into the folder it serves and holds every request until a rebuild succeeds ("the
server will appear stuck"): on a large platform a reader of the preview waited a minute after
each save, and an editor who saved a bad record — in the web editor under /admin/, which the same
server serves — lost the editor and the preview alike until the YAML was fixed by hand.

Here each rebuild writes into a new folder while the last one is served; only a build that
succeeded takes its place (the folder it replaces is removed in the background). A failed
rebuild stops before it writes anything (the data is checked first, see plugin.py), leaves the
last good site served, and says so. (`--dirty` builds reuse the folder they build into: they
keep MkDocs' own way.) Work that need not delay the new site — the audit — is handed to
`when_served` and runs once the site is served, the first one too; the next rebuild waits for it.

The folders are the preview's own (`last_preview.py`): the one served when the preview stops is
kept, and the next preview serves it at once while its first build runs beside it. Before a
rebuild, the pages of the records just saved are made at once and put in the served folder
(`quick_preview.py`); they are put back as they were when the rebuild fails.
"""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import signal
import sys
import tempfile
import threading
import traceback
import urllib.parse
import wsgiref.util
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

import click
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer, _timestamp
from mkdocs.plugins import get_plugin_logger

from .cache import link
from .last_preview import Previews
from .linker import remove_site
from .old_site import Removal

log = get_plugin_logger(__name__)


EarlyPages = Callable[[set[Path]], list[tuple[Path, bytes]]]
"""The pages of the records in the files changed, made before the rebuild (`quick_preview.own_pages`): file, bytes."""


class _Building:
    folder: str | None = None
    """Where the rebuild under way writes (None outside `mkdocs serve`'s rebuilds)."""
    served: str | None = None
    """The folder served meanwhile: the last good site."""
    deferring = False
    """Whether the server runs the work handed to `when_served` (the `gongkai` plugin's serve does)."""
    later: list[tuple[Callable[[], None], bool]] = []
    """That work, for the site being built (and whether stopping the preview waits for it)."""
    previews: Previews | None = None
    """Where the preview's folders go (None: the system's temp dir, as MkDocs does; and with `--dirty`)."""
    first: str | None = None
    """The folder of the preview's first site: built at start, or an earlier one (`_earlier_site`)."""
    from_earlier_site = False
    """Whether the site served is an earlier one, until the first build of this one replaces it."""
    early: EarlyPages | None = None
    """The pages of the records in the files changed, made before the rebuild (`quick_preview.own_pages`)."""
    changed: set[Path] = set()
    """The files under data/ changed since the last rebuild started (`note_change`)."""


building = _Building()
_running: list[threading.Thread] = []
_stopping = threading.Event()
_settled = threading.Event()  # the work that stopping waits for is done
_settled.set()
_changes = threading.Lock()


def defer_until_served() -> None:
    """From `on_startup` of `mkdocs serve`: this server will run the work handed to `when_served`."""
    building.deferring = True
    _stop_on_sigterm()


def when_served(work: Callable[[], None], *, before_stopping: bool = False) -> bool:
    """In `mkdocs serve`, run `work` on the site just built once it is served, instead of now; False elsewhere.
    `before_stopping`: it runs before the rest, and a preview stopped meanwhile waits for it to end."""
    if building.deferring:
        building.later.append((work, before_stopping))
    return building.deferring


def note_change(path: str) -> None:
    """A file under data/ was written, moved or deleted (from the observer's thread)."""
    with _changes:
        building.changed.add(Path(path))


def _take_changes() -> set[Path]:
    with _changes:
        changed, building.changed = building.changed, set()
    return {path for path in changed if not path.name.startswith(".") and path.exists()}  # not an editor's temporary file


def build_folder(config: MkDocsConfig) -> None:
    """In `mkdocs serve`, write into a folder of the preview's own; in a rebuild, the one not being served (from on_config)."""
    if building.folder:
        config.site_dir = building.folder
    elif building.previews and building.first is None:
        config.site_dir = building.first = building.previews.new_folder()


def start_from_earlier_site() -> None:
    """From `on_startup` of `mkdocs serve` (not `--dirty`): its first build serves an earlier site instead, when there
    is one (`_earlier_site`), and asks for a build that replaces it as soon as it serves."""
    from mkdocs.commands import serve as mkdocs_serve  # its `build`, called by the server's builder

    build = mkdocs_serve.build

    def first_build(config: MkDocsConfig, **kwargs: Any) -> None:
        mkdocs_serve.build = build  # only the first
        command = click.get_current_context(silent=True)
        if command and command.params.get("livereload"):  # else there is no `on_serve`: MkDocs serves its own folder
            building.previews = Previews.of(Path(config.config_file_path).parent, config.site_url or "", config.dev_addr)
        if building.previews and (earlier := _earlier_site(building.previews)):
            (building.first, what), building.from_earlier_site = earlier, True
            log.info(f"先显示{what}的网站；正在按现在的数据和模板重新构建，完成后打开的页面会自动刷新")
            return
        build(config, **kwargs)

    mkdocs_serve.build = first_build


def _earlier_site(previews: Previews) -> tuple[str, str] | None:
    """The site the preview serves while it builds the first: this address's last preview, else a copy of the newest
    of the others' and of the last build's; and which it is."""
    if last := previews.take_last():
        return last, "上次预览"
    return previews.copy_latest()


def keep_from_served(name: str, site_dir: str) -> bool:
    """In a rebuild of `mkdocs serve`, link the served site's folder `name` into the new one (no copy)."""
    kept = os.path.join(building.served or "", name)
    if not building.folder or not building.served or building.from_earlier_site or not os.path.isdir(kept):
        return False
    target = os.path.join(site_dir, name)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(kept, target, copy_function=lambda source, to: link(Path(source), Path(to)))
    return True


def serve_last_good_site(server: LiveReloadServer, dirty: bool,
                         early: EarlyPages | None = None) -> None:
    """`early`: the pages of the records in the files changed, made before the rebuild (`quick_preview.own_pages`)."""
    build = server.builder
    building.early = early
    removals: list[Removal] = []  # of the folders replaced

    def build_beside() -> None:
        changed = _take_changes()
        before = [] if dirty or not changed else _show_early(server, changed)
        for thread in _running:  # the last build's audit ends before this one starts
            thread.join()
        spare = None if dirty else building.previews.new_folder() if building.previews else tempfile.mkdtemp(prefix="gongkai-serve-")
        building.folder, building.served, building.later = spare, server.root, []
        try:
            build()
        except Abort as exc:  # its messages are logged already
            print(exc, file=sys.stderr)  # noqa: T201 — as MkDocs itself does
            log.warning("预览仍是上一次通过检查的网站：改正上面的错误并保存后会自动更新")
            return _put_back(server, before, spare)
        except Exception:
            traceback.print_exc()
            log.warning("预览仍是上一次通过检查的网站")
            return _put_back(server, before, spare)
        except BaseException:  # stopped (Ctrl+C, SIGTERM) in the middle of a rebuild: pages may still be linked into it
            if spare is not None:
                remove_site(spare)
            raise
        finally:
            building.folder = building.served = None
        if spare is not None:
            old, server.root = server.root, spare
            removals[:] = [removal for removal in removals if not removal.done()] + [Removal(Path(old))]
        building.from_earlier_site = False
        if before:  # the browsers showing the early pages reload once more
            _next_epoch(server, visible=False)
        _run_later()

    server.builder = build_beside
    if building.first:
        server.root = building.first
    if building.from_earlier_site:
        with server._rebuild_cond:  # the server builds once it serves (as after a save)
            server._want_rebuild = True
    if not dirty:
        server._serve_request = _without_waiting(server)  # type: ignore[method-assign]
        server.error_handler = lambda code: _error_page(server.root, code)
    original_shutdown = server.shutdown

    def shutdown(wait: bool = False) -> None:
        _stopping.set()  # an audit under way is left to end with the process
        original_shutdown(wait)
        _settled.wait(timeout=60)
        for removal in removals:
            removal.wait()
        if building.previews and building.previews.holds(server.root):
            building.previews.keep(server.root)
        elif not dirty:  # MkDocs removes the folder it made, which may be gone by now
            _remove(server.root)

    server.shutdown = shutdown  # type: ignore[method-assign]
    _run_later()  # the first build's, now that the server starts


def _show_early(server: LiveReloadServer, changed: set[Path]) -> list[tuple[Path, bytes]]:
    """Put the changed records' own pages (`building.early`) in the served folder and reload the browsers;
    the pages replaced, as they were. Best effort: the rebuild shows every change anyway."""
    root = Path(server.root).resolve()
    try:
        made = building.early(changed) if building.early else []
        made = [(path, page) for path, page in made if root in path.resolve().parents and path.is_file()]
        before = [(path, path.read_bytes()) for path, _ in made]
    except Exception as exc:
        log.debug(f"预览：未能先显示改动记录的页面（{exc!r}），等整站重新构建")
        return []
    for path, page in made:
        _replace(path, page)
    if made:
        _next_epoch(server, visible=True)
        log.info(f"预览：先显示了改动的记录本身的 {len(made)} 个页面；正在重新构建整个网站，完成后页面会再刷新一次")
    return before


def _put_back(server: LiveReloadServer, before: list[tuple[Path, bytes]], spare: str | None) -> None:
    """After a failed rebuild: the pages shown early as they were, and the browsers reloaded to them."""
    _remove(spare)
    for path, page in before:
        _replace(path, page)
    if before:
        _next_epoch(server, visible=False)


def _replace(path: Path, content: bytes) -> None:
    """Write a served page whole or not at all, never into the file it is (a link to a page the page cache keeps)."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".gongkai-", delete=False) as file:
        file.write(content)
    os.replace(file.name, path)


def _next_epoch(server: LiveReloadServer, *, visible: bool) -> None:
    """Have the browsers reload: now (`visible`), or when the rebuild under way ends."""
    with server._epoch_cond:
        server._wanted_epoch = max(_timestamp(), server._wanted_epoch + 1, server._visible_epoch + 1)
        if visible:
            server._visible_epoch = server._wanted_epoch
            server._epoch_cond.notify_all()


def _run_later() -> None:
    later, building.later = building.later, []
    if later:
        _settled.clear()
    _running[:] = [_start(partial(_run, later))] if later else []


def _start(work: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def _run(work: list[tuple[Callable[[], None], bool]]) -> None:
    for each, before_stopping in sorted(work, key=lambda item: not item[1]):
        if not before_stopping:
            _settled.set()
            if _stopping.is_set():
                return
        try:
            each()
        except Exception:
            if not _stopping.is_set():  # the folder it read may be removed under it as the server stops
                traceback.print_exc()
    _settled.set()


def _remove(folder: str | None) -> None:
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _stop_on_sigterm() -> None:
    """`kill`, a service manager or a container stopping sends SIGTERM, which would end Python without
    MkDocs' cleanup and leave both site folders (hundreds of MB each) in the temp dir: end as Ctrl+C does."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one would cut the cleanup short
    raise KeyboardInterrupt


def _error_page(folder: str, code: int) -> bytes | None:
    page = os.path.join(folder, f"{code}.html")
    if code in (404, 500) and os.path.isfile(page):
        with open(page, "rb") as file:
            return file.read()
    return None


def _without_waiting(server: LiveReloadServer):
    """MkDocs' own request handler for the live-reload polls; files from the served folder at once."""
    own = server._serve_request

    def serve_request(environ: dict, start_response: Any) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if path.startswith("/livereload/") or not (path + "/").startswith(server.mount_path):
            return own(environ, start_response)  # (and "/" under another mount path: redirected there)
        relative = path[len(server.mount_path):] + ("index.html" if path.endswith("/") else "")
        file_path = os.path.join(server.root, posixpath.normpath("/" + relative).lstrip("/"))
        if not os.path.isfile(file_path):
            if not path.endswith("/") and os.path.isfile(os.path.join(file_path, "index.html")):
                start_response("302 Found", [("Location", urllib.parse.quote(path) + "/")])
                return []
            return None
        with open(file_path, "rb") as file:
            content = file.read()
        if server._watched_paths and file_path.endswith(".html"):
            content = server._inject_js_into_html(content, server._visible_epoch)
        start_response("200 OK", [("Content-Type", server._guess_type(file_path)), ("Content-Length", str(len(content)))])
        return wsgiref.util.FileWrapper(io.BytesIO(content))

    return serve_request
