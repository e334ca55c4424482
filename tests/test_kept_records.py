"""What reading the data files gave is kept between builds (`load/kept.py`): a new process reads again
only the files that changed, gives the same records and the same findings, and never trusts a kept file
that is damaged, planted or written by other code."""

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai.load as load
from conftest import REPO, Sandbox
from gongkai import parallel
from gongkai.cache import write_sound_bytes
from gongkai.load import kept, load_site
from gongkai.model.register import status_on

BAD_DATE = """\
title: 日期写错的文件
kind: 政策解读
interprets: fgj-2020-11
issuer: fgj
written: 2020-02-30
published: 2020-03-04
category: 重大建设项目
"""


@pytest.fixture
def platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo's data, with one file in error, and a count of the files parsed (in `parsed`)."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "data/documents/2020/bad-date.yml").write_text(BAD_DATE, encoding="utf-8")
    counted = load.parse

    def parse(text: str, shown: str):
        parsed.append(shown)
        return counted(text, shown)

    parsed.clear()
    monkeypatch.setattr(load, "parse", parse)
    return tmp_path


parsed: list[str] = []


def new_process() -> None:
    """Forget what this process read, as a new build's process starts."""
    load._READ.clear()
    kept._on_disk.clear()
    kept._noted.clear()


def loaded(root: Path) -> tuple[dict, list[str]]:
    new_process()
    parsed.clear()
    site, report = load_site(root / "data", root)
    kept.save_noted()  # as the plugin does once the build is over
    records = {kind: {id: (r.model_dump(warnings=False), r.at(), r.path) for id, r in found.items()} for kind, found in site.records.items()}
    return records, report.lines()


def test_a_new_process_reads_no_file_again_and_finds_the_same(platform: Path):
    first, first_report = loaded(platform)
    files = len(parsed)
    assert files > 100 and any("日期" in line and "bad-date.yml" in line for line in first_report)
    again, report = loaded(platform)
    assert parsed == []
    assert again == first and report == first_report


READ_AHEAD = """
import json, shutil, sys
from pathlib import Path
import gongkai.load as load
from gongkai.load import kept, load_site

root, parsed, counted = Path(sys.argv[1]), [], load.parse
load.parse = lambda text, shown: parsed.append(shown) or counted(text, shown)

def loaded(read_ahead_from):
    load.READ_AHEAD_FROM = read_ahead_from
    load._READ.clear(), kept._on_disk.clear(), kept._noted.clear(), parsed.clear()
    shutil.rmtree(root / ".cache/gongkai/records", ignore_errors=True)  # nothing read before
    site, report = load_site(root / "data", root)
    return {kind: {id: (r.model_dump(warnings=False), r.at(), r.path) for id, r in found.items()}
            for kind, found in site.records.items()}, report.lines(), len(parsed)

alone, alone_report, in_one_process = loaded(10**9)
shared, report, in_this_process = loaded(0)
print(json.dumps([shared == alone, report == alone_report, in_one_process, in_this_process]))
"""


@pytest.mark.skipif(parallel.cpu_count() < 2, reason="a second process is forked only with a second core")
def test_files_not_read_before_are_read_half_in_a_forked_process_and_give_the_same(platform: Path):
    # in a process of its own: one thread and little memory, as a build's is when it reads the data (a fork is safe)
    run = subprocess.run([sys.executable, "-c", READ_AHEAD, str(platform)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    same_records, same_report, in_one_process, in_this_process = json.loads(run.stdout)
    assert same_records and same_report
    assert in_one_process > 100 and 0 < in_this_process < in_one_process * 0.6  # the rest were parsed by the forked process


def test_an_edited_file_is_read_again_and_only_its_kept_file_rewritten(platform: Path):
    loaded(platform)
    folder = platform / ".cache/gongkai/records"
    before = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    edited = platform / "data/documents/2020/bad-date.yml"
    edited.write_text(BAD_DATE.replace("2020-02-30", "2020-02-28"), encoding="utf-8")
    records, report = loaded(platform)
    assert parsed == ["data/documents/2020/bad-date.yml"] and not any("bad-date.yml" in line for line in report)
    assert records["documents"]["bad-date"][0]["written"].isoformat() == "2020-02-28"
    after = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    assert [name for name in after if after[name] != before.get(name)] == [f"{kept.bucket(edited):02d}.pickle"]
    edited.unlink()
    records, report = loaded(platform)
    assert parsed == [] and "bad-date" not in records["documents"]


def test_a_damaged_kept_file_is_not_used(platform: Path):
    first = loaded(platform)
    damaged = next((platform / ".cache/gongkai/records").iterdir())
    data = bytearray(damaged.read_bytes())
    data[-10] ^= 0xFF
    damaged.write_bytes(bytes(data))
    assert loaded(platform) == first and parsed  # the files it held were read again
    assert loaded(platform) == first and parsed == []  # and kept again


class Planted:
    def __reduce__(self):
        return (os.system, ("touch planted-ran",))


@pytest.mark.parametrize("plant", [
    Planted(),  # a function to run
    shutil.rmtree,  # a function of the standard library to hand back
    status_on,  # one of the models' modules: only their classes are made
])
def test_a_planted_kept_file_runs_nothing_and_is_not_used(platform: Path, plant, monkeypatch):
    first = loaded(platform)
    monkeypatch.chdir(platform)
    planted = next((platform / ".cache/gongkai/records").iterdir())
    outcomes = kept._read(planted)
    key = next(iter(outcomes))
    outcomes[key] = dataclasses.replace(outcomes[key], findings=[plant])
    write_sound_bytes(planted, [kept.code_digest().encode("ascii"), b"\n", pickle.dumps(outcomes)])  # digests right
    assert loaded(platform) == first
    assert len(parsed) == len(outcomes) and not (platform / "planted-ran").exists()


def test_files_kept_by_other_code_are_not_used(platform: Path, monkeypatch):
    first = loaded(platform)
    monkeypatch.setattr(kept, "_code", ["another version of gongkai"])
    assert loaded(platform) == first and len(parsed) > 100


@pytest.mark.parametrize("command", [("mkdocs", "build", "--strict"), ("gongkai.cli", "check")], ids=["build", "check"])
def test_mkdocs_build_and_gongkai_check_keep_what_they_read_once_they_are_over(site: Sandbox, command: tuple[str, ...]):
    done = site.run(*command)
    assert done.returncode == 0, done.stderr
    outcomes = {key: outcome for path in (site.root / ".cache/gongkai/records").glob("*.pickle")
                for key, outcome in kept._read(path).items()}
    data_files = {path.resolve() for path in (site.root / "data").rglob("*.yml")}
    assert {key[0] for key in outcomes} == data_files
    assert all(outcome.record is not None and not outcome.findings for outcome in outcomes.values())
