"""The in-memory model of one platform: plain records, no MkDocs.

Records are pydantic models, so one class per record type is at once the schema the
loader validates against, the object the pages are rendered from, and the source of
the editors' JSON Schema. `Site` holds them all; `Register` holds what is derived from
the documents together (statuses, 索引号, links between documents).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .campaign import Campaign
from .document import Document
from .site import SiteInfo
from .unit import UNIT_TYPES, Unit
from .workdays import WorkCalendar

if TYPE_CHECKING:
    from .annual import Figures
    from .catalog import Adoption, StandardCatalog, UnitCatalog
    from .disclosure import DisclosureColumn
    from .privacy import Found, PrivacySettings, Unread
    from .register import Register
    from .report import AnnualReport
    from .requests import RequestRegister
    from .search import SearchSettings
    from .workdays import HolidayYear

__all__ = ["Campaign", "Document", "Settings", "Site", "SiteInfo", "Unit"]


@dataclass(frozen=True)
class Settings:
    """Limits the checks and pages apply; the plugin's configuration can change them."""

    publication_days: int = 20
    """条例 第二十六条: publish within 20 working days of the information being formed."""
    interpretation_days: int = 3
    """A 解读 should follow its 规范性文件 within this many working days."""
    feedback_days: int = 30
    """An 意见征集 should publish its 采纳情况反馈 within this many days of closing."""
    timely_from: datetime.date = datetime.date(2008, 5, 1)
    """Documents written before this day are 历史文件: no lateness check (the 2008 条例's start)."""
    compilation_most: int = 200
    """The most full texts one page of the 汇编 shows: past it, one part per 发文机关."""


