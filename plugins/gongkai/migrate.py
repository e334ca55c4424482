"""Moving in: an old platform's list of documents (one row per document, Chinese headers as
the old CMS exported them) written as `data/documents/<year>/<id>.yml`, with bodies and
attachments found beside the list.

Nothing is guessed. A header it does not know, an issuer it cannot find, a date it cannot
read or a 文号 used twice is reported by row and column, and that row is not written. What
can be written but needs a person (a 已废止 without its date) is written so that the build
refuses it until someone completes it, and listed. Every file it writes starts with a comment
holding a fingerprint of what it wrote: a second run updates files nobody has touched since,
and leaves edited ones alone unless forced.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import yamlout
from .load.messages import describe
from .model import Site
from .model.categories import CATEGORY_KEYS
from .model.docnumber import parse as parse_number
from .model.document import Document
from .model.fields import ID_PATTERN, ID_RULE
from .record_sheets import RowProblem, sheet_text
from .sheets import LIST, SheetError, json_object, table_grids

HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("编号",),
    "title": ("标题", "名称", "信息名称", "文件名称", "文件标题", "信息标题"),
    "issuer": ("发布机构", "发文机关", "发文单位", "来源", "发布单位", "信息来源", "发布部门"),
    "number": ("文号", "发文字号", "文件编号"),
    "written": ("成文日期", "生成日期", "产生日期", "印发日期", "签发日期", "形成日期"),
    "published": ("发布日期", "公开日期", "发布时间", "公开时间"),
    "index_number": ("索引号",),
    "subject": ("主题分类", "主题"),
    "genre": ("体裁", "文种"),
    "status": ("有效性", "效力状态", "时效性", "效力"),
    "disclosure": ("公开方式", "公开形式", "公开属性", "公开类别"),
    "category": ("信息类别", "分类", "类别", "目录分类", "信息种类"),
    "keywords": ("关键词", "主题词"),
    "effective": ("施行日期", "生效日期", "实施日期"),
    "ended": ("废止日期", "失效日期"),
    "summary": ("内容概述", "摘要", "内容描述"),
    "attachments": ("附件",),
    "kind": ("文件类型", "类型"),
    "url": ("链接", "网址", "原文链接", "原网址"),
    "skip": ("序号", "浏览次数", "点击量", "访问量", "操作", "涉密状态", "扩展分类"),
    "machine": ("机读数据",),
}
"""Our field for each header real exports use: the 信息公开目录 list pages and the metadata the
目录编制规范 prescribe (信息名称, 文件编号, 产生日期, 发布机构, 公开属性/公开类别, 目录分类/信息种类…)."""

IGNORED = {"url", "skip"}
"""Read so they are not reported as unknown, but not imported: the platform makes its own
addresses and numbers, and counts nothing of the old one."""

_STATUS = {
    "": None, "有效": None, "现行有效": None, "继续有效": None,
    "已废止": "废止", "废止": "废止", "失效": "失效", "已失效": "失效",
}
_DATE = re.compile(r"^(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?(?:\s+(\d{1,2}:\d{2})(?::\d{2})?)?$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
BODY_SUFFIXES = (".md", ".txt", ".html", ".htm", ".docx")


@dataclass
class Planned:
    """One document to write: its id, year, data, and what a person must still do."""

    row: int
    id: str
    year: int
    data: dict[str, Any]
    review: list[str] = field(default_factory=list)
    body: str | None = None
    images: list[tuple[str, bytes]] = field(default_factory=list)
    """Images of a .docx body, written beside the document under these names."""
    attachments: list[Path] = field(default_factory=list)
    titles: dict[str, str | None] = field(default_factory=dict)
    """Attachment titles the list carried (an export of this platform), by file name."""


@dataclass
class Migration:
    documents: list[Planned] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def counts(self, site: Site) -> list[str]:
        """Documents per unit and year, for the dry run."""
        tally: dict[tuple[str, int], int] = {}
        for doc in self.documents:
            key = (doc.data["issuer"], doc.year)
            tally[key] = tally.get(key, 0) + 1
        return [f"{site.unit_name(unit)} {year} 年：{n} 件" for (unit, year), n in sorted(tally.items())]


def read_list(path: Path, sheet: str | None, mapping: dict[str, str]) -> tuple[list[tuple[int, dict[str, Any]]], list[RowProblem], list[str]]:
    """(row, {field: value}) for each row under the header; problems; the headers left out on purpose."""
    grids = table_grids(path, sheet, LIST)[0]
    known = {_key(h): f for f, names in HEADERS.items() for h in names} | {_key(h): f for h, f in mapping.items()}
    for grid in grids:
        for r, row in enumerate(grid.rows[:20], start=1):
            fields = {i: known.get(_key(v)) for i, v in enumerate(row) if _key(v)}
            if sum(1 for f in fields.values() if f) < 2:
                continue
            problems = [RowProblem(r, str(row[i]).strip(), "无法识别的表头；请在 --columns 指定的映射文件中写明它对应的字段（"
                                + "、".join(f for f in HEADERS if f != "skip") + "），或写 skip 不导入") for i, f in fields.items() if f is None]
            ignored = [str(row[i]).strip() for i, f in fields.items() if f in IGNORED]
            rows = []
            for number, cells in enumerate(grid.rows[r:], start=r + 1):
                values = {f: cells[i] for i, f in fields.items() if f and f not in IGNORED and i < len(cells)}
                if any(sheet_text(v) for v in values.values()):
                    rows.append((number, values))
            return rows, problems, ignored
    return [], [RowProblem(1, None, "找不到表头：应有“标题”“发布机构”“发布日期”等列中的至少两列")], []


def plan(site: Site, rows: list[tuple[int, dict[str, Any]]], issuers: dict[str, str], default_category: str | None,
         bodies: Path | None, attachments: Path | None) -> Migration:
    result = Migration()
    body_files = _files_by_key(bodies, BODY_SUFFIXES) if bodies else {}
    seen: dict[tuple[str, str], int] = {}
    ids: dict[str, int] = {}
    existing = {(d.issuer, d.number_display): d for d in site.documents.values() if d.number}
    for number, cells in rows:
        planned = _document(site, number, cells, issuers, default_category, result.problems)
        if planned is None:
            continue
        key = (planned.data["issuer"], str(parse_number(planned.data["number"])) if "number" in planned.data else "")
        if key[1] and key in seen:
            result.problems.append(RowProblem(number, "文号", f"文号“{key[1]}”与第 {seen[key]} 行重复"))
            continue
        other = existing.get(key) if key[1] else None
        if other is not None and other.id != planned.id:
            result.problems.append(RowProblem(number, "文号", f"文号“{key[1]}”已由 {other.source.file} 使用"))
            continue
        if planned.id in ids:  # the same issuer, 文号 (or title) and date twice
            result.problems.append(RowProblem(number, None, f"与第 {ids[planned.id]} 行是同一件文件（发布机构、文号或标题、发布日期都相同）"))
            continue
        seen[key] = number
        ids[planned.id] = number
        if bodies is not None and not _attach_body(planned, body_files, result.problems):
            continue
        if not _attach_files(planned, sheet_text(cells.get("attachments")), attachments, result.problems):
            continue
        result.documents.append(planned)
    return result


def _document(site: Site, row: int, cells: dict[str, Any], issuers: dict[str, str], default_category: str | None,
              problems: list[RowProblem]) -> Planned | None:
    """One row as a document's data; None (with the row's problems added) if it cannot be written."""
    found: list[RowProblem] = []
    review: list[str] = []
    data: dict[str, Any] = {name: sheet_text(cells[name]) for name in _TEXTS if sheet_text(cells.get(name))}
    issuer = _issuer(site, sheet_text(cells.get("issuer")), issuers)
    if isinstance(issuer, RowProblem):
        found.append(RowProblem(row, "发布机构", issuer.message))
    else:
        data["issuer"] = issuer
    _dates(row, cells, data, found, review)
    _category(row, sheet_text(cells.get("category")) or default_category or "", data, found)
    if sheet_text(cells.get("keywords")):
        data["keywords"] = [k for k in re.split(r"[，,；;、\s]+", sheet_text(cells["keywords"])) if k]
    if sheet_text(cells.get("machine")):
        machine = json_object(sheet_text(cells["machine"]))  # what the list has no column for, as gongkai exported it
        if machine is None:
            found.append(RowProblem(row, "机读数据", "不是有效的数据（由 gongkai export documents 写出，请勿编辑）"))
        else:  # a field the list has a column for is the column's
            data = {**machine, **data}
    if "events" not in data:  # else the life cycle itself came with the row: 有效性 is only what it adds up to
        _life_cycle(row, cells, data, found, review)
    id = sheet_text(cells.get("id"))
    if id and not ID_PATTERN.fullmatch(id):
        found.append(RowProblem(row, "编号", f"编号“{id}”不能使用：{ID_RULE}"))
    if found or not _valid(row, data, problems):
        problems.extend(found)
        return None
    listed = data.pop("attachments", None)  # files are copied from --attachments; their titles kept
    planned = Planned(row, id or document_id(data), int(data["published"][:4]), data, review)
    planned.titles = {a["file"]: a.get("title") for a in listed or [] if isinstance(a, dict) and "file" in a}
    return planned


_TEXTS = ("title", "number", "index_number", "subject", "genre", "summary", "disclosure", "kind")


def _dates(row: int, cells: dict[str, Any], data: dict[str, Any], found: list[RowProblem], review: list[str]) -> None:
    for name, column in (("written", "成文日期"), ("published", "发布日期"), ("effective", "施行日期")):
        if not sheet_text(cells.get(name)):
            continue
        day = read_date(cells[name])
        if day is None:
            found.append(RowProblem(row, column, f"无法识别的日期“{sheet_text(cells[name])}”（可写作 2024-04-06、2024年4月6日、2024/4/6）"))
        else:
            data[name] = day if name == "published" else day.split(" ")[0]  # only 发布日期 keeps a time
    if "written" not in data and "published" in data:
        data["written"] = data["published"].split(" ")[0]
        review.append("原表没有成文日期，已按发布日期填写，请核对")


def _category(row: int, category: str, data: dict[str, Any], found: list[RowProblem]) -> None:
    """The 条例 category written in full, or the only one containing what was written (规范性文件)."""
    candidates = [c for c in CATEGORY_KEYS if c == category] or [c for c in CATEGORY_KEYS if category and category in c]
    if len(candidates) == 1:
        data["category"] = candidates[0]
    elif category:
        found.append(RowProblem(row, "信息类别", f"无法对应到《条例》规定的信息类别：“{category}”；可用 --category 指定默认类别"))
    else:
        found.append(RowProblem(row, "信息类别", "缺少信息类别；可用 --category 指定默认类别"))


def _life_cycle(row: int, cells: dict[str, Any], data: dict[str, Any], found: list[RowProblem], review: list[str]) -> None:
    """有效性 as the old platform wrote it, as the event the model derives it from."""
    status = sheet_text(cells.get("status"))
    if status not in _STATUS:
        found.append(RowProblem(row, "有效性", f"无法识别的有效性“{status}”（应为 有效、已废止、失效 或留空）"))
        return
    if not _STATUS[status]:
        return
    event: dict[str, Any] = {"type": _STATUS[status], "reason": f"原平台标注为“{status}”"}
    ended = read_date(cells["ended"]) if sheet_text(cells.get("ended")) else None
    if ended:
        event["date"] = ended.split(" ")[0]
    else:
        review.append(f"原平台标注为“{status}”，没有{_STATUS[status]}日期：请在 events 中补上 date")
    data["events"] = [event]


def _valid(row: int, data: dict[str, Any], problems: list[RowProblem]) -> bool:
    """Whether the data makes a document (an end date left for a person does not count against it)."""
    placeholder = str(data.get("published", "2000-01-01")).split(" ")[0]
    try:
        events = data.get("events", [])
        if isinstance(events, list):
            events = [{"date": placeholder, **e} if isinstance(e, dict) else e for e in events]
        Document.model_validate({**data, "events": events})
    except ValidationError as exc:
        for err in exc.errors():
            label, message = describe(err, Document)
            problems.append(RowProblem(row, None, f"{label}：{message}"))
        return False
    return True


def document_id(data: dict[str, Any]) -> str:
    """The same row gets the same id on every run: issuer, year and a digest of what identifies it."""
    key = "|".join((data["issuer"], data.get("number") or data.get("index_number") or data["title"], data["published"]))
    return f"{data['issuer']}-{data['published'][:4]}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"  # 40 bits: no collision in a million


def read_date(value: Any) -> str | None:
    """A date as old platforms export it — 2024年4月6日, 2024/4/6, 2024.04.06, 2024-04-06 16:40, an
    Excel date or serial number — as “2024-04-06” (with “ 16:40” when a time is given)."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != datetime.time() else value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and 1 < value < 80000:
        return (_EXCEL_EPOCH + datetime.timedelta(days=int(value))).isoformat()
    match = _DATE.match(unicodedata.normalize("NFKC", sheet_text(value)))
    if not match:
        return None
    try:
        day = datetime.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None
    return f"{day} {match[4].zfill(5)}" if match[4] else day


