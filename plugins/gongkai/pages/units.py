"""Pages of the 机构职能 section: one per unit, the 机构职能目录 and the index."""

from __future__ import annotations

from typing import Iterator

from ..model import Site
from ..model.domains import catalog_title
from . import paths
from .search import SearchEntry
from .view import View

SECTION = "机构职能"


def views(site: Site, per_page: int) -> Iterator[View]:
    units = site.units_in_order()
    latest = max((u.updated for u in units), default=None)
    section = ((SECTION, paths.UNITS_INDEX),)
    yield View(
        paths.UNITS_INDEX,
        SECTION,
        "units_index.html",
        {"roots": site.roots(), "children": {u.id: site.children(u) for u in units}, "groups": site.units_by_type()},
        description=f"{len(units)} 个机构的设置、隶属关系和工作职能入口",
        date=latest,
        in_nav=True,
    )
    yield View(
        paths.UNITS_DIRECTORY,
        "机构职能目录",
        "units_directory.html",
        {"groups": site.units_by_type()},
        description="本级政府行政机关机构职能目录：各机构的职能、内设机构、负责人、联系方式和权责事项",
        date=latest,
        in_nav=True,
        crumbs=section,
    )
    for unit in units:
        yield View(
            paths.unit(unit),
            unit.name,
            "unit.html",
            {
                "unit": unit, "parent": site.units.get(unit.parent or ""), "children": site.children(unit),
                "catalogs": [
                    (key, catalog_title(unit.name, key.split("/")[1]))
                    for key in sorted(site.adoptions)
                    if key.split("/")[0] == unit.id and not site.adoptions[key].problems
                ],
                "documents": sum(1 for d in site.documents_by_unit.get(unit.id, []) if d.issuer == unit.id),
            },
            description=f"{unit.name}的工作职能、机构设置、联系方式、政务公开工作人员和权责清单",
            date=unit.updated,
            crumbs=section,
            search=SearchEntry("机构", unit.updated, {"发布机构": unit.name}, {"更新日期": unit.updated.isoformat()},
                               aliases=[unit.short_name] if unit.short_name else [], keywords=[unit.id]),
            owner=unit.id,
        )
