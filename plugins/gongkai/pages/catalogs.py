"""Pages of the 标准目录 section: the standards, each unit's catalog, its 编制说明, downloads."""

from __future__ import annotations

from itertools import groupby
from typing import Iterator

from ..model import Site
from ..model.catalog import ROW_FIELDS, CatalogRow
from ..model.domains import BY_ID as DOMAINS
from ..model.domains import catalog_title
from ..sheets import export_csv, export_xlsx
from . import paths
from .search import SearchEntry
from .view import Made, View

SECTION = "标准目录"


def item_groups(rows: list[CatalogRow]) -> list[tuple[str, list[CatalogRow]]]:
    """Consecutive rows with the same 一级事项, as the table merges them."""
    return [(item, list(group)) for item, group in groupby(rows, key=lambda r: r.item)]


def views(site: Site, per_page: int) -> Iterator[View]:
    if not site.standards:
        return
    crumb = ((SECTION, paths.CATALOGS),)
    adopters: dict[str, list[str]] = {}
    for key in sorted(site.adoptions):
        adopters.setdefault(key.split("/")[1], []).append(key)
    latest = max([c.compiled for c in site.catalogs.values()], default=None)
    yield View(
        paths.CATALOGS,
        "基层政务公开标准目录",
        "catalogs_index.html",
        {"adopters": adopters, "domains": [DOMAINS[d] for d in sorted(site.standards, key=lambda d: DOMAINS[d].number) if d in DOMAINS]},
        description="本平台各单位的基层政务公开标准目录：覆盖的领域、事项数和对标准目录的调整",
        date=latest,
        in_nav=True,
    )
    for domain_id, standard in site.standards.items():
        domain = DOMAINS.get(domain_id)
        if domain is None:
            continue
        yield View(
            paths.standard(domain_id),
            standard.title,
            "catalog.html",
            {"rows": standard.rows, "groups": item_groups(standard.rows), "levels": standard.levels, "standard": standard,
             "domain": domain, "adopters": adopters.get(domain_id, []), "unit": None, "downloads": paths.downloads(paths.standard(domain_id))},
            description=f"{domain.name}领域基层政务公开标准目录（{standard.issuer}），共 {len(standard.rows)} 项",
            date=latest,
            crumbs=crumb,
            files=_downloads(paths.standard(domain_id), standard.title, standard.rows, standard.levels, None),
            search=SearchEntry("目录", latest, {"发布机构": standard.issuer}, {"领域": domain.name}),
        )
    for key, adoption in site.adoptions.items():
        catalog = site.catalogs[key]
        unit, standard, domain = site.units.get(catalog.unit), site.standards[catalog.domain], DOMAINS.get(catalog.domain)
        if unit is None or domain is None or adoption.problems:
            continue
        title = catalog_title(unit.name, domain.id)
        context = {"rows": adoption.rows, "groups": item_groups(adoption.rows), "levels": standard.levels, "standard": standard,
                   "domain": domain, "unit": unit, "catalog": catalog, "adoption": adoption,
                   "downloads": paths.downloads(paths.unit_catalog(key))}
        yield View(
            paths.unit_catalog(key),
            title,
            "catalog.html",
            context,
            description=f"{title}，共 {len(adoption.rows)} 项，相对标准目录调整 {len(adoption.notes)} 处",
            date=catalog.compiled,
            crumbs=crumb,
            files=_downloads(paths.unit_catalog(key), title, adoption.rows, standard.levels, catalog.compiled),
            search=SearchEntry("目录", catalog.compiled, {"发布机构": unit.name, "年份": str(catalog.compiled.year)},
                               {"领域": domain.name, "发布日期": catalog.compiled.isoformat(), "发布机构": unit.name},
                               keywords=[domain.name], rank="yields"),
            owner=unit.id,
        )
        yield View(
            paths.catalog_notes(key),
            f"{title}编制说明",
            "catalog_notes.html",
            {**context, "documents_label": ROW_FIELDS["basis_documents"]},
            description=f"{title}对{standard.issuer}标准目录逐项调整的说明",
            date=catalog.compiled,
            crumbs=(*crumb, (title, paths.unit_catalog(key))),
            owner=unit.id,
        )


def _downloads(page: str, title: str, rows, levels, when) -> tuple:
    """Made when written: a shard of 100,000 documents publishes a tenth of the 3,000 units' catalogs, and exporting
    all of them took 5 s of its start."""
    xlsx, csv = paths.downloads(page)
    return ((xlsx, Made(export_xlsx, (title, tuple(rows), tuple(levels), when))), (csv, Made(_csv, (tuple(rows), tuple(levels)))))


def _csv(rows: list[CatalogRow], levels: list[str]) -> bytes:
    return export_csv(rows, levels).encode("utf-8")