def _issuer(site: Site, name: str, issuers: dict[str, str]) -> str | RowProblem:
    """An issuer written as id, full name, short name or (through the mapping file) an old name."""
    if not name:
        return RowProblem(0, None, "缺少发布机构")
    if name in issuers:
        return issuers[name]
    if name in site.units:
        return name
    for unit in site.units.values():
        if name in (unit.name, unit.short_name):
            return unit.id
    names = {u.name: u.id for u in site.units.values()} | {u.short_name: u.id for u in site.units.values() if u.short_name}
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.5)
    hint = f"；是否是“{close[0]}”（{names[close[0]]}）？如是，请在映射文件的 issuers 中写明" if close else "；旧名称请在映射文件的 issuers 中对应到机构编号"
    return RowProblem(0, None, f"找不到发布机构“{name}”{hint}")


def _files_by_key(folder: Path, suffixes: tuple[str, ...]) -> dict[str, Path]:
    return {_key(p.stem): p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in suffixes}


def _attach_body(planned: Planned, files: dict[str, Path], problems: list[RowProblem]) -> bool:
    """The body found by id, 文号, 索引号 or title; a missing one is a note, a .doc an error."""
    data = planned.data
    keys = [planned.id, data.get("number"), str(parse_number(data["number"])) if data.get("number") else None, data.get("index_number"),
            data["title"]]
    path = next((files[_key(k)] for k in keys if k and _key(k) in files), None)
    if path is None:
        planned.review.append("没有找到正文文件（按文号、索引号或标题查找）")
        return True
    try:
        planned.body, planned.images = body_markdown(path, planned.id)
    except ValueError as exc:
        problems.append(RowProblem(planned.row, None, f"正文 {path.name}：{exc}"))
        return False
    return True


