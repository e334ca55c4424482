"""What each data file gave, kept between builds (`load/memo.py`): the same site and findings as reading
everything, only the changed files read again, and a kept file that is not this user's own never unpickled."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap

import pytest

from conftest import replace_in

LOAD = textwrap.dedent("""
    import datetime, json, sys
    from pathlib import Path
    import gongkai.load as load
    parsed = []
    original = load.parse
    def counted(text, shown):
        parsed.append(shown)
        return original(text, shown)
    load.parse = counted
    root = Path(sys.argv[1])
    site, report = load.load_site(root / "data", root, datetime.date(2024, 1, 1))
    print(json.dumps({"parsed": parsed, "findings": report.lines(),
                      "records": {kind: sorted((id, record.model_dump_json()) for id, record in records.items())
                                  for kind, records in sorted(site.records.items())}}, ensure_ascii=False))
""")


@pytest.fixture
def load_anew(tmp_path, site):
    """Load `site` in a new process (as `mkdocs build` does), with a cache folder of its own for the signing key."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "user-cache"), "PATH": "/usr/bin:/bin"}

    def load() -> dict:
        run = subprocess.run([sys.executable, "-c", LOAD, str(site.root)], capture_output=True, text=True, env=env, timeout=120)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    return load


def test_a_second_build_reads_only_what_changed_and_loads_the_same(site, load_anew):
    first = load_anew()
    assert len(first["parsed"]) >= 6 and (site.root / ".cache/gongkai/records.pickle").is_file()
    again = load_anew()
    assert again["parsed"] == [] and again == {**first, "parsed": []}
    replace_in(site, "data/units/office.yml", "name: 测试区人民政府办公室", "name: 测试区政府办公室")
    replace_in(site, "data/documents/2019/office-rules.yml", "published: 2019-06-05", "published: 2019-02-30")
    changed = load_anew()
    assert sorted(changed["parsed"]) == ["data/documents/2019/office-rules.yml", "data/units/office.yml"]
    assert any("office-rules.yml" in line and "2019-02-30" in line for line in changed["findings"])
    assert "测试区政府办公室" in json.dumps(changed["records"], ensure_ascii=False)
    (site.root / "data/units/office.yml").unlink()  # a file gone is gone from what is kept too
    assert "office" not in dict(load_anew()["records"]["units"])


class Planted:
    """Unpickling it runs a shell command."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


@pytest.mark.parametrize("signature", [b"", b"0" * 64, b"forged-by-the-commit"])
def test_a_kept_file_not_signed_by_this_user_is_never_unpickled(site, load_anew, tmp_path, signature):
    # A `.cache/` committed to the repository, or written by another user, could run code when unpickled.
    marker = tmp_path / "ran"
    expected = load_anew()
    kept = site.root / ".cache/gongkai/records.pickle"
    kept.write_bytes(signature + b"\n" + pickle.dumps({"stamp": "", "outcomes": {"x": Planted(f"touch {marker}")}}))
    assert load_anew() == expected
    assert not marker.exists()


def test_a_key_others_can_read_is_not_trusted(site, load_anew, tmp_path):
    load_anew()
    key = tmp_path / "user-cache/gongkai/memo-key"
    key.chmod(0o644)  # anyone could sign with it
    assert load_anew()["parsed"] != []
    assert key.stat().st_mode & 0o077 == 0  # a new key, the user's alone
