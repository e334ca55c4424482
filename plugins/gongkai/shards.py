"""A platform in shards: which shard builds each page, and what a shard build leaves for the merge.

`mkdocs.yml` names the shards and the units each builds (`shards:` of the gongkai plugin, unit
ids or patterns such as ``*jd``; the first shard whose pattern matches a unit takes it). A page
belongs to the shard of the unit it is about (`View.owner`); the platform's own pages (home,
lists of all documents, the register, hand-written pages, the theme's files) and the pages of
units no pattern names belong to the shard `shared`. With no `shards:`, `shared` is the whole site.

A shard build (`GONGKAI_SHARD=<name> mkdocs build`, or `gongkai shards build`) reads all of
`data/`, so that its pages are byte for byte the pages one build would make, but converts,
renders, audits and indexes only its own pages; the others exist for it only as addresses its
links may lead to. It writes `MANIFEST` beside its files: what it was built from, the site
every shard plans (every file of it), the files it wrote, and its records' ids, titles,
addresses and statuses. `gongkai shards merge` (`shard_merge.py`) puts the shards together.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

if TYPE_CHECKING:
    from .pages.view import View

SHARED = "shared"
ENV = "GONGKAI_SHARD"
MANIFEST = "gongkai-shard.json"
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


@dataclass(frozen=True)
class ShardRule:
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(shard name, unit id patterns), in the order of mkdocs.yml: the first match wins."""

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> ShardRule:
        """The rule written in mkdocs.yml; ValueError (in Chinese) naming every mistake."""
        problems, groups = [], []
        for name, patterns in value.items():
            if not isinstance(name, str) or not NAME.fullmatch(name) or name == SHARED:
                problems.append(f"分片名“{name}”应由小写字母、数字和 - 组成（不超过 40 个字符），且不能是 {SHARED}（公共页面的分片）")
            if isinstance(patterns, str):
                patterns = [patterns]
            if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) and p for p in patterns):
                problems.append(f"分片“{name}”应列出它包含的机构编号（可用 * 通配，如 \"*jd\"）")
                continue
            groups.append((str(name), tuple(patterns)))
        if problems:
            raise ValueError("mkdocs.yml 中 gongkai 插件的 shards 设置有误：\n" + "\n".join(f"  {p}" for p in problems))
        return cls(tuple(groups))

    @property
    def names(self) -> list[str]:
        return [SHARED, *(name for name, _ in self.groups)]

    def shard_of_unit(self, unit: str) -> str:
        return _first_match(self.groups, unit)

    def shard_of(self, owner: str | None) -> str:
        """The shard of a page about unit `owner` (None: a page of the whole platform)."""
        return self.shard_of_unit(owner) if owner else SHARED

    def made_by(self, shard: str) -> Callable[[View], bool]:
        """Whether `shard` makes a generated page."""
        return lambda view: self.shard_of(view.owner) == shard

    def unmatched(self, units: Iterable[str]) -> list[str]:
        """Patterns that name no unit (a typing slip, or a unit that has gone)."""
        units = list(units)
        return [pattern for _, patterns in self.groups for pattern in patterns
                if not any(fnmatch.fnmatchcase(unit, pattern) for unit in units)]


@cache
def _first_match(groups: tuple[tuple[str, tuple[str, ...]], ...], unit: str) -> str:
    """The shard of `unit`, found once a unit: a build asks for each of its 160,000 pages at 100,000 documents,
    and a rule naming runs of ten units has hundreds of patterns."""
    for name, patterns in groups:
        if any(fnmatch.fnmatchcase(unit, pattern) for pattern in patterns):
            return name
    return SHARED


def chosen(rule: ShardRule, name: str | None) -> str | None:
    """The shard this build makes (None: all of the site); ValueError (in Chinese) for an unknown name."""
    if not name:
        return None
    if name not in rule.names:
        raise ValueError(f"没有名为“{name}”的分片；mkdocs.yml 中的分片：{'、'.join(rule.names)}")
    return name


# Per-shard estimates from benchmarks/shards.py at 100,000 documents in 10 shards on the 2-core machine
# (README, 度量): every shard loads and plans all of the platform (about 0.33 ms and 15 KB a record),
# then makes its own pages (about 5.4 ms a page, Pagefind and the audit included). Measured 2026-12-02:
# 128–132 s and 1,789–1,819 MB for a shard of 17,200–17,700 pages, 121 s and 1,971 MB for the shared one
# of 4,000 (its pages are the whole platform's lists, slower than most: the estimate is short for it; its
# memory is the records', the pages' own is small).
SECONDS_PER_RECORD = 0.00033
SECONDS_PER_PAGE = 0.0054
MB_BASE = 300
MB_PER_RECORD = 0.015
MB_PER_PAGE = 0.005


@dataclass
class ShardPlan:
    name: str
    units: list[str]
    documents: int
    pages: int
    records: int

    @property
    def seconds(self) -> float:
        return self.records * SECONDS_PER_RECORD + self.pages * SECONDS_PER_PAGE

    @property
    def megabytes(self) -> float:
        return MB_BASE + self.records * MB_PER_RECORD + self.pages * MB_PER_PAGE


def plan(rule: ShardRule, units: Iterable[str], issuers: Iterable[str], owners: Iterable[str | None], records: int,
         handwritten: int) -> list[ShardPlan]:
    """What each shard builds: its units, the documents they issued, its generated and hand-written pages."""
    plans = {name: ShardPlan(name, [], 0, 0, records) for name in rule.names}
    for unit in units:
        plans[rule.shard_of_unit(unit)].units.append(unit)
    for issuer in issuers:
        plans[rule.shard_of_unit(issuer)].documents += 1
    for owner in owners:
        plans[rule.shard_of(owner)].pages += 1
    plans[SHARED].pages += handwritten
    return list(plans.values())
