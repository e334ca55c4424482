"""Audit a built site: every HTML, CSS and JS file, in one pass.

Pages are scanned in parallel (one process per core) for large sites: each worker judges
its pages' references and rules on its own and returns only what needs the whole site
(anchors in other pages, hosts, inline script hashes). What a file says (`facts.py`) is
kept in the build's cache by its bytes, and so is what each page's references were judged to be,
with the files that judging looked for and whether they were there: a build after a small change
scans only the pages that changed, and judges a page's links again only when a file they lead to
came or went. In a build, all but the search index's files are audited while the index is made
(`Early`), and put together with its files' results when it is done (`_Found`).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import re
import sys
import zlib
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Callable, Container
from urllib.parse import urlsplit

from .. import parallel
from ..cache import FOLDER, Cache, Stamps, digest, files_in, read_entry, stamp, write_entry
from ..findings import Findings, Position, error, warning
from ..personal_info import Hit
from ..rules.privacy import message as personal_message
from . import csp, facts, links
from .links import BuiltSite, Judge, Verdict, is_ipv4
from .scan import JS_STRING

_HOST = re.compile(r"[a-z0-9.-]+")
ASSETS = (".css", ".js")
PARALLEL_FROM = 2000
"""Pages; below this a process pool costs more than it saves."""


@dataclass
class PageResult:
    path: str
    findings: list[tuple[str, int, str]] = field(default_factory=list)
    """(severity, line, message)."""
    ids: frozenset[str] = frozenset()
    anchors: list[tuple[str, str, int]] = field(default_factory=list)
    """(target page, fragment, line) to look up once every page's ids are known."""
    hosts: list[tuple[str, str]] = field(default_factory=list)
    """(host, how) of references to other sites."""
    script_hashes: set[str] = field(default_factory=set)
    personal: list[Hit] = field(default_factory=list)
    key: str = ""
    """Of the bytes of its group's files."""
    reused: bool = False
    """Whether they came from the cache (the file is as it was in an earlier build)."""
    judged: str = ""
    """Of the judged result in the cache (its group's facts on this site's files)."""
    sha: str = ""
    """Of the file's bytes."""

    def as_json(self) -> list:
        return [self.findings, sorted(self.ids), self.anchors, self.hosts, sorted(self.script_hashes),
                [[hit.kind, hit.value, hit.start] for hit in self.personal]]

    @classmethod
    def of_json(cls, path: str, value: list, key: str, judged: str, reused: bool, sha: str) -> PageResult:
        findings, ids, anchors, hosts, scripts, personal = value
        return cls(path, [(s, line, m) for s, line, m in findings], frozenset(ids), [(t, f, line) for t, f, line in anchors],
                   [(host, how) for host, how in hosts], set(scripts), [Hit(*hit) for hit in personal], key=key, reused=reused,
                   judged=judged, sha=sha)


@dataclass
class Result:
    report: Findings
    pages: int
    files: int
    hosts: dict[str, dict[str, list[str]]]
    """Other sites' hosts → how they are referenced → (up to 5) files that do."""
    script_hashes: list[str]
    reused: int = 0
    """Pages whose facts came from the cache."""


def audit(site_dir: Path, site_url: str | None, allows: Callable[[Hit], bool], sources: dict[str, str] | None = None,
          prefix: str = "site", dev_server: bool = False, project: Path | None = None,
          elsewhere: frozenset[str] = frozenset(), index_folder: str | None = None, early: Early | None = None) -> Result:
    """Audit `site_dir`. `allows` says which personal-information hits may stay; `sources`
    maps a built page to the file it came from, for the messages; `prefix` is how the site
    folder is named in them. With `dev_server`, `site_url` is the address `mkdocs serve`
    listens on (often 127.0.0.1): the pages' links to it are the site's own. With `project`,
    what each file says is kept in its cache (`..cache`) and read again only when it changed. `elsewhere`:
    the files other shards of the site make (`shard_build.py`): links may lead there; their anchors are checked there.
    `index_folder`: where the search index is written (its files are kept apart, so that `early` can audit the rest
    while it is made); `early`: that audit, begun by `Early`, taken when the site outside the folder is as it saw it."""
    files = frozenset(files_in(site_dir))
    site = _built_site(site_url, files, elsewhere)
    found = early.found(site_dir, files, site) if early else None
    judging = _Judging(site_dir, site, project, _stamps(site_dir, project), index_folder)
    context = _Context(allows, sources or {}, prefix)
    if found is None:
        found = _Found()
        judging.judge_and_tally(sorted(files), found, context)
    else:  # the rest: the search index's files
        judging.judge_and_tally([path for path in sorted(files) if judging.late(path)], found, context)
    judging.keep(found)
    if is_ipv4(site.host) and not dev_server:
        found.report.add(error(Position("mkdocs.yml"), f"site_url“{site_url}”使用了 IPv4 地址；请使用域名（IPv6 用户无法访问 IPv4 地址）"))
    return Result(found.report, found.pages, len(files), found.hosts(), sorted(found.theme), found.reused)


