"""Where each kind of page lives. URLs come from ids, never titles, so they never change."""

from __future__ import annotations

from typing import Any

from ..model import Campaign, Document, Unit
from ..model.categories import Category

HOME = "index.md"
SITEMAP = "sitemap.md"
UNITS_INDEX = "units/index.md"
UNITS_DIRECTORY = "units/directory.md"
DOCUMENTS = "documents/index.md"
REGISTER = "documents/register.md"
COMPILATION = "documents/compilation.md"
CLEANUPS = "documents/cleanups/index.md"
FEED = "documents/feed.xml"
CATALOGS = "catalogs/index.md"
DISCLOSURE = "disclosure/index.md"
DISCLOSURE_GUIDE = "disclosure/guide.md"
DISCLOSURE_RULES = "disclosure/rules.md"
DISCLOSURE_CONTENT = "disclosure/content.md"
DISCLOSURE_REPORTS = "disclosure/reports.md"


def unit(unit: Unit | str) -> str:
    return f"units/{unit if isinstance(unit, str) else unit.id}.md"


def document(document: Document | str) -> str:
    return f"documents/{document if isinstance(document, str) else document.id}.md"


def attachment(document: Document, file: str) -> str:
    return f"documents/{document.id}/{file}"


def campaign(campaign: Campaign | str) -> str:
    return f"documents/cleanups/{campaign if isinstance(campaign, str) else campaign.id}.md"


def listing(kind: str, key: str | int, page: int = 1) -> str:
    """A paginated list: documents/year/2020/index.md, then …/2.md, …/3.md."""
    return f"documents/{kind}/{key}/" + ("index.md" if page == 1 else f"{page}.md")


def year(value: int, page: int = 1) -> str:
    return listing("year", value, page)


def issuer(unit: Unit | str, page: int = 1) -> str:
    return listing("issuer", unit if isinstance(unit, str) else unit.id, page)


def category(category: Category, page: int = 1) -> str:
    return listing("category", category.code, page)


def standard(domain: str) -> str:
    return f"catalogs/standard/{domain}.md"


def unit_catalog(key: str) -> str:
    """key is ``unit/domain``."""
    return f"catalogs/{key}.md"


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
    return f"reports/{report.id}.md"


def of(target: Any) -> str:
    """The src_uri of a model object, or `target` itself when it already is one."""
    if isinstance(target, str):
        return target
    if isinstance(target, Unit):
        return unit(target)
    if isinstance(target, Document):
        return document(target)
    if isinstance(target, Campaign):
        return campaign(target)
    if isinstance(target, Category):
        return category(target)
    raise TypeError(f"no page for {type(target).__name__}")
