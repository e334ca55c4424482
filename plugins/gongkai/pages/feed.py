"""The Atom feed of newly published documents (documents/feed.xml)."""

from __future__ import annotations

from urllib.parse import urljoin

from ..model import Site
from . import paths
from .render import Renderer

ENTRIES = 50


def render_feed(site: Site, renderer: Renderer, site_url: str, url_of) -> str:
    """`url_of(src_uri)` gives a page's URL relative to the site root."""
    documents = site.documents_newest_first()[:ENTRIES]
    base = site_url.rstrip("/") + "/"
    return renderer.env.get_template("feed.xml").render(
        documents=documents,
        feed_url=urljoin(base, paths.FEED),
        home_url=base,
        link=lambda doc: urljoin(base, url_of(paths.document(doc))),
    )