def _built_site(site_url: str | None, files: frozenset[str], elsewhere: frozenset[str]) -> BuiltSite:
    url = urlsplit(site_url or "")
    return BuiltSite(host=(url.hostname or "").lower(), root=url.path.rstrip("/") + "/", files=files | elsewhere)


def _stamps(site_dir: Path, project: Path | None) -> Stamps:
    return Stamps(site_dir, project / FOLDER / SEEN if project else None, lambda sha: isinstance(sha, str))


@dataclass(frozen=True)
class _Context:
    """What putting the findings together needs besides the files' results."""

    allows: Callable[[Hit], bool]
    sources: dict[str, str]
    prefix: str

    def where(self, path: str, line: int = 0) -> Position:
        return Position(f"{self.prefix}/{path}", line)

    def source_note(self, path: str) -> str:
        return f"（页面来源：{self.sources[path]}）" if path in self.sources else ""


@dataclass
class _Found:
    """What the audited files were found to hold, put together: pages first (links between them are checked
    among them), then the search index's entries (a hit said of a page is not said again of its entry)."""

    report: Findings = field(default_factory=Findings)
    page_hosts: list[tuple[str, str, str]] = field(default_factory=list)
    """(host, how, file) in the pages' order; `asset_hosts` in their files' order."""
    asset_hosts: list[tuple[str, str, str]] = field(default_factory=list)
    reported: set[str] = field(default_factory=set)
    """The personal-information hits of the pages, by key."""
    theme: set[str] = field(default_factory=set)
    pages: int = 0
    reused: int = 0
    judged: set[str] = field(default_factory=set)
    """The keys of the judged results used (the others are pruned from the cache), and `stamps`: each file's stamp
    and digest, `looked`: the files looked for and whether they were there (when the audit was begun early)."""
    stamps: dict[str, list] = field(default_factory=dict)
    looked: dict[str, bool] = field(default_factory=dict)

    def add_pages(self, results: list[PageResult], context: _Context) -> None:
        ids = {r.path: r.ids for r in results}
        for result in results:
            note = context.source_note(result.path)
            for severity, line, message in result.findings:
                self.report.add((error if severity == "error" else warning)(context.where(result.path, line), message + note))
            for target, fragment, line in result.anchors:
                if target in ids and fragment not in ids[target]:
                    self.report.add(error(context.where(result.path, line),
                                          f"链接指向 {target} 中的锚点“#{fragment}”，但该页面没有这个位置" + note))
            self.page_hosts += ((host, how, result.path) for host, how in result.hosts)
            for hit in result.personal:
                if not context.allows(hit):
                    self.report.add(error(context.where(result.path), personal_message(hit) + note))
        self.reported |= {hit.key for result in results for hit in result.personal}
        self.theme = csp.theme_scripts(r.script_hashes for r in results)
        for result in results:
            if result.script_hashes - self.theme:
                self.report.add(error(context.where(result.path), "页面中有内联脚本（直接写在 <script> 中的代码）：内容安全策略不允许执行；"
                                                                  "脚本请写成 .js 文件放在 overrides/assets/ 中引用"
                                                                  + context.source_note(result.path)))
        self.pages, self.reused = len(results), sum(result.reused for result in results)

    def add_entries(self, entries: list[PageResult], context: _Context) -> None:
        for entry in entries:
            for _, _, message in entry.findings:
                self.report.add(error(context.where(entry.path), message))
            for hit in entry.personal:
                if not context.allows(hit) and hit.key not in self.reported:  # else said already, of the page
                    self.report.add(error(context.where(entry.path), "检索索引中" + personal_message(hit)))

    def add_assets(self, assets: list[PageResult], context: _Context) -> None:
        for asset in assets:
            for severity, line, message in asset.findings:
                self.report.add((error if severity == "error" else warning)(context.where(asset.path, line), message))
            self.asset_hosts += ((host, how, asset.path) for host, how in asset.hosts)

    def hosts(self) -> dict[str, dict[str, list[str]]]:
        """Other sites' hosts → how they are referenced → (up to 5) files that do: pages first, then the other files."""
        hosts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for host, how, path in [*self.page_hosts, *sorted(self.asset_hosts, key=itemgetter(2))]:  # (a stable sort)
            where = hosts[host][how]
            if len(where) < 5 and path not in where:
                where.append(path)
        return {h: dict(v) for h, v in sorted(hosts.items())}


