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
from typing import TYPE_CHECKING, Iterable

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
    """Keep written 索引号; give the others the free serials of their prefix and year, in
    order of 成文日期.

    Written numbers never move. A generated one depends only on the documents without a
    number of the same prefix and year that were written before it, and on the serials
    written out by hand — which `gongkai new document` always takes after every serial in
    use — so adding a document never renumbers a published one.
    """
    taken: dict[tuple[str, int], set[int]] = defaultdict(set)
    waiting: list[Document] = []
    for document in site.documents.values():
        if document.index_number:
            register.index_numbers[document.id] = document.index_number
            key_serial = parse_index_number(document.index_number)
            if key_serial:
                taken[key_serial[0]].add(key_serial[1])
        else:
            waiting.append(document)
    last: dict[tuple[str, int], int] = defaultdict(int)
    for document in sorted(waiting, key=lambda d: (d.written, d.published, d.id)):
        key = (index_prefix(site, document), document.written.year)
        serial = last[key] + 1
        while serial in taken[key]:
            serial += 1
        last[key] = serial
        register.index_numbers[document.id] = index_number(key[0], document.category, key[1], serial)
        register.generated_index.add(document.id)


def parse_index_number(number: str) -> tuple[tuple[str, int], int] | None:
    """((prefix, year), serial) of a 索引号 in the generated form, e.g. QZ06101-2015-2020-00038."""
    match = re.fullmatch(r"(.+)-\d{4}-(\d{4})-(\d{5})", number)
    return ((match[1], int(match[2])), int(match[3])) if match else None


def index_number(prefix: str, category: str, year: int, serial: int) -> str:
    return f"{prefix}-{BY_KEY[category].code}-{year}-{serial:05d}"


def next_index_number(site: "Site", document: Document, written: Iterable[str] = ()) -> str:
    """The 索引号 a new document should be given: after every serial of its prefix and year in
    use, including those `written` in files that do not validate yet."""
    key = (index_prefix(site, document), document.written.year)
    used = [parse_index_number(n) for n in [*site.register.index_numbers.values(), *written]]
    highest = max((serial for found in used if found and found[0] == key for serial in [found[1]]), default=0)
    return index_number(key[0], document.category, key[1], highest + 1)
