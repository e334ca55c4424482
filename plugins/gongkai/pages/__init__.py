"""From the model to generated pages: each content type yields `View`s.

Every module here that defines `views(site, per_page)` makes pages (a new kind's page module
is found without being listed); one that also defines `subject_views(site, record)` makes the pages
of one record of its kind alone (for the preview, `quick_preview.py`). A view is everything MkDocs and our templates need to make
one page: its place in the site (`src_uri`, as if it were a Markdown file in the docs dir), its title, the template
that renders it and the objects the template shows. MkDocs still renders the Markdown
(`markdown`, e.g. a document's full text written by an editor) and wraps the result in
the theme; our template renders the data around it.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from ..model import Site
from ..modules import each_module
from . import paths
from .view import View

__all__ = ["View", "generate"]

Views = Callable[[Site, int], Iterator[View]]


def _declared() -> list[Views]:
    """The `views(site, per_page)` of every module of this package that makes pages."""
    return [module.views for module in each_module(__name__) if hasattr(module, "views")]


PAGES: list[Views] = _declared()


SUBJECT_VIEWS: list[Callable[[Site, Any], list[View] | None]] = [
    module.subject_views for module in each_module(__name__) if hasattr(module, "subject_views")]


def subject_views(site: Site, records: list[Any], per_page: int = 50) -> list[View]:
    """The pages whose view has one of `records` itself in its context (a record's own pages)."""
    views: list[View] = []
    rest = []
    for record in records:
        made = next((found for own in SUBJECT_VIEWS if (found := own(site, record)) is not None), None)
        if made is None:
            rest.append(record)
        else:
            views += made
    if rest:  # a kind whose pages module cannot make them alone: make all, keep its
        subjects = {id(record) for record in rest}
        views += [view for view in generate(site, per_page) if any(id(value) in subjects for value in view.context.values())]
    return views


def generate(site: Site, per_page: int = 50, whole: Callable[[View], bool] | None = None) -> list[View]:
    """Every generated page. Those `whole` says no to are outlined as they come (a shard build: another
    shard makes them), so that what they would show is never held all at once."""
    views = [view if whole is None or whole(view) else view.outline() for pages in PAGES for view in pages(site, per_page)]
    latest = max((v.date for v in views if v.date), default=None)
    views.append(View(paths.SITEMAP, "网站地图", "sitemap.html", description="本站全部栏目", date=latest, shows_nav=True))
    return views
