"""The same commit builds the same bytes: a publish that changes nothing changes no file."""

from __future__ import annotations

import hashlib
import json

import pytest

from conftest import REPO, Sandbox, both_cores_busy
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