# --- one page, in a worker -------------------------------------------------------------

_site: BuiltSite | None = None
_cache = Cache(None)
FACTS = "audit"
JUDGED = "audit-judged"
SEEN = "audit-seen.json"  # beside them: each file's digest, by its stamp
GROUPS = 256
"""The files' facts and judged links are cached in this many groups, by a hash of their path (so that
adding or removing a page changes one group): one cache file a group, as writing tens of thousands
of small files took longer than scanning them (20 s at 10,000 documents)."""


def _init(site: BuiltSite, project: Path | None) -> None:
    global _site, _cache
    _site, _cache = site, Cache(project)


@cache
def _judging_code() -> str:
    """The code a judged result depends on, besides the facts'."""
    return digest([facts.code(), *(Path(module.__file__).read_bytes() for module in (links, sys.modules[__name__]))])  # type: ignore[arg-type]


class _Judging:
    """The files of a site judged group by group (`_audit_group`), and what is kept of it when the audit is over."""

    def __init__(self, site_dir: Path, site: BuiltSite, project: Path | None, stamps: Stamps, index_folder: str | None,
                 pool: bool = True):
        self.site_dir, self.site, self.project, self.stamps = site_dir, site, project, stamps
        self.index_folder, self.pool = index_folder, pool

    def late(self, path: str) -> bool:
        """Whether `path` is a file of the search index (not audited early: `Early`)."""
        return _late(path, self.index_folder)

    def judge_and_tally(self, paths: list[str], found: _Found, context: _Context) -> bool:
        """Judge `paths` (sorted) and add what they hold to `found`; False (and nothing added) when they are too
        many to read without a pool of processes, which this one may not start."""
        html = [path for path in paths if path.endswith(".html")]
        index = [path for path in paths if path.endswith(".pf_fragment")]  # the search index: one entry a page
        assets = [path for path in paths if path.endswith(ASSETS)]
        results = self._judge(html + index + assets, found)
        if results is None:
            return False
        if html:
            found.add_pages(results[:len(html)], context)
        found.add_entries(results[len(html):len(html) + len(index)], context)
        found.add_assets(results[len(html) + len(index):], context)
        return True

    def _judge(self, paths: list[str], found: _Found) -> list[PageResult] | None:
        groups = defaultdict(list)
        for path in paths:
            groups[_group_of(path, self.index_folder)].append(path)
        site_key = digest([_judging_code(), self.site.host, self.site.root])
        looks = not self.pool  # only an early audit is checked against what it looked for (`Early.found`)
        jobs = [(self.site_dir, name, group, [self.stamps.noted(path) for path in group], site_key, looks)
                for name, group in sorted(groups.items())]
        workers = min(os.cpu_count() or 1, 8)
        if sum(sha is None for job in jobs for sha in job[3]) < PARALLEL_FROM or workers == 1:  # to be read
            _init(self.site, self.project)  # (the groups kept: decoding 256 of them took 1.2 s at 10,000 documents)
            judged = parallel.halves(_audit_group, jobs, enough=len(paths) >= parallel.HALVES_FROM)
        elif not self.pool:
            return None
        else:
            # Not fork: under `mkdocs serve` the build shares the process with the server's threads.
            context = multiprocessing.get_context("forkserver")
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(self.site, self.project)) as pool:
                judged = list(pool.map(_audit_group, jobs, chunksize=4))
        results = [result for group, _ in judged for result in group]
        for _, looked in judged:
            found.looked |= looked
        for result in results:
            self.stamps.read(result.path, result.sha)
        found.judged |= {result.judged for result in results}
        found.stamps |= self.stamps.now(paths)
        by_path = {result.path: result for result in results}
        return [by_path[path] for path in paths]

    def keep(self, found: _Found) -> None:
        """Keep the note of the files' stamps; prune what no file of the site uses now from the cache."""
        self.stamps.take(found.stamps)
        self.stamps.save()
        Cache(self.project).prune(FACTS, {_group_of(path, self.index_folder) for path in found.stamps})
        Cache(self.project).prune(JUDGED, found.judged)