@dataclass
class Site:
    info: SiteInfo | None
    today: datetime.date = field(default_factory=datetime.date.today)
    """The day statuses are shown for: the build date."""
    settings: Settings = field(default_factory=Settings)
    data_path: str = "data"
    """The data folder as editors see it (for findings about files that do not exist yet)."""
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Every valid record of every kind with a folder of records (`model.kinds`): by kind, then id.
    The common kinds have a typed property below; a new kind is read with `records_of`."""
    search: "SearchSettings | None" = None
    privacy: "PrivacySettings | None" = None
    personal: list["Found"] = field(default_factory=list)
    """Personal information found in the data as loaded; `rules.privacy` says what may stay."""
    unread: list["Unread"] = field(default_factory=list)
    """Attachments whose text could not be checked for personal information."""
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    ids: dict[str, set[str]] = field(default_factory=dict)
    """Per collection, every file's id, including files that failed validation — so a
    reference to a broken record is not reported a second time as dangling."""

    def records_of(self, kind: str) -> dict[str, Any]:
        """The valid records of one kind (its `Kind.attribute`), by id."""
        return self.records.setdefault(kind, {})

    @property
    def units(self) -> dict[str, Unit]:
        return self.records_of("units")

    @property
    def documents(self) -> dict[str, Document]:
        return self.records_of("documents")

    @property
    def campaigns(self) -> dict[str, Campaign]:
        return self.records_of("campaigns")

    @property
    def holidays(self) -> dict[str, "HolidayYear"]:
        """Holiday arrangements newer than the chinese-calendar package, by year (they make `calendar`)."""
        return self.records_of("holidays")

    @property
    def standards(self) -> dict[str, "StandardCatalog"]:
        """Standard catalogs by domain id."""
        return self.records_of("standards")

    @property
    def catalogs(self) -> dict[str, "UnitCatalog"]:
        """Units' adopted catalogs by ``unit/domain``."""
        return self.records_of("catalogs")

    @property
    def columns(self) -> dict[str, "DisclosureColumn"]:
        """Each unit's 政府信息公开 column settings, by unit id."""
        return self.records_of("columns")

    @property
    def reports(self) -> dict[str, "AnnualReport"]:
        """Annual reports by ``unit/year``."""
        return self.records_of("reports")

    @property
    def request_registers(self) -> dict[str, "RequestRegister"]:
        return self.records_of("request_registers")

    @cached_property
    def register(self) -> "Register":
        """Statuses, 索引号 and links between documents, derived once (see `register`)."""
        from .register import build_register

        return build_register(self)

    def unit_name(self, id: str) -> str:
        """A unit's full name, or the id as written when there is no such unit (its error is reported elsewhere)."""
        unit = self.units.get(id)
        return unit.name if unit else id

    @property
    def unit_ids(self) -> set[str]:
        return self.ids.setdefault("units", set())

    @property
    def document_ids(self) -> set[str]:
        return self.ids.setdefault("documents", set())

    # The orderings and groupings below are computed once, after loading (the site is not
    # changed afterwards): pages, rules and reports ask for them again and again.

    @cached_property
    def _units_in_order(self) -> list[Unit]:
        return sorted(self.units.values(), key=lambda u: (UNIT_TYPES.index(u.type), u.order, u.id))

    def units_in_order(self) -> list[Unit]:
        """All units by type (in the statutory order), then by their `order`, then id."""
        return self._units_in_order

    def units_by_type(self) -> dict[str, list[Unit]]:
        groups: dict[str, list[Unit]] = {}
        for unit in self.units_in_order():
            groups.setdefault(unit.type, []).append(unit)
        return groups

    @cached_property
    def _children(self) -> dict[str, list[Unit]]:
        children: dict[str, list[Unit]] = {}
        for u in self.units_in_order():
            children.setdefault(u.parent or "", []).append(u)
        return children

    def children(self, unit: Unit) -> list[Unit]:
        return self._children.get(unit.id, [])

    def roots(self) -> list[Unit]:
        return [u for u in self.units_in_order() if not u.parent or u.parent not in self.units]

    @cached_property
    def adoptions(self) -> dict[str, "Adoption"]:
        """Each unit catalog with its changes applied to its domain's standard (see `catalog.adopt`)."""
        from .catalog import adopt

        return {key: adopt(self.standards[c.domain], c) for key, c in self.catalogs.items() if c.domain in self.standards}

    @cached_property
    def figures(self) -> dict[str, "Figures"]:
        """Each report's tables as published: typed figures, or derived ones where the data allows."""
        from .annual import report_figures

        return {key: report_figures(self, report) for key, report in self.reports.items()}

    @cached_property
    def _newest(self) -> list[Document]:
        return sorted(self.documents.values(), key=lambda d: (d.published, d.id), reverse=True)

    def documents_newest_first(self) -> list[Document]:
        return self._newest

    @cached_property
    def district(self) -> set[str]:
        """The units whose 政府信息公开制度 bind every unit: those hosting the platform, and the site's host unit."""
        return {u.id for u in self.units.values() if u.hosts_platform} | ({self.info.host_unit} if self.info and self.info.host_unit else set())

    @cached_property
    def disclosure_rules(self) -> list[Document]:
        """The documents that are 政府信息公开制度 (`Document.disclosure_rule`), newest first."""
        return [d for d in self._newest if d.disclosure_rule]

    @cached_property
    def records_by_unit(self) -> dict[str, dict[str, list[Any]]]:
        """Each unit's records of the kinds disclosed under a statutory category (`Kind.category`), by category."""
        from .kinds import KINDS

        groups: dict[str, dict[str, list[Any]]] = {}
        for kind in KINDS:
            if kind.category:
                for record in self.records_of(kind.attribute).values():
                    groups.setdefault(getattr(record, kind.unit_field), {}).setdefault(kind.category, []).append(record)
        return groups

    @cached_property
    def documents_by_unit(self) -> dict[str, list[Document]]:
        """Each unit's documents, as issuer or co-issuer, newest first."""
        groups: dict[str, list[Document]] = {}
        for document in self._newest:
            for unit in dict.fromkeys([document.issuer, *document.co_issuers]):
                groups.setdefault(unit, []).append(document)
        return groups
