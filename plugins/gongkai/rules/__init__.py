"""Cross-record checks: each rule is a small function `Site -> findings`.

Per-field checks live in the model (types and validators); what needs more than one
field or more than one record lives here.
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..findings import Finding
from ..model import Site
from . import catalogs, disclosure, documents, privacy, reports, units

Rule = Callable[[Site], Iterable[Finding]]

RULES: list[Rule] = [
    *units.RULES,
    *documents.RULES,
    *catalogs.RULES,
    *disclosure.RULES,
    *reports.RULES,
    *privacy.RULES,
    documents.calendar_known,  # last: it reports what the rules before it could not count
]


def check(site: Site) -> list[Finding]:
    return [finding for rule in RULES for finding in rule(site)]
