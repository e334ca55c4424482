"""`gongkai new`: start a record with what can be known filled in, and the rest left for
the editor (so that `gongkai check` names what is still missing, instead of publishing a
placeholder)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from inspect import isclass
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from . import yamlout
from .containment import confined
from .model import Site
from .model.document import Document
from .model.fields import check_id
from .model.kind import Kind
from .model.register import next_index_number
from .model.report import report_model

FIRST_REPORT_YEAR = 2008
"""The year the 条例 took effect: the first year a unit reported on."""

DOCUMENT = """\
# 新文件（gongkai new document 生成）。填好空着的栏目和正文后运行 ./dev check。
# 标题（必填）
title:{title}
# 文件类型：规范性文件、其他文件、政策解读
kind: {kind}
{interprets}# 文号：有文号的填写，年份用六角括号〔〕
# number: 机关代字〔{year}〕1号
# 发文机关
issuer: {unit}
# 成文日期、发布日期；施行日期不填时与发布日期相同
written: {today}
published: {today}
# effective: {today}
# 索引号：已按本单位本年度的下一个流水号分配，发布后不要修改
index_number: {index}
# 信息类别（索引号中的类别代码由它决定）
category: {category}
# 关键词，例如 [社会救助, 低保]
keywords: []
# 内容概述：一两句话，显示在列表和搜索结果中
summary:
# 正文写在同目录的 {id}.md 中；附件放在同一目录，并在下面列出：
# attachments:
#   - file: {id}-附件1.pdf
#     title: 附件1：……
"""

UNIT = """\
# 新机构（gongkai new unit 生成）。各栏对应通知附件2《工作职能清单》，填好后运行 ./dev check。
# 全称
name: {name}
# short_name: 简称
# 机构类型：市政府、县级政府、区政府、政府工作部门、区政府工作部门、乡镇政府、街道办事处、管委会、事业单位、其他
type: {type}
{parent}# 办公地址
address:
office_hours: 工作日 上午 8:00—12:00，下午 14:30—17:30
# 联系电话，例如 0595-22355663；传真、电子邮箱可选
phone:
# fax:
# email:
# 负责人姓名
head:
# 工作职能，每条一项
functions:
  -
