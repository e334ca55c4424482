"""`gongkai diff`: what a change to the data does, for the reviewer of a merge request.

Both revisions are loaded as the build loads them; records are compared by file, field by
field, with the fields' Chinese names. Beside the records, what only the whole platform
shows: documents whose 有效性 changes, 标准目录 rows a unit stops publishing, and changes
that break what is already published (a document deleted, a 索引号 changed).
"""

from __future__ import annotations

import datetime
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .check import check_data
from .findings import table_cell
from .model import Site
from .model.catalog import CatalogRow
from .model.fields import Entry
from .model.kinds import KINDS, kind_of
from .model.labels import field_label
from .page_cache import recorded_reads
from .pages import View, generate
from .pages.outputs import address
from .pages.reads import ALL, Read

COLLECTIONS = [(kind.attribute, kind.name) for kind in KINDS]
LONG = 60


@dataclass
class RecordChange:
    action: str
    """新增, 修改 or 删除."""
    kind: str
    id: str
    name: str
    file: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    """(field, before, after) for a 修改."""
    pages: list[str] = field(default_factory=list)
    owners: set[str | None] = field(default_factory=set)
    """The units whose pages it changes (`View.owner`; None: the platform's own pages): the shards to build again."""


@dataclass
class Review:
    before: str
    after: str
    records: list[RecordChange] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    catalog_rows: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Validation findings of the later revision: the build will stop on them."""

    def count(self, action: str) -> int:
        return sum(1 for r in self.records if r.action == action)


def review(root: Path, data_dir: str, before: str, after: str | None, today: datetime.date) -> Review:
    """Compare the data at git revision `before` with `after` (None: the working tree)."""
    with tempfile.TemporaryDirectory() as tmp:
        old_site, _ = check_data(_checkout(root, before, data_dir, Path(tmp) / "before"), Path(tmp) / "before", today)
        later = root if after is None else Path(tmp) / "after"
        new_site, report = check_data(root / data_dir if after is None else _checkout(root, after, data_dir, later), later, today)
    result = Review(before, after or "工作区")
    result.problems = [str(f) for f in report.sorted() if f.is_error]
    reads = recorded_reads(root)
    old_pages, new_pages = _views_by_file(old_site, reads), _views_by_file(new_site, reads)
    for attribute, kind in COLLECTIONS:
        old, new = _records(old_site, attribute), _records(new_site, attribute)
        for id in sorted(old.keys() | new.keys()):
            change = _compare(kind, id, old.get(id), new.get(id))
            if change:
                shown = (new_pages if change.action != "删除" else old_pages).get(change.file, [])
                change.pages = [address(view.src_uri) for view in shown]
                change.owners = {view.owner for view in shown}
                result.records.append(change)
    result.statuses = list(_status_changes(old_site, new_site))
    result.catalog_rows = list(_catalog_rows(old_site, new_site))
    result.warnings = list(_breaking(old_site, new_site))
    return result


def commit_of(root: Path, revision: str) -> str:
    """The commit `revision` names. It can only name one: text that git would read as an
    option (``--output=F`` creates F) is refused, and the name is passed after --end-of-options."""
    if not revision or revision.startswith("-") or any(c.isspace() or not c.isprintable() for c in revision):
        raise ValueError(f"“{revision}”不是 git 版本名（例如 main、origin/main、HEAD~1 或提交编号）")
    found = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
                           capture_output=True, text=True)
    if found.returncode:
        raise ValueError(f"找不到版本“{revision}”：请检查分支名或提交编号（可用 git log --oneline 查看）")
    return found.stdout.strip()


def changed_paths(root: Path, before: str, after: str | None, data_dir: str) -> list[str]:
    """The files (relative to the repository) that differ between two revisions; `after` None: the
    working tree, with the records not yet added to git (new files elsewhere count once committed)."""
    revisions = [commit_of(root, before), *([commit_of(root, after)] if after else [])]
    changed = _git(root, "diff", "--name-only", "--no-renames", *revisions, "--")
    if after is None:
        changed += _git(root, "ls-files", "--others", "--exclude-standard", "--", data_dir)
    return sorted(set(changed))


def _git(root: Path, *args: str) -> list[str]:
    done = subprocess.run(["git", "-C", str(root), "-c", "core.quotepath=false", *args], capture_output=True, text=True)
    if done.returncode:
        raise ValueError(f"git {args[0]} 失败：{done.stderr.strip()}")
    return [line for line in done.stdout.splitlines() if line]


def _checkout(root: Path, revision: str, data_dir: str, into: Path) -> Path:
    """The data folder as it was at `revision`."""
    archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", commit_of(root, revision), "--", data_dir],
                             capture_output=True)
    if archive.returncode:
        raise ValueError(f"无法读取版本“{revision}”的 {data_dir}/：{archive.stderr.decode(errors='replace').strip()}")
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)
    return into / data_dir


def _records(site: Site, attribute: str) -> dict[str, Entry]:
    if attribute in site.records:
        return site.records[attribute]
    value = getattr(site, attribute)
    return {attribute: value} if value is not None else {}


def _compare(kind: str, id: str, old: Entry | None, new: Entry | None) -> RecordChange | None:
    record = new if new is not None else old
    assert record is not None
    change = RecordChange("新增" if old is None else "删除" if new is None else "修改", kind, id, _name(record), record.source.file)
    if old is not None and new is not None:
        before, after = dict(_leaves(old)), dict(_leaves(new))
        for path in sorted(before.keys() | after.keys(), key=lambda p: [str(part) for part in p]):
            if before.get(path) != after.get(path):
                label = field_label(path, type(record))
                change.fields.append((label, _shown(before.get(path)), _shown(after.get(path))))
        if not change.fields:
            return None
    return change


def _leaves(record: Entry) -> Iterator[tuple[tuple, Any]]:
    """Every field value by its path; a list of plain values counts as one value."""
    def walk(value: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
        if isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))
        elif isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
            for i, item in enumerate(value):
                yield from walk(item, (*path, i))
        elif value not in (None, [], {}):
            yield path, value

    yield from walk(record.model_dump(mode="json"), ())


def _shown(value: Any) -> str:
    if value is None:
        return "（无）"
    text = "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= LONG else f"{text[:LONG]}……（共 {len(text)} 字）"


def _name(record: Entry) -> str:
    for attribute in ("title", "name", "host"):
        value = getattr(record, attribute, None)
        if isinstance(value, str):
            return value
    return ""


def _views_by_file(site: Site, reads: dict[str, list[Read]]) -> dict[str, list[View]]:
    """The pages that show each data file's record, the record's own page first: the pages
    given the record (in a list too), and those whose templates looked it up when the site
    was last built here (the build's page cache records it: `pages.reads`)."""
    pages: dict[str, list[View]] = {}
    for view in generate(site):
        shown = [*_records_in(view.context.values()), *(r for read in reads.get(view.src_uri, ()) for r in _looked_up(site, read))]
        for record in shown:
            if record.source.file:
                listed = pages.setdefault(record.source.file, [])
                if all(other is not view for other in listed):
                    listed.insert(0 if _own_page(record) == view.src_uri else len(listed), view)
    return pages


def _records_in(values: Any) -> Iterator[Entry]:
    for value in values:
        if isinstance(value, Entry):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from _records_in(value)
        elif isinstance(value, dict):
            yield from _records_in(value.values())


def _looked_up(site: Site, read: Read) -> list[Entry]:
    """The records a template read at `read` (`site.units` by id, `register.status` by document …)."""
    path, key = read
    root, _, attribute = path.partition(".")
    records = site.records.get("documents" if root == "register" else attribute, {}) if root in ("register", "site") else {}
    if key == ALL:
        return list(records.values())
    found = records.get(key)
    return [found] if isinstance(found, Entry) else []


def _own_page(record: Entry) -> str | None:
    kind = kind_of(record)
    return kind.page_of(record.id) if kind is not None and kind.page is not None else None


def _status_changes(old: Site, new: Site) -> Iterator[str]:
    for id, document in sorted(new.documents.items()):
        after = new.register.status.get(id)
        before = old.register.status.get(id) if id in old.documents else None
        if document.is_normative and before != after:
            yield f"{document.title}（{id}）：{before or '新发布'} → {after}"


def _row_name(row: CatalogRow) -> str:
    return f"{row.item}·{row.subitem}" if row.subitem else row.item


def _catalog_rows(old: Site, new: Site) -> Iterator[str]:
    for key in sorted(old.adoptions.keys() | new.adoptions.keys()):
        before = {row.code: row for row in (old.adoptions[key].rows if key in old.adoptions else [])}
        after = {row.code: row for row in (new.adoptions[key].rows if key in new.adoptions else [])}
        for code in sorted(before.keys() - after.keys()):
            yield f"{key}：删除事项 {code} {_row_name(before[code])}"
        for code in sorted(after.keys() - before.keys()):
            yield f"{key}：新增事项 {code} {_row_name(after[code])}"


def _breaking(old: Site, new: Site) -> Iterator[str]:
    for id in sorted(old.documents.keys() - new.documents.keys() - new.ids.get("documents", set())):
        yield f"已发布的文件“{old.documents[id].title}”（{id}）被删除：它的网址将失效。文件不再有效时应记录废止或失效事件，而不是删除"
    for id in sorted(old.units.keys() - new.units.keys() - new.unit_ids):
        yield f"机构“{old.units[id].name}”（{id}）被删除：它的页面和栏目将失效"
    for id in sorted(old.documents.keys() & new.documents.keys()):
        before, after = old.register.index_numbers.get(id), new.register.index_numbers.get(id)
        if before != after:
            yield f"文件“{new.documents[id].title}”（{id}）的索引号由 {before} 变为 {after}：已公开的索引号不应改变"


def as_text(result: Review) -> str:
    lines = [f"数据变更：{result.before} → {result.after}",
             f"新增 {result.count('新增')} 条，修改 {result.count('修改')} 条，删除 {result.count('删除')} 条"]
    for change in result.records:
        lines.append(f"\n{change.action} {change.kind} {change.id}　{change.name}（{change.file}）")
        lines += [f"    {label}：{before} → {after}" for label, before, after in change.fields]
        if change.pages:
            lines.append("    影响页面：" + _some(change.pages))
    for title, items in _sections(result):
        lines += [f"\n{title}", *(f"  {item}" for item in items)]
    return "\n".join(lines) + "\n"


def as_markdown(result: Review) -> str:
    lines = [f"### 数据变更：`{result.before}` → `{result.after}`", "",
             f"新增 **{result.count('新增')}** 条，修改 **{result.count('修改')}** 条，删除 **{result.count('删除')}** 条", ""]
    for change in result.records:
        lines.append(f"#### {change.action}{change.kind} `{change.id}` {table_cell(change.name)}")
        lines.append(f"`{change.file}`" + ("　影响页面：" + _some(change.pages, "`") if change.pages else ""))
        if change.fields:
            lines += ["", "| 字段 | 原值 | 新值 |", "|---|---|---|"]
            lines += [f"| {table_cell(label)} | {table_cell(before)} | {table_cell(after)} |" for label, before, after in change.fields]
        lines.append("")
    for title, items in _sections(result):
        lines += [f"#### {title}", *(f"- {table_cell(item)}" for item in items), ""]
    return "\n".join(lines)


def _sections(result: Review) -> list[tuple[str, list[str]]]:
    sections = [("需要注意", result.warnings), ("有效性变化", result.statuses), ("标准目录事项变化", result.catalog_rows),
                (f"校验错误（{result.after}，构建会失败）", result.problems)]
    return [(title, items) for title, items in sections if items]


def _some(pages: list[str], quote: str = "", shown: int = 6) -> str:
    listed = "、".join(f"{quote}{p}{quote}" for p in pages[:shown])
    return listed + (f" 等 {len(pages)} 个页面" if len(pages) > shown else "")

