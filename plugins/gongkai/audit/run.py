"""Audit a built site: every HTML, CSS and JS file, in one pass.

Pages are scanned in parallel (one process per core) for large sites: each worker judges
its pages' references and rules on its own and returns only what needs the whole site
(anchors in other pages, hosts, inline script hashes). What a file says (`facts.py`) is
kept in the build's cache by its bytes, and so is what each page's references were judged to be,
with the files that judging looked for and whether they were there: a build after a small change
scans only the pages that changed, and judges a page's links again only when a file they lead to
came or went.
"""

from __future__ import annotations

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
from pathlib import Path
from typing import Callable, Container
from urllib.parse import urlsplit

from .. import parallel
from ..cache import FOLDER, Cache, Stamps, digest, files_in, read_entry, write_entry
from ..findings import Findings, Position, error, warning
from ..personal_info import Hit
from ..rules.privacy import message as personal_message
from . import csp, facts, links
from .links import BuiltSite, Verdict, is_ipv4, judge
from .scan import JS_STRING, Reference

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
          elsewhere: frozenset[str] = frozenset()) -> Result:
    """Audit `site_dir`. `allows` says which personal-information hits may stay; `sources`
    maps a built page to the file it came from, for the messages; `prefix` is how the site
    folder is named in them. With `dev_server`, `site_url` is the address `mkdocs serve`
    listens on (often 127.0.0.1): the pages' links to it are the site's own. With `project`,
    what each file says is kept in its cache (`..cache`) and read again only when it changed. `elsewhere`:
    the files other shards of the site make (`shard_build.py`): links may lead there; their anchors are checked there."""
    url = urlsplit(site_url or "")
    files = frozenset(files_in(site_dir))
    site = BuiltSite(host=(url.hostname or "").lower(), root=url.path.rstrip("/") + "/", files=files | elsewhere)
    html = sorted(f for f in files if f.endswith(".html"))
    index = sorted(f for f in files if f.endswith(".pf_fragment"))  # the search index: one entry a page
    assets = sorted(f for f in files if f.endswith(ASSETS))
    scanned = _scan_pages(site_dir, html + index + assets, site, project)
    results, entries, styles_and_scripts = scanned[:len(html)], scanned[len(html):len(html) + len(index)], scanned[len(html) + len(index):]
    sources = sources or {}
    report = Findings()
    if is_ipv4(site.host) and not dev_server:
        report.add(error(Position("mkdocs.yml"), f"site_url“{site_url}”使用了 IPv4 地址；请使用域名（IPv6 用户无法访问 IPv4 地址）"))
    hosts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    def where(path: str, line: int = 0) -> Position:
        return Position(f"{prefix}/{path}", line)

    def source_note(path: str) -> str:
        return f"（页面来源：{sources[path]}）" if path in sources else ""

    ids = {r.path: r.ids for r in results}
    for result in results:
        for severity, line, message in result.findings:
            add = error if severity == "error" else warning
            report.add(add(where(result.path, line), message + source_note(result.path)))
        for target, fragment, line in result.anchors:
            if target in ids and fragment not in ids[target]:
                report.add(error(where(result.path, line),
                                 f"链接指向 {target} 中的锚点“#{fragment}”，但该页面没有这个位置" + source_note(result.path)))
        for host, how in result.hosts:
            _note(hosts, host, how, result.path)
        for hit in result.personal:
            if not allows(hit):
                report.add(error(where(result.path), personal_message(hit) + source_note(result.path)))
    reported = {hit.key for result in results for hit in result.personal}
    for entry in entries:
        for _, _, message in entry.findings:
            report.add(error(where(entry.path), message))
        for hit in entry.personal:
            if not allows(hit) and hit.key not in reported:  # else said already, of the page
                report.add(error(where(entry.path), "检索索引中" + personal_message(hit)))
    for asset in styles_and_scripts:
        for severity, line, message in asset.findings:
            report.add((error if severity == "error" else warning)(where(asset.path, line), message))
        for host, how in asset.hosts:
            _note(hosts, host, how, asset.path)
    theme = csp.theme_scripts(r.script_hashes for r in results)
    for result in results:
        if result.script_hashes - theme:
            report.add(error(where(result.path), "页面中有内联脚本（直接写在 <script> 中的代码）：内容安全策略不允许执行；"
                                                 "脚本请写成 .js 文件放在 overrides/assets/ 中引用" + source_note(result.path)))
    hashes = sorted(theme)
    reused = sum(result.reused for result in results)
    return Result(report, len(html), len(files), {h: dict(v) for h, v in sorted(hosts.items())}, hashes, reused)


def _note(hosts: dict, host: str, how: str, path: str) -> None:
    where = hosts[host][how]
    if len(where) < 5 and path not in where:
        where.append(path)


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


def _scan_pages(site_dir: Path, paths: list[str], site: BuiltSite, project: Path | None) -> list[PageResult]:
    stamps = Stamps(site_dir, project / FOLDER / SEEN if project else None, lambda sha: isinstance(sha, str))
    groups = defaultdict(list)
    for path in paths:
        groups[zlib.crc32(path.encode("utf-8")) % GROUPS].append(path)
    site_key = digest([_judging_code(), site.host, site.root])
    jobs = [(site_dir, number, group, [stamps.noted(path) for path in group], site_key) for number, group in sorted(groups.items())]
    workers = min(os.cpu_count() or 1, 8)
    if sum(sha is None for job in jobs for sha in job[3]) < PARALLEL_FROM or workers == 1:  # to be read
        _init(site, project)  # (the groups kept: decoding 256 of them took 1.2 s at 10,000 documents)
        halved = parallel.halves(_audit_group, jobs, enough=len(paths) >= parallel.HALVES_FROM)
        results = [result for group in halved for result in group]
    else:
        # Not fork: under `mkdocs serve` the build shares the process with the server's threads.
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(site, project)) as pool:
            results = [result for group in pool.map(_audit_group, jobs, chunksize=4) for result in group]
    Cache(project).prune(FACTS, {_group_entry(number) for number in groups})
    Cache(project).prune(JUDGED, {result.judged for result in results})
    for result in results:
        stamps.read(result.path, result.sha)
    stamps.save()
    by_path = {result.path: result for result in results}
    return [by_path[path] for path in paths]


