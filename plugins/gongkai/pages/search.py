"""What Pagefind needs in the HTML: which pages to index, their filters, metadata and date,
and the words a reader may type for what the page says (文号 without brackets, synonyms).

Pagefind reads ``data-pagefind-*`` attributes when it indexes the built site; the theme
wraps a page in ``data-pagefind-body`` when the page is marked (see `main.html`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..model import docnumber


@dataclass
class SearchEntry:
    """How a generated page appears in search."""

    kind: str  # 文件, 解读, 机构, 目录, 年报, 指南
    date: datetime.date | None = None
    filters: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    """Extra words the page is found by, indexed but not shown (文号 and 索引号 spelled other ways)."""


def number_terms(number: str) -> list[str]:
    """泉鲤政办〔2020〕38号 is also found as “泉鲤政办2020 38”, “泉鲤政办 2020 38号”, “泉鲤政办[2020]38号”."""
    parsed = docnumber.parse(number)
    if parsed is None:
        return [number]
    terms = [number]
    for part in parsed.parts:
        prefix, serial = part.prefix, part.serial
        if part.year is None:  # 国令第707号: also “国令707”, “国令 707”
            terms += [str(part), f"{prefix}{serial}", f"{prefix} {serial}"]
        else:
            year = part.year
            terms += [str(part), f"{prefix}{year}{serial}", f"{prefix} {year} {serial}", f"{prefix}{year}年{serial}号", f"{prefix}[{year}]{serial}号"]
    return list(dict.fromkeys(terms))


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")


def phrase_terms(*texts: str) -> list[str]:
    """Every Chinese character, and every pair of adjacent ones, of a title or keyword.

    Pagefind segments page text with jieba when it indexes, but a reader's query with the
    browser's own segmenter, and the two disagree: jieba keeps 应急预案 as one word, while the
    browser searches 应急 + 预 + 案, and 案 starts no word of the index. Indexing the pieces of
    the few words that matter most (title, keywords) lets such queries find their page.
    """
    pieces: dict[str, None] = {}
    for text in texts:
        for run in _CJK_RUN.findall(text or ""):
            pieces.update(dict.fromkeys(run))
            pieces.update(dict.fromkeys(run[i : i + 2] for i in range(len(run) - 1)))
    return list(pieces)


def index_terms(index_number: str) -> list[str]:
    """QZ06101-2001-2020-00038 is also found by its parts."""
    return [index_number, " ".join(index_number.replace("/", "-").split("-"))]


def block(entry: SearchEntry) -> Markup:
    """The hidden element carrying a page's filters, metadata, sort date and extra words."""
    parts = [f'<span data-pagefind-filter="类型">{escape(entry.kind)}</span>']
    parts += [f'<span data-pagefind-filter="{escape(k)}">{escape(v)}</span>' for k, v in entry.filters.items() if v]
    parts += [f'<span data-pagefind-meta="{escape(k)}">{escape(v)}</span>' for k, v in entry.meta.items() if v]
    if entry.date:
        parts.append(f'<span data-pagefind-sort="date:{entry.date.isoformat()}"></span>')
        parts.append(f'<span data-pagefind-meta="date:{entry.date.isoformat()}"></span>')
    data = f'<div class="gk-search-data" hidden data-pagefind-ignore>{"".join(parts)}</div>'
    return Markup(data + terms_block(entry.terms))


def terms_block(terms: list[str]) -> str:
    """Words indexed with the page but not shown: Pagefind searches text, not metadata."""
    if not terms:
        return ""
    return f'<div class="gk-search-terms" hidden aria-hidden="true" data-pagefind-weight="2">{escape(" ".join(terms))}</div>'


_TAGS = re.compile(r"<[^>]+>")


def synonym_block(html: str, groups: list[list[str]]) -> str:
    """Hidden words that make a page findable by the synonyms of what it says."""
    text = _TAGS.sub("", html)
    extra = [term for group in groups if any(t in text for t in group) for term in group if term not in text]
    return terms_block(extra)
