"""Pages of the document library (文件库): each document, the lists, the register, the 汇编."""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Any, Callable, Iterator

from ..model import Document, Site
from ..model.categories import CATEGORIES
from ..model.consultation import CONSULTATIONS, grouped_by
from ..model.document import Event
from ..model.lifecycle import ENDED
from . import paths
from .pagination import Pager, paginate
from .search import SearchEntry
from .view import View

SECTION = "文件库"


def views(site: Site, per_page: int) -> Iterator[View]:
    if not site.documents:
        return
    newest = site.documents_newest_first()
    consulted = grouped_by(site.records_of(CONSULTATIONS.attribute).values(), "decision")
    yield from (document_view(site, doc, consulted.get(doc.id, [])) for doc in newest)
    yield overview(site, newest)
    yield from lists(site, newest, per_page)
    if any(d.is_normative and site.register.in_force(d) for d in site.documents.values()):  # else both would be empty
        yield register_view(site)
        yield from compilation_views(site)
    yield from cleanup_views(site)


def subject_views(site: Site, record: Any) -> list[View] | None:
    """The pages whose subject is `record`, when it is a document: its own page (`quick_preview.py`)."""
    if not isinstance(record, Document):
        return None
    consulted = grouped_by(site.records_of(CONSULTATIONS.attribute).values(), "decision")
    return [document_view(site, record, consulted.get(record.id, []))]


def document_view(site: Site, doc: Document, consultations: list | None = None) -> View:
    public = doc.disclosure == "主动公开"
    folder = doc.path.parent if doc.path else None
    published = tuple((paths.attachment(doc, a.file), folder / a.file) for a in doc.attachments) if public and folder else ()
    number = f"（{doc.number_display}）" if doc.number else ""
    issuer = site.unit_name(doc.issuer)
    status = site.register.status[doc.id] if doc.is_normative else ""
    index = site.register.index_numbers[doc.id]
    entry = SearchEntry(
        "解读" if doc.is_interpretation else "文件",
        doc.published,
        {"发布机构": issuer, "信息类别": doc.category, "主题分类": doc.subject or "", "年份": str(doc.year), "有效性": status},
        {"文号": doc.number_display or "", "索引号": index, "发布日期": doc.published.isoformat(), "有效性": status, "发布机构": issuer},
        keywords=list(doc.keywords),
        numbers=[*([doc.number_display] if doc.number_display else []), index],
        rank=_rank(site, doc),
    )
    return View(
        paths.document(doc),
        doc.title,
        "document.html",
        {"doc": doc, "consultations": consultations or []},
        description=doc.summary or f"{doc.title}{number}，{issuer}发布",
        date=doc.published,
        markdown=(doc.body or "") if public else "",
        crumbs=((SECTION, paths.DOCUMENTS), (f"{doc.year}年", paths.year(doc.year))),
        files=published,
        search=entry,
        owner=doc.issuer,
    )


def _rank(site: Site, doc: Document) -> str:
    """How a document ranks among others that match as well (`pages.search`): a 解读 below its
    document, and both below the others when its document has been repealed or has expired
    (not when it is yet to take effect: that is the rule readers will live under)."""
    interpreted = site.documents.get(doc.interprets or "") if doc.is_interpretation else None
    status = site.register.status.get((interpreted or doc).id, "")
    inactive = "inactive" if status in ENDED else ""
    return "-".join(filter(None, [inactive, "yields" if doc.is_interpretation else ""]))


def overview(site: Site, newest: list[Document]) -> View:
    by_year = _group(newest, lambda d: d.year)
    return View(
        paths.DOCUMENTS,
        SECTION,
        "documents_index.html",
        {
            "newest": newest[:10],
            "years": {year: len(docs) for year, docs in sorted(by_year.items(), reverse=True)},
            "issuers": _counts(site, newest),
            "categories": [(c, len(docs)) for c, docs in _by_category(newest).items()],
            "normative_in_force": sum(1 for d in newest if d.is_normative and site.register.in_force(d)),
        },
        description=f"本平台公开的 {len(newest)} 件文件：按年份、发文机关和信息类别浏览，现行有效规范性文件目录和制度文件汇编",
        date=newest[0].published,
        in_nav=True,
    )


def lists(site: Site, newest: list[Document], per_page: int) -> Iterator[View]:
    crumb = ((SECTION, paths.DOCUMENTS),)
    groups: list[tuple[str, dict[Any, list[Document]], Callable[[Any], str], Callable[..., str]]] = [
        ("year", {year: docs for year, docs in _group(newest, lambda d: d.year).items()}, lambda k: f"{k}年发布的文件", paths.year),
        ("issuer", _group(newest, lambda d: d.issuer), lambda k: f"{site.units[k].name}发布的文件", paths.issuer),
        ("category", _by_category(newest), lambda c: f"{c.key}（{c.label}）", paths.category),
    ]
    for kind, grouped, title_of, uri_of in groups:
        for key, docs in grouped.items():
            if kind == "issuer" and key not in site.units:
                continue
            title = title_of(key)
            for uri, page_docs, pager in paginate(docs, per_page, partial(uri_of, key)):
                suffix = f"（第 {pager.number} 页）" if pager.number > 1 else ""
                yield View(
                    uri,
                    title + suffix,
                    "document_list.html",
                    {"documents": page_docs, "pager": pager, "kind": kind, "key": key},
                    description=f"{title}，共 {len(docs)} 件，按发布日期从新到旧排列",
                    date=docs[0].published,
                    crumbs=crumb,
                    owner=key if kind == "issuer" else None,
                )


