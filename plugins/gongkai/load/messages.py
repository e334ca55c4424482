"""Turn pydantic's validation errors into one Chinese message per problem.

Each message names the field by its path in the file and its Chinese title taken from
the model, so an editor sees ``staff.第2项.phone（联系方式）`` and not a Python class.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel

from ..findings import FieldPath
from .yamlsource import dotted

_TEMPLATES = {
    "missing": "缺少必填字段",
    "string_type": "应为一段文本",
    "int_parsing": "应为整数，而不是“{input}”",
    "int_type": "应为整数",
    "int_from_float": "应为整数，而不是“{input}”",
    "float_parsing": "应为数字，而不是“{input}”",
    "decimal_parsing": "应为数字，而不是“{input}”",
    "bool_parsing": "应为 true 或 false，而不是“{input}”",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表（每项另起一行，以“- ”开头）",
    "dict_type": "应为一组“字段: 值”",
    "model_type": "应为一组“字段: 值”",
    "model_attributes_type": "应为一组“字段: 值”",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多只能有 {max_length} 项",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
}


def describe(error: dict[str, Any], model: type[BaseModel]) -> tuple[str, str]:
    """Return (field label, message) for one pydantic error of a record of type `model`."""
    loc: FieldPath = tuple(error["loc"])
    kind = error["type"]
    label = field_label(loc, model)
    if kind == "extra_forbidden":
        return label, _unknown_field(loc, model)
    if kind == "literal_error":
        expected = "、".join(str(v) for v in typing.get_args(_expected_type(loc, model)))
        return label, f"“{error['input']}”不是可选的值；应为以下之一：{expected}"
    if kind.startswith("gk_"):  # our own validators already speak Chinese
        return label, error["msg"]
    if error.get("input") is None and kind.endswith("_type"):  # written as "name:" with nothing after it
        return label, "不能为空，请填写"
    template = _TEMPLATES.get(kind)
    if template is None:
        return label, f"取值无效（{error['msg']}）"
    context = {"input": error.get("input"), **(error.get("ctx") or {})}
    return label, template.format(**context)


def field_label(loc: FieldPath, model: type[BaseModel]) -> str:
    info = _field_at(loc, model)
    path = dotted(loc)
    return f"{path}（{info.title}）" if info and info.title else path


def _unknown_field(loc: FieldPath, model: type[BaseModel]) -> str:
    key = str(loc[-1])
    owner = _model_at(loc[:-1], model)
    known = list(owner.model_fields) if owner else []
    message = f"未知字段“{key}”"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if owner and close:
        message += f"；是否想写“{close[0]}”（{owner.model_fields[close[0]].title}）？"
    elif known:
        message += "；此处可用的字段有：" + "、".join(known)
    return message


def _walk(loc: FieldPath, model: type[BaseModel]) -> tuple[type[BaseModel] | None, Any, str]:
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
        base = _unwrap(info.annotation)
        role = "mapping" if typing.get_origin(base) is dict else "field"
        inner = _inner_model(info.annotation)
        if inner is not None:
            owner = inner
    return owner, info, role


def _model_at(loc: FieldPath, model: type[BaseModel]) -> type[BaseModel] | None:
    """The record type that holds the fields at `loc` (list indices are stepped over)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current else None
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current


def _field_at(loc: FieldPath, model: type[BaseModel]) -> Any:
    """The pydantic FieldInfo of the last field named in `loc`, if there is one."""
    return _walk(loc, model)[1]


def _expected_type(loc: FieldPath, model: type[BaseModel]) -> Any:
    """The Literal a value at `loc` must be one of (a mapping's key or value type where needed)."""
    _, info, role = _walk(loc, model)
    if info is None:
        return None
    base = _unwrap(info.annotation)
    if typing.get_origin(base) is dict:
        key, value = typing.get_args(base)
        return key if role == "key" else value
    return base


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...], list[...] and Annotated[...] down to the item type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, tuple, set) or origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _inner_model(annotation: Any) -> Any:
    inner = _unwrap(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