class _Looked:
    """The site's files, noting which were looked for and whether they were there."""

    def __init__(self, files: Container[str]):
        self.files = files
        self.looked: dict[str, bool] = {}

    def __contains__(self, path: object) -> bool:
        found = self.looked[str(path)] = path in self.files
        return found


def _group_entry(number: int) -> str:
    return f"group-{number}"


def _facts(number: int, paths: list[str], raw: Callable[[str], bytes], shas: list[str]) -> tuple[list[facts.Facts], list[bool]]:
    """What each file of a group says, and whether it was kept: a file whose bytes are as when it was
    last scanned (`shas`: their digests) is not read and scanned again. (Kept by the group's number, each file by its digest.)"""
    entry = _cache.folder / FACTS / f"{_group_entry(number)}.json" if _cache.folder else None
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


def _audit_group(job: tuple[Path, int, list[str], list[str | None], str]) -> list[PageResult]:
    """The files of one group: judged as before when none of them changed and every file their
    links were judged by is (or is not) there as then; else judged again, from their kept facts
    when none of them changed. A file whose digest is `noted` (its stamp is as when it was read) is not read."""
    site_dir, number, paths, noted, site_key = job
    raws = {path: (site_dir / path).read_bytes() for path, sha in zip(paths, noted) if sha is None}
    shas = [sha or hashlib.sha256(raws[path]).hexdigest() for path, sha in zip(paths, noted)]
    key = digest([facts.code(), *(part for path, sha in zip(paths, shas) for part in (path, sha))])
    judged = digest([key, site_key])
    reused = [True] * len(paths)

    def judge_all() -> dict:
        nonlocal reused
        found, reused = _facts(number, paths, lambda path: raws.get(path) or (site_dir / path).read_bytes(), shas)
        assert _site is not None
        files = _Looked(_site.files)
        site = replace(_site, files=files)
        return {"results": [_audit_file(path, fact, site).as_json() for path, fact in zip(paths, found)], "looked": files.looked}

    def still(kept: dict) -> bool:
        assert _site is not None
        return all((path in _site.files) == there for path, there in kept["looked"].items())

    value, _ = _cache.at(JUDGED, judged, judge_all, still)
    return [PageResult.of_json(path, result, key, judged, kept, sha)
            for path, result, kept, sha in zip(paths, value["results"], reused, shas)]


def _audit_file(path: str, fact: facts.Facts, site: BuiltSite) -> PageResult:
    if path.endswith(ASSETS):
        return _asset_file(path, fact, site)
    if path.endswith(".pf_fragment"):
        broken = [("error", 0, "检索索引文件无法读取（不完整或已损坏）：请重新构建")] if fact["broken"] else []
        return PageResult(path, broken, personal=[Hit(*hit) for hit in fact["personal"]])
    result = PageResult(path, ids=frozenset(fact["ids"]))
    for severity, message in fact["rules"]:
        result.findings.append((severity, 0, message))
    for url, line, loads, where in fact["references"]:
        reference = Reference(url, 0, loads, where)
        if where == JS_STRING:
            verdict, host = _mention(reference, path, site)
            if verdict.severity:
                result.findings.append((verdict.severity, line, verdict.message))
            if host:
                result.hosts.append((host, "脚本中的网址"))
            continue
        verdict = judge(reference, path, site)
        if verdict.severity:
            result.findings.append((verdict.severity, line, verdict.message))
        if verdict.host:
            result.hosts.append((verdict.host, "加载资源" if reference.loads else "链接"))
        if verdict.fragment and verdict.target.endswith(".html"):
            if verdict.target == path:
                if verdict.fragment not in result.ids:
                    result.findings.append(("error", line, f"页内链接“#{verdict.fragment}”没有对应的位置"))
            else:
                result.anchors.append((verdict.target, verdict.fragment, line))
    result.script_hashes = set(fact["scripts"])
    result.personal = [Hit(*hit) for hit in fact["personal"]]
    return result


def _mention(reference: Reference, path: str, site: BuiltSite) -> tuple[Verdict, str]:
    """A URL written in a script is listed by its host; only an IPv4 address in it is an
    error. Whether the script fetches it cannot be told without running it, and the CSP
    keeps the browser from fetching any host but this one."""
    verdict = judge(reference, path, site)
    host = _HOST.match((urlsplit(reference.url).hostname or "").lower())  # not "${base}" of a template literal
    named = host[0] if host and "." in host[0] and host[0] != site.host else ""
    return (verdict if verdict.kind == "ipv4" else Verdict()), named


def _asset_file(path: str, fact: facts.Facts, site: BuiltSite) -> PageResult:
    """The references of one stylesheet or script: what they load, and the hosts named in a script."""
    result = PageResult(path)
    for url, line, loads, where in fact["references"]:
        reference = Reference(url, 0, loads, where)
        if where == JS_STRING:
            verdict, host, how = *_mention(reference, path, site), "脚本中的网址"
        else:
            verdict = judge(reference, path, site)
            host, how = verdict.host, "加载资源"
        if verdict.severity:
            result.findings.append((verdict.severity, line, verdict.message))
        if host:
            result.hosts.append((host, how))
    return result
