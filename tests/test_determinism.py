"""The same commit builds the same bytes: a publish that changes nothing changes no file."""

from __future__ import annotations

import datetime
import hashlib
import json
import re

import pytest

from conftest import REPO, Sandbox, both_cores_busy, page
from gongkai.project import copy_platform


def digests(folder) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_in_two_places_are_byte_identical(demo_site, tmp_path):
    # A second checkout somewhere else: no absolute path, time of day or hash-map order may leak into the output.
    other = Sandbox(tmp_path / "elsewhere" / "checkout")
    copy_platform(REPO, other.root)
    other.build(strict=True)
    first, second = digests(demo_site.out), digests(other.out)
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []
    # the files most at risk: the search index, spreadsheets, Word documents, the feed, sitemaps, the audit report
    kinds = {path.rsplit(".", 1)[-1] for path in first}
    assert {"pf_filter", "pf_meta", "pf_index", "pf_fragment", "xlsx", "docx", "xml", "gz", "json"} <= kinds


@pytest.mark.slow
def test_builds_under_load_are_byte_identical(demo_site, tmp_path):
    # Pagefind's index was once read while still being written: under load two builds then differed.
    builds = []
    with both_cores_busy():
        for run in range(3):
            other = Sandbox(tmp_path / f"run{run}")
            copy_platform(REPO, other.root)
            other.build(strict=True)
            builds.append(digests(other.out))
    reference = digests(demo_site.out)
    for files in builds:
        assert sorted(files) == sorted(reference)
        assert [path for path in reference if files[path] != reference[path]] == []
    entry = json.loads((demo_site.out / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]  # the file every search starts from, complete


def lastmods(sandbox) -> dict[str, str]:
    sitemap = (sandbox.out / "sitemap.xml").read_text(encoding="utf-8")
    return dict(re.findall(r"<loc>([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>", sitemap))


def build_at(sandbox, monkeypatch, moment: str) -> None:
    """Build as if the clock said `moment` (ISO 8601, with its offset)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime.datetime.fromisoformat(moment).timestamp())))
    sandbox.build(strict=True)


def test_the_sitemap_does_not_depend_on_the_hour_of_the_build(site, monkeypatch):
    # Shards built before midnight and a build after it once disagreed: MkDocs dates a page without one by the clock.
    site.write("content/index.md", page("首页", "测试平台首页。", date=None))
    built = []
    for moment in ("2024-05-01T10:00:00+00:00", "2024-07-09T23:30:00+00:00"):
        build_at(site, monkeypatch, moment)
        built.append(lastmods(site))
    assert built[0] == built[1]
    assert built[0]["https://test.example.gov.cn/"] == "2024-01-01"  # the home page has no date: the build day (as_of)
    assert built[0]["https://test.example.gov.cn/units/"] != "2024-01-01"  # a page with its own date keeps it


def test_a_page_without_a_date_is_dated_by_the_build_day_in_china(site, monkeypatch):
    site.write("content/index.md", page("首页", "测试平台首页。", date=None))
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace('as_of: "2024-01-01"', "{}"))
    build_at(site, monkeypatch, "2024-05-01T20:30:00+00:00")  # 04:30 on 2 May in Beijing
    assert lastmods(site)["https://test.example.gov.cn/"] == "2024-05-02"
