"""Turn pydantic's validation errors into one Chinese message per problem.

Each message names the field by its path in the file and its Chinese title taken from
the model, so an editor sees ``staff.第2项.phone（联系方式）`` and not a Python class.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any, Mapping

from pydantic import BaseModel

from ..findings import FieldPath
from ..model.fields import LAYOUT_TAGS
from ..model.labels import field_label, model_at, unwrap, walk

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


def location(error: Mapping[str, Any]) -> FieldPath:
    """The error's path in the file: without the tags pydantic adds for the layout a tagged
    union chose (`fields.LAYOUT_TAGS`), unless a key of the file itself is spelled so."""
    loc = tuple(error["loc"])
    return tuple(part for part in loc if part not in LAYOUT_TAGS) or loc


def describe(error: Mapping[str, Any], model: type[BaseModel]) -> tuple[str, str]:
    """Return (field label, message) for one pydantic error of a record of type `model`."""
    loc = location(error)
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


def _unknown_field(loc: FieldPath, model: type[BaseModel]) -> str:
    key = str(loc[-1])
    owner = model_at(loc[:-1], model)
    known = list(owner.model_fields) if owner else []
    message = f"未知字段“{key}”"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if owner and close:
        message += f"；是否想写“{close[0]}”（{owner.model_fields[close[0]].title}）？"
    elif known:
        message += "；此处可用的字段有：" + "、".join(known)
    return message


def _expected_type(loc: FieldPath, model: type[BaseModel]) -> Any:
    """The Literal a value at `loc` must be one of (a mapping's key or value type where needed)."""
    _, info, role = walk(loc, model)
    if info is None:
        return None
    base = unwrap(info.annotation)
    if typing.get_origin(base) is dict:
        key, value = typing.get_args(base)
        return key if role == "key" else value
    return base
