"""The final job of a sharded build: the shards' folders become the one site, or nothing does.

Before a file is placed, the manifests (`shard_build.py`) must show that the shards are of one
site and complete: every shard built from the same data, code and day; every one planned the
same files; each file written by exactly one shard, and all of them written; no unit,
document or 文号 claimed by two shards. Then each shard's files are linked into the new site
(no copy; a file missing from its shard's folder is found so, and the new site is not published),
the shards' search indexes are merged into one (`search/merge.py`: the index one Pagefind run
over the whole site would give), and their audit reports into one.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from .audit.report import REPORT_FILE, load_report, write_report_data
from .cache import link
from .linker import Linking
from .search.merge import SORT_VALUES, WORDS_NOTED, MergeError, merge
from .search.parts import BUNDLE
from .shards import MANIFEST

SHOWN = 10  # examples named in a message


class ShardsDisagree(Exception):
    """The message is Chinese: why these folders do not make one site."""


@dataclass
class Shard:
    folder: Path
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.manifest["shard"])

    @classmethod
    def read(cls, folder: Path) -> Shard:
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            valid = isinstance(manifest, dict) and isinstance(manifest.get("shard"), str) and all(
                isinstance(manifest.get(key), list) for key in ("planned", "written")) and isinstance(manifest.get("records"), dict)
        except (OSError, UnicodeDecodeError, ValueError):
            valid = False
        if not valid:
            raise ShardsDisagree(f"{folder} 不是分片构建的结果（没有 {MANIFEST}，或它已损坏）：请用 gongkai shards build 构建")
        return cls(folder, manifest)


def merge_shards(folders: list[Path], out: Path, report_dir: str | None, site_name: str) -> list[Shard]:
    """Put the shards built into `folders` together in `out` (a new folder, for the caller to publish or remove);
    ShardsDisagree when they are not one site."""
    shards = [Shard.read(folder) for folder in folders]
    _check(shards)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    # linked by another process meanwhile: 300,000 files and 170,000 folders at 100,000 documents, 14 s of system calls
    linking = Linking(out, [(f"{shard.folder}/{path}", f"{out}/{path}") for shard in shards for path in shard.manifest["written"]])
    try:
        _merge_search(shards, out)
    except BaseException:
        linking.stop()
        raise
    _written_linked(linking, shards, out)
    if report_dir:
        files = sum(len(shard.manifest["written"]) for shard in shards) + sum(len(found) for _, _, found in os.walk(out / BUNDLE))
        _merge_reports(shards, out / report_dir, site_name, files)
    return shards


def _check(shards: list[Shard]) -> None:
    problems = []
    names = [shard.name for shard in shards]
    if len(set(names)) != len(names):
        problems.append(f"同一个分片给出了两次：{'、'.join(sorted({n for n in names if names.count(n) > 1}))}")
    expected = shards[0].manifest.get("shards") or []
    if absent_shards := [name for name in expected if name not in names]:
        problems.append(f"缺少分片：{'、'.join(absent_shards)}（mkdocs.yml 中的分片：{'、'.join(expected)}）")
    if len({shard.manifest.get("built_from") for shard in shards}) != 1:
        problems.append("各分片不是由同一份数据、代码和日期构建的（来自不同的提交或不同的日子）：请在同一次流水线中重新构建全部分片")
    planned = set(shards[0].manifest["planned"])
    if any(set(shard.manifest["planned"]) != planned for shard in shards[1:]):
        problems.append("各分片规划的网站不同（分片规则或数据不一致）")
    writers: dict[str, list[str]] = defaultdict(list)
    for shard in shards:
        for path in shard.manifest["written"]:
            writers[path].append(shard.name)
    twice = sorted(path for path, by in writers.items() if len(by) > 1)
    missing = sorted(planned - writers.keys())
    problems += _listed("有的文件由两个分片生成", twice) + _listed("有的文件没有分片生成", missing)
    problems += _claimed_twice(shards)
    if problems:
        _refuse(problems)


def _written_linked(linking: Linking, shards: list[Shard], out: Path) -> None:
    """Wait for each shard's files to be linked into `out`; refuse when one is not in its shard's folder (found by
    linking: looking for each first took 16 s at 100,000 documents)."""
    if linking.finished():
        return
    absent = []  # one could not be linked: link them all again here, noting each that is not there
    for shard in shards:
        for path in shard.manifest["written"]:
            try:
                link(shard.folder / path, out / path)
            except OSError:
                if (shard.folder / path).is_file():
                    raise
                absent.append(f"{shard.name}: {path}")
    if absent:
        _refuse(_listed("分片清单中的文件不在分片目录中", sorted(absent)))


def _refuse(problems: list[str]) -> NoReturn:
    raise ShardsDisagree("各分片无法合并为一个网站，没有生成任何文件：\n" + "\n".join(f"  {p}" for p in problems))


def _claimed_twice(shards: list[Shard]) -> list[str]:
    """The cross-shard checks, on the manifests alone: a unit, document or 文号 in two shards."""
    problems = []
    for kind, what in (("units", "机构"), ("documents", "文件")):
        owners: dict[str, list[str]] = defaultdict(list)
        for shard in shards:
            for key in shard.manifest["records"].get(kind, {}):
                owners[key].append(shard.name)
        problems += _listed(f"有的{what}编号出现在两个分片中", [f"{k}（{'、'.join(v)}）" for k, v in sorted(owners.items()) if len(v) > 1])
    numbers: dict[str, list[str]] = defaultdict(list)
    for shard in shards:
        for key, doc in shard.manifest["records"].get("documents", {}).items():
            if doc.get("number"):
                numbers[doc["number"]].append(f"{shard.name}/{key}")
    problems += _listed("有的文号被不同分片的文件同时使用", [f"{n}（{'、'.join(v)}）" for n, v in sorted(numbers.items()) if len(v) > 1])
    return problems


def _listed(what: str, items: list[str]) -> list[str]:
    if not items:
        return []
    more = f" 等 {len(items)} 个" if len(items) > SHOWN else ""
    return [f"{what}：{'，'.join(items[:SHOWN])}{more}"]


def _merge_search(shards: list[Shard], out: Path) -> None:
    bundles = [shard.folder / BUNDLE for shard in shards if (shard.folder / BUNDLE / "pagefind-entry.json").is_file()]
    if len(bundles) == 1:
        shutil.copytree(bundles[0], out / BUNDLE, copy_function=_link, ignore=shutil.ignore_patterns(SORT_VALUES, WORDS_NOTED))
    elif bundles:
        try:
            merge(bundles, out / BUNDLE)
        except MergeError as error:
            raise ShardsDisagree(f"各分片的站内搜索索引无法合并：{error}") from None


def _merge_reports(shards: list[Shard], folder: Path, site_name: str, files: int) -> None:
    """The shards' audit reports as one, of a site of `files` files (counted from the manifests: walking the
    merged site of 100,000 documents to count them took 15 s)."""
    reports = [load_report(shard.folder / folder.name / REPORT_FILE) for shard in shards
               if (shard.folder / folder.name / REPORT_FILE).is_file()]
    if not reports:
        return
    policies = {report["content_security_policy"] for report in reports}
    if len(policies) != 1:
        raise ShardsDisagree("各分片的构建检查得出了不同的内容安全策略（Content-Security-Policy）：页面的内联脚本不一致，请检查主题")
    hosts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for report in reports:
        for host, uses in report["hosts"].items():
            for how, where in uses.items():
                hosts[host][how] = sorted({*hosts[host][how], *where})[:5]
    findings = sorted((f for report in reports for f in report["findings"]), key=lambda f: (f["file"], f["line"], f["message"]))
    merged = {**reports[0], "pages": sum(r["pages"] for r in reports), "files": files,
              "errors": sum(r["errors"] for r in reports), "warnings": sum(r["warnings"] for r in reports),
              "findings": findings, "hosts": {host: dict(uses) for host, uses in sorted(hosts.items())}}
    write_report_data(merged, folder, site_name)


def _link(source: str, target: str) -> None:
    link(Path(source), Path(target))
