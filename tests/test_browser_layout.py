"""What arrives late does not move what is already on screen (Cumulative Layout Shift).

A slow phone on a slow network draws a page before all of it has arrived. The server here
holds back the rest of each page from inside its footer, so the footer is drawn in part first.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_search import LAYOUT_SHIFT

pytestmark = pytest.mark.browser

HOLD_AFTER = b'<dl class="gk-footer__facts">'  # the footer's links have arrived, its facts not yet


class _SlowFooter(SimpleHTTPRequestHandler):
    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix != ".html":
            return super().send_head()
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        cut = body.index(HOLD_AFTER)
        self.wfile.write(body[:cut])
        self.wfile.flush()
        time.sleep(0.8)
        self.wfile.write(body[cut:])
        return None

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@contextmanager
def slow_footer_server(directory: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_SlowFooter, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_footer_that_arrives_late_does_not_move_a_short_page(browser, demo_site, viewport):
    with slow_footer_server(demo_site.out) as url:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        page.goto(url + "404.html")
        page.wait_for_load_state("networkidle")
        short = page.evaluate("document.documentElement.scrollHeight <= innerHeight")
        shift = page.evaluate(LAYOUT_SHIFT)
        context.close()
    assert short, "the page is longer than the screen: its footer is not on screen while it arrives"
    assert shift < 0.02, f"layout shift {shift:.3f}"  # a footer held at the bottom of the screen grew upwards (0.096 on a phone)
