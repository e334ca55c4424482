"""Render a view's content with our own Jinja environment.

MkDocs' theme environment does not escape (`page.content` is HTML), so data never goes
through it: our templates run in an environment with autoescaping on and strict
undefined variables, and the theme only receives the finished HTML fragment.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2
from markupsafe import Markup
from mkdocs.structure.files import Files
from mkdocs.structure.toc import TableOfContents, get_toc
from mkdocs.utils import get_relative_url

from .. import chinese
from ..model.kinds import BY_ATTRIBUTE
from . import paths
from .outputs import vanished
from .search import block as search_block
from .view import View


def iso_date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


class Disk(Mapping[str, int]):
    """The size in bytes of the file at a path, read when asked (a mapping, so that reads can be traced)."""

    def __getitem__(self, path: str) -> int:
        try:
            return os.stat(path).st_size
        except OSError:
            raise KeyError(path) from None

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


DISK = Disk()


def file_size(document: Any, attachment: Any, sizes: Mapping[str, int] = DISK) -> str:
    """“12.3 KB” — the size of an attachment, for the download list."""
    path = str(document.path.parent / attachment.file)
    try:
        size: float = sizes[path]
    except KeyError:
        raise vanished(path) from None
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def figure(value: Any) -> str:
    """A figure of a statutory table as the site prints numbers (3,985,758); blank stays blank."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


class Renderer:
    def __init__(self, template_dirs: Iterable[str | Path], globals: dict[str, Any]):
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(cn_date=chinese.date, iso_date=iso_date, cn_item=chinese.item, cn_number=chinese.number, figure=figure)
        self.env.globals.update(globals, paths=paths, kinds=BY_ATTRIBUTE)

    def view(self, view: View, page_url: str, pages: Mapping[str, str], body: str = "") -> str:
        """The HTML of a generated page's content (what the theme shows inside <article>)."""
        template = self.env.get_template(view.template)
        html = template.render(view.context, view=view, body=Markup(body), url=linker(pages, page_url), has_page=pages.__contains__)
        return html + str(search_block(view.search)) if view.search else html

    def fragment(self, template: str, pages: Mapping[str, str], root: str, **context: Any) -> Markup:
        """A piece of the theme (footer, header parts) rendered once per build."""
        rendered = self.env.get_template(template).render(context, url=linker(pages, root=root), has_page=pages.__contains__)
        return Markup(rendered)


def page_urls(files: Files) -> dict[str, str]:
    """The URL of each page and file of this build, by its `src_uri` (`has_page` is `in`)."""
    return {file.src_uri: file.url for file in files}


def linker(pages: Mapping[str, str], page_url: str | None = None, root: str = "/") -> Callable[[Any], str]:
    """`url(target)` for templates: the URL of a page or model object.

    Relative to `page_url` for a page's content; root-relative (under `root`, the path of
    `site_url`) for parts rendered once and shown on every page, such as the footer.
    """

    def url(target: Any, anchor: str = "") -> str:
        # A "#" here belongs to a file name (an attachment "x#1.pdf"): anchors come separately.
        src_uri = paths.of(target)
        found = pages.get(src_uri)
        if found is None:
            raise LookupError(f"no page {src_uri!r} in this build")
        href = root + found if page_url is None else get_relative_url(found, page_url)
        return href + (f"#{anchor}" if anchor else "")

    return url


_HEADING = re.compile(r'<h([23])\b([^>]*?)\bid="([^"]+)"([^>]*)>(.*?)</h\1>', re.S)
_NOT_IN_TOC = "gk-no-toc"
"""A heading with this class stays out of the page's table of contents (the 汇编's own 目录)."""
_TAG = re.compile(r"<[^>]+>")


def toc_from_html(content: str) -> TableOfContents:
    """The page's table of contents, rebuilt from the h2/h3 headings (with ids) of the final HTML.

    A regular expression is enough: every heading here comes either from our templates or
    from Python-Markdown's toc extension, both of which write ``<hN id="…">…</hN>``.
    """
    tokens: list[dict] = []
    for level, before, anchor, after, inner in _HEADING.findall(content):
        if _NOT_IN_TOC in before + after:
            continue
        name = _TAG.sub("", inner).replace("¶", "").strip()
        token = {"level": int(level), "id": anchor, "name": name, "children": []}
        if level == "3" and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return get_toc(tokens)  # type: ignore[arg-type]
