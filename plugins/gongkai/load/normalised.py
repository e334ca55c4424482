"""Values the models rewrite into the one form the site shows (a phone number's dashes), found
so that the editor is told where the file differs from the page: a note, not an error."""

from __future__ import annotations

import functools
import typing
from typing import Any, Iterator

from pydantic import BaseModel

from ..findings import Finding, SourceMap, note
from ..model.fields import PHONE_CHECK, normalize_phone
from ..model.labels import FieldPath, field_label, inner_model


def normalised(data: dict, source: SourceMap, model: type[BaseModel]) -> Iterator[Finding]:
    for path, written in _phones(data, model, ()):
        shown = normalize_phone(written)
        if shown != written:
            yield note(source.at(path), f"电话号码“{written}”已按“{shown}”显示，建议照此修改", field_label(path, model))


def _phones(data: dict, model: type[BaseModel], path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    fields = _fields(model)
    for key, value in data.items():
        if key not in fields:
            continue
        inner, phone = fields[key]
        if inner is None and not phone:
            continue
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            at = (*path, key) if index is None else (*path, key, index)
            if inner is not None and isinstance(item, dict):
                yield from _phones(item, inner, at)
            elif phone and isinstance(item, str):
                yield at, item


@functools.cache
def _fields(model: type[BaseModel]) -> dict[str, tuple[type[BaseModel] | None, bool]]:
    """For each field of `model`: the record type it holds, and whether it is a phone number
    (worked out once per model: a platform has tens of thousands of records of a few types)."""
    return {name: (inner_model(info.annotation), any(_is_phone(part) for part in (info.annotation, *info.metadata)))
            for name, info in model.model_fields.items()}


def _is_phone(annotation: Any) -> bool:
    """Whether a field's type, or what pydantic kept of it, is a `Phone` (a list of them included)."""
    return annotation is PHONE_CHECK or any(_is_phone(arg) for arg in typing.get_args(annotation))
