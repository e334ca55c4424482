"""A record's JSON Schema (`schemas.editor_schema`) as the web editor's form fields.

The schema is what the build validates with, so the form asks for the same things: required
fields, patterns (phones, 文号, ids), choice lists, Chinese labels and hints. Where the form
can check less than the build (a date that does not exist, a reference to a deleted unit),
the review pipeline on the merge request reports it, in the same words as `gongkai check`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model.attached import Attachment
from ..model.fields import ID_PATTERN

DATE_PATTERN = (
    r"^\d{4}-(((0[13578]|1[02])-(0[1-9]|[12]\d|3[01]))|((0[469]|11)-(0[1-9]|[12]\d|30))|(02-(0[1-9]|1\d|2\d)))$"
)
"""YYYY-MM-DD with a month and a day that can exist (29 February of a common year is left to the build)."""

DATE_TIME_PATTERN = DATE_PATTERN[:-1] + r"( ([01]\d|2[0-3]):[0-5]\d)?$"
"""A date that may carry the time of day (a document's 发布日期: 2024-04-06 16:40)."""

DATE_MESSAGE = "：日期应写作 YYYY-MM-DD，例如 2020-08-20（月份 01—12，日期不超过当月的天数）"
"""Decap shows “‹label›”不满足模式‹message›: so the message starts with a colon."""

MARKDOWN = frozenset({"body"})
"""Fields written in Markdown: the editor's rich-text widget (it saves Markdown)."""

PARAGRAPHS = frozenset({
    "summary", "description", "explanation", "scope", "accountability", "overview", "problems", "other",
    "guide", "reports_note", "repeal_note", "note", "decision", "withdrawn", "short_reason",
})
"""Fields that usually hold a paragraph or more: a text area rather than one line."""


@dataclass(frozen=True)
class Relation:
    """A field naming another record: a picker over that kind's records, saving the record's id."""

    collection: str
    search: tuple[str, ...]
    display: str


RELATIONS: dict[str, Relation] = {
    "issuer": Relation("units", ("name", "short_name"), "name"),
    "co_issuers": Relation("units", ("name", "short_name"), "name"),
    "parent": Relation("units", ("name", "short_name"), "name"),
    "unit": Relation("units", ("name", "short_name"), "name"),
    "organizer": Relation("units", ("name", "short_name"), "name"),
    "interprets": Relation("documents", ("title", "number"), "title"),
    "by": Relation("documents", ("title", "number"), "title"),
    "announcement": Relation("documents", ("title", "number"), "title"),
    "campaign": Relation("campaigns", ("title",), "title"),
    "decision_item": Relation("decision_items", ("title",), "title"),
}
"""By field name: the fields that hold a record's id, and whose. A field of such a name whose
value is not an id stays text: see `_names_a_record`."""


@dataclass
class Form:
    """The form fields of one record and what it leaves to YAML or spreadsheets."""

    fields: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    """The titles of fields a form cannot show (tables of tables, free key–value maps)."""


@dataclass(frozen=True)
class _Context:
    defs: dict[str, Any]
    collections: frozenset[str]
    form: Form
    simple_only: bool


def form_of(schema: dict[str, Any], collections: frozenset[str], simple_only: bool = False) -> Form:
    """The fields of the record `schema` describes. `collections` are the kinds the editor has
    (a relation to any other stays text); `simple_only` keeps the top-level values and leaves
    lists of records and nested records out (for records edited as tables)."""
    form = Form()
    form.fields = _fields(schema, _Context(schema.get("$defs", {}), collections, form, simple_only))
    return form


def _fields(schema: dict, ctx: _Context) -> list[dict]:
    required = set(schema.get("required", []))
    shown = (_field(name, prop, name in required, ctx) for name, prop in schema.get("properties", {}).items())
    return [spec for spec in shown if spec is not None]


def _field(name: str, prop: dict, required: bool, ctx: _Context) -> dict | None:
    shape = _resolved(_not_null(prop), ctx.defs)
    title = prop.get("title") or shape.get("title") or name
    widget = _widget(name, shape, prop.get("description") or "", ctx)
    if widget is None:
        ctx.form.left_out.append(title)
        return None
    spec: dict[str, Any] = {"label": title, "name": name, **widget}
    hint = _hint(prop.get("description") or "")
    if hint and hint != title:
        spec["hint"] = hint
    if not required:
        spec["required"] = False
    if prop.get("default") not in (None, [], "") and spec["widget"] in ("boolean", "select", "number"):
        spec["default"] = prop["default"]
    return spec


_YAML_ONLY = re.compile(r"[。]?(列表：每项另起一行，以“- ”开头|填 true 或 false|一组“名称: 值”，每组一行|(列表，)?可选：[^。]*|整数)$")


def _hint(description: str) -> str:
    """The model's help without the part that says how to write the value in YAML (the form shows that)."""
    return _YAML_ONLY.sub("", description.strip()).strip()


def _widget(name: str, shape: dict, description: str, ctx: _Context) -> dict | None:
    kind = shape.get("type")
    relation = _relation(name, shape, description, ctx.collections)
    if relation:
        return relation
    if "enum" in shape:
        return {"widget": "select", "options": list(shape["enum"])}
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind == "integer":
        return {"widget": "number", "value_type": "int", **({"min": shape["minimum"]} if "minimum" in shape else {})}
    if kind == "number":
        return {"widget": "number", "value_type": "float"}
    if kind == "array":
        return None if ctx.simple_only else _list(name, _resolved(shape.get("items", {}), ctx.defs), description, ctx)
    if kind == "object" or "properties" in shape:
        if ctx.simple_only or not shape.get("properties"):
            return None
        return {"widget": "object", "collapsed": False, "fields": _record_fields(shape, ctx)}
    return _text(name, shape, description)


def _record_fields(shape: dict, ctx: _Context) -> list[dict]:
    """A nested record's fields; an attachment's file is uploaded, beside the record's YAML."""
    fields = _fields(shape, ctx)
    if shape.get("x-model") == Attachment.__name__:
        fields = [{**f, "widget": "file", "choose_url": False} if f["name"] == "file" else f for f in fields]
    return fields


def _text(name: str, shape: dict, description: str) -> dict:
    if shape.get("format") == "date":
        pattern = DATE_TIME_PATTERN if "可带时间" in description else DATE_PATTERN
        return {"widget": "string", "pattern": [pattern, DATE_MESSAGE]}
    if shape.get("pattern"):
        example = (shape.get("examples") or [""])[0]
        message = f"：应类似“{example}”" if example else "：格式不正确"
        return {"widget": "string", "pattern": [shape["pattern"], message]}
    if name in MARKDOWN:
        return {"widget": "markdown", "buttons": ["bold", "italic", "link", "heading-two", "heading-three",
                                                  "bulleted-list", "numbered-list", "quote"],
                "editor_components": [], "modes": ["rich_text", "raw"]}
    return {"widget": "text" if name in PARAGRAPHS else "string"}


def _list(name: str, items: dict, description: str, ctx: _Context) -> dict | None:
    if items.get("type") == "array" or (items.get("type") == "object" and not items.get("properties")):
        return None
    if "enum" in items:
        return {"widget": "select", "multiple": True, "options": list(items["enum"])}
    if items.get("properties"):
        fields = _record_fields(items, ctx)
        spec: dict[str, Any] = {"widget": "list", "collapsed": True, "fields": fields,
                                "label_singular": items.get("title", "一项")}
        first = next((f["name"] for f in fields if f["widget"] in ("string", "select", "relation")), None)
        if first:
            spec["summary"] = "{{fields." + first + "}}"
        return spec
    item = _widget(name, items, description, ctx) or {"widget": "string"}
    if item["widget"] == "relation":
        return {**item, "multiple": True}
    return {"widget": "list", "field": {"label": "一项", "name": "item", **item}}


def _relation(name: str, shape: dict, description: str, collections: frozenset[str]) -> dict | None:
    relation = RELATIONS.get(name)
    if relation is None or relation.collection not in collections or not _names_a_record(shape, description):
        return None
    return {"widget": "relation", "collection": relation.collection, "value_field": "{{filename}}",
            "search_fields": list(relation.search), "display_fields": [relation.display], "options_length": 50}


def _names_a_record(shape: dict, description: str) -> bool:
    """An id: the id pattern, or the model says the value is a record's 编号."""
    return shape.get("type") != "array" and (shape.get("pattern") == ID_PATTERN.pattern or "编号" in description)


def _not_null(prop: dict) -> dict:
    """`X | None` is X (the field is then optional)."""
    options = [option for option in prop.get("anyOf", []) if option.get("type") != "null"]
    return options[0] if len(options) == 1 else prop


def _resolved(shape: dict, defs: dict) -> dict:
    ref = shape.get("$ref", "")
    if not ref:
        return shape
    name = ref.rsplit("/", 1)[-1]
    return {**defs[name], **{k: v for k, v in shape.items() if k != "$ref"}, "x-model": name}
