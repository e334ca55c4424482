"""Every kind of record the platform keeps in `data/`, described once.

Loading (`load`), the `Site` attributes they fill, the editors' JSON Schemas (`schemas`)
and `gongkai diff` (`review`) all iterate over `KINDS`, so that a kind added here is read,
validated, described to editors and compared between revisions, and none of them can
forget one (`gongkai diff` once reported holiday changes as “0 条”).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

from pydantic import BaseModel

from .campaign import Campaign
from .catalog import StandardCatalog, UnitCatalog
from .disclosure import DisclosureColumn
from .document import Document
from .privacy import PrivacySettings
from .report import report_model
from .requests import RequestRegister
from .search import SearchSettings
from .site import SiteInfo
from .unit import Unit
from .workdays import HolidayYear

ModelOf = Union[type[BaseModel], Callable[[str], type[BaseModel]]]


@dataclass(frozen=True)
class Schema:
    """One JSON Schema for editors: which files it describes (YAML language server globs)."""

    name: str
    model: type[BaseModel]
    title: str
    globs: tuple[str, ...]

    @property
    def file(self) -> str:
        """Where `gongkai schemas` writes it, relative to the repository."""
        return f"schemas/{self.name}.schema.json"


@dataclass(frozen=True)
class Kind:
    attribute: str
    """The `Site` attribute the records fill, and the key of `Site.ids`."""
    name: str
    """What editors call it (messages, `gongkai diff`)."""
    path: str
    """Under `data/`: a folder of one file per record, or the stem of the single file (`single`)."""
    model: ModelOf
    """The record's model, or a function of the id that picks it (a report's format by year)."""
    schemas: tuple[Schema, ...]
    single: bool = False
    """One file at the top of `data/` (site.yml) instead of a folder of records."""
    required: bool = False
    nested: bool = False
    """The id also names the folder the file is in: ``hbjd/hjgl``."""


def report_model_of(id: str) -> type[BaseModel]:
    """The format of `data/reports/<unit>/<year>.yml` follows its year; ValueError (Chinese) for a bad name."""
    unit, _, year = id.partition("/")
    if len(year) != 4 or not year.isdigit():
        raise ValueError(f"年度报告的文件名应为年份，例如 data/reports/{unit}/2021.yml，而不是“{year}”")
    return report_model(int(year))


def _one(name: str, model: type[BaseModel], title: str, *globs: str) -> tuple[Schema, ...]:
    return (Schema(name, model, title, globs),)


KINDS: tuple[Kind, ...] = (
    Kind("info", "网站基本信息", "site", SiteInfo, _one("site", SiteInfo, "网站基本信息（data/site.yml）", "data/site.yml"),
         single=True, required=True),
    Kind("search", "检索设置", "search", SearchSettings,
         _one("search", SearchSettings, "检索设置（data/search.yml）", "data/search.yml"), single=True),
    Kind("privacy", "个人信息保护设置", "privacy", PrivacySettings,
         _one("privacy", PrivacySettings, "个人信息保护设置（data/privacy.yml）", "data/privacy.yml"), single=True),
    Kind("units", "机构", "units", Unit, _one("unit", Unit, "机构（data/units/）", "data/units/**/*.yml")),
    Kind("campaigns", "清理活动", "campaigns", Campaign,
         _one("campaign", Campaign, "规范性文件清理（data/campaigns/）", "data/campaigns/*.yml")),
    Kind("holidays", "节假日安排", "holidays", HolidayYear,
         _one("holidays", HolidayYear, "节假日安排（data/holidays/）", "data/holidays/*.yml")),
    Kind("standards", "标准目录", "catalogs/standard", StandardCatalog,
         _one("standard-catalog", StandardCatalog, "领域标准目录（data/catalogs/standard/）", "data/catalogs/standard/*.yml")),
    Kind("catalogs", "单位目录", "catalogs/units", UnitCatalog,
         _one("unit-catalog", UnitCatalog, "单位标准目录的变动（data/catalogs/units/）", "data/catalogs/units/*/*.yml"), nested=True),
    Kind("columns", "政府信息公开栏目", "disclosure", DisclosureColumn,
         _one("disclosure", DisclosureColumn, "政府信息公开栏目设置（data/disclosure/）", "data/disclosure/*.yml")),
    Kind("reports", "年度报告", "reports", report_model_of, (
        Schema("report-2019", report_model(2019), "年度报告（2019、2020 年度，试行格式）",
               ("data/reports/*/2019.yml", "data/reports/*/2020.yml")),
        Schema("report-2021", report_model(2021), "年度报告（2021 年度起，新格式）",
               ("data/reports/*/202[1-9].yml", "data/reports/*/20[3-9][0-9].yml")),
    ), nested=True),
    Kind("request_registers", "依申请公开登记", "requests", RequestRegister,
         _one("requests", RequestRegister, "依申请公开登记（data/requests/）", "data/requests/*.yml")),
    Kind("documents", "文件", "documents", Document, _one("document", Document, "文件（data/documents/）", "data/documents/**/*.yml")),
)
"""In the order they are loaded: documents last, since completing them needs the rest."""