def body_markdown(path: Path, id: str) -> tuple[str, list[tuple[str, bytes]]]:
    """A body file as Markdown, and the images it refers to: headings, numbered items and tables
    kept; a .docx's images become attachments of the document (named after it), not data: addresses."""
    import nh3
    from markdownify import markdownify

    from .attachments import decode

    suffix = path.suffix.lower()
    images: list[tuple[str, bytes]] = []
    if suffix == ".md":
        return path.read_text(encoding="utf-8-sig"), images
    if suffix == ".txt":
        text = decode(path.read_bytes())
        return "\n\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n", images
    if suffix in (".html", ".htm"):
        html = decode(path.read_bytes())
    elif suffix == ".docx":
        html = _docx_html(path, id, images)
    else:
        raise ValueError("只支持 .md、.txt、.html、.docx 格式的正文；.doc、.wps 请先另存为 .docx")
    safe = nh3.clean(html)  # scripts and styles go with their content; the loader would refuse them anyway
    return markdownify(safe, heading_style="ATX", bullets="-").strip() + "\n", images


def _docx_html(path: Path, id: str, images: list[tuple[str, bytes]]) -> str:
    import mammoth  # type: ignore[import-untyped]

    def keep(image: Any) -> dict[str, str]:
        with image.open() as stream:
            data = stream.read()
        name = f"{id}-图{len(images) + 1}.{(image.content_type or 'image/png').split('/')[-1].replace('jpeg', 'jpg')}"
        images.append((name, data))
        return {"src": f"{id}/{name}"}  # where the page publishes its attachments (paths.attachment)

    try:
        with path.open("rb") as stream:
            return mammoth.convert_to_html(stream, convert_image=mammoth.images.img_element(keep)).value
    except Exception as exc:  # mammoth reports a broken package with whatever its parser raised
        raise ValueError(f"无法读取（{type(exc).__name__}）；请用 Word 或 WPS 打开后另存为 .docx") from None


