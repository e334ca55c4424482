"""A report's tables as published: typed figures, or the ones the data already holds.

Table 二's 规范性文件 figures follow from the document register, table 三 from a request
register. Where the data allows a derivation it is made; a typed figure that disagrees
with it is an error (see `rules.reports`), and a figure left out is filled in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lifecycle import IN_FORCE, status_on
from .report import AnnualReport, Requests2019, Requests2021
from .requests import derive_requests

if TYPE_CHECKING:
    from . import Site

NORMATIVE_FIELDS = {"2019": ("made", "published", "total"), "2021": ("made", "repealed", "in_force")}


@dataclass
class Figures:
    report: AnnualReport
    requests: Requests2019 | Requests2021 | None
    """Table 三 as published (typed, else derived); None if neither is there."""
    requests_derived: Requests2019 | Requests2021 | None
    normative: dict[str, int | None]
    """Table 二's 规范性文件 row as published."""
    normative_derived: dict[str, int] | None
    previous: AnnualReport | None
    """The same unit's report for the year before, if it is on the platform."""

    @property
    def version(self) -> str:
        return self.report.version


def report_figures(site: "Site", report: AnnualReport) -> Figures:
    register = site.request_registers.get(report.unit)
    derived_requests = derive_requests(register, report.year, report.version) if register else None
    derived_normative = derive_normative(site, report)
    typed = report.active.normative.model_dump()
    normative = {name: typed[name] if typed[name] is not None else (derived_normative or {}).get(name)
                 for name in NORMATIVE_FIELDS[report.version]}
    return Figures(
        report=report,
        requests=report.requests or derived_requests,
        requests_derived=derived_requests,
        normative=normative,
        normative_derived=derived_normative,
        previous=site.reports.get(f"{report.unit}/{report.year - 1}"),
    )


def derive_normative(site: "Site", report: AnnualReport) -> dict[str, int] | None:
    """Table 二's 规范性文件 row counted from the documents of the unit (and `covers`)."""
    units = {report.unit, *report.covers}
    documents = [d for d in site.documents.values() if d.is_normative and d.issuer in units]
    if not documents:
        return None  # the unit's documents are not on the platform: nothing to derive from
    year = report.year
    end = datetime.date(year, 12, 31)
    if report.version == "2019":
        return {
            "made": sum(d.written.year == year for d in documents),
            "published": sum(d.published.year == year for d in documents),
            "total": sum(d.published <= end for d in documents),
        }
    repealed = 0
    for d in documents:
        ending = site.register.endings.get(d.id)
        repealed += bool(ending and ending.effect == "已废止" and ending.date.year == year)
    return {
        "made": sum(d.published.year == year for d in documents),
        "repealed": repealed,
        "in_force": sum(status_on(d, end, site.documents) in IN_FORCE for d in documents),
    }