def _late(path: str, index_folder: str | None) -> bool:
    if not index_folder:
        return False
    return path.startswith(index_folder) and not path.endswith(".html")


def _group_of(path: str, index_folder: str | None) -> str:
    """The group a file's facts and judged links are kept in: by a hash of its path (so that adding or removing a page
    changes one group), the search index's files apart from the others (`Early` audits those while it is made)."""
    return f"{'index' if _late(path, index_folder) else 'group'}-{zlib.crc32(path.encode('utf-8')) % GROUPS}"


class Early:
    """The audit of the files outside the search index's folder, begun in a forked process while the index is made
    (the index and the audit were a warm build's last 7 s at 10,000 documents, each mostly on one core).

    It is taken (`found`) only when those files are still the ones it read, by name and stamp, and every file their
    links were judged by is (or is not) there as then (the index's own files may have come or gone): else the whole
    site is audited again, as without it."""

    def __init__(self, site_dir: Path, site_url: str | None, allows: Callable[[Hit], bool], sources: dict[str, str],
                 prefix: str, project: Path | None, elsewhere: frozenset[str], index_folder: str):
        files = frozenset(files_in(site_dir))  # listed here, before the index is begun: the folder changes under it
        self.index_folder = index_folder
        self.listed = [path for path in sorted(files) if not _late(path, index_folder)]
        site = _built_site(site_url, files, elsewhere)
        context = _Context(allows, sources, prefix)
        self._begun = parallel.Forked(lambda: _begin(site_dir, site, project, index_folder, self.listed, context))

    def found(self, site_dir: Path, files: frozenset[str], site: BuiltSite) -> _Found | None:
        """What the early audit found, if it still holds for the site as it is now (`files`, `site`)."""
        found = self._begun.answer()
        if not isinstance(found, _Found) or sorted(path for path in files if not _late(path, self.index_folder)) != self.listed:
            return None
        folder = str(site_dir)
        if any(list(stamp(os.path.join(folder, path)) or ()) != at for path, (at, _) in found.stamps.items()):
            return None
        return found if all((path in site.files) == there for path, there in found.looked.items()) else None

    def stop(self) -> None:
        self._begun.stop()


def _begin(site_dir: Path, site: BuiltSite, project: Path | None, index_folder: str, paths: list[str],
           context: _Context) -> _Found | None:
    with contextlib.suppress(OSError):  # a core Pagefind and the merge leave idle, not one they use (3.4 s for 1.6)
        os.nice(10)
    found = _Found()
    judging = _Judging(site_dir, site, project, _stamps(site_dir, project), index_folder, pool=False)
    return found if judging.judge_and_tally(paths, found, context) else None


class _Looked:
    """The site's files, noting which were looked for and whether they were there."""

    def __init__(self, files: Container[str]):
        self.files = files
        self.looked: dict[str, bool] = {}

    def __contains__(self, path: object) -> bool:
        found = self.looked[str(path)] = path in self.files
        return found


def _facts(group: str, paths: list[str], raw: Callable[[str], bytes], shas: list[str]) -> tuple[list[facts.Facts], list[bool]]:
    """What each file of a group says, and whether it was kept: a file whose bytes are as when it was
    last scanned (`shas`: their digests) is not read and scanned again. (Kept by the group's name, each file by its digest.)"""
    entry = _cache.folder / FACTS / f"{group}.json" if _cache.folder else None
    found = read_entry(entry) if entry else None
    noted = found[0] if found and isinstance(found[0], dict) and found[0].get("code") == facts.code() else {}
    files: dict = noted["files"] if isinstance(noted.get("files"), dict) else {}
    said, kept = [], []
    for path, sha in zip(paths, shas):
        was = files.get(path)
        same = isinstance(was, list) and len(was) == 2 and was[0] == sha
        said.append(was[1] if same else _facts_of(path, raw(path)))  # type: ignore[index]
        kept.append(same)
    if entry and not (all(kept) and len(files) == len(paths)):
        write_entry(entry, {"code": facts.code(), "files": {path: [sha, fact] for path, sha, fact in zip(paths, shas, said)}})
    return said, kept


def _facts_of(path: str, raw: bytes) -> facts.Facts:
    if path.endswith(".pf_fragment"):
        return facts.of_index_entry(raw)
    return facts.of_asset(raw, path.endswith(".css")) if path.endswith(ASSETS) else facts.of_page(raw)