def _attach_files(planned: Planned, listed: str, folder: Path | None, problems: list[RowProblem]) -> bool:
    names = [n.strip() for n in re.split(r"[\n；;、]+", listed) if n.strip()]
    if not names:
        return True
    if folder is None:
        problems.append(RowProblem(planned.row, "附件", "列出了附件，请用 --attachments 指定附件所在的目录"))
        return False
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        problems.append(RowProblem(planned.row, "附件", f"在 {folder} 中找不到：{'、'.join(missing)}"))
        return False
    planned.attachments = [folder / n for n in names]
    return True


# --- writing ------------------------------------------------------------------------------------

MARK = re.compile(r"^# 由 .+ 第 \d+ 行导入；指纹 ([0-9a-f]{12})")


@dataclass
class Written:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    """Changed by an editor since the import: not overwritten without force."""


def files_of(planned: Planned, data_dir: Path, source: str) -> list[tuple[Path, bytes]]:
    """The document's YAML (with the fingerprint comment), body, images and attachments."""
    folder = data_dir / "documents" / str(planned.year)
    data = dict(planned.data)
    out: list[tuple[Path, bytes]] = []
    listed = [{"file": _named(planned.id, p.name), "title": planned.titles.get(p.name) or p.stem} for p in planned.attachments]
    listed += [{"file": name, "title": f"正文插图 {i}"} for i, (name, _) in enumerate(planned.images, 1)]
    if listed:  # a body's images are published as attachments, so they are checked like any other file
        data["attachments"] = listed
    out += [(folder / _named(planned.id, p.name), p.read_bytes()) for p in planned.attachments]
    out += [(folder / name, content) for name, content in planned.images]
    if planned.body is not None:
        out.append((folder / f"{planned.id}.md", planned.body.encode("utf-8")))
    text = yamlout.dump(data)
    if planned.review:
        text = "".join(f"# 待核对：{note}\n" for note in planned.review) + text
    head = f"# 由 {source} 第 {planned.row} 行导入；指纹 {fingerprint(text)}\n"
    return [(folder / f"{planned.id}.yml", (head + text).encode("utf-8")), *out]


