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
    text = _without_code(text)
    parser = _Finder(FORBIDDEN_TAGS - allowed)
    parser.feed(text)
    parser.close()
    yield from parser.found
    for match in _MARKDOWN_LINK.finditer(text):
        scheme = (match[1] or match[2]).lower()
        if scheme in ("javascript", "vbscript", "data", "file"):
            yield (*_line_column(text, match.start()), f"链接不能使用 {scheme}: 地址")
    for match in _ATTR_LIST.finditer(text):
        for event in _ATTR_EVENT.finditer(match.group()):
            yield (*_line_column(text, match.start()), f"属性列表中不能写 {event[1]}（脚本或样式）")


class _Finder(HTMLParser):
    def __init__(self, forbidden: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.forbidden = forbidden
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        if tag in self.forbidden:
            self.found.append((line, column + 1, f"不能使用 <{tag}> 标签（脚本、样式、嵌入内容和表单不允许写在页面中）"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, column + 1, f"<{tag}> 不能带 {name} 属性（事件脚本）"))
            elif name == "style":
                self.found.append((line, column + 1, f"<{tag}> 不能带 style 属性；排版请用 Markdown"))
            elif name in _URL_ATTRIBUTES and value and _BAD_SCHEME.match(value):
                self.found.append((line, column + 1, f"<{tag}> 的 {name} 不能使用 {value.split(':')[0].strip().lower()}: 地址"))

    handle_startendtag = handle_starttag


_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def _without_code(text: str) -> str:
    """`text` with fenced code blocks and code spans blanked (lines and columns kept): what is
    written there is shown as code, never parsed as HTML."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group())

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