def _audit_group(job: tuple[Path, str, list[str], list[str | None], str, bool]) -> tuple[list[PageResult], dict[str, bool]]:
    """The files of one group: judged as before when none of them changed and every file their
    links were judged by is (or is not) there as then; else judged again, from their kept facts
    when none of them changed. A file whose digest is `noted` (its stamp is as when it was read) is not read.
    With the results, the files looked for in judging them and whether they were there, when `looks` (for the shared
    shard of 100,000 documents, 950,000 of them, which the pool's processes would otherwise send back to be held)."""
    site_dir, group, paths, noted, site_key, looks = job
    raws = {path: (site_dir / path).read_bytes() for path, sha in zip(paths, noted) if sha is None}
    shas = [sha or hashlib.sha256(raws[path]).hexdigest() for path, sha in zip(paths, noted)]
    key = digest([facts.code(), *(part for path, sha in zip(paths, shas) for part in (path, sha))])
    judged = digest([key, site_key])
    reused = [True] * len(paths)

    def judge_all() -> dict:
        nonlocal reused
        found, reused = _facts(group, paths, lambda path: raws.get(path) or (site_dir / path).read_bytes(), shas)
        assert _site is not None
        files = _Looked(_site.files)
        judging = Judge(replace(_site, files=files))
        return {"results": [_audit_file(path, fact, judging).as_json() for path, fact in zip(paths, found)], "looked": files.looked}

    def still(kept: dict) -> bool:
        assert _site is not None
        return all((path in _site.files) == there for path, there in kept["looked"].items())

    value, _ = _cache.at(JUDGED, judged, judge_all, still)
    return [PageResult.of_json(path, result, key, judged, kept, sha)
            for path, result, kept, sha in zip(paths, value["results"], reused, shas)], value["looked"] if looks else {}


def _audit_file(path: str, fact: facts.Facts, judging: Judge) -> PageResult:
    if path.endswith(ASSETS):
        return _asset_file(path, fact, judging)
    if path.endswith(".pf_fragment"):
        broken = [("error", 0, "检索索引文件无法读取（不完整或已损坏）：请重新构建")] if fact["broken"] else []
        return PageResult(path, broken, personal=[Hit(*hit) for hit in fact["personal"]])
    result = PageResult(path, ids=frozenset(fact["ids"]))
    for severity, message in fact["rules"]:
        result.findings.append((severity, 0, message))
    for url, line, loads, where in fact["references"]:
        if where == JS_STRING:
            verdict, host = _mention(url, path, judging)
            if verdict.severity:
                result.findings.append((verdict.severity, line, verdict.message))
            if host:
                result.hosts.append((host, "脚本中的网址"))
            continue
        verdict = judging(url, loads, where, path)
        if verdict.severity:
            result.findings.append((verdict.severity, line, verdict.message))
        if verdict.host:
            result.hosts.append((verdict.host, "加载资源" if loads else "链接"))
        if verdict.fragment and verdict.target.endswith(".html"):
            if verdict.target == path:
                if verdict.fragment not in result.ids:
                    result.findings.append(("error", line, f"页内链接“#{verdict.fragment}”没有对应的位置"))
            else:
                result.anchors.append((verdict.target, verdict.fragment, line))
    result.script_hashes = set(fact["scripts"])
    result.personal = [Hit(*hit) for hit in fact["personal"]]
    return result


def _mention(url: str, path: str, judging: Judge) -> tuple[Verdict, str]:
    """A URL written in a script is listed by its host; only an IPv4 address in it is an
    error. Whether the script fetches it cannot be told without running it, and the CSP
    keeps the browser from fetching any host but this one."""
    verdict = judging(url, False, JS_STRING, path)
    host = _HOST.match((urlsplit(url).hostname or "").lower())  # not "${base}" of a template literal
    named = host[0] if host and "." in host[0] and host[0] != judging.site.host else ""
    return (verdict if verdict.kind == "ipv4" else Verdict()), named


def _asset_file(path: str, fact: facts.Facts, judging: Judge) -> PageResult:
    """The references of one stylesheet or script: what they load, and the hosts named in a script."""
    result = PageResult(path)
    for url, line, loads, where in fact["references"]:
        if where == JS_STRING:
            verdict, host, how = *_mention(url, path, judging), "脚本中的网址"
        else:
            verdict = judging(url, loads, where, path)
            host, how = verdict.host, "加载资源"
        if verdict.severity:
            result.findings.append((verdict.severity, line, verdict.message))
        if host:
            result.hosts.append((host, how))
    return result
