"""The 政府信息公开 column (国办公开办函〔2019〕61号): 指南, 制度, 法定主动公开内容, 年度报告.

One column for the platform (the district government's, aggregating every unit) and one
for each unit, plus each unit's 依申请公开 page with its reply templates, and the annual
report pages.
"""

from __future__ import annotations

from functools import partial
from typing import Iterator

from ..model import Site, Unit
from ..model.arithmetic import acknowledged, arithmetic
from ..model.categories import CATEGORIES
from ..model.consultation import CONSULTATIONS, participation
from ..model.disclosure import category_documents, category_powers, category_records, shown_categories
from ..model.kinds import KINDS
from ..model.report import rows_of
from . import paths
from .markdown import render
from .replies import REPLIES, docx, paragraphs
from .report_tables import request_lines
from .search import SearchEntry
from .view import Made, View

SECTION = "政府信息公开"
ENTRIES = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开工作年度报告")


def views(site: Site, per_page: int) -> Iterator[View]:
    if not site.columns:
        return
    government = next((u for u in site.units_in_order() if u.hosts_platform), None)
    yield from platform_views(site, government)
    for unit in site.units_in_order():
        if unit.id in site.columns:
            yield from unit_views(site, unit, government)
    for key, figures in sorted(site.figures.items()):
        if figures.report.unit in site.units and figures.requests is not None:
            yield report_view(site, figures)


def _rules(site: Site, unit: Unit | None) -> list:
    """制度: the unit's own disclosure rules, then those of the district that bind every unit."""
    rules = site.disclosure_rules
    if unit is None:
        return list(rules)
    return [d for d in rules if d.issuer == unit.id] + [d for d in rules if d.issuer != unit.id and d.issuer in site.district]


def platform_views(site: Site, government: Unit | None) -> Iterator[View]:
    crumb = ((SECTION, paths.DISCLOSURE),)
    latest = max((d.published for d in site.documents.values()), default=None)
    yield View(paths.DISCLOSURE, SECTION, "disclosure_index.html",
               {"government": government, "groups": site.units_by_type()},
               description="政府信息公开指南、政府信息公开制度、法定主动公开内容和政府信息公开工作年度报告", date=latest, in_nav=True)
    if government is not None and government.id in site.columns:
        yield View(paths.DISCLOSURE_GUIDE, "政府信息公开指南", "disclosure_guide.html", _guide_context(site, government, platform=True),
                   description=f"{government.name}政府信息公开指南", date=government.updated, crumbs=crumb, in_nav=True,
                   search=_entry(government, "政府信息公开指南"))
    rules = _rules(site, None)
    yield View(paths.DISCLOSURE_RULES, "政府信息公开制度", "disclosure_rules.html", {"rules": rules, "unit": None},
               description="本平台各单位的政府信息公开制度", date=max((d.published for d in rules), default=latest), crumbs=crumb,
               in_nav=True, search=_entry(government, "政府信息公开制度") if government else None)
    all_documents: dict[str, list] = {}
    for document in site.documents_newest_first():
        if document.disclosure == "主动公开":
            all_documents.setdefault(document.category, []).append(document)
    not_applicable = {c.key: [(u, site.columns[u.id].not_applicable[c.key]) for u in site.units_in_order()
                              if u.id in site.columns and c.key in site.columns[u.id].not_applicable] for c in CATEGORIES}
    listed = {c: [(k, len(site.records_of(k.attribute))) for k in KINDS if k.category == c and k.index and site.records_of(k.attribute)]
              for c in {k.category for k in KINDS if k.category}}
    yield View(paths.DISCLOSURE_CONTENT, "法定主动公开内容", "disclosure_content_platform.html",
               {"documents": all_documents, "not_applicable": not_applicable, "categories": CATEGORIES, "kinds": listed},
               description="《政府信息公开条例》第二十条、第二十一条规定的法定主动公开内容", date=latest, crumbs=crumb, in_nav=True)
    reports = sorted(site.reports.values(), key=lambda r: (-r.year, r.unit))
    notes = [(u, site.columns[u.id].reports_note) for u in site.units_in_order()
             if u.id in site.columns and site.columns[u.id].reports_note and not any(r.unit == u.id for r in reports)]
    yield View(paths.DISCLOSURE_REPORTS, "政府信息公开工作年度报告", "disclosure_reports.html",
               {"reports": reports, "unit": None, "column": None, "notes": notes},
               description="本平台各单位历年政府信息公开工作年度报告", date=max((r.published for r in reports), default=latest), crumbs=crumb,
               in_nav=True)


def _guide_context(site: Site, unit: Unit, platform: bool = False) -> dict:
    column = site.columns[unit.id]
    shown = shown_categories(site, unit, category_documents(site, unit), category_records(site, unit))
    return {"unit": unit, "column": column, "office": column.office, "platform": platform, "categories": shown, "extra": render(column.guide)}


