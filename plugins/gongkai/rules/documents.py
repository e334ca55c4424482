"""Rules about documents: references, dates, the life cycle, 解读 and timeliness."""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding, Position, error, note, warning
from ..model import Site, docnumber
from ..model.document import RESERVED_IDS, Document, normalize_number
from ..model.lifecycle import event_date, expiry
from .common import find_cycles, missing

TERMINAL = {"废止", "失效"}


def _event_label(i: int, name: str = "", title: str = "") -> str:
    label = f"events.第{i + 1}项"
    return f"{label}.{name}（{title}）" if name else label


def references(site: Site) -> Iterator[Finding]:
    for doc in site.documents.values():
        if doc.id in RESERVED_IDS:
            yield error(doc.at(), f"“{doc.id}”是文件库栏目页面的地址，不能用作文件编号；请给文件改名")
        if doc.issuer not in site.unit_ids:
            yield error(doc.at("issuer"), missing("发文机关", doc.issuer, site.unit_ids), doc.label_of("issuer"))
        for i, unit in enumerate(doc.co_issuers):
            if unit not in site.unit_ids:
                yield error(doc.at("co_issuers", i), missing("联合发文机关", unit, site.unit_ids), f"co_issuers.第{i + 1}项")
        for i, event in enumerate(doc.events):
            if event.by == doc.id:
                yield error(doc.at("events", i, "by"), "文件不能修改或废止自己", _event_label(i, "by", "依据文件"))
            elif event.by and event.by not in site.document_ids:
                yield error(doc.at("events", i, "by"), missing("文件", event.by, site.document_ids), _event_label(i, "by", "依据文件"))
            if event.campaign and event.campaign not in site.ids.get("campaigns", ()):
                yield error(doc.at("events", i, "campaign"), missing("清理活动", event.campaign, site.ids.get("campaigns", ())),
                            _event_label(i, "campaign", "清理活动"))


def interpretations(site: Site) -> Iterator[Finding]:
    days = site.settings.interpretation_days
    for doc in site.documents.values():
        if doc.is_interpretation:
            if doc.interprets is None:
                yield error(doc.at("kind"), "政策解读需要填写 interprets（解读的文件）", doc.label_of("kind"))
                continue
            target = site.documents.get(doc.interprets)
            if target is None:
                if doc.interprets not in site.document_ids:
                    yield error(doc.at("interprets"), missing("被解读的文件", doc.interprets, site.document_ids), doc.label_of("interprets"))
                continue
            if target.is_interpretation:
                yield error(doc.at("interprets"), f"“{target.id}”本身是政策解读，不能再被解读", doc.label_of("interprets"))
            elif doc.published < target.published:
                yield error(doc.at("published"), f"解读的发布日期早于被解读文件的发布日期 {target.published}", doc.label_of("published"))
            else:
                lag = site.calendar.workdays_after(target.published, doc.published)
                if lag > days:
                    yield warning(doc.at("published"), f"解读在文件发布 {lag} 个工作日后才发布（应不超过 {days} 个工作日，宜同步发布）",
                                  doc.label_of("published"))
        elif doc.interprets is not None:
            yield error(doc.at("interprets"), "只有政策解读才能填写 interprets（解读的文件）；请把 kind 改为 政策解读", doc.label_of("interprets"))
    for doc in site.documents.values():
        if doc.is_normative and not doc.interpretation_exempt and not site.register.interpretations.get(doc.id):
            yield warning(doc.at("kind"), "规范性文件没有政策解读；如确实无需解读，请在 interpretation_exempt 中说明理由", doc.label_of("kind"))


def dates(site: Site) -> Iterator[Finding]:
    for doc in site.documents.values():
        if doc.published < doc.written:
            yield error(doc.at("published"), f"发布日期早于成文日期 {doc.written}", doc.label_of("published"))
        if doc.effective and doc.effective < doc.written:
            yield error(doc.at("effective"), f"施行日期早于成文日期 {doc.written}", doc.label_of("effective"))
        if doc.expires and doc.expires < doc.effective_date:
            yield error(doc.at("expires"), f"有效期至早于施行日期 {doc.effective_date}", doc.label_of("expires"))


def numbers(site: Site) -> Iterator[Finding]:
    """A 文号 as the site shows it, its year against the 成文日期, and one document per number."""
    first: dict[tuple[str, str], Document] = {}
    for doc in site.documents.values():  # in the order of their files: the first file is the one named
        if not doc.number:
            continue
        shown = normalize_number(doc.number)
        if shown != doc.number:
            yield warning(doc.at("number"), f"文号已按“{shown}”显示（年份用六角括号〔〕、数字用半角、多个文号用“、”分隔）；请修改数据",
                          doc.label_of("number"))
        year = docnumber.parse(doc.number).year  # type: ignore[union-attr]  # valid, so it parses
        if year is not None and abs(year - doc.written.year) > 1:
            yield warning(doc.at("number"), f"文号的年份 {year} 与成文日期 {doc.written} 相差一年以上，请核对", doc.label_of("number"))
        key = (doc.issuer, shown)
        if key in first:
            other = first[key]
            yield error(doc.at("number"), f"文号“{shown}”与 {other.source.file}（{other.title}）重复", doc.label_of("number"))
        else:
            first[key] = doc


