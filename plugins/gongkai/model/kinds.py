"""Every kind of record the platform keeps in `data/`: the `Kind`s the model modules declare.

A module of this package that defines `KIND` (or `KINDS`) adds a kind; nothing else lists
them. Loading (`load`), `Site.records`, the editors' JSON Schemas (`schemas`), `gongkai diff`
(`review`), `gongkai new`, `gongkai import`/`export` and page addresses (`pages.paths.of`) iterate over `KINDS`, so none
of them can forget one (`gongkai diff` once reported holiday changes as “0 条”).
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel

from ..modules import each_module
from .kind import Kind, Schema


def _declared() -> tuple[Kind, ...]:
    found: list[Kind] = []
    for module in each_module(__name__.rpartition(".")[0]):
        found += getattr(module, "KINDS", None) or ([module.KIND] if hasattr(module, "KIND") else [])
    return tuple(sorted(found, key=lambda kind: kind.order))


KINDS: tuple[Kind, ...] = _declared()
"""By `Kind.order`: the order they are loaded in, and listed in schemas and `gongkai diff`."""

BY_ATTRIBUTE: dict[str, Kind] = {kind.attribute: kind for kind in KINDS}


def kind_of(record: BaseModel) -> Kind | None:
    """The kind whose model `record` is (a report's model is one of its formats)."""
    return _kind_of_type(type(record))


@cache
def _kind_of_type(model: type[BaseModel]) -> Kind | None:
    return next((kind for kind in KINDS if any(issubclass(model, schema.model) for schema in kind.schemas)), None)


__all__ = ["BY_ATTRIBUTE", "KINDS", "Kind", "Schema", "kind_of"]
