"""Screenshots of the demo platform's pages on a desktop (1366×900) and a phone (390×844).

Builds the demo (or takes a built site with --site), serves it and takes a full-page picture of
each page in Debian's Chromium. The home page's pictures are kept in docs/figures/ (made with
`--pages "" --out docs/figures`); the rest are for looking at a change before it lands.

    .venv/bin/python benchmarks/screenshots.py [--site DIR] [--pages "" documents/ …] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from search_relevance import build_demo  # noqa: E402
from test_accessibility import PAGE_TYPES  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def name_of(path: str) -> str:
    return path.split("?")[0].strip("/").replace("/", "-").removesuffix(".html") or "home"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built demo site (default: build the demo now)")
    parser.add_argument("--pages", nargs="+", default=PAGE_TYPES)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "gongkai-screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-demo-") as work:
        site = args.site or build_demo(Path(work))
        with serve(site) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for path in args.pages:
                    page.goto(url + path)
                    page.wait_for_load_state("networkidle")
                    target = args.out / f"{name_of(path)}-{size}.jpg"
                    page.screenshot(path=str(target), full_page=True, type="jpeg", quality=70)
                    print(target)
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
