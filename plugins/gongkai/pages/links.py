"""Link mentions of the platform's documents in free text (公开依据) to their pages.

A 文号 (``泉鲤民〔2023〕5号``) or a title in 书名号 (``《鲤城区最低生活保障实施细则》``)
that names a document in the library becomes a link; everything else stays escaped text.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from markupsafe import Markup, escape

from ..model import Document, Site

_NUMBER_TAIL = re.compile(r"〔\d{4}〕\d+号")
_TITLE = re.compile(r"《([^《》]+)》")
_LONGEST_PREFIX = 12


class DocumentLinks:
    def __init__(self, by_number: Mapping[str, Document], by_title: Mapping[str, Document]):
        self.by_number = by_number
        self.by_title = by_title

    @classmethod
    def of(cls, site: Site) -> DocumentLinks:
        documents = site.documents_newest_first()
        return cls({d.number_display: d for d in reversed(documents) if d.number and d.number_display},
                   {d.title: d for d in reversed(documents)})

    def spans(self, text: str) -> list[tuple[int, int, Document]]:
        found = []
        for match in _NUMBER_TAIL.finditer(text):
            for start in range(max(0, match.start() - _LONGEST_PREFIX), match.start()):
                document = self.by_number.get(text[start : match.end()])
                if document is not None:
                    found.append((start, match.end(), document))
                    break
        for match in _TITLE.finditer(text):
            document = self.by_title.get(match[1])
            if document is not None:
                found.append((match.start(), match.end(), document))
        found.sort(key=lambda span: span[0])
        kept, end = [], 0
        for span in found:
            if span[0] >= end:
                kept.append(span)
                end = span[1]
        return kept

    def __call__(self, text: str, url: Callable) -> Markup:
        out, position = [], 0
        for start, end, document in self.spans(text):
            out.append(escape(text[position:start]))
            out.append(Markup('<a href="{}">{}</a>').format(url(document), text[start:end]))
            position = end
        out.append(escape(text[position:]))
        return Markup("").join(out)
