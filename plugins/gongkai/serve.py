"""`mkdocs serve` that keeps serving the last good site when a rebuild fails.

MkDocs holds every request until a rebuild succeeds ("the server will appear stuck"): an
editor who saved a bad record — in the web editor under /admin/, which the same server
serves — would lose the editor and the preview alike. A failed rebuild stops before it
writes anything (the data is checked first, see plugin.py), so the pages on disk are the
last good ones: serve them, and say so.
"""

from __future__ import annotations

import sys
import traceback

from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)


def keep_last_good_site(server: LiveReloadServer) -> None:
    build = server.builder

    def build_or_keep() -> None:
        try:
            build()
        except Abort as exc:  # its messages are logged already
            print(exc, file=sys.stderr)  # noqa: T201 — as MkDocs itself does
            log.warning("预览仍是上一次通过检查的网站：改正上面的错误并保存后会自动更新")
        except Exception:
            traceback.print_exc()
            log.warning("预览仍是上一次通过检查的网站")

    server.builder = build_or_keep
