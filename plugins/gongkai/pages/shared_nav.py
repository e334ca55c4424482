"""mkdocs-material's navigation and tabs, rendered once per folder for the pages outside the nav.

Material renders its whole navigation (`partials/nav.html`, `tabs.html`) for every page: at
10,000 documents that is most of the theme's time, and the pages outside the nav (each
document, each unit) all get the same bytes. Such a page has no active item, and every
link in the nav is written relative to the page, so two such pages whose addresses sit in
the same folder get the same navigation, unless a nav entry lies under one of them. Our
`overrides/partials/nav.html` and `tabs.html` include Material's own partial (reached as
`material/partials/…`) and keep its output here under that key; a page in the nav, or one
with a nav entry beneath it, is always rendered afresh.
"""

from __future__ import annotations

import posixpath
from importlib.resources import files

import jinja2
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

MATERIAL_PREFIX = "material"


class SharedNav:
    def __init__(self, nav: Navigation, features: list[str]):
        self._in_nav = {id(page) for page in nav.pages}
        self._targets = [item.url for item in _walk(nav.items) if getattr(item, "url", None)]
        # with the table of contents inside the nav, a page's own headings are part of it
        self._usable = "toc.integrate" not in features
        self._kept: dict[tuple[str, str, bool], str] = {}

    def key(self, partial: str, page: Page | None) -> tuple[str, str, bool] | None:
        """What `partial`'s output depends on for `page`; None: render it for this page alone."""
        if not self._usable or page is None or id(page) in self._in_nav or not page.url:
            return None
        if any(target.startswith(page.url) for target in self._targets):
            return None
        return partial, posixpath.dirname(page.url.rstrip("/")), page.url.endswith("/")

    def get(self, key: tuple[str, str, bool]) -> str | None:
        return self._kept.get(key)

    def keep(self, key: tuple[str, str, bool], html: str) -> str:
        self._kept[key] = html
        return html


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children or [])


def install(env: jinja2.Environment, nav: Navigation, features: list[str]) -> None:
    """Let the theme's templates reach Material's own partials and share them (see above)."""
    assert env.loader is not None
    material = jinja2.FileSystemLoader(str(files("material") / "templates"))
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({MATERIAL_PREFIX: material})])
    env.globals["gongkai_shared_nav"] = SharedNav(nav, features)
