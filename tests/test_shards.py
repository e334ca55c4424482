"""The demo platform built in its three shards (mkdocs.yml: streets, departments, shared) and merged is the single build."""

from __future__ import annotations

import datetime
import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_search_parts import counted_as_the_filters_say, decoded, finds_the_same

from conftest import GIT, REPO, TODAY
from gongkai.load import load_site
from gongkai.pages import generate
from gongkai.project import copy_platform
from gongkai.search.merge import SORT_VALUES
from gongkai.search.parts import BUNDLE
from gongkai.shard_build import BuiltFrom
from gongkai.shards import MANIFEST, ShardRule

SHARDS = ["shared", "streets", "departments"]


def gongkai(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], cwd=root, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


def build_shard(root: Path, name: str, out: str | None = None) -> Path:
    done = gongkai(root, "shards", "build", name, *(["-d", out] if out else []))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root / (out or f"shards/{name}")


@pytest.fixture(scope="module")
def sharded(tmp_path_factory) -> Path:
    """The demo, its three shards built one by one as the pipeline's matrix jobs build them, then merged into site/."""
    root = tmp_path_factory.mktemp("sharded")
    copy_platform(REPO, root)
    for name in SHARDS:
        build_shard(root, name)
    done = gongkai(root, "shards", "merge", *(f"shards/{name}" for name in SHARDS))
    assert done.returncode == 0, done.stderr
    assert "已把 3 个分片（shared、streets、departments）合并发布到" in done.stdout
    return root


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_the_shards_merged_are_the_single_build_page_for_page(sharded, demo_site):
    merged, single = sharded / "site", demo_site.out
    pages = {f for f in files_of(single) if not f.startswith(f"{BUNDLE}/")}
    assert {f for f in files_of(merged) if not f.startswith(f"{BUNDLE}/")} == pages
    assert len([f for f in pages if f.endswith(".html")]) > 450
    differ = [f for f in sorted(pages) if not filecmp.cmp(merged / f, single / f, shallow=False)]
    assert differ == []  # the audit report too: the same findings (none), hosts, policy and counts


def test_each_shard_makes_only_its_own_pages(sharded):
    written = {}
    for name in SHARDS:
        manifest = json.loads((sharded / "shards" / name / MANIFEST).read_text(encoding="utf-8"))
        written[name] = set(manifest["written"])
        made = files_of(sharded / "shards" / name) - {MANIFEST}
        assert {f for f in made if not f.startswith((f"{BUNDLE}/", "audit/"))} == written[name]
    assert "disclosure/hbjd/index.html" in written["streets"] and "units/mzj/index.html" in written["departments"]
    assert {"index.html", "404.html", "sitemap.xml", "documents/register/index.html"} <= written["shared"]
    streets = json.loads((sharded / "shards/streets" / MANIFEST).read_text(encoding="utf-8"))["records"]
    assert set(streets["units"]) == {p.stem for p in (REPO / "data/units").glob("*jd.yml")}


def test_planning_the_pages_exports_no_spreadsheet(monkeypatch):
    # A shard publishes a tenth of the catalogs: they are exported as they are written, not when the pages are planned
    # (every shard once exported all 3,000 units' catalogs at its start)
    from gongkai import sheets

    monkeypatch.setattr(sheets, "_workbook", lambda *args: pytest.fail("a spreadsheet exported while planning"))
    monkeypatch.setattr(sheets, "_EXPORTED", {})
    site, report = load_site(REPO / "data", REPO, TODAY)
    planned = [uri for view in generate(site) for uri, _ in view.files if uri.endswith(".xlsx")]
    assert len(planned) >= 5  # the standards' and the units' catalogs


def test_a_shard_plans_the_pages_it_does_not_make_by_their_outline_alone():
    """What another shard's page would show (its template's data, search entry, crumbs) is not held by this shard's build."""
    site, report = load_site(REPO / "data", REPO, TODAY)
    assert not report.errors
    rule = ShardRule.of({"streets": ["*jd"], "departments": ["*j", "gxq"]})
    every = generate(site)
    for name in SHARDS:
        planned = generate(site, whole=rule.made_by(name))
        assert [view.src_uri for view in planned] == [view.src_uri for view in every]
        ours = [(mine, full) for mine, full in zip(planned, every) if rule.shard_of(full.owner) == name]
        assert ours and all(mine == full for mine, full in ours)
        others = [(mine, full) for mine, full in zip(planned, every) if rule.shard_of(full.owner) != name]
        assert others and all(mine.context == {} and mine.search is None and not mine.crumbs for mine, _ in others)
        assert all((mine.title, mine.date, mine.markdown, mine.files, mine.in_nav, mine.owner, mine.bodies_of)
                   == (full.title, full.date, full.markdown, full.files, full.in_nav, full.owner, full.bodies_of) for mine, full in others)


