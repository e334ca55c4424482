"""Where each kind of page lives. URLs come from ids, never titles, so they never change."""

from __future__ import annotations

from typing import Any

from ..model import Unit

HOME = "index.md"
SITEMAP = "sitemap.md"
UNITS_INDEX = "units/index.md"
UNITS_DIRECTORY = "units/directory.md"


def unit(unit: Unit | str) -> str:
    return f"units/{unit if isinstance(unit, str) else unit.id}.md"


def of(target: Any) -> str:
    """The src_uri of a model object, or `target` itself when it already is one."""
    if isinstance(target, str):
        return target
    if isinstance(target, Unit):
        return unit(target)
    raise TypeError(f"no page for {type(target).__name__}")
