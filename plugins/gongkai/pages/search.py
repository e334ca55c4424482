"""What Pagefind needs in the HTML: which pages to index, their filters, metadata and date,
and the words a page is found by.

Pagefind reads ``data-pagefind-*`` attributes when it indexes the built site; the theme
wraps a page in ``data-pagefind-body`` when the page is marked (see `main.html`).

Why words go into metadata fields. Pagefind's extended build cuts a page's text into words
with jieba, and matches each word of a query as the start of an indexed word; a query is cut
another way (or not at all), so 营商环境 found one page of three, and 优化营商环境 none. Pagefind
1.5 also indexes the words of every metadata field, split at spaces only and never re-cut,
and ranks a page up by how much of the query a field covers (`ranking.metaWeights`). So each
page carries hidden fields of the character pairs (bigrams) of its text, and the search page
asks for the pairs of the query (`gongkai-find.js`): every run of two or more characters that
stands in a page finds it, however either side would have cut it. The fields are:

  t   the title's pairs, with its other names (简称, 年报) and
      the synonyms of its words                                 — a title match ranks first
  t2  the same, for a page that yields to another or is no
      longer in force (see below)                               — below the page it yields to
  k   keywords and codes (关键词, the unit's code)
  n   文号 and 索引号, whole and by their serial (“38号”)        — an exact number first
  y   the year the page belongs to                              — “年度报告 2023”
  b   the pairs of the whole text                               — recall, whatever the cut

Their weights are in the search page's script; `search.stable` strips them from the page
fragments after indexing, so a reader downloads them only as part of the index.

A page that yields to another of the same subject (a 解读 to its document, a unit's guide to the
platform's) or is no longer in force has its title in `t2`, and says so in its metadata (`rank`),
by which the search page ranks it lower among the first results: Pagefind has no weight for a
whole page, only for fields, and twenty units' guides of the same title would otherwise tie.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..model import docnumber

FIELDS = ("t", "t2", "k", "n", "y", "b")
"""The metadata fields that only serve finding; never shown, removed from the fragments."""


@dataclass
class SearchEntry:
    """How a generated page appears in search."""

    kind: str  # 文件, 解读, 机构, 目录, 年报, 指南
    date: datetime.date | None = None
    filters: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    """Other names of the page, as good as its title (简称, 年报, 依申请公开)."""
    keywords: list[str] = field(default_factory=list)
    """Keywords and codes the page is found by."""
    numbers: list[str] = field(default_factory=list)
    """文号 and 索引号 of the page."""
    rank: str = ""
    """"yields" (a 解读, a unit's own guide), "inactive" (no longer in force), or both ("inactive-yields")."""


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_OTHER_WORD = re.compile(r"[A-Za-z0-9]+")
_INLINE_TAGS = re.compile(r"</?(?:a|abbr|b|cite|code|del|em|i|ins|mark|q|s|small|span|strong|sub|sup|time|u)\b[^>]*>")
_TAGS = re.compile(r"<[^>]+>")


def bigrams(text: str) -> list[str]:
    """Every two adjacent Chinese characters of `text` (a lone character as itself), once each."""
    pairs: dict[str, None] = {}
    for run in _CJK_RUN.findall(text):
        pairs.update(dict.fromkeys(map(str.__add__, run, run[1:]) if len(run) > 1 else (run,)))
    return list(pairs)


def words_of(text: str) -> list[str]:
    """The words a field holds for `text`: its character pairs, and its Latin letters and digits."""
    return list(dict.fromkeys([*bigrams(text), *(w.lower() for w in _OTHER_WORD.findall(text))]))


def number_words(number: str) -> list[str]:
    """泉鲤政办〔2020〕38号 as typed whole, with its issuer's code cut short, or by its serial alone.

    Pagefind drops brackets and spaces from what it indexes, so these are the forms
    “泉鲤政办202038号”, “鲤政办202038号”, “政办202038号”, “办202038号”, “38号” (see
    `gongkai-find.js`). Not “202038号”: a year typed alone would find every number of that year.
    """
    parsed = docnumber.parse(number)
    if parsed is None:
        return [number.replace(" ", "")]
    found = []
    for part in parsed.parts:
        tail = f"{part.year or ''}{part.serial}号"
        found += [part.prefix[i:] + tail for i in range(len(part.prefix))] + [f"{part.serial}号"]
    return list(dict.fromkeys(found))


def synonyms_in(text: str, groups: list[list[str]]) -> list[str]:
    """The synonyms of the words that stand in `text` (最低生活保障 → 低保)."""
    return [term for group in groups if any(t in text for t in group) for term in group if term not in text]


def block(entry: SearchEntry) -> Markup:
    """The hidden element carrying a generated page's filters, metadata and sort date."""
    parts = [f'<span data-pagefind-filter="类型">{escape(entry.kind)}</span>']
    parts += [f'<span data-pagefind-filter="{escape(k)}">{escape(v)}</span>' for k, v in entry.filters.items() if v]
    parts += [f'<span data-pagefind-meta="{escape(k)}">{escape(v)}</span>' for k, v in entry.meta.items() if v]
    if entry.aliases:
        parts.append(f'<span data-pagefind-meta="aka">{escape(" / ".join(entry.aliases))}</span>')
    if entry.rank:
        parts.append(f'<span data-pagefind-meta="rank">{entry.rank}</span>')
    if entry.date:
        parts.append(f'<span data-pagefind-sort="date:{entry.date.isoformat()}"></span>')
        parts.append(f'<span data-pagefind-meta="date:{entry.date.isoformat()}"></span>')
    return Markup(f'<div class="gk-search-data" hidden data-pagefind-ignore>{"".join(parts)}</div>')


def findable(title: str, html: str, entry: SearchEntry | None, synonyms: list[list[str]]) -> str:
    """The hidden fields a page is found by (see the module's docstring), for any indexed page."""
    text = _TAGS.sub(" ", _INLINE_TAGS.sub("", html))  # a word may run across <b>, not across </p>
    entry = entry or SearchEntry("")
    fields = {
        "t2" if entry.rank else "t": words_of(" ".join([title, *entry.aliases, *synonyms_in(title, synonyms)])),
        "k": words_of(" ".join(entry.keywords)),
        "n": list(dict.fromkeys(w for number in entry.numbers for w in number_words(number))),
        "y": [entry.filters["年份"]] if entry.filters.get("年份") else [],
        "b": bigrams(" ".join([text, *synonyms_in(text, synonyms)])),
    }
    spans = "".join(f'<span data-pagefind-meta="{name}">{escape(" ".join(words))}</span>' for name, words in fields.items() if words)
    return f'<div class="gk-search-words" hidden data-pagefind-ignore>{spans}</div>' if spans else ""