def test_the_merged_search_index_says_what_the_single_builds_says(sharded, demo_site):
    single, merged = decoded(demo_site.out / BUNDLE), decoded(sharded / "site" / BUNDLE)
    assert single["page_count"] > 100 and merged["words"].keys() == single["words"].keys()
    for key in single:
        assert merged[key] == single[key], key
    assert counted_as_the_filters_say(sharded / "site" / BUNDLE, single["filters"], single["language"])


@pytest.mark.browser
def test_every_query_finds_the_same_on_the_sharded_site(sharded, demo_site, browser):
    finds_the_same(demo_site.out, sharded / "site", browser)


# --- The merge refuses what is not one whole site, and leaves the published site as it was ----------


@pytest.fixture
def published(sharded, tmp_path) -> Path:
    site = tmp_path / "published"
    site.mkdir()
    (site / "index.html").write_text("上次发布的网站", encoding="utf-8")
    return site


def refused(sharded: Path, published: Path, *folders: Path) -> str:
    done = gongkai(sharded, "shards", "merge", *map(str, folders), "-d", str(published))
    assert done.returncode == 1, done.stdout
    assert (published / "index.html").read_text(encoding="utf-8") == "上次发布的网站"
    return done.stderr


def test_a_missing_shard_is_refused(sharded, published):
    message = refused(sharded, published, sharded / "shards/shared", sharded / "shards/streets")
    assert "缺少分片：departments（mkdocs.yml 中的分片：shared、streets、departments）" in message
    assert "有的文件没有分片生成" in message and "等 348 个" in message


def test_a_shard_given_twice_is_refused(sharded, published):
    shards = [sharded / "shards" / name for name in SHARDS]
    message = refused(sharded, published, *shards, shards[1])
    assert "同一个分片给出了两次：streets" in message and "有的文件由两个分片生成" in message


def test_a_shard_built_from_other_data_is_refused(sharded, published, tmp_path):
    other = tmp_path / "other"
    copy_platform(REPO, other)
    unit = other / "data/units/hbjd.yml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("updated: ", "updated: 2026-11-20\n# 原日期：", 1), encoding="utf-8")
    stale = build_shard(other, "streets")
    message = refused(sharded, published, sharded / "shards/shared", stale, sharded / "shards/departments")
    assert "各分片不是由同一份数据、代码和日期构建的" in message


@pytest.mark.parametrize("damage", ["delete", "garble"])
def test_a_folder_without_a_sound_manifest_is_refused(sharded, published, tmp_path, damage):
    copy = tmp_path / "streets"
    shutil.copytree(sharded / "shards/streets", copy, copy_function=os.link)
    (copy / MANIFEST).unlink()
    if damage == "garble":
        (copy / MANIFEST).write_text('{"shard": "streets", "planned": 3}', encoding="utf-8")
    message = refused(sharded, published, sharded / "shards/shared", copy, sharded / "shards/departments")
    assert f"不是分片构建的结果（没有 {MANIFEST}，或它已损坏）" in message


def test_a_written_file_gone_from_its_shard_is_refused(sharded, published, tmp_path):
    copy = tmp_path / "departments"
    shutil.copytree(sharded / "shards/departments", copy, copy_function=os.link)
    (copy / "units/mzj/index.html").unlink()
    message = refused(sharded, published, sharded / "shards/shared", sharded / "shards/streets", copy)
    assert "分片清单中的文件不在分片目录中：departments: units/mzj/index.html" in message


def built_from_inputs(tmp_path: Path):
    data, docs, theme = (tmp_path / name for name in ("data", "content", "overrides"))
    for folder in (data / "documents", docs, theme):
        folder.mkdir(parents=True)
    (data / "documents" / "a.yml").write_text("title: 甲\n", encoding="utf-8")
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: 测试\n", encoding="utf-8")
    config = SimpleNamespace(docs_dir=str(docs), theme=SimpleNamespace(custom_dir=str(theme)),
                             config_file_path=str(tmp_path / "mkdocs.yml"))
    return config, data


