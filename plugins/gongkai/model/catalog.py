"""基层政务公开标准目录: the standard catalog of a domain, and a unit's adoption of it.

A unit does not copy the standard: it records each change — 删除 a row, 修改 some fields
of a row, 新增 a row — with its reason. The catalog the site publishes is the standard
with the changes applied (`adopt`), and the 编制说明 is generated from the same changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, Literal, Mapping, get_args

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from .docnumber import bracket_years
from .fields import Entry, Identifier, IsoDate, Record, Text, field
from .kind import Kind, one_schema

Channel = Literal[
    "政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点",
    "政务服务中心", "便民服务站", "入户/现场", "社区/企事业单位/村公示栏（电子屏）", "精准推送",
]
CHANNELS: tuple[str, ...] = get_args(Channel)
Need = Literal["必选", "可选"]
Audience = Literal["全社会", "特定群体"]
AUDIENCES: tuple[str, ...] = get_args(Audience)
Mode = Literal["主动", "依申请"]
MODES: tuple[str, ...] = get_args(Mode)
Process = Literal["决策", "执行", "管理", "服务", "结果"]
Action = Literal["删除", "修改", "新增"]


class DeadlineRule(Record):
    """公开时限的机读形式，例如“信息形成或者变更之日起20个工作日内”。"""

    days: int = field("天数", gt=0)
    unit: Literal["工作日", "日"] = field("单位", default="工作日")
    trigger: Text = field("起算事件", "例如 信息形成或者变更")

    def __str__(self) -> str:
        return f"{self.trigger}之日起{self.days}个{self.unit}内"


class CatalogRow(Record):
    """标准目录的一行（一个公开事项）。"""

    code: Text = field("序号", "目录内唯一，例如 01 或 0505")
    process: Process | None = field("过程", "决策、执行、管理、服务、结果（可选列）", default=None)
    item: Text = field("一级事项")
    subitem: str | None = field("二级事项", default=None)
    content: Text = field("公开内容（要素）")
    basis: Text = field("公开依据")
    basis_documents: list[Identifier] = field("依据文件", "本平台文件库中作为公开依据的文件编号", default_factory=list)
    deadline: Text = field("公开时限")
    deadline_rule: DeadlineRule | None = field("公开时限（机读）", default=None)
    subject: Text = field("公开主体")
    channels: dict[Channel, Need] = field("公开渠道和载体", "每个渠道写 必选 或 可选", min_length=1)
    other_channels: list[Text] = field("其他渠道", "标准渠道以外的渠道，显示为“其他：……”", default_factory=list)
    audience: list[Audience] = field("公开对象", "全社会、特定群体", min_length=1)
    mode: list[Mode] = field("公开方式", "主动、依申请", min_length=1)
    levels: list[Text] = field("公开层级", "取值见目录的 levels", min_length=1)

    @property
    def title(self) -> str:
        return f"{self.item}—{self.subitem}" if self.subitem else self.item


ROW_FIELDS = {name: info.title or name for name, info in CatalogRow.model_fields.items()}


def code_key(code: str) -> str:
    """A row's 序号 as rows are matched: 1 and 01 are the same row."""
    return code.lstrip("0") or "0"


_PAIRS = ("《》", "（）", "〔〕", "“”")


def basis_problems(text: str) -> list[str]:
    """What is wrong with a 公开依据 as typed: (2014) for 〔2014〕, brackets left open."""
    found = []
    fixed = bracket_years(text)
    if fixed != text:
        found.append(f"文号的年份应使用六角括号，建议写作“{fixed}”")
    for pair in _PAIRS:
        if text.count(pair[0]) != text.count(pair[1]):
            found.append(f"“{pair[0]}”与“{pair[1]}”不成对，请检查是否漏写")
    return found


DEADLINE = re.compile(r"^(?P<trigger>.+?)之日起(?P<days>\d+)个?(?P<unit>工作日|日)内$")


def read_deadline(text: str) -> tuple[DeadlineRule | None, str | None]:
    """The machine-readable form of a 公开时限, if it has one; and a note when the text
    almost has one (spaces inside the words) but must be kept as typed."""
    match = DEADLINE.match(text)
    if match and not re.search(r"\s", text):
        return DeadlineRule(days=int(match["days"]), unit=match["unit"], trigger=match["trigger"]), None  # type: ignore[arg-type]
    squeezed = re.sub(r"\s+", "", text)
    if squeezed != text and DEADLINE.match(squeezed):
        return None, f"公开时限“{text}”中有空格，无法读出天数，已按原文保留；建议写作“{squeezed}”"
    return None, None


