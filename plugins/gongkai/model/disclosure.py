"""A unit's 政府信息公开 column: who handles disclosure, where to seek redress, and which
statutory categories do not apply to it (with the reason), so no column is ever empty."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from .categories import CATEGORIES, CATEGORY_KEYS, Category
from .fields import Email, Entry, Phone, Record, Text, field
from .kind import Kind, one_schema

if TYPE_CHECKING:
    from . import Site
    from .document import Document
    from .unit import Unit

CategoryKey = Literal[CATEGORY_KEYS]  # type: ignore[valid-type]


class Office(Record):
    """政府信息公开工作机构。"""

    name: Text = field("名称")
    address: Text = field("办公地址")
    office_hours: Text = field("办公时间")
    phone: Phone = field("联系电话")
    fax: Phone | None = field("传真", default=None)
    email: Email | None = field("电子邮箱", default=None)
    website: str | None = field("互联网联系方式", "网上申请地址", default=None)
    postcode: str | None = field("邮政编码", default=None)


class DisclosureColumn(Entry):
    """一个单位的政府信息公开栏目设置（data/disclosure/<机构编号>.yml）。"""

    office: Office | None = field("工作机构", "办理政府信息公开的机构；不填则使用本单位的联系方式", default=None)
    review_body: Text = field("行政复议机关", "例如 泉州市鲤城区人民政府")
    court: Text = field("管辖法院", "例如 泉州市鲤城区人民法院")
    not_applicable: dict[CategoryKey, Text] = field(
        "不适用的类别", "本单位没有该类信息的法定主动公开内容及其理由，例如 统计信息: 统计信息由区统计局公开", default_factory=dict
    )
    guide: str | None = field("指南补充说明", "政府信息公开指南的补充内容（Markdown）", default=None)
    reports_note: str | None = field(
        "年度报告说明", "本平台上还没有本单位的年度报告时，说明到哪里查阅（否则“年度报告”栏目为空，不能发布）", default=None
    )


# What a unit's 法定主动公开内容 shows besides documents: its own pages from other data.
POWER_CATEGORIES = {"行政许可": ("行政许可",), "行政处罚和强制": ("行政处罚", "行政强制")}


def required_categories(unit: "Unit") -> list[Category]:
    """Article 20 binds every unit; article 21 the people's governments as well."""
    return [c for c in CATEGORIES if c.article == 20 or unit.is_government]


def shown_categories(site: "Site", unit: "Unit", documents: dict[str, list], records: dict[str, list]) -> list[Category]:
    """The required categories, plus any article 21 category the unit has published something in."""
    return [c for c in CATEGORIES if c in required_categories(unit) or has_items(site, unit, c.key, documents, records)]


def category_documents(site: "Site", unit: "Unit") -> dict[str, list["Document"]]:
    """The unit's proactively disclosed documents (as issuer or co-issuer), by category, newest first."""
    groups: dict[str, list] = {}
    for document in site.documents_by_unit.get(unit.id, []):
        if document.disclosure == "主动公开":
            groups.setdefault(document.category, []).append(document)
    return groups


def category_powers(unit: "Unit", key: str) -> list:
    """The 权责清单 items a category points to (行政许可, 行政处罚和强制)."""
    kinds = POWER_CATEGORIES.get(key, ())
    return [p for p in unit.powers if p.type in kinds]


def category_records(site: "Site", unit: "Unit") -> dict[str, list[Any]]:
    """The unit's records of the kinds disclosed under a category (`Kind.category`): the unit
    itself under 机构职能, its 应急预案 under 应急预案."""
    return {category: list(records) for category, records in site.records_by_unit.get(unit.id, {}).items()}


def has_items(site: "Site", unit: "Unit", key: str, documents: dict[str, list] | None = None,
              records: dict[str, list] | None = None) -> bool:
    documents = category_documents(site, unit) if documents is None else documents
    records = category_records(site, unit) if records is None else records
    return bool(documents.get(key) or records.get(key) or category_powers(unit, key))

KIND = Kind("columns", "政府信息公开栏目", "disclosure", DisclosureColumn,
            one_schema("disclosure", DisclosureColumn, "政府信息公开栏目设置（data/disclosure/）", "data/disclosure/*.yml"),
            order=50, page="disclosure/{id}/index.md")
