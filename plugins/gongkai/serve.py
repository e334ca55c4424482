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

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger

from .cache import link
from .old_site import Removal

log = get_plugin_logger(__name__)


class _Building:
    folder: str | None = None
    """Where the rebuild under way writes (None outside `mkdocs serve`'s rebuilds)."""
    served: str | None = None
    """The folder served meanwhile: the last good site."""
    deferring = False
    """Whether the server runs the work handed to `when_served` (the `gongkai` plugin's serve does)."""
    later: list[Callable[[], None]] = []
    """That work, for the site being built."""


building = _Building()
_running: list[threading.Thread] = []
_stopping = threading.Event()


def defer_until_served() -> None:
    """From `on_startup` of `mkdocs serve`: this server will run the work handed to `when_served`."""
    building.deferring = True


def when_served(work: Callable[[], None]) -> bool:
    """In `mkdocs serve`, run `work` on the site just built once it is served, instead of now; False elsewhere."""
    if building.deferring:
        building.later.append(work)
    return building.deferring


def build_folder(config: MkDocsConfig) -> None:
    """In a rebuild of `mkdocs serve`, write into the folder not being served (from on_config)."""
    if building.folder:
        config.site_dir = building.folder


def keep_from_served(name: str, site_dir: str) -> bool:
    """In a rebuild of `mkdocs serve`, link the served site's folder `name` into the new one (no copy)."""
    kept = os.path.join(building.served or "", name)
    if not building.folder or not building.served or not os.path.isdir(kept):
        return False
    target = os.path.join(site_dir, name)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(kept, target, copy_function=lambda source, to: link(Path(source), Path(to)))
    return True


def serve_last_good_site(server: LiveReloadServer, dirty: bool) -> None:
    build = server.builder
    removals: list[Removal] = []  # of the folders replaced

    def build_beside() -> None:
        for thread in _running:  # the last build's audit ends before this one starts
            thread.join()
        spare = None if dirty else tempfile.mkdtemp(prefix="gongkai-serve-")
        building.folder, building.served, building.later = spare, server.root, []
        try:
            build()
        except Abort as exc:  # its messages are logged already
            print(exc, file=sys.stderr)  # noqa: T201 — as MkDocs itself does
            log.warning("预览仍是上一次通过检查的网站：改正上面的错误并保存后会自动更新")
            return _remove(spare)
        except Exception:
            traceback.print_exc()
            log.warning("预览仍是上一次通过检查的网站")
            return _remove(spare)
        except BaseException:  # stopped (Ctrl+C, SIGTERM) in the middle of a rebuild
            _remove(spare)
            raise
        finally:
            building.folder = building.served = None
        if spare is not None:
            old, server.root = server.root, spare
            removals[:] = [removal for removal in removals if not removal.done()] + [Removal(Path(old))]
        _run_later()

    server.builder = build_beside
    if not dirty:
        server._serve_request = _without_waiting(server)  # type: ignore[method-assign]
        server.error_handler = lambda code: _error_page(server.root, code)
    original_shutdown = server.shutdown

    def shutdown(wait: bool = False) -> None:
        _stopping.set()  # an audit under way is left to end with the process
        original_shutdown(wait)
        for removal in removals:
            removal.wait()
        if not dirty:  # MkDocs removes the folder it made, which may be gone by now
            _remove(server.root)

    server.shutdown = shutdown  # type: ignore[method-assign]
    _stop_on_sigterm()
    _run_later()  # the first build's, now that the server starts


def _run_later() -> None:
    later, building.later = building.later, []
    _running[:] = [_start(partial(_run, later))] if later else []


def _start(work: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def _run(work: list[Callable[[], None]]) -> None:
    for each in work:
        try:
            each()
        except Exception:
            if not _stopping.is_set():  # the folder it read may be removed under it as the server stops
                traceback.print_exc()


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
        if path.startswith("/livereload/") or path == "/" or not (path + "/").startswith(server.mount_path):
            return own(environ, start_response)
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
