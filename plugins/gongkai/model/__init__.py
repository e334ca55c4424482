"""The in-memory model of one platform: plain records, no MkDocs.

Records are pydantic models, so one class per record type is at once the schema the
loader validates against, the object the pages are rendered from, and (later) the
source of the editors' JSON Schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .site import SiteInfo
from .unit import UNIT_TYPES, Unit

__all__ = ["Site", "SiteInfo", "Unit"]


@dataclass
class Site:
    info: SiteInfo | None
    units: dict[str, Unit] = field(default_factory=dict)
    unit_ids: set[str] = field(default_factory=set)
    """Every unit file's id, including files that failed validation."""

    def units_in_order(self) -> list[Unit]:
        """All units by type (in the statutory order), then by their `order`, then id."""
        return sorted(self.units.values(), key=lambda u: (UNIT_TYPES.index(u.type), u.order, u.id))

    def units_by_type(self) -> dict[str, list[Unit]]:
        groups: dict[str, list[Unit]] = {}
        for unit in self.units_in_order():
            groups.setdefault(unit.type, []).append(unit)
        return groups

    def children(self, unit: Unit) -> list[Unit]:
        return [u for u in self.units_in_order() if u.parent == unit.id]

    def roots(self) -> list[Unit]:
        return [u for u in self.units_in_order() if not u.parent or u.parent not in self.units]
