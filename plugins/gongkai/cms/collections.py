"""The editor's collections: one per record kind (`model.kinds.KINDS`), its form from the kind's schema.

A new kind gets a collection with full forms by declaring itself; what differs by kind is
said here once: where new records go and what they are named, which kinds editors do not
create in the browser, and which records are tables better edited as spreadsheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.kinds import KINDS, Kind
from ..schemas import editor_schema
from .fields import form_of

STAMP = "{{year}}{{month}}{{day}}-{{hour}}{{minute}}{{second}}"
"""A new record's id when its form has no id field: the time it was made (ids are permanent
parts of addresses, so never derived from a title that may change)."""


@dataclass(frozen=True)
class Editing:
    slug: str = STAMP
    """The new record's id (file name), by Decap's template."""
    path: str = "{{slug}}"
    """Where below the kind's folder: ``{{year}}/{{slug}}`` for the folders by year."""
    create: str | None = None
    """Why editors do not create these in the browser (None: they do)."""
    tables: str | None = None
    """These records are mostly tables: the form shows their simple values and this says where
    the tables are edited."""


_NEW_UNIT = "新增机构由平台管理员用 ./dev new unit 建立（机构编号是网址的一部分，建立后不再改变）"
_BY_YEAR = "每年一个文件，由平台管理员建立"

EDITING: dict[str, Editing] = {
    "units": Editing(create=_NEW_UNIT),
    "columns": Editing(create="每个机构一个文件，与机构同时由平台管理员建立"),
    "holidays": Editing(create=_BY_YEAR),
    "documents": Editing(slug="{{fields.issuer}}-" + STAMP, path="{{year}}/{{slug}}"),
    "decision_items": Editing(slug="{{fields.unit}}-" + STAMP, path="{{year}}/{{slug}}"),
    "consultations": Editing(slug="{{fields.unit}}-" + STAMP),
    "plans": Editing(slug="{{fields.unit}}-" + STAMP),
    "reports": Editing(path="{{dirname}}/{{slug}}", create="用 ./dev new report 建立",
                       tables="年度报告的统计表格请直接编辑 YAML 文件（./dev new report 生成带全部表格的文件，见网站维护指南“录入已经发布过的资料”）"),
    "standards": Editing(create="由平台管理员导入",
                         tables="标准目录的事项表请用电子表格导入导出（./dev catalog import / export）"),
    "catalogs": Editing(path="{{dirname}}/{{slug}}", create="用 ./dev catalog import 建立",
                        tables="单位目录的变动清单和编制说明请用电子表格（./dev catalog import）或直接编辑 YAML 文件"),
    "request_registers": Editing(create=_BY_YEAR),
}


def collections(data_dir: str) -> list[dict[str, Any]]:
    """Every collection: the single-file kinds as one “网站设置”, then one per kind of records."""
    names = frozenset(kind.attribute for kind in KINDS if not kind.single)
    folders = [_folder(kind, data_dir, names) for kind in sorted((k for k in KINDS if not k.single), key=_place)]
    settings = [entry for kind in KINDS if kind.single and (entry := _settings_file(kind, data_dir, names))]
    return [c for c in folders if c] + ([{"name": "settings", "label": "网站设置", "files": settings}] if settings else [])


FIRST = ("units", "documents")
"""What a unit's 信息员 edits most: its own record (phones, staff) and its documents."""


def _place(kind: Kind) -> tuple[int, int]:
    """The daily kinds first, the tables last, the rest in the order of the kinds."""
    tables = EDITING.get(kind.attribute, Editing()).tables is not None
    return (0 if kind.attribute in FIRST else 2 if tables else 1, FIRST.index(kind.attribute) if kind.attribute in FIRST else kind.order)


def _folder(kind: Kind, data_dir: str, names: frozenset[str]) -> dict[str, Any] | None:
    editing = EDITING.get(kind.attribute, Editing())
    forms = [form_of(editor_schema(schema), names, simple_only=editing.tables is not None) for schema in kind.schemas]
    form = forms[0]
    if not form.fields:
        return None
    notes = [_about(kind)]
    if editing.tables:
        notes.append(f"这里只编辑基本信息；{editing.tables}。")
    elif form.left_out:
        notes.append(f"“{'”“'.join(dict.fromkeys(form.left_out))}”不在表单中，请直接编辑 YAML 文件。")
    if editing.create:
        notes.append(f"不在这里新建：{editing.create}。")
    spec: dict[str, Any] = {
        "name": kind.attribute, "label": kind.name, "label_singular": kind.name,
        "description": "".join(notes), "folder": f"{data_dir}/{kind.path}", "extension": "yml", "format": "yaml",
        "path": editing.path, "slug": editing.slug, "create": editing.create is None, "delete": False,
        "media_folder": "", "public_folder": "", "summary": _summary(form.fields), "fields": form.fields,
    }
    identifier = _identifier(spec["fields"])
    if identifier != "title":
        spec["identifier_field"] = identifier
    if len(forms) > 1:  # several formats (annual reports): the fields they share
        shared = set.intersection(*({f["name"] for f in other.fields} for other in forms))
        spec["fields"] = [f for f in form.fields if f["name"] in shared]
    return spec


def _settings_file(kind: Kind, data_dir: str, names: frozenset[str]) -> dict[str, Any] | None:
    form = form_of(editor_schema(kind.schemas[0]), names)
    if not form.fields:
        return None
    return {"name": kind.attribute, "label": kind.name, "file": f"{data_dir}/{kind.path}.yml", "fields": form.fields}


def _about(kind: Kind) -> str:
    model = kind.schemas[0].model
    first = (model.__doc__ or kind.name).strip().splitlines()[0]
    return first if first.endswith("。") else first + "。"


def _title_field(fields: list[dict]) -> str | None:
    names = {f["name"] for f in fields}
    return next((name for name in ("title", "name") if name in names), None)


def _identifier(fields: list[dict]) -> str:
    """The field that names a record in lists and searches (Decap looks for ``title`` otherwise)."""
    text = [f["name"] for f in fields if f["widget"] in ("string", "text")]
    return _title_field(fields) or (text[0] if text else fields[0]["name"])


def _summary(fields: list[dict]) -> str:
    """What the list of records shows for each: its title or name, else its id."""
    shown = _title_field(fields)
    return "{{fields." + shown + "}}（{{filename}}）" if shown else "{{filename}}"
