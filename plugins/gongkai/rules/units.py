"""Rules about units: references between them and uniqueness inside one unit."""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding, error, warning
from ..model import Site
from .common import find_cycles, missing, repeats


def parent_exists(site: Site) -> Iterator[Finding]:
    for unit in site.units.values():
        if unit.parent is None:
            continue
        if unit.parent == unit.id:
            yield error(unit.at("parent"), "上级单位不能是本单位", unit.label_of("parent"))
        elif unit.parent not in site.unit_ids:
            yield error(unit.at("parent"), missing("上级单位", unit.parent, site.unit_ids), unit.label_of("parent"))


def no_parent_cycle(site: Site) -> Iterator[Finding]:
    edges = {u.id: [u.parent] for u in site.units.values() if u.parent in site.units and u.parent != u.id}
    for cycle in find_cycles(edges):
        unit = site.units[cycle[0]]
        yield error(unit.at("parent"), "上级单位形成循环：" + " → ".join(cycle), unit.label_of("parent"))


def host_unit_exists(site: Site) -> Iterator[Finding]:
    info = site.info
    if info and info.host_unit and info.host_unit not in site.unit_ids:
        yield error(info.at("host_unit"), missing("主办单位", info.host_unit, site.unit_ids), info.label_of("host_unit"))


def powers_unique(site: Site) -> Iterator[Finding]:
    for unit in site.units.values():
        for i, power, j in repeats(unit.powers, lambda p: p.code):
            yield error(
                unit.at("powers", i, "code"),
                f"事项编码“{power.code}”与第{j + 1}项重复",
                unit.label_of("powers", i, "code"),
            )
        for i, power, j in repeats(unit.powers, lambda p: (p.name, p.type)):
            yield warning(
                unit.at("powers", i, "name"),
                f"“{power.name}”（{power.type}）与第{j + 1}项重复",
                unit.label_of("powers", i, "name"),
            )


def offices_unique(site: Site) -> Iterator[Finding]:
    for unit in site.units.values():
        for i, office, j in repeats(unit.offices, lambda o: o.name):
            yield error(
                unit.at("offices", i, "name"),
                f"内设机构“{office.name}”与第{j + 1}项重复",
                unit.label_of("offices", i, "name"),
            )


def powers_published(site: Site) -> Iterator[Finding]:
    for unit in site.units.values():
        if unit.type in ("区政府工作部门", "街道办事处") and not unit.powers:
            yield warning(unit.at(), f"{unit.type}应公开权责清单，但 powers（权责清单）为空", "powers（权责清单）")


RULES = [parent_exists, no_parent_cycle, host_unit_exists, powers_unique, offices_unique, powers_published]
