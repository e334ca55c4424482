"""The inspection rules for one page (国办秘函〔2019〕19号 and the 普查 scoring notes).

Inspectors count an item without a visible date as not updated, and five empty columns
veto a site; a page without a title or description fails search and accessibility checks.
Pages that are not content (the 404 page and the search page, both `noindex`) need a title
and a heading only.
"""

from __future__ import annotations

from typing import Iterator

from .scan import Page

MIN_CONTENT_CHARS = 8
"""Fewer characters than this besides the heading and the date: an empty column."""


def page_rules(page: Page) -> Iterator[tuple[str, str]]:
    """(severity, message) for what one page lacks."""
    if not page.title:
        yield "error", "页面没有标题（<title>）"
    if page.h1_count == 0:
        yield "error", "页面没有一级标题"
    elif page.h1_count > 1:
        yield "warning", f"页面有 {page.h1_count} 个一级标题；一个页面只应有一个"
    if page.robots_noindex:
        return
    if not (page.description or "").strip():
        yield "error", "页面没有描述（<meta name=\"description\">）；手写页面请在开头写 description"
    if not page.has_date:
        yield "error", "页面没有显示日期：检查时没有发布或更新日期的信息按“未更新”计"
    if page.content_chars is not None and page.content_chars < MIN_CONTENT_CHARS:
        yield "error", "页面除标题和日期外没有内容（空栏目）：请补充内容，或从导航中删除此页"
    for entries, undated in page.item_lists:
        if entries == 0:
            yield "error", "列表没有任何条目（空栏目）"
        elif undated:
            yield "error", f"列表中有 {undated} 个条目没有显示日期"
