"""The document register: what follows from all documents together, computed once.

Statuses as of the build date, generated 索引号, and the links between documents —
which 解读 belong to a document, which documents it amended or repealed — are derived
here so that pages, rules and reports read the same answers.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from .categories import BY_KEY
from .document import Document
from .lifecycle import IN_FORCE, Status, Step, ending, event_date, status_on, timeline

if TYPE_CHECKING:
    from . import Site


@dataclass(frozen=True)
class Act:
    """Something one document did to another: 修改 or 废止 (with the date)."""

    target: str
    kind: str
    date: datetime.date | None


@dataclass
class Register:
    status: dict[str, Status] = field(default_factory=dict)
    index_numbers: dict[str, str] = field(default_factory=dict)
    generated_index: set[str] = field(default_factory=set)
    interpretations: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    acts: dict[str, list[Act]] = field(default_factory=lambda: defaultdict(list))
    """What each document did to others (by document id of the actor)."""
    amended_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Documents that amended each document, as of the build date."""
    timelines: dict[str, list[Step]] = field(default_factory=dict)
    endings: dict[str, Step | None] = field(default_factory=dict)

    def in_force(self, document: Document) -> bool:
        return self.status[document.id] in IN_FORCE


def build_register(site: "Site") -> Register:
    documents = site.documents
    register = Register()
    for document in documents.values():
        register.timelines[document.id] = timeline(document, documents)
        register.status[document.id] = status_on(document, site.today, documents)
        register.endings[document.id] = ending(document, documents)
        if document.interprets:
            register.interpretations[document.interprets].append(document.id)
        for event in document.events:
            if event.by and event.type in ("修改", "废止"):
                day = event_date(event, documents)
                register.acts[event.by].append(Act(document.id, event.type, day))
                if event.type == "修改" and day is not None and day <= site.today:
                    register.amended_by[document.id].append(event.by)
    for ids in register.interpretations.values():
        ids.sort(key=lambda i: (documents[i].published, i))
    _assign_index_numbers(site, register)
    return register


def index_prefix(site: "Site", document: Document) -> str:
    unit = site.units.get(document.issuer)
    if unit and unit.index_code:
        return unit.index_code
    if site.info and site.info.index_prefix:
        return site.info.index_prefix
    return site.info.site_code if site.info else "GK"


def _assign_index_numbers(site: "Site", register: Register) -> None:
    """Keep written 索引号; number the others after the highest serial of their prefix and year.

    Written numbers never move, and a generated one only depends on the documents without
    a number of the same prefix and year, in order of 成文日期 — so adding a newer document
    never renumbers an older one. `gongkai new document` writes the number into the file.
    """
    highest: dict[tuple[str, int], int] = defaultdict(int)
    waiting: list[Document] = []
    for document in site.documents.values():
        if document.index_number:
            register.index_numbers[document.id] = document.index_number
            match = re.fullmatch(r"(.+)-\d{4}-(\d{4})-(\d{5})", document.index_number)
            if match:
                key = (match[1], int(match[2]))
                highest[key] = max(highest[key], int(match[3]))
        else:
            waiting.append(document)
    for document in sorted(waiting, key=lambda d: (d.written, d.published, d.id)):
        prefix = index_prefix(site, document)
        key = (prefix, document.written.year)
        highest[key] += 1
        code = BY_KEY[document.category].code
        register.index_numbers[document.id] = f"{prefix}-{code}-{document.written.year}-{highest[key]:05d}"
        register.generated_index.add(document.id)