def _named(id: str, name: str) -> str:
    """An attachment's file name beside the document: prefixed with its id, once."""
    return name if name.startswith(f"{id}-") else f"{id}-{name}"


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def state_of(path: Path, new: bytes) -> str:
    """“new”, “same”, “update” (untouched since its import) or “edited” (changed by a person)."""
    if not path.exists():
        return "new"
    old = path.read_text(encoding="utf-8")
    if old.encode("utf-8") == new:
        return "same"
    head, _, rest = old.partition("\n")
    match = MARK.match(head)
    return "update" if match and match[1] == fingerprint(rest) else "edited"


def write(plans: list[Planned], data_dir: Path, source: str, force: bool) -> Written:
    result = Written()
    for planned in plans:
        files = files_of(planned, data_dir, source)
        record, new = files[0]
        state = state_of(record, new)
        if state == "edited" and not force:
            result.kept.append(record)
            continue
        if state == "same":
            result.unchanged.append(record)
            continue
        for path, content in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        (result.created if state == "new" else result.updated).append(record)
    return result


def load_mapping(path: Path | None) -> tuple[dict[str, str], dict[str, str]]:
    """The mapping file: `columns: {表头: 字段}` and `issuers: {名称: 机构编号}`."""
    if path is None:
        return {}, {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SheetError(f"{path} 应为一组“字段: 值”（columns、issuers）")
    columns, issuers = data.get("columns") or {}, data.get("issuers") or {}
    unknown = [f for f in columns.values() if f not in HEADERS]
    if unknown:
        raise SheetError(f"{path}：未知的字段 {'、'.join(map(str, unknown))}；可用的字段有 {'、'.join(HEADERS)}")
    return {str(k): str(v) for k, v in columns.items()}, {str(k): str(v) for k, v in issuers.items()}


def _key(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))) if value is not None else ""


# --- the same list, exported ------------------------------------------------------------------------

_EXPORTED = ("id", "title", "issuer", "number", "written", "published", "effective", "index_number", "subject", "genre",
             "status", "ended", "disclosure", "category", "keywords", "summary", "kind", "attachments", "machine")
_IN_COLUMNS = {"title", "issuer", "number", "written", "published", "published_time", "effective", "index_number", "subject", "genre",
               "disclosure", "category", "keywords", "summary", "kind"}


def list_rows(site: Site) -> list[list[str]]:
    """Every document as a row of the list `import documents` reads: the usual columns, and what they
    cannot hold (events, 解读 links, co-issuers…) as 机读数据, so that a platform leaves as easily as it came."""
    rows = [[HEADERS[name][0] for name in _EXPORTED]]
    for doc in site.documents.values():
        status = site.register.status.get(doc.id, "")
        ending = site.register.endings.get(doc.id)
        beside = doc.path is not None and doc.path.with_suffix(".md").is_file()  # then it leaves as a body file
        extra = doc.model_dump(mode="json", exclude_defaults=True, exclude=_IN_COLUMNS | ({"body"} if beside else set()))
        values = {
            "id": doc.id, "title": doc.title, "issuer": site.unit_name(doc.issuer), "number": doc.number or "",
            "written": doc.written.isoformat(), "effective": doc.effective.isoformat() if doc.effective else "",
            "published": doc.published.isoformat() + (f" {doc.published_time}" if doc.published_time else ""),
            "index_number": site.register.index_numbers.get(doc.id, ""), "subject": doc.subject or "", "genre": doc.genre or "",
            "status": {"已废止": "已废止", "已失效": "失效"}.get(status, "有效"), "ended": ending.date.isoformat() if ending else "",
            "disclosure": doc.disclosure, "category": doc.category, "keywords": "、".join(doc.keywords), "summary": doc.summary or "",
            "kind": doc.kind, "attachments": "、".join(a.file for a in doc.attachments),
            "machine": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "",
        }
        rows.append([values[name] for name in _EXPORTED])
    return rows

