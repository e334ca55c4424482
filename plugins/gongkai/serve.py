"""`mkdocs serve` that always answers at once with the last good site.

MkDocs builds into the folder it serves and holds every request until a rebuild succeeds ("the
server will appear stuck"): on a large platform a reader of the preview waited a minute after
each save, and an editor who saved a bad record — in the web editor under /admin/, which the same
server serves — lost the editor and the preview alike until the YAML was fixed by hand.

Here each rebuild writes into a second folder while the first is served; only a build that
succeeded takes its place. A failed rebuild stops before it writes anything (the data is
checked first, see plugin.py), leaves the last good site served, and says so. (`--dirty`
builds reuse the folder they build into: they keep MkDocs' own way.)
"""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import sys
import tempfile
import traceback
import urllib.parse
import wsgiref.util
from pathlib import Path
from typing import Any, Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger

from .cache import link

log = get_plugin_logger(__name__)


class _Building:
    folder: str | None = None
    """Where the rebuild under way writes (None outside `mkdocs serve`'s rebuilds)."""
    served: str | None = None
    """The folder served meanwhile: the last good site."""


building = _Building()


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
    spare = None if dirty else tempfile.mkdtemp(prefix="gongkai-serve-")

    def build_beside() -> None:
        nonlocal spare
        building.folder, building.served = spare, server.root
        try:
            build()
        except Abort as exc:  # its messages are logged already
            print(exc, file=sys.stderr)  # noqa: T201 — as MkDocs itself does
            log.warning("预览仍是上一次通过检查的网站：改正上面的错误并保存后会自动更新")
            return
        except Exception:
            traceback.print_exc()
            log.warning("预览仍是上一次通过检查的网站")
            return
        finally:
            building.folder = building.served = None
        if spare is not None:
            server.root, spare = spare, server.root

    server.builder = build_beside
    if spare is not None:
        server._serve_request = _without_waiting(server)  # type: ignore[method-assign]
        server.error_handler = lambda code: _error_page(server.root, code)
        original_shutdown = server.shutdown

        def shutdown(wait: bool = False) -> None:
            original_shutdown(wait)
            for folder in {spare, server.root}:  # MkDocs removes the folder it made, whichever that is now
                if folder:
                    shutil.rmtree(folder, ignore_errors=True)

        server.shutdown = shutdown  # type: ignore[method-assign]


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
