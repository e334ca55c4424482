"""From the model to generated pages: each content type yields `View`s.

A view is everything MkDocs and our templates need to make one page: its place in the
site (`src_uri`, as if it were a Markdown file in the docs dir), its title, the template
that renders it and the objects the template shows. MkDocs still renders the Markdown
(`markdown`, e.g. a document's full text written by an editor) and wraps the result in
the theme; our template renders the data around it.
"""

from __future__ import annotations

from ..model import Site
from . import catalogs, disclosure, documents, paths, units
from .view import View

__all__ = ["View", "generate"]


def generate(site: Site, per_page: int = 50) -> list[View]:
    views = [*units.views(site), *documents.views(site, per_page), *catalogs.views(site), *disclosure.views(site)]
    latest = max((v.date for v in views if v.date), default=None)
    views.append(View(paths.SITEMAP, "网站地图", "sitemap.html", description="本站全部栏目", date=latest))
    return views
