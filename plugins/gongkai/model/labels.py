"""Field labels as editors read them, from the models' own titles: ``staff.第2项.phone（联系方式）``.

Used by the loader's messages and by the rules alike (through `Entry.label_of`), so that no
rule writes a field's Chinese name by hand.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

FieldPath = tuple[str | int, ...]


def dotted(path: FieldPath) -> str:
    """Render a field path the way editors read it: ``staff.第2项.phone`` (items count from 1)."""
    return ".".join(f"第{part + 1}项" if isinstance(part, int) else str(part) for part in path if part != "[key]")


def field_label(loc: FieldPath, model: type[BaseModel]) -> str:
    info = field_at(loc, model)
    path = dotted(loc)
    return f"{path}（{info.title}）" if info and info.title else path


def walk(loc: FieldPath, model: type[BaseModel]) -> tuple[type[BaseModel] | None, Any, str]:
    """Follow `loc` through nested records, lists and mappings.

    Returns the record type holding the last field reached, that field's FieldInfo (or
    None), and what `loc` ends on: "field", "item" (of a list), "key" or "value" (of a mapping).
    """
    owner: type[BaseModel] | None = model
    info: Any = None
    role = "field"
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        if role == "mapping":  # this part is a key of the mapping field; pydantic marks errors in keys "[key]"
            role = "value"
            if parts and parts[0] == "[key]":
                role = "key"
                parts.pop(0)
            continue
        if isinstance(part, int):
            role = "item"
            continue
        fields = owner.model_fields if owner else {}
        if part not in fields:
            return owner, None, "field"
        info = fields[part]
        base = unwrap(info.annotation)
        role = "mapping" if typing.get_origin(base) is dict else "field"
        inner = inner_model(info.annotation)
        if inner is not None:
            owner = inner
    return owner, info, role


def model_at(loc: FieldPath, model: type[BaseModel]) -> type[BaseModel] | None:
    """The record type that holds the fields at `loc` (list indices are stepped over)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current else None
        if info is None:
            return None
        current = inner_model(info.annotation)
    return current


def field_at(loc: FieldPath, model: type[BaseModel]) -> Any:
    """The pydantic FieldInfo of the last field named in `loc`, if there is one."""
    return walk(loc, model)[1]


def unwrap(annotation: Any) -> Any:
    """Strip Optional[...], list[...] and Annotated[...] down to the item type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, tuple, set) or origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:  # a choice of layouts: the one that is a record has the fields
                records = [a for a in map(unwrap, args) if isinstance(a, type) and issubclass(a, BaseModel)]
                return records[0] if len(records) == 1 else annotation
            annotation = args[0]
        else:
            return annotation


def inner_model(annotation: Any) -> Any:
    inner = unwrap(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
