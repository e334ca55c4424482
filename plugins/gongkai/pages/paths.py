"""Where each kind of page lives. URLs come from ids, never titles, so they never change.

A record's own page is where its kind says (`Kind.page`, see `model.kinds`); `of(record)`
finds it for any kind, and templates only ask `url(record)` or `url(paths.…)`.
"""

from __future__ import annotations

from typing import Any

from ..model import Campaign, Document, Unit
from ..model.categories import Category
from ..model.fields import Entry
from ..model.kinds import BY_ATTRIBUTE, kind_of

HOME = "index.md"
SITEMAP = "sitemap.md"
UNITS_INDEX = "units/index.md"
UNITS_DIRECTORY = "units/directory.md"
DOCUMENTS = "documents/index.md"
REGISTER = "documents/register.md"
COMPILATION = "documents/compilation.md"
CLEANUPS = "documents/cleanups/index.md"
FEED = "documents/feed.xml"
CONSULTATIONS_FEED = "consultations/feed.xml"
CATALOGS = "catalogs/index.md"
DISCLOSURE = "disclosure/index.md"
DISCLOSURE_GUIDE = "disclosure/guide.md"
DISCLOSURE_RULES = "disclosure/rules.md"
DISCLOSURE_CONTENT = "disclosure/content.md"
DISCLOSURE_REPORTS = "disclosure/reports.md"


def unit(unit: Unit | str) -> str:
    return BY_ATTRIBUTE["units"].page_of(unit if isinstance(unit, str) else unit.id)


def document(document: Document | str) -> str:
    return BY_ATTRIBUTE["documents"].page_of(document if isinstance(document, str) else document.id)


def attachment(record: Entry, file: str) -> str:
    """An attachment is published in a folder named like its record's page: documents/<id>/<file>."""
    return f"{of(record).removesuffix('.md')}/{file}"


def campaign(campaign: Campaign | str) -> str:
    return BY_ATTRIBUTE["campaigns"].page_of(campaign if isinstance(campaign, str) else campaign.id)


def listing(kind: str, key: str | int, page: int = 1) -> str:
    """A paginated list: documents/year/2020/index.md, then …/2.md, …/3.md."""
    return f"documents/{kind}/{key}/" + ("index.md" if page == 1 else f"{page}.md")


def year(value: int, page: int = 1) -> str:
    return listing("year", value, page)


def issuer(unit: Unit | str, page: int = 1) -> str:
    return listing("issuer", unit if isinstance(unit, str) else unit.id, page)


def compilation(issuer: str, page: int = 1) -> str:
    """One 发文机关's part of a 汇编 too big for one page: documents/compilation/<unit>/index.md, then …/2.md."""
    return f"documents/compilation/{issuer}/" + ("index.md" if page == 1 else f"{page}.md")


def category(category: Category, page: int = 1) -> str:
    return listing("category", category.code, page)


def standard(domain: str) -> str:
    return BY_ATTRIBUTE["standards"].page_of(domain)


def unit_catalog(key: str) -> str:
    """key is ``unit/domain``."""
    return BY_ATTRIBUTE["catalogs"].page_of(key)


def catalog_notes(key: str) -> str:
    return f"catalogs/{key}-notes.md"


def downloads(page: str) -> tuple[str, str]:
    """The .xlsx and .csv published beside a catalog page."""
    stem = page.removesuffix(".md")
    return f"{stem}.xlsx", f"{stem}.csv"


def column(unit: Unit | str, page: str) -> str:
    """A page of a unit's 政府信息公开 column: index, guide, rules, content, reports, apply."""
    return f"disclosure/{unit if isinstance(unit, str) else unit.id}/{page}.md"


def reply(unit: Unit, key: str) -> str:
    return f"disclosure/{unit.id}/replies/{key}.md"


def reply_docx(unit: Unit, key: str) -> str:
    return f"disclosure/{unit.id}/replies/{key}.docx"


def report(report: Any) -> str:
    """An annual report: reports/<unit>/<year>.md (report.id is ``unit/year``)."""
    return BY_ATTRIBUTE["reports"].page_of(report.id)


def of(target: Any) -> str:
    """The src_uri of a record's page (any kind with pages), a category's list, or `target`
    itself when it already is a src_uri."""
    if isinstance(target, str):
        return target
    if isinstance(target, Category):
        return category(target)
    kind = kind_of(target)
    if kind is None or kind.page is None:
        raise TypeError(f"no page for {type(target).__name__}")
    return kind.page_of(target.id)
