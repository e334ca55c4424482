"""Rules about 标准目录: known domains, consistent rows, and changes that apply."""

from __future__ import annotations

from typing import Iterable, Iterator

from ..findings import Finding, error, warning
from ..model import Site
from ..model.catalog import CatalogRow, RowUpdate, UnitCatalog, basis_problems, code_key, read_deadline
from ..model.domains import BY_ID as DOMAINS
from .common import missing, repeats


def _row_checks(site: Site, rows: Iterable[tuple[int, CatalogRow | RowUpdate]], levels: list[str], at) -> Iterator[Finding]:
    """Levels from the catalog's vocabulary, basis documents that exist, a 公开依据 whose brackets
    pair up and a 公开时限 that reads, for each (index, row)."""
    for i, row in rows:
        for j, level in enumerate(row.levels or ()):
            if level not in levels:
                yield error(at(i, "levels", j), f"公开层级“{level}”不在本目录的层级中（{'、'.join(levels)}）", "levels（公开层级）")
        for j, doc in enumerate(row.basis_documents or ()):
            if doc not in site.document_ids:
                yield error(at(i, "basis_documents", j), missing("依据文件", doc, site.document_ids), "basis_documents（依据文件）")
        for problem in basis_problems(row.basis or ""):
            yield warning(at(i, "basis"), problem, "basis（公开依据）")
        if row.deadline and row.deadline_rule is None and (note := read_deadline(row.deadline)[1]):
            yield warning(at(i, "deadline"), note, "deadline（公开时限）")


def standards(site: Site) -> Iterator[Finding]:
    for domain, standard in site.standards.items():
        if domain not in DOMAINS:
            yield error(standard.at(), missing("领域编号", domain, DOMAINS) + "（文件名应为领域编号，例如 hjgl.yml）")
        for i, row, j in repeats(standard.rows, lambda r: code_key(r.code)):
            yield error(standard.at("rows", i, "code"), f"序号“{row.code}”与第{j + 1}项重复", standard.label_of("rows", i, "code"))
        yield from _row_checks(site, enumerate(standard.rows), standard.levels, lambda i, *p: standard.at("rows", i, *p))


def unit_catalogs(site: Site) -> Iterator[Finding]:
    for key, catalog in site.catalogs.items():
        if catalog.unit not in site.unit_ids:
            yield error(catalog.at(), missing("机构", catalog.unit, site.unit_ids) + "（目录应放在 data/catalogs/units/<机构编号>/ 下）")
        if catalog.domain not in site.standards:
            if catalog.domain not in site.ids.get("standards", ()):
                known = "（文件名应为领域编号，例如 hjgl.yml）" if catalog.domain not in DOMAINS else f"：缺少 data/catalogs/standard/{catalog.domain}.yml"
                yield error(catalog.at(), f"领域“{catalog.domain}”没有标准目录{known}")
            continue
        yield from _changes(site, catalog)


def _changes(site: Site, catalog: UnitCatalog) -> Iterator[Finding]:
    adoption = site.adoptions[catalog.id]
    for problem in adoption.problems:
        path: tuple[str | int, ...] = ("changes", problem.index, *problem.field.split("."))
        yield error(catalog.at(*path), problem.message, f"changes.第{problem.index + 1}项.{problem.field}")
    levels = site.standards[catalog.domain].levels
    new_rows = [(i, c.new) for i, c in enumerate(catalog.changes) if c.new is not None]
    yield from _row_checks(site, new_rows, levels, lambda i, *p: catalog.at("changes", i, "new", *p))
    updates = [(i, c.update) for i, c in enumerate(catalog.changes) if c.update is not None]
    yield from _row_checks(site, updates, levels, lambda i, *p: catalog.at("changes", i, "update", *p))


RULES = [standards, unit_catalogs]
