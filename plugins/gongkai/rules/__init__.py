"""Cross-record checks: each rule is a small function `Site -> findings`.

Per-field checks live in the model (types and validators); what needs more than one
field or more than one record lives here, one module per kind of record, each listing its
`RULES` (the package collects them).
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..findings import Finding
from ..model import Site
from ..modules import each_module
from .documents import calendar_known

Rule = Callable[[Site], Iterable[Finding]]


def _declared() -> list[Rule]:
    """The `RULES` of every module of this package (a new kind's rules module is found here)."""
    return [rule for module in each_module(__name__) for rule in getattr(module, "RULES", [])]


RULES: list[Rule] = [*_declared(), calendar_known]  # last: it reports what the rules before it could not count


def check(site: Site) -> list[Finding]:
    return [finding for rule in RULES for finding in rule(site)]