def life_cycle(site: Site) -> Iterator[Finding]:
    for doc in site.documents.values():
        ended = None
        for i, event in enumerate(doc.events):
            day = event_date(event, site.documents)
            if day is None:
                continue
            if day < doc.written:
                yield error(doc.at("events", i), f"“{event.type}”的日期 {day} 早于文件的成文日期 {doc.written}", _event_label(i))
            elif _ends(event) and day < doc.effective_date:
                yield error(doc.at("events", i), f"“{event.type}”的日期 {day} 早于文件的施行日期 {doc.effective_date}", _event_label(i))
            if _ends(event):
                if ended is not None:
                    yield error(doc.at("events", i), f"文件已在第{ended + 1}项事件中废止或失效，不能再次废止或失效", _event_label(i))
                else:
                    ended = i
        last = expiry(doc)
        if last and doc.effective_date <= last < site.today and ended is None:
            yield warning(doc.at("expires"), f"有效期已于 {last} 届满，已按“已失效”显示；请补充“失效”事件，或以清理结论“继续有效”延续",
                          doc.label_of("expires"))


def _ends(event) -> bool:
    return event.type in TERMINAL or (event.type == "清理" and event.outcome in TERMINAL)


def no_cycles(site: Site) -> Iterator[Finding]:
    """A document amended or repealed by a document it amended or repealed, directly or not."""
    edges = {d.id: [e.by for e in d.events if e.by in site.documents and e.by != d.id] for d in site.documents.values()}
    for cycle in find_cycles(edges):
        doc = site.documents[cycle[0]]
        i = next(i for i, e in enumerate(doc.events) if e.by == cycle[1])
        yield error(doc.at("events", i, "by"), "修改或废止关系形成循环：" + " → ".join(cycle), _event_label(i, "by", "依据文件"))


def timeliness(site: Site) -> Iterator[Finding]:
    limit = site.settings.publication_days
    for doc in site.documents.values():
        if doc.disclosure != "主动公开" or doc.late_reason or doc.written < site.settings.timely_from:
            continue  # a 历史文件 (written before the 条例 or the platform) was never late here
        lag = site.calendar.workdays_after(doc.written, doc.published)
        if lag > limit:
            yield warning(doc.at("published"), f"成文后第 {lag} 个工作日才公开，超过《政府信息公开条例》第二十六条规定的 {limit} 个工作日；"
                          "如有正当原因，请在 late_reason 中说明", doc.label_of("published"))


def index_numbers_unique(site: Site) -> Iterator[Finding]:
    numbers = site.register.index_numbers
    first: dict[str, str] = {}
    for doc in sorted(site.documents.values(), key=lambda d: (d.index_number is None, d.id)):
        number = numbers[doc.id]
        if number in first:
            yield error(doc.at("index_number"), f"索引号“{number}”与文件 {first[number]} 重复", doc.label_of("index_number"))
        else:
            first[number] = doc.id


def campaigns(site: Site) -> Iterator[Finding]:
    for campaign in site.campaigns.values():
        if campaign.organizer not in site.unit_ids:
            yield error(campaign.at("organizer"), missing("组织单位", campaign.organizer, site.unit_ids), campaign.label_of("organizer"))
        if campaign.announcement and campaign.announcement not in site.document_ids:
            yield error(campaign.at("announcement"), missing("公布文件", campaign.announcement, site.document_ids),
                        campaign.label_of("announcement"))


def calendar_known(site: Site) -> Iterator[Finding]:
    """Run last: the rules before it fill `unknown_years` while counting working days."""
    years = sorted(site.calendar.unknown_years)
    if years:
        shown = "、".join(map(str, years[:10])) + (f" 等 {len(years)} 个年份" if len(years) > 10 else " 年")
        yield note(
            Position(f"{site.data_path}/holidays/{years[0]}.yml"),
            f"{shown}的节假日安排未知，已按周一至周五计算工作日；国务院公布安排后，"
            f"可在 {site.data_path}/holidays/<年份>.yml 中补充",
        )


def holiday_years(site: Site) -> Iterator[Finding]:
    for id, year in site.calendar.years.items():
        for i, holiday in enumerate(year.holidays):
            if holiday.start.year != id or (holiday.end or holiday.start).year != id:
                yield error(year.at("holidays", i), f"日期不在 {id} 年内", f"holidays.第{i + 1}项")
        for i, day in enumerate(year.workdays):
            if day.year != id:
                yield error(year.at("workdays", i), f"日期不在 {id} 年内", f"workdays.第{i + 1}项")


def filed_by_year(site: Site) -> Iterator[Finding]:
    """A document's file lives in the folder of its year, so editors find it where they expect."""
    for doc in site.documents.values():
        if doc.path is not None and doc.path.parent.name not in {str(doc.published.year), str(doc.written.year)}:
            yield warning(Position(doc.source.file), f"文件应放在 data/documents/{doc.published.year}/ 目录下（按发布年份归档）")


RULES = [filed_by_year, references, interpretations, dates, numbers, life_cycle, no_cycles, timeliness, index_numbers_unique, campaigns, holiday_years]