def register_view(site: Site) -> View:
    in_force = _in_force(site)
    return View(
        paths.REGISTER,
        "现行有效规范性文件目录",
        "register.html",
        {"groups": _by_issuer(site, in_force), "total": len(in_force)},
        description=f"截至 {site.today.isoformat()} 现行有效的 {len(in_force)} 件规范性文件，按发文机关排列",
        date=max((d.published for d in site.documents.values()), default=None),
        in_nav=True,
        crumbs=((SECTION, paths.DOCUMENTS),),
    )


def compilation_views(site: Site) -> Iterator[View]:
    """The 汇编 of the 规范性文件 in force: one page, or past `compilation_most` one per 发文机关
    (paginated past it too) under a page listing them: a 汇编 of a whole province is too big to open."""
    in_force = _in_force(site)
    most = site.settings.compilation_most
    crumbs: tuple[tuple[str, str], ...] = ((SECTION, paths.DOCUMENTS),)
    if len(in_force) <= most:
        yield _compilation(paths.COMPILATION, "制度文件汇编", in_force, crumbs=crumbs, in_nav=True)
        return
    groups = _by_issuer(site, in_force)
    yield View(
        paths.COMPILATION,
        "制度文件汇编",
        "compilation_issuers.html",
        {"groups": groups, "total": len(in_force), "most": most},
        description=f"现行有效的 {len(in_force)} 件规范性文件全文汇编，按发文机关分册",
        date=max(d.published for d in in_force),
        in_nav=True,
        crumbs=crumbs,
    )
    for issuer, docs in groups.items():
        name = site.units[issuer].name if issuer in site.units else issuer
        for uri, page_docs, pager in paginate(docs, most, partial(paths.compilation, issuer)):
            suffix = f"（第 {pager.number} 页）" if pager.number > 1 else ""
            yield _compilation(uri, f"{name}制度文件汇编{suffix}", list(page_docs), crumbs=(*crumbs, ("制度文件汇编", paths.COMPILATION)),
                               pager=pager, owner=issuer, of=name)


def _compilation(uri: str, title: str, documents: list[Document], *, crumbs: tuple[tuple[str, str], ...], in_nav: bool = False,
                 pager: Pager | None = None, owner: str | None = None, of: str = "") -> View:
    """One page of full texts: the whole 汇编, or (`pager`) a page of one 发文机关's part (`of`: its name)."""
    return View(
        uri,
        title,
        "compilation.html",
        {"documents": documents, "pager": pager},
        description=f"{of}现行有效的 {pager.total if pager else len(documents)} 件规范性文件全文汇编，可直接打印",
        date=max((d.published for d in documents), default=None),
        in_nav=in_nav,
        crumbs=crumbs,
        owner=owner,
        bodies_of=tuple(paths.document(d) for d in documents),
    )


def cleanup_views(site: Site) -> Iterator[View]:
    if not site.campaigns:
        return
    outcomes: dict[str, list[tuple[Document, Event]]] = defaultdict(list)
    for doc in site.documents.values():
        for event in doc.events:
            if event.type == "清理" and event.campaign:
                outcomes[event.campaign].append((doc, event))
    campaigns = sorted(site.campaigns.values(), key=lambda c: c.date, reverse=True)
    crumbs = ((SECTION, paths.DOCUMENTS), ("规范性文件清理", paths.CLEANUPS))
    yield View(
        paths.CLEANUPS,
        "规范性文件清理",
        "cleanups.html",
        {"campaigns": campaigns, "outcomes": outcomes},
        description="历次规范性文件清理活动及其结果",
        date=campaigns[0].date,
        in_nav=True,
        crumbs=crumbs[:1],
    )
    for campaign in campaigns:
        rows = sorted(outcomes.get(campaign.id, []), key=lambda pair: (pair[1].outcome, pair[0].published))
        yield View(
            paths.campaign(campaign),
            campaign.title,
            "cleanup.html",
            {"campaign": campaign, "rows": rows},
            description=f"{campaign.title}的清理结果：共 {len(rows)} 件文件",
            date=campaign.date,
            crumbs=crumbs,
        )


def _in_force(site: Site) -> list[Document]:
    """The 规范性文件 in force, in the order they took effect."""
    return sorted((d for d in site.documents.values() if d.is_normative and site.register.in_force(d)),
                  key=lambda d: (d.effective_date, d.id))


def _by_issuer(site: Site, documents: list[Document]) -> dict[str, list[Document]]:
    """`documents` by 发文机关, in the units' order; each keeps the documents' order."""
    order = {u.id: i for i, u in enumerate(site.units_in_order())}
    return _group(sorted(documents, key=lambda d: order.get(d.issuer, len(order))), lambda d: d.issuer)


def _group(documents, key) -> dict:
    groups: dict = {}
    for doc in documents:
        groups.setdefault(key(doc), []).append(doc)
    return groups


def _by_category(documents: list[Document]) -> dict[Any, list[Document]]:
    """The documents of each category that has any, in the categories' order (one pass: 22 took 1 s at 100,000 documents)."""
    grouped = _group(documents, lambda d: d.category)
    return {c: grouped[c.key] for c in CATEGORIES if c.key in grouped}


def _counts(site: Site, documents: list[Document]) -> list[tuple[object, int]]:
    counts: dict[str, int] = defaultdict(int)
    for doc in documents:
        counts[doc.issuer] += 1
    return [(unit, counts[unit.id]) for unit in site.units_in_order() if counts.get(unit.id)]
