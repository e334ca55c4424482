"""`Kind`: what one kind of record is, said once — its files, model, schema, page and name.

Each model module that defines a kind of record declares it beside its model, as `KIND`
(or `KINDS` when a module holds two); `model.kinds` collects them. Loading, the `Site`,
the editors' JSON Schemas, `gongkai diff`, `gongkai new`, `gongkai import`/`export`, page
addresses and the tests all read the descriptors, so adding a kind is a model module, a page module, a rules module and
its data (see README, “如何增加一类记录”).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

from pydantic import BaseModel

from .fields import Entry

ModelOf = Union[type[Entry], Callable[[str], type[Entry]]]


@dataclass(frozen=True)
class Schema:
    """One JSON Schema for editors: which files it describes (YAML language server globs)."""

    name: str
    model: type[BaseModel]
    title: str
    globs: tuple[str, ...]

    @property
    def file(self) -> str:
        """Where `gongkai schemas` writes it, relative to the repository."""
        return f"schemas/{self.name}.schema.json"


@dataclass(frozen=True)
class Column:
    """A column of the kind's spreadsheet (`gongkai export`/`import`): its header and where the
    value lives (``id``, ``title``, ``versions.-1.published`` for the newest item of a list)."""

    header: str
    path: str
    unit: bool = False
    """The value names a unit: a sheet may write its full or short name instead of its id."""


@dataclass(frozen=True)
class Kind:
    attribute: str
    """The key of the records in `Site.records` and `Site.ids` (and the `Site` property, if any)."""
    name: str
    """What editors call it (messages, `gongkai diff`)."""
    path: str
    """Under `data/`: a folder of one file per record, or the stem of the single file (`single`)."""
    model: ModelOf
    """The record's model, or a function of the id that picks it (a report's format by year)."""
    schemas: tuple[Schema, ...]
    order: int
    """Where it comes among the kinds: in loading, schemas and `gongkai diff`."""
    single: bool = False
    """One file at the top of `data/` (site.yml) instead of a folder of records."""
    required: bool = False
    nested: bool = False
    """The id also names the folder the file is in: ``hbjd/hjgl``."""
    page: str | None = None
    """The src_uri of a record's page, with ``{id}`` for its id; None when records have no page."""
    category: str | None = None
    """The statutory category (条例 第二十条、第二十一条) its records are disclosed under: each
    unit's 法定主动公开内容 lists them there, beside the documents of that category."""
    index: str | None = None
    """The src_uri of the list of all its records, if it has one."""
    unit_field: str = "unit"
    """The field that names the unit a record belongs to (for `category`)."""
    noun: str | None = None
    """`gongkai new <noun> <id>` starts a record from `starter` (kinds with their own command have none)."""
    starter: str = ""
    """The commented YAML a new record starts from; ``{id}``, ``{today}`` and ``{year}`` are filled in."""
    columns: tuple[Column, ...] = ()
    """Its spreadsheet: `gongkai export <noun>` and `gongkai import <noun>` exist when it has one."""

    def page_of(self, id: str) -> str:
        assert self.page is not None, f"{self.attribute} records have no page"
        return self.page.format(id=id)


def one_schema(name: str, model: type[BaseModel], title: str, *globs: str) -> tuple[Schema, ...]:
    return (Schema(name, model, title, globs),)