def unit_views(site: Site, unit: Unit, government: Unit | None) -> Iterator[View]:
    unit_view = partial(View, owner=unit.id)
    column = site.columns[unit.id]
    crumbs = ((SECTION, paths.DISCLOSURE), (unit.label, paths.column(unit, "index")))
    base = {"unit": unit, "column": column}
    yield unit_view(paths.column(unit, "index"), f"{unit.name}政府信息公开", "disclosure_unit.html", base,
               description=f"{unit.name}的政府信息公开指南、制度、法定主动公开内容和年度报告", date=unit.updated, crumbs=crumbs[:1])
    yield unit_view(paths.column(unit, "guide"), f"{unit.name}政府信息公开指南", "disclosure_guide.html", _guide_context(site, unit),
               description=f"{unit.name}政府信息公开指南：公开范围、公开方式、依申请公开办理和监督救济", date=unit.updated, crumbs=crumbs,
               search=_entry(unit, "政府信息公开指南", platform=False))
    rules = _rules(site, unit)
    yield unit_view(paths.column(unit, "rules"), f"{unit.name}政府信息公开制度", "disclosure_rules.html", {**base, "rules": rules},
               description=f"{unit.name}适用的政府信息公开制度", date=max((d.published for d in rules), default=unit.updated), crumbs=crumbs)
    documents, records = category_documents(site, unit), category_records(site, unit)
    categories = [(c, documents.get(c.key, []), category_powers(unit, c.key), records.get(c.key, []), column.not_applicable.get(c.key))
                  for c in shown_categories(site, unit, documents, records)]
    dates = [unit.updated, *(d.published for docs in documents.values() for d in docs),
             *(r.updated for rs in records.values() for r in rs if r is not unit)]
    yield unit_view(paths.column(unit, "content"), f"{unit.name}法定主动公开内容", "disclosure_content.html", {**base, "categories": categories},
               description=f"{unit.name}按《政府信息公开条例》第二十条公开的信息", date=max(dates), crumbs=crumbs)
    reports = sorted((r for r in site.reports.values() if r.unit == unit.id), key=lambda r: -r.year)
    yield unit_view(paths.column(unit, "reports"), f"{unit.name}政府信息公开工作年度报告", "disclosure_reports.html",
               {**base, "reports": reports, "notes": []},
               description=f"{unit.name}历年政府信息公开工作年度报告", date=max((r.published for r in reports), default=unit.updated), crumbs=crumbs)
    yield from apply_views(site, unit, crumbs, hosts=unit is government)


def _entry(unit: Unit, words: str, platform: bool = True) -> SearchEntry:
    """How a page of the 政府信息公开 column is found: as a 指南 of its unit, by the words people type for it.

    A unit's own guide, rules or application page yields to the platform's, which the home page links to:
    the words are the platform page's other names, and only keywords of a unit's page.
    """
    names = {"aliases": words.split()} if platform else {"keywords": words.split(), "rank": "yields"}
    return SearchEntry("指南", unit.updated, {"发布机构": unit.name}, {"发布机构": unit.name}, **names)


def apply_views(site: Site, unit: Unit, crumbs, hosts: bool) -> Iterator[View]:
    unit_view = partial(View, owner=unit.id)
    column = site.columns[unit.id]
    platform = site.info.host if site.info else "本机关政府信息公开平台"
    filled = [(reply, paragraphs(reply, unit.name, platform, column.review_body, column.court)) for reply in REPLIES]
    yield unit_view(paths.column(unit, "apply"), f"向{unit.name}申请政府信息公开", "disclosure_apply.html",
               {"unit": unit, "column": column, "office": column.office, "replies": REPLIES},
               description=f"如何向{unit.name}申请政府信息公开：受理机构、申请方式、办理时限和答复文书", date=unit.updated, crumbs=crumbs,
               search=_entry(unit, "依申请公开 政府信息公开申请", platform=hosts))
    for reply, lines in filled:
        page = paths.reply(unit, reply.key)
        yield unit_view(page, f"{unit.name}{reply.title}（样式）", "disclosure_reply.html",
                   {"unit": unit, "reply": reply, "lines": lines, "docx": paths.reply_docx(unit, reply.key)},
                   description=f"{unit.name}{reply.title}样式，依据《政府信息公开条例》{reply.basis}", date=unit.updated,
                   crumbs=(*crumbs, ("依申请公开", paths.column(unit, "apply"))),
                   files=((paths.reply_docx(unit, reply.key), Made(docx, (reply, unit.name, tuple(lines)))),))


def report_view(site: Site, figures) -> View:
    report = figures.report
    unit = site.units[report.unit]
    crumbs = ((SECTION, paths.DISCLOSURE), (unit.label, paths.column(unit, "index")), ("年度报告", paths.column(unit, "reports")))
    errata = acknowledged(report, arithmetic(report))
    return View(
        paths.report(report),
        report.title or f"{unit.name}{report.year}年政府信息公开工作年度报告",
        "report.html",
        {"report": report, "unit": unit, "figures": figures, "lines": request_lines(rows_of(figures.requests), figures.requests),
         "errata": {table: [(i, k) for i, k in errata if i.table == table] for table in ("三", "四")},
         "sections": report.sections,
         "overview": render(report.overview), "problems": render(report.problems), "other": render(report.other),
         "participation": participation(site.records_of(CONSULTATIONS.attribute).values(), {report.unit, *report.covers}, report.year),
         "consultations_index": CONSULTATIONS.index},
        description=f"{unit.name}{report.year}年政府信息公开工作年度报告（{'2019年试行' if report.version == '2019' else '2021年'}格式）",
        date=report.published,
        crumbs=crumbs,
        search=SearchEntry("年报", report.published, {"发布机构": unit.name, "年份": str(report.year)},
                           {"发布日期": report.published.isoformat(), "发布机构": unit.name},
                           aliases=[f"{report.year}年政府信息公开工作年度报告", "年报"]),
        owner=unit.id,
    )
