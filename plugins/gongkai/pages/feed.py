"""Atom feeds: newly published documents (documents/feed.xml) and new 意见征集 (consultations/feed.xml)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin

from ..model import Site
from . import paths
from .render import Renderer

ENTRIES = 50


@dataclass(frozen=True)
class Entry:
    title: str
    src_uri: str
    """The page the entry links to."""
    published: datetime.date
    author: str
    summary: str


@dataclass(frozen=True)
class Feed:
    src_uri: str
    title: str
    entries: list[Entry]


def feeds(site: Site) -> list[Feed]:
    """The feeds this platform has: a feed with nothing in it is not published."""
    found = [_documents(site), _consultations(site)]
    return [feed for feed in found if feed.entries]


def render_feed(feed: Feed, renderer: Renderer, site_url: str, url_of: Callable[[str], str]) -> str:
    """`url_of(src_uri)` gives a page's URL relative to the site root."""
    base = site_url.rstrip("/") + "/"
    return renderer.env.get_template("feed.xml").render(
        feed=feed, feed_url=urljoin(base, feed.src_uri), home_url=base, link=lambda entry: urljoin(base, url_of(entry.src_uri)),
    )


def _documents(site: Site) -> Feed:
    entries = [Entry(doc.title + (f"（{doc.number_display}）" if doc.number else ""), paths.document(doc), doc.published,
                     site.unit_name(doc.issuer), doc.summary or doc.title)
               for doc in site.documents_newest_first()[:ENTRIES]]
    return Feed(paths.FEED, f"{site.info.host if site.info else ''} 最新公开文件", entries)


def _consultations(site: Site) -> Feed:
    asked = sorted(site.records_of("consultations").values(), key=lambda c: (c.start, c.id), reverse=True)
    entries = [Entry(c.title, paths.of(c), min(c.start, site.today), site.unit_name(c.unit),
                     f"征求意见期限：{c.start} 至 {c.end}（{c.days} 日）")
               for c in asked[:ENTRIES]]
    return Feed(paths.CONSULTATIONS_FEED, f"{site.info.host if site.info else ''} 意见征集", entries)