def test_what_a_shard_is_built_from_is_worked_out_aside_as_here(tmp_path, monkeypatch):
    config, data = built_from_inputs(tmp_path)
    aside = BuiltFrom(config, data, TODAY)
    assert aside._process is not None
    digest = aside.digest()
    other = subprocess.run([sys.executable, "-m", "gongkai.shard_build", *aside._inputs], capture_output=True, text=True)
    assert other.stdout.strip() == digest  # what the other process answers
    monkeypatch.setattr(subprocess, "Popen", lambda *args, **kwargs: (_ for _ in ()).throw(OSError("no processes")))
    assert BuiltFrom(config, data, TODAY).digest() == digest  # worked out here, the same
    (data / "documents" / "a.yml").write_text("title: 乙\n", encoding="utf-8")
    assert BuiltFrom(config, data, TODAY).digest() != digest
    (data / "documents" / "a.yml").write_text("title: 甲\n", encoding="utf-8")
    monkeypatch.undo()
    assert BuiltFrom(config, data, TODAY).digest() == digest
    assert BuiltFrom(config, data, TODAY + datetime.timedelta(days=1)).digest() != digest


# --- The rule in mkdocs.yml, the plan, and the shards a change touches ----------------------------


@pytest.mark.parametrize(("rule", "expected"), [
    ('shared: ["*jd"]', "分片名“shared”应由小写字母"),
    ('"第一片": ["*jd"]', "分片名“第一片”应由小写字母"),
    ("streets: []", "分片“streets”应列出它包含的机构编号"),
])
def test_a_mistaken_rule_stops_the_build(site, rule, expected):
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        '      as_of: "2024-01-01"\n', f'      as_of: "2024-01-01"\n      shards:\n        {rule}\n', 1))
    assert "shards:" in (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert expected in site.build_error()


def test_a_shard_no_unit_falls_in_builds_empty(tmp_path):
    root = tmp_path / "ghost"
    copy_platform(REPO, root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('        streets: ["*jd"]\n', '        streets: ["*jd"]\n        ghost: [zzz]\n', 1),
                      encoding="utf-8")
    done = gongkai(root, "shards", "plan")
    assert "提示：分片规则中的“zzz”没有对应任何机构" in done.stderr
    shard = build_shard(root, "ghost")
    assert json.loads((shard / MANIFEST).read_text(encoding="utf-8"))["written"] == []
    assert not (shard / BUNDLE).exists()  # nothing to index: no index to merge


def test_an_unknown_shard_is_refused(sharded):
    done = gongkai(sharded, "shards", "build", "villages")
    assert done.returncode == 1 and "没有名为“villages”的分片；mkdocs.yml 中的分片：shared、streets、departments" in done.stderr


def test_a_check_report_that_cannot_be_written_stops_the_build_with_a_message(sharded):
    done = gongkai(sharded, "shards", "build", "streets", "-d", "shards/x", "--check-report", "no-such-folder/check.md")
    assert done.returncode == 1 and "无法写出数据校验报告" in done.stderr and "no-such-folder/check.md" in done.stderr
    assert "Traceback" not in done.stderr and not (sharded / "shards/x").exists()


def test_the_plan_names_every_unit_and_page_once(sharded):
    assert json.loads(gongkai(sharded, "shards", "plan", "--format", "json").stdout) == SHARDS
    rows = [line.split() for line in gongkai(sharded, "shards", "plan").stdout.splitlines()[1:4]]
    assert [row[0] for row in rows] == SHARDS
    assert sum(int(row[1]) for row in rows) == len(list((REPO / "data/units").glob("*.yml")))
    assert int(rows[1][1]) == len(list((REPO / "data/units").glob("*jd.yml")))
    written = sum(len([f for f in json.loads((sharded / "shards" / n / MANIFEST).read_text(encoding="utf-8"))["written"]
                       if f.endswith("index.html")]) for n in SHARDS)
    assert abs(sum(int(row[3]) for row in rows) - written) <= 5  # the plan counts Markdown pages; the theme adds 404.html…


def test_a_change_names_the_shards_it_touches(clone):
    def affected(*args: str) -> list[str]:
        done = gongkai(clone, "shards", "affected", "main", *args, "--format", "json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert affected() == ["shared"]  # nothing changed: the shared pages are always built
    unit = clone / "data/units/hbjd.yml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("updated: ", "updated: 2026-11-20\n# 原日期：", 1), encoding="utf-8")
    assert affected() == ["shared", "streets"]
    subprocess.run([*GIT, "commit", "-qam", "更新街道信息"], cwd=clone, check=True)
    assert affected("HEAD") == ["shared", "streets"]
    theme = clone / "overrides/main.html"
    theme.write_text(theme.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert affected() == SHARDS  # the theme is in every page


def test_each_shard_notes_its_pages_sort_values_for_the_merge_and_the_site_publishes_none(sharded):
    noted = [name for name in SHARDS if (sharded / "shards" / name / BUNDLE / SORT_VALUES).is_file()]
    assert noted == [name for name in SHARDS if (sharded / "shards" / name / BUNDLE).is_dir()] and noted
    assert not list((sharded / "site").rglob(SORT_VALUES))