class RowUpdate(Record):
    """修改一行时要改的字段（只写要改的）。"""

    process: Process | None = field("过程", default=None)
    item: Text | None = field("一级事项", default=None)
    subitem: str | None = field("二级事项", default=None)
    content: Text | None = field("公开内容（要素）", default=None)
    basis: Text | None = field("公开依据", default=None)
    basis_documents: list[Identifier] | None = field("依据文件", default=None)
    deadline: Text | None = field("公开时限", default=None)
    deadline_rule: DeadlineRule | None = field("公开时限（机读）", default=None)
    subject: Text | None = field("公开主体", default=None)
    channels: dict[Channel, Need] | None = field("公开渠道和载体", default=None)
    other_channels: list[Text] | None = field("其他渠道", default=None)
    audience: list[Audience] | None = field("公开对象", default=None)
    mode: list[Mode] | None = field("公开方式", default=None)
    levels: list[Text] | None = field("公开层级", default=None)


class Change(Record):
    """对标准目录的一项变动：删除、修改或新增，必须说明原因。"""

    action: Action = field("变动类型", "删除、修改 或 新增")
    row: str | None = field("事项序号", "删除或修改的是标准目录中哪一行（序号）", default=None)
    update: RowUpdate | None = field("修改内容", "修改时要改的字段", default=None)
    new: CatalogRow | None = field("新增事项", "新增的一整行", default=None)
    after: str | None = field("插入位置", "新增事项放在哪一行之后（序号）；不填放在最后", default=None)
    before: str | None = field("插入位置（之前）", "新增事项放在哪一行之前（序号），用于放在最前面", default=None)
    reason: Text = field("变动原因", "编制说明中逐项说明的原因")

    @model_validator(mode="after")
    def _complete(self) -> "Change":
        need = {
            "删除": self.row is None and "row（事项序号）",
            "修改": (self.row is None and "row（事项序号）") or (self.update is None and "update（修改内容）"),
            "新增": self.new is None and "new（新增事项）",
        }[self.action]
        if need:
            raise PydanticCustomError("gk_change", "“{action}”需要填写 {need}", {"action": self.action, "need": need})
        return self


class StandardCatalog(Entry):
    """某一领域的基层政务公开标准目录（国务院部门制定的标准指引）。文件名为领域编号。"""

    title: Text = field("目录名称")
    issuer: Text = field("制定部门", "例如 公安部")
    reference: str | None = field("来源", "标准指引的名称或文号", default=None)
    levels: list[Text] = field("公开层级", "本目录的公开层级列，例如 县级、乡级", default_factory=lambda: ["县级", "乡级"])
    rows: list[CatalogRow] = field("事项", min_length=1)


class UnitCatalog(Entry):
    """一个单位采用某一领域标准目录的情况：只记录相对标准目录的变动及原因。"""

    compiled: IsoDate = field("编制日期")
    note: str | None = field("编制说明", "编制说明开头的总体说明", default=None)
    changes: list[Change] = field("变动", default_factory=list)

    @property
    def unit(self) -> str:
        return self.id.split("/")[0]

    @property
    def domain(self) -> str:
        return self.id.split("/")[1]


@dataclass
class Applied:
    """One change as the 编制说明 shows it."""

    number: int
    action: str
    row: str
    title: str
    before: dict[str, str] = dc_field(default_factory=dict)
    after: dict[str, str] = dc_field(default_factory=dict)
    reason: str = ""


@dataclass
class Problem:
    """A change that cannot be applied; `index` is the change's position in `changes`."""

    index: int
    field: str
    message: str


@dataclass
class Adoption:
    rows: list[CatalogRow]
    notes: list[Applied]
    problems: list[Problem]


def channel_marks(channels: Mapping[Any, str]) -> list[str]:
    """“■政府网站”, “□两微一端”: ■ for a required channel, □ for an optional one (the official layout)."""
    return [f"{'■' if need == '必选' else '□'}{name}" for name, need in channels.items()]


