"""`gongkai check` and `mkdocs build` read the same options from mkdocs.yml and find the same."""

from __future__ import annotations

import subprocess
import sys

import pytest
from mkdocs.exceptions import Abort

from conftest import replace_in

OPTIONS = 'as_of: "2024-01-01"'


def build_findings(site) -> list[str]:
    try:
        message = site.build_error(strict=True)
    except AssertionError:  # the build passed
        return []
    return sorted(line.strip() for line in message.splitlines()[1:] if line.startswith("  "))


def check_findings(site) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-m", "gongkai.cli", "check", "--strict"], cwd=site.root, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if "：错误：" in line or "：警告：" in line or ": 错误：" in line or ": 警告：" in line]
    return done.returncode, sorted(lines)


@pytest.mark.parametrize("options", [
    OPTIONS,
    'as_of: "2024-01-01"\n      interpretation_days: 0',
    'as_of: "2030-06-01"',
    'as_of: "2021-05-20"\n      interpretation_days: 10',
])
def test_check_and_build_find_the_same_for_each_option(doc_site, options):
    replace_in(doc_site, "mkdocs.yml", OPTIONS, options)
    code, found = check_findings(doc_site)
    assert found == build_findings(doc_site)
    assert code == (1 if found else 0)


def test_options_change_what_is_found(doc_site):
    _, default = check_findings(doc_site)
    replace_in(doc_site, "mkdocs.yml", OPTIONS, 'as_of: "2030-06-01"')
    _, later = check_findings(doc_site)
    assert default != later  # the 2026 expiry is only seen from 2030: the option is read, not ignored


def test_a_bad_as_of_is_one_message_in_both(doc_site):
    replace_in(doc_site, "mkdocs.yml", OPTIONS, 'as_of: "2024-13-01"')
    done = subprocess.run([sys.executable, "-m", "gongkai.cli", "check"], cwd=doc_site.root, capture_output=True, text=True)
    assert done.returncode == 1 and "as_of 应写作 YYYY-MM-DD，而不是“2024-13-01”" in done.stderr
    with pytest.raises(Abort):
        doc_site.build()