# 机构设置（内设机构及其职责）、公开工作人员（通知附件1）、权责清单
offices: []
staff: []
powers: []
updated: {today}
"""

COLUMN = """\
# {name}的政府信息公开栏目设置（gongkai new unit 生成）。
# 行政复议机关、管辖法院
review_body:
court:
# 还没有年度报告时，说明报告在哪里发布
reports_note:
# 本单位没有某一类信息时，逐项写明理由，例如 行政许可: 本单位不实施行政许可
not_applicable: {{}}
"""


def new_document(site: Site, data_dir: Path, unit: str, category: str, kind: str, title: str | None,
                 today: datetime.date, interprets: str | None = None) -> Path:
    """A document of `unit` dated today, with the next free id and 索引号 of its year; with
    `interprets`, the 政策解读 of that document."""
    _known_unit(site, unit)
    if interprets is not None:
        check_id(interprets, "文件编号")
        if interprets not in site.ids.get("documents", set()):
            raise ValueError(f"没有编号为“{interprets}”的文件")
        kind = "政策解读"
        interpreted = site.documents.get(interprets)
        title = title or (f"《{interpreted.title}》政策解读" if interpreted else None)
    taken = {int(m[1]) for id in site.ids.get("documents", set()) if (m := re.fullmatch(rf"{unit}-{today.year}-(\d+)", id))}
    id = f"{unit}-{today.year}-{max(taken, default=0) + 1}"
    draft = Document.model_construct(issuer=unit, written=today, published=today, category=category, kind=kind)
    path = data_dir / "documents" / str(today.year) / f"{id}.yml"
    written = re.findall(r"(?m)^index_number:\s*['\"]?([0-9A-Z/-]+)", "\n".join(
        p.read_text(encoding="utf-8") for p in (data_dir / "documents").rglob("*.yml")))
    text = DOCUMENT.format(title=f" {yamlout.scalar(title)}" if title else "", kind=kind, year=today.year, unit=unit, today=today,
                           index=next_index_number(site, draft, written), category=category, id=id,
                           interprets=f"# 所解读的文件\ninterprets: {interprets}\n" if interprets else "")
    return write_all(data_dir, [(path, text)])[0]


def new_unit(site: Site, data_dir: Path, id: str, name: str, type: str, parent: str | None, today: datetime.date) -> list[Path]:
    """A unit and its 政府信息公开 column: every unit must have one."""
    check_id(id, "机构编号")
    if id in site.ids.get("units", set()):
        raise ValueError(f"机构编号“{id}”已经存在")
    if parent is not None:
        _known_unit(site, parent, "上级单位")
    if not name.strip() or "\n" in name:
        raise ValueError("机构全称不能为空，也不能换行")
    unit = UNIT.format(name=yamlout.scalar(name), type=type, parent=f"parent: {parent}\n" if parent else "", today=today)
    return write_all(data_dir, [(data_dir / "units" / f"{id}.yml", unit),
                                 (data_dir / "disclosure" / f"{id}.yml", COLUMN.format(name=name))])


def new_report(site: Site, data_dir: Path, unit: str, year: int, today: datetime.date) -> Path:
    """A report in the format of its year, every figure 0, carrying over what last year's
    report carried forward; table 三 is left out when the unit keeps a request register."""
    _known_unit(site, unit)
    if not FIRST_REPORT_YEAR <= year <= today.year:
        raise ValueError(f"报告年度应在 {FIRST_REPORT_YEAR} 年（《政府信息公开条例》施行）到 {today.year} 年之间，而不是 {year}")
    model = report_model(year)
    data = blank(model, today)
    if unit not in site.request_registers:
        requests = get_args(model.model_fields["requests"].annotation)[0]
        data["requests"] = blank(requests, today)
        last = site.reports.get(f"{unit}/{year - 1}")
        if last is not None and last.requests is not None:
            data["requests"]["carried_over"] = list(last.requests.carried_forward)
    if (last := site.reports.get(f"{unit}/{year - 1}")) is not None and last.covers:
        data["covers"] = list(last.covers)
    comment = f"{site.units[unit].name}{year}年政府信息公开工作年度报告（gongkai new report 生成，数字均为 0，请逐项填写）"
    return write_all(data_dir, [(data_dir / "reports" / unit / f"{year}.yml", yamlout.dump(data, comment))])[0]


def new_record(site: Site, data_dir: Path, kind: Kind, id: str, today: datetime.date) -> Path:
    """A record of a kind that declares a starter (`Kind.starter`): data/<path>/<id>.yml."""
    check_id(id, f"{kind.name}编号")
    if id in site.ids.get(kind.attribute, set()):
        raise ValueError(f"{kind.name}编号“{id}”已经存在")
    text = kind.starter.replace("{id}", id).replace("{today}", today.isoformat()).replace("{year}", str(today.year))
    return write_all(data_dir, [(data_dir / kind.path / f"{id}.yml", text)])[0]


def blank(model: type[BaseModel], today: datetime.date) -> dict[str, Any]:
    """The required fields of `model`, empty: texts "", numbers 0, dates today."""
    return {name: _blank(info.annotation, info.metadata, today) for name, info in model.model_fields.items() if info.is_required()}


def _blank(annotation: Any, metadata: list, today: datetime.date) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *more = get_args(annotation)
        return _blank(inner, [*metadata, *more], today)
    if origin in (Union, UnionType):
        return _blank(next(a for a in get_args(annotation) if a is not NoneType), metadata, today)
    if origin is list:
        length = max((getattr(m, "min_length", 0) or 0 for m in metadata), default=0)
        return [_blank(get_args(annotation)[0], [], today) for _ in range(length)]
    if origin is Literal:
        return get_args(annotation)[0]
    if isclass(annotation) and issubclass(annotation, BaseModel):
        return blank(annotation, today)
    return {datetime.date: today.isoformat(), int: 0, Decimal: "0", bool: False}.get(annotation, "")


def _known_unit(site: Site, unit: str, what: str = "机构") -> None:
    check_id(unit, f"{what}编号")
    if unit not in site.units:
        raise ValueError(f"没有编号为“{unit}”的{what}（data/units/ 中的文件名）")


def write_all(data_dir: Path, files: list[tuple[Path, str]]) -> list[Path]:
    """Write every file or none: all are checked first (inside `data/`, not there yet), and
    what was written is removed again if a later write fails."""
    for path, _ in files:
        confined(data_dir, path)
    taken = [str(path) for path, _ in files if path.exists()]
    if taken:
        raise ValueError(f"{'、'.join(taken)} 已经存在，没有覆盖（也没有新建任何文件）")
    written: list[Path] = []
    try:
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as out:
                written.append(path)
                out.write(text)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise ValueError(f"无法写入 {exc.filename}（{exc.strerror}），没有新建任何文件") from None
    return written
