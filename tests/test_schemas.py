"""Editor schemas: generated from the models, current in the repository, and agreeing with
the loader on the demo data and on bad input.

The YAML is read here the way an editor's YAML language server reads it (YAML 1.2 core
schema: `08` is a number, `2020-08-20` is text), not the way the loader does.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import REPO
from gongkai.check import check_data
from gongkai.schemas import DATA_TYPES, VSCODE_SETTINGS, editor_schema, write_schemas

_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def load_as_editor(text: str):
    return _value(yaml.compose(text, Loader=yaml.SafeLoader))


def _value(node):
    if isinstance(node, yaml.MappingNode):
        return {_value(key): _value(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_value(item) for item in node.value]
    text = node.value
    if node.style:  # quoted, or a block of text
        return text
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _INT.fullmatch(text):
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def glob_matches(glob: str, path: str) -> bool:
    """The language server's globs: ** is any number of folders, * and ? stay within one."""
    pattern = re.escape(glob).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    pattern = pattern.replace(r"\[", "[").replace(r"\]", "]").replace(r"\-", "-")
    return re.fullmatch(pattern, path) is not None


def validators_for(path: str):
    return [Draft202012Validator(editor_schema(t), format_checker=Draft202012Validator.FORMAT_CHECKER)
            for t in DATA_TYPES if any(glob_matches(g, path) for g in t.globs)]


def schema_errors(root, relative: str) -> list[str]:
    data = load_as_editor((root / relative).read_text(encoding="utf-8"))
    return [f"{list(e.absolute_path)}: {e.message}" for v in validators_for(relative) for e in v.iter_errors(data)]


def test_committed_schemas_are_current(tmp_path):
    shutil.copytree(REPO / ".vscode", tmp_path / ".vscode")
    for path in write_schemas(tmp_path):
        relative = path.relative_to(tmp_path)
        assert path.read_text(encoding="utf-8") == (REPO / relative).read_text(encoding="utf-8"), (
            f"{relative} is out of date: run `gongkai schemas`")


def test_every_field_has_a_chinese_title_and_description():
    for data_type in DATA_TYPES:
        schema = editor_schema(data_type)
        for owner in [schema, *schema.get("$defs", {}).values()]:
            assert re.search(r"[\u4e00-\u9fa5]", owner["title"]), owner["title"]
            for name, prop in owner.get("properties", {}).items():
                assert re.search(r"[\u4e00-\u9fa5]", prop.get("title", "")), f"{data_type.name}.{name}"
                assert prop.get("description"), f"{data_type.name}.{name}"


def test_every_demo_file_has_one_schema_and_passes_it():
    files = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "data").rglob("*.yml"))
    assert len(files) > 80
    for relative in files:
        assert len(validators_for(relative)) == 1, relative
        assert schema_errors(REPO, relative) == [], relative


BAD_INPUTS = [
    ("data/units/office.yml", "parent: gov", "parnt: gov"),  # unknown field
    ("data/units/office.yml", "name: 测试区人民政府办公室\n", ""),  # required field missing
    ("data/units/office.yml", "updated: 2020-08-26", "updated: 2020-08-32"),  # no such day
    ("data/units/office.yml", "  - role: 工作人员\n    name: 丙演示", "  - role: 科员\n    name: 丙演示"),  # not one of the choices
    ("data/units/office.yml", "phone: 0595-29990010", "phone: 0595 2999"),  # not a phone number
    ("data/units/office.yml", "email: office@example.gov.cn", "email: office#example.gov.cn"),
    ("data/units/office.yml", "type: 区政府工作部门", "type: 局"),
    ("data/site.yml", 'site_code: "3505020000"', 'site_code: "35050200"'),
    ("data/documents/2020/a-2020-1.yml", "number: 测政办〔2020〕1号", "number: 测政办2020-1号"),
    ("data/documents/2020/a-2020-1.yml", "kind: 规范性文件", "kind: 红头文件"),
    ("data/documents/2020/a-2020-1.yml", "keywords: [政务公开, 依申请公开]", "keywords: 政务公开"),
    ("data/campaigns/c2020.yml", "date: 2020-11-30", "date: 2020年11月30日"),
]


@pytest.mark.parametrize("relative, old, new", BAD_INPUTS)
def test_what_the_loader_rejects_the_schema_rejects(doc_site, relative, old, new):
    assert schema_errors(doc_site.root, relative) == []
    path = doc_site.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, report = check_data(doc_site.root / "data", doc_site.root)
    assert [f for f in report.errors if f.position.file == relative], "the loader accepted it"
    assert schema_errors(doc_site.root, relative), "the schema accepted it"


def test_vscode_maps_every_data_type():
    settings = json.loads((REPO / VSCODE_SETTINGS).read_text(encoding="utf-8"))
    assert set(settings["yaml.schemas"]) == {f"./{t.file}" for t in DATA_TYPES}
