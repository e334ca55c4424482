"""JSON Schemas of every kind of data file, for editors' YAML editors (VS Code + the YAML
language server): completion, hover help in Chinese and red squiggles as they type.

They are generated from the same pydantic models the loader validates with, so they never
drift (`gongkai schemas` writes them; a test fails when the committed ones are stale), and
every field gets a Chinese description with what to write there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .model.kinds import KINDS, Schema

DRAFT = "https://json-schema.org/draft/2020-12/schema"
FOLDER = "schemas"
VSCODE_SETTINGS = Path(".vscode") / "settings.json"


DATA_TYPES: list[Schema] = [schema for kind in KINDS for schema in kind.schemas]


def editor_schema(data_type: Schema) -> dict[str, Any]:
    schema = data_type.model.model_json_schema()
    titles = _titles_of_references(schema)
    for name, definition in schema.get("$defs", {}).items():
        _chinese_title(definition, titles.get(name, ""))
    _describe_all(schema)
    schema["title"] = data_type.title
    return {"$schema": DRAFT, **schema}


def write_schemas(root: Path) -> list[Path]:
    """Write every schema and the VS Code mapping from files to schemas; return what was written."""
    written = []
    (root / FOLDER).mkdir(exist_ok=True)
    for data_type in DATA_TYPES:
        path = root / data_type.file
        path.write_text(_dump(editor_schema(data_type)), encoding="utf-8")
        written.append(path)
    settings_path = root / VSCODE_SETTINGS
    settings = json.loads(settings_path.read_text(encoding="utf-8")) if settings_path.exists() else {}
    settings["yaml.schemas"] = {f"./{t.file}": list(t.globs) for t in DATA_TYPES}
    settings_path.parent.mkdir(exist_ok=True)
    settings_path.write_text(_dump(settings), encoding="utf-8")
    written.append(settings_path)
    return written


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _chinese_title(definition: dict, used_as: str) -> None:
    """A nested record's title is its class name: use its docstring's first sentence (in
    Chinese), or else the title of the field that holds it."""
    description = (definition.get("description") or "").strip()
    if description:
        definition["title"] = description.split("\n")[0].rstrip("。")
    elif used_as:
        definition["title"] = used_as


def _titles_of_references(node: Any, titles: dict[str, str] | None = None) -> dict[str, str]:
    """Each nested record's name → the title of the first field that holds one."""
    titles = {} if titles is None else titles
    if isinstance(node, dict):
        for prop in (node.get("properties") or {}).values():
            ref = re.search(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(prop))
            if ref and prop.get("title"):
                titles.setdefault(ref[1], prop["title"])
        for value in node.values():
            _titles_of_references(value, titles)
    elif isinstance(node, list):
        for value in node:
            _titles_of_references(value, titles)
    return titles


def _describe_all(node: Any) -> None:
    if isinstance(node, dict):
        for prop in (node.get("properties") or {}).values():
            _describe(prop)
        _numbers_as_text(node)
        for value in node.values():
            _describe_all(value)
    elif isinstance(node, list):
        for value in node:
            _describe_all(value)


def _numbers_as_text(node: dict) -> None:
    """Text may be written as a number: the loader reads every value as text (`08` stays
    "08"), while an editor's YAML 1.2 parser sees 8; the schema must not call that an error."""
    if node.get("type") == "string" and not {"enum", "const", "format"} & node.keys():
        node["type"] = ["string", "number"]


def _describe(prop: dict) -> None:
    """Every field gets a description: its own, followed by how to write its value."""
    hint = _how_to_write(prop)
    own = (prop.get("description") or "").strip()
    if own and hint and hint not in own:
        prop["description"] = f"{own.rstrip('。')}。{hint}"
    elif not own:
        prop["description"] = hint or prop.get("title", "")


def _how_to_write(prop: dict) -> str:
    shape = next((s for s in prop.get("anyOf", []) if s.get("type") != "null"), prop)
    if shape.get("format") == "date":
        return "日期，写作 YYYY-MM-DD，例如 2020-08-20"
    if "enum" in shape:
        return "可选：" + "、".join(str(v) for v in shape["enum"])
    if shape.get("examples"):
        return f"例如 {shape['examples'][0]}"
    kind = shape.get("type")
    if kind == "boolean":
        return "填 true 或 false"
    if kind == "integer":
        return "整数，不小于 0" if shape.get("minimum") == 0 else "整数"
    if kind == "array":
        items = shape.get("items", {})
        if "enum" in items:
            return "列表，可选：" + "、".join(items["enum"])
        return "列表：每项另起一行，以“- ”开头"
    if kind == "object" and "additionalProperties" in shape and not shape.get("properties"):
        return "一组“名称: 值”，每组一行"
    return ""
