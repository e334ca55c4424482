"""Script, styles and embedded content in Markdown written by editors, found with their line.

Markdown lets raw HTML through, and attr_list lets `{ onclick="…" }` put any attribute on a
heading. Editors are trusted to write Markdown, not to run script on the public's browsers
(the site is also served where no Content-Security-Policy stands behind it): what is found
here is refused with file and line, and the HTML is sanitized as well (`pages.sanitize`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterator

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
    "textarea", "select", "option", "base", "meta", "link", "svg", "math", "template", "portal", "noscript",
    "foreignobject", "animate", "set", "handler", "listener",
}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "ping"}
_BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data|file):", re.IGNORECASE)
# Markdown's own links and attribute lists, which the HTML parser does not see.
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?\s*([a-zA-Z][\w+.-]*)\s*:|^[ ]{0,3}\[[^\]]+\]:[ \t]*<?[ \t]*([a-zA-Z][\w+.-]*)[ \t]*:", re.MULTILINE)
_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
_ATTR_EVENT = re.compile(r"(?:^|\s)(on[a-z]+|style)\s*=", re.IGNORECASE)


def unsafe_html(text: str, allowed: frozenset[str] = frozenset()) -> Iterator[tuple[int, int, str]]:
    """(line, column, message) for every unsafe piece of HTML or link in Markdown `text`;
    `allowed` names tags allowed here (an SVG file's own <svg>)."""
    if (dense := _too_dense(text)) is not None:  # would take Python-Markdown minutes to render
        yield dense, 1, "这一段中“[”“<”“`”“*”等 Markdown 符号过于密集，渲染会极慢；请检查是否误粘贴了代码或乱码"
        return
    text = _without_code(text)
    forbidden = FORBIDDEN_TAGS - allowed
    for offset, tag in _tags(text):
        line, column = _line_column(text, offset)
        if tag is None:  # the page is refused: one message is enough
            yield line, column, f"HTML 标签没有结束，或长于 {MAX_TAG} 个字符；请检查“<”之后是否缺少“>”"
            break
        parser = _Finder(forbidden)  # one small tag at a time: HTMLParser is slow on long broken input
        parser.feed(tag)
        parser.close()
        yield from ((line, column, message) for message in parser.found)
    for match in _MARKDOWN_LINK.finditer(text):
        scheme = (match[1] or match[2]).lower()
        if scheme in ("javascript", "vbscript", "data", "file"):
            yield (*_line_column(text, match.start()), f"链接不能使用 {scheme}: 地址")
    for match in _ATTR_LIST.finditer(text):
        for event in _ATTR_EVENT.finditer(match.group()):
            yield (*_line_column(text, match.start()), f"属性列表中不能写 {event[1]}（脚本或样式）")


MARKUP_BUDGET = 20_000_000
"""Python-Markdown's inline parsing takes time quadratic in the brackets, backticks, emphasis
marks and angle brackets of a paragraph (8,000 “[” take 6 s, 100,000 take minutes): the sum
of their squares over the paragraphs is bounded. A real paragraph has a few dozen."""
_MARKUP = "[]<`*_!"


def _too_dense(text: str) -> int | None:
    """The line of the paragraph that breaks the budget, or None."""
    if sum(text.count(c) for c in _MARKUP) ** 2 <= MARKUP_BUDGET:
        return None  # the usual case, decided without splitting
    cost, line = 0, 1
    for paragraph in re.split(r"(\n[ \t]*\n)", text):
        rows = [row for row in paragraph.split("\n") if row.strip()]
        units = rows if all("|" in row for row in rows) else [paragraph]  # a table's cells are parsed one by one
        cost += sum(sum(unit.count(c) for c in _MARKUP) ** 2 for unit in units)
        if cost > MARKUP_BUDGET:
            return line
        line += paragraph.count("\n")
    return None


MAX_TAG = 4000
"""Characters in one HTML tag: a longer one (or one never closed) is refused, not searched."""


def _tags(text: str) -> Iterator[tuple[int, str | None]]:
    """(offset, tag) for every start tag, quoted values honoured; (offset, None) for one that
    does not end within MAX_TAG characters. One pass: the scan resumes after each tag."""
    at = 0
    while (start := text.find("<", at)) != -1:
        if not (start + 1 < len(text) and text[start + 1].isascii() and text[start + 1].isalpha()):
            at = start + 1
            continue
        end, quote = start + 1, ""
        limit = min(len(text), start + MAX_TAG)
        while end < limit and (quote or text[end] != ">"):
            if quote and text[end] == quote:
                quote = ""
            elif not quote and text[end] in "\"'" and text[end - 1] in "= \t\n":
                quote = text[end]
            end += 1
        if end >= limit:
            yield start, None
            at = limit
        else:
            yield start, text[start:end + 1]
            at = end + 1


class _Finder(HTMLParser):
    def __init__(self, forbidden: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.forbidden = forbidden
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.forbidden:
            self.found.append(f"不能使用 <{tag}> 标签（脚本、样式、嵌入内容和表单不允许写在页面中）")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag}> 不能带 {name} 属性（事件脚本）")
            elif name == "style":
                self.found.append(f"<{tag}> 不能带 style 属性；排版请用 Markdown")
            elif name in _URL_ATTRIBUTES and value and _BAD_SCHEME.match(value):
                self.found.append(f"<{tag}> 的 {name} 不能使用 {value.split(':')[0].strip().lower()}: 地址")

    handle_startendtag = handle_starttag


_FENCE = re.compile(r"^[ ]{0,3}(`{3,}+|~{3,}+)[^\n]*+\n.*?(?:^[ ]{0,3}\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
# A code span stays within its paragraph; runs of backticks are bounded so that a long run
# cannot make the search quadratic.
_CODE_SPAN = re.compile(r"(?<!`)(`{1,16})(?!`)(?:[^\n]|\n(?![ \t]*\n))+?(?<!`)\1(?!`)")


def _without_code(text: str) -> str:
    """`text` with fenced code blocks and code spans blanked (lines and columns kept): what is
    written there is shown as code, never parsed as HTML."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group())

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