def show(value) -> str:
    """A field value as text, the way the catalog table shows it."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "、".join(channel_marks(value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)  # a DeadlineRule reads as the sentence it stands for


def _summary(row: CatalogRow) -> dict[str, str]:
    """What the 编制说明 shows of a whole deleted or added row."""
    return {ROW_FIELDS[n]: show(getattr(row, n)) for n in ("item", "subitem", "content", "deadline", "subject") if getattr(row, n)}


def shown_changes(values: Record, names: list[str]) -> dict[str, str]:
    """What the 编制说明 shows of the changed fields: the 公开时限 once, as the sentence people read."""
    if "deadline" in names:
        names = [n for n in names if n != "deadline_rule"]
    return {ROW_FIELDS["deadline" if n == "deadline_rule" else n]: show(getattr(values, n)) for n in names}


def adopt(standard: StandardCatalog, catalog: UnitCatalog) -> Adoption:
    """Apply a unit's changes to the standard, in order; report the ones that do not fit."""
    rows = list(standard.rows)
    deleted: set[str] = set()
    notes: list[Applied] = []
    problems: list[Problem] = []

    def position(code: str) -> int | None:
        return next((i for i, r in enumerate(rows) if code_key(r.code) == code_key(code)), None)

    for index, change in enumerate(catalog.changes):
        if change.action == "新增":
            new = change.new
            assert new is not None  # Change requires it for 新增
            if position(new.code) is not None or code_key(new.code) in deleted:
                problems.append(Problem(index, "new.code", f"序号“{new.code}”已被标准目录使用，新增事项请另编序号"))
                continue
            at = len(rows)
            for name, offset in (("after", 1), ("before", 0)):
                code = getattr(change, name)
                if code is not None:
                    found = position(code)
                    if found is None:
                        problems.append(Problem(index, name, f"插入位置“{code}”不在目录中"))
                        break
                    at = found + offset
            else:
                rows.insert(at, new)
                notes.append(Applied(len(notes) + 1, "新增", new.code, new.title, after=_summary(new), reason=change.reason))
            continue
        assert change.row is not None  # Change requires it for 删除 and 修改
        found = position(change.row)
        if found is None:
            why = "已在前面的变动中删除" if code_key(change.row) in deleted else "不在标准目录中"
            problems.append(Problem(index, "row", f"事项序号“{change.row}”{why}"))
            continue
        row = rows[found]
        if change.action == "删除":
            del rows[found]
            deleted.add(code_key(row.code))
            notes.append(Applied(len(notes) + 1, "删除", row.code, row.title, before=_summary(row), reason=change.reason))
            continue
        assert change.update is not None
        updates = change.update.model_dump(exclude_unset=True)
        if not updates:
            problems.append(Problem(index, "update", "修改内容为空"))
            continue
        same = [name for name, value in updates.items() if getattr(row, name) == getattr(change.update, name)]
        if same:
            problems.append(Problem(index, f"update.{same[0]}", f"“{ROW_FIELDS[same[0]]}”与标准目录相同，不是修改"))
            continue
        rows[found] = row.model_copy(update={name: getattr(change.update, name) for name in updates})
        notes.append(Applied(
            len(notes) + 1, "修改", row.code, row.title,
            before=shown_changes(row, list(updates)),
            after=shown_changes(change.update, list(updates)),
            reason=change.reason,
        ))
    return Adoption(rows, notes, problems)


def changes_between(standard: list[CatalogRow], rows: list[CatalogRow]) -> list[dict]:
    """The changes that turn `standard` into `rows` (the inverse of `adopt`), reasons left empty.

    Used when a unit's catalog arrives as a spreadsheet: deletions first, then each
    modified or new row in the order of the sheet.
    """
    by_code = {code_key(r.code): r for r in standard}
    kept = {code_key(r.code) for r in rows}
    changes: list[dict] = [{"action": "删除", "row": r.code, "reason": ""} for r in standard if code_key(r.code) not in kept]
    previous: str | None = None
    for i, row in enumerate(rows):
        old = by_code.get(code_key(row.code))
        if old is None:
            change = {"action": "新增", "new": row.model_dump(mode="json", exclude_defaults=True), "reason": ""}
            following = next((r.code for r in rows[i + 1 :] if code_key(r.code) in by_code), None)
            if previous is not None:
                change["after"] = previous
            elif following is not None:  # new rows at the very top
                change["before"] = following
            changes.append(change)
        else:
            update = {n: v for n, v in row.model_dump(mode="json").items() if n != "code" and getattr(old, n) != getattr(row, n)}
            if update:
                changes.append({"action": "修改", "row": old.code, "update": update, "reason": ""})
        previous = row.code
    return changes


def keep_reasons(changes: list[dict], previous: UnitCatalog | None) -> list[dict]:
    """The reasons an editor already gave, carried over to the same changes when a unit's
    catalog is imported again (the same action on the same row)."""
    if previous is None:
        return changes

    def key(action: str, code: str | None) -> tuple[str, str]:
        return action, code_key(code or "")

    given = {key(c.action, c.row or (c.new.code if c.new else None)): c.reason for c in previous.changes}
    for change in changes:
        code = change.get("row") or change.get("new", {}).get("code")
        change["reason"] = given.get(key(change["action"], code), change["reason"])
    return changes


KINDS = (
    Kind("standards", "标准目录", "catalogs/standard", StandardCatalog,
         one_schema("standard-catalog", StandardCatalog, "领域标准目录（data/catalogs/standard/）", "data/catalogs/standard/*.yml"),
         order=40, page="catalogs/standard/{id}.md"),
    Kind("catalogs", "单位目录", "catalogs/units", UnitCatalog,
         one_schema("unit-catalog", UnitCatalog, "单位标准目录的变动（data/catalogs/units/）", "data/catalogs/units/*/*.yml"),
         order=41, nested=True, page="catalogs/{id}.md"),
)
