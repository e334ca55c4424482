"""Rules about the 政府信息公开 column: every unit has one, and no category in it is empty."""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding, Position, error, warning
from ..model import Site
from ..model.disclosure import category_documents, category_records, has_items, required_categories
from .common import missing


def columns_exist(site: Site) -> Iterator[Finding]:
    for unit_id in sorted(site.columns):
        if unit_id not in site.unit_ids:
            yield error(site.columns[unit_id].at(), missing("机构", unit_id, site.unit_ids) + "（文件名应为机构编号）")
    for unit in site.units_in_order():
        if unit.id not in site.ids.get("columns", ()):
            yield error(Position(f"{site.data_path}/disclosure/{unit.id}.yml"),
                        f"缺少{unit.name}的政府信息公开栏目设置（行政复议机关、管辖法院、不适用的类别）")


def no_empty_category(site: Site) -> Iterator[Finding]:
    """A category with nothing in it never reaches the public, unless the unit says why it does not apply."""
    for unit in site.units_in_order():
        column = site.columns.get(unit.id)
        if column is None:
            continue
        documents, records = category_documents(site, unit), category_records(site, unit)
        for category in required_categories(unit):
            declared = category.key in column.not_applicable
            filled = has_items(site, unit, category.key, documents, records)
            if not filled and not declared:
                yield error(column.at("not_applicable"),
                            f"“{category.key}”（{category.label}）没有任何信息；如本单位不适用，请在 not_applicable 中写明理由，"
                            f"例如  {category.key}: 本单位不承担此项职能", "not_applicable（不适用的类别）")
            elif filled and declared:
                yield warning(column.at("not_applicable", category.key),
                              f"“{category.key}”已有信息，却声明为不适用；请删除此项", f"not_applicable.{category.key}")


def reports_or_note(site: Site) -> Iterator[Finding]:
    """The 年度报告 entry is never empty: reports on the platform, or a note saying where they are."""
    with_reports = {report.unit for report in site.reports.values()} | {key.split("/")[0] for key in site.ids.get("reports", ())}
    for unit_id, column in sorted(site.columns.items()):
        if unit_id not in with_reports and not column.reports_note:
            yield error(column.at(), "本平台上没有本单位的年度报告：请在 data/reports/"
                        f"{unit_id}/<年份>.yml 中发布，或在 reports_note 中说明到哪里查阅", "reports_note（年度报告说明）")


def rules_exist(site: Site) -> Iterator[Finding]:
    if site.columns and not any(d.disclosure_rule for d in site.documents.values()):
        yield error(Position(f"{site.data_path}/documents"), "“政府信息公开制度”栏目为空：请把政府信息公开制度文件标记为 disclosure_rule: true")


RULES = [columns_exist, no_empty_category, reports_or_note, rules_exist]
