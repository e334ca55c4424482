"""Check the hand-written pages in `content/` the way the data is checked.

Every page needs a description (search results and shared links show it) and, but for
the home page, the date it was last updated: inspectors count a page without a visible
date as not kept up to date. A date MkDocs cannot read would otherwise crash the build
with a traceback; here it is an error with file and line, before anything is built.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from pydantic import ConfigDict, ValidationError

from ..containment import outside_message, within
from ..findings import Finding, Position, error
from ..model.fields import IsoDate, Record, Text, field
from ..model.privacy import Found
from . import messages
from .personal import in_text
from .textfile import MAX_MARKDOWN, read_text
from .unsafe_html import unsafe_html
from .yamlsource import YamlProblem, parse

HOME = "index.md"
SCRIPTS = {".js", ".mjs", ".cjs", ".wasm"}
MARKUP = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".xml", ".xsl", ".xslt"}


class PageMeta(Record):
    """手写页面开头的元数据（--- 之间的部分）。"""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, frozen=True)

    title: Text | None = field("标题", "不写时取正文的一级标题", default=None)
    description: Text = field("页面描述", "一句话说明本页内容，显示在搜索结果和分享链接中")
    date: IsoDate | None = field("更新日期", "本页内容最后一次更新的日期，写作 YYYY-MM-DD；每页都会显示", default=None)


def check_content(docs_dir: Path, root: Path) -> tuple[list[Finding], list[Found]]:
    findings: list[Finding] = []
    found: list[Found] = []
    for path in _files(docs_dir, root, findings):
        shown = _display(path, root)
        suffix = path.suffix.lower()
        if suffix in SCRIPTS:
            findings.append(error(Position(shown), "content/ 中不能放脚本文件；网站的脚本放在 overrides/assets/ 中，由主题引用"))
            continue
        if suffix in MARKUP:  # published as it is: the same rules as raw HTML in Markdown
            text = _read(path, shown, findings)
            allowed = frozenset({"svg"}) if suffix == ".svg" else frozenset()
            findings += (error(Position(shown, line, column), message) for line, column, message in unsafe_html(text or "", allowed))
            continue
        if suffix != ".md":
            continue
        text = _read(path, shown, findings)
        if text is None:
            continue
        front, body_line = _front_matter(text)
        is_home = path.relative_to(docs_dir).as_posix() == HOME
        findings += _check_meta(front, shown, is_home)
        body = text.split("\n", body_line - 1)[-1] if body_line > 1 else text
        found += in_text(body, shown, first_line=body_line)
        findings += (error(Position(shown, body_line + line - 1, column), message) for line, column, message in unsafe_html(body))
    return findings, found


def check_theme(theme_dir: Path, root: Path) -> list[Finding]:
    """The theme's own folder (overrides/): MkDocs copies every file in it but the templates into the site, so
    a link there leading out of the repository (to /proc/self/environ) would publish what it leads to. (A theme
    folder kept outside the repository, as the tests' platforms share the demo's: out of that folder.)"""
    findings: list[Finding] = []
    _files(theme_dir, root if within(theme_dir, root) else theme_dir, findings)
    return findings


def _files(docs_dir: Path, root: Path, findings: list[Finding]) -> list[Path]:
    """Every file MkDocs would publish from `docs_dir` (it follows links to folders), but
    none that leads outside the repository: those are errors."""
    files = []
    seen = {os.path.realpath(docs_dir)}
    for dirpath, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        for name in sorted(dirnames):
            folder = Path(dirpath) / name
            if not within(folder, root):
                findings.append(error(Position(_display(folder, root)), outside_message(folder)))
                dirnames.remove(name)
            elif os.path.realpath(folder) in seen:
                findings.append(error(Position(_display(folder, root)), "这个指向目录的链接指向已经读过的目录（会重复发布，或形成循环），请删除"))
                dirnames.remove(name)
            else:
                seen.add(os.path.realpath(folder))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not within(path, root):
                findings.append(error(Position(_display(path, root)), outside_message(path)))
            elif not path.is_file():  # a pipe or a device: MkDocs would wait on it for ever
                findings.append(error(Position(_display(path, root)), "这不是普通文件（可能是管道或设备文件），不能发布；请删除"))
            else:
                files.append(path)
    return sorted(files)


def _read(path: Path, shown: str, findings: list[Finding]) -> str | None:
    text = read_text(path, shown, MAX_MARKDOWN, "页面文件")
    if isinstance(text, str):
        return text
    findings.append(text)
    return None


def _front_matter(text: str) -> tuple[str | None, int]:
    """The front matter with a blank first line (so YAML's line numbers are the file's),
    and the line the body starts on."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, 1
    for number, line in enumerate(lines[1:], 2):
        if line.rstrip() in ("---", "..."):
            return "\n" + "\n".join(lines[1:number - 1]), number + 1
    return None, 1


def _check_meta(front: str | None, shown: str, is_home: bool) -> Iterator[Finding]:
    if front is None or not front.strip():
        yield error(Position(shown, 1, 1), "页面开头缺少元数据：请在第一行写 ---，其后写 description（页面描述）和 date（更新日期），再以 --- 结束")
        return
    try:
        data, source = parse(front, shown)
    except YamlProblem as problem:
        yield problem.finding
        return
    if not isinstance(data, dict):
        yield error(source.at(), "页面元数据应为一组“字段: 值”")
        return
    yield from _markup_in_meta(data, source)
    try:
        meta = PageMeta.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            label, message = messages.describe(err, PageMeta)
            yield error(source.at(tuple(err["loc"])), message, label)
        return
    if meta.date is None and not is_home:
        yield error(source.at(), "缺少必填字段：本页内容最后一次更新的日期，写作 YYYY-MM-DD（每个页面都要显示日期）", "date（更新日期）")


def _markup_in_meta(data: object, source, path: tuple = ()) -> Iterator[Finding]:
    """Front matter is printed into the page's <head> as it is: no markup in it."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _markup_in_meta(value, source, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _markup_in_meta(value, source, (*path, i))
    elif isinstance(data, str) and ("<" in data or ">" in data):
        yield error(source.at(path), "页面元数据中不能有 < 或 >（HTML 标签）；书名请用《》", ".".join(map(str, path)))


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
