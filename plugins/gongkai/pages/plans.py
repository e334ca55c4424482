"""Pages of 应急预案: the list by 类别 and 层级, and a page per plan with its versions and drills."""

from __future__ import annotations

from typing import Iterator

from ..model import Site
from ..model.plan import KIND, OVERALL, PLAN_CATEGORIES, PLAN_LEVELS, Plan
from . import paths
from .search import SearchEntry
from .view import View

SECTION = KIND.name
INDEX = KIND.index or ""
GROUPS = (OVERALL, *PLAN_CATEGORIES)


def views(site: Site, per_page: int) -> Iterator[View]:
    plans: list[Plan] = sorted(site.records_of(KIND.attribute).values(),
                               key=lambda p: (not p.in_force, PLAN_LEVELS.index(p.level), p.current.published, p.id))
    if not plans:
        return
    yield overview(site, plans)
    yield from (plan_view(site, plan) for plan in plans)


def overview(site: Site, plans: list[Plan]) -> View:
    in_force = [p for p in plans if p.in_force]
    groups = [(group, [p for p in in_force if p.group == group]) for group in GROUPS]
    counts = {(group, level): sum(1 for p in in_force if p.group == group and p.level == level) for group in GROUPS for level in PLAN_LEVELS}
    return View(
        INDEX,
        SECTION,
        "plans_index.html",
        {"groups": [(g, ps) for g, ps in groups if ps], "levels": PLAN_LEVELS, "counts": counts, "all_groups": GROUPS,
         "repealed": [p for p in plans if not p.in_force]},
        description=f"现行应急预案 {len(in_force)} 件，按预案类别（自然灾害、事故灾难、公共卫生事件、社会安全事件）和预案层级浏览，附修订历史和演练记录",
        date=max(p.updated for p in plans),
        in_nav=True,
    )


def plan_view(site: Site, plan: Plan) -> View:
    folder = plan.path.parent if plan.path else None
    files = [a.file for v in plan.versions for a in (*v.attachments, *v.handbook)]
    unit = site.unit_name(plan.unit)
    status = "现行有效" if plan.in_force else "已废止"
    numbers = [v.number for v in plan.versions if v.number]
    entry = SearchEntry(
        "预案",
        plan.current.published,
        {"发布机构": unit, "信息类别": KIND.category or "", "预案类别": plan.group, "预案层级": plan.level,
         "年份": str(plan.current.published.year), "有效性": status},
        {"文号": plan.current.number or "", "发布日期": plan.current.published.isoformat(), "有效性": status, "发布机构": unit},
        keywords=list(plan.keywords),
        numbers=numbers,
        rank="" if plan.in_force else "inactive",
    )
    return View(
        paths.of(plan),
        plan.title,
        "plan.html",
        {"plan": plan, "unit": site.units.get(plan.unit)},
        description=plan.scope or f"{plan.title}（{plan.level}应急预案），{unit}编制",
        date=plan.updated,
        crumbs=((SECTION, INDEX),),
        files=tuple((paths.attachment(plan, file), folder / file) for file in dict.fromkeys(files)) if folder else (),
        search=entry,
        owner=plan.unit,
    )
