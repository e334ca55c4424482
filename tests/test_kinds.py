"""The registry of record kinds (`model.kinds`): what every part of the platform reads from it."""

from __future__ import annotations

import fnmatch

import pytest

from conftest import REPO
from gongkai import rules
from gongkai.cli import new
from gongkai.load import load_site
from gongkai.model.kinds import KINDS, kind_of
from gongkai.pages import PAGES, generate, paths


@pytest.fixture(scope="module")
def demo():
    site, report = load_site(REPO / "data", REPO)
    assert not report.errors
    return site


def test_kinds_are_named_once():
    assert len({k.attribute for k in KINDS}) == len(KINDS)
    assert len({k.path for k in KINDS}) == len(KINDS)
    assert [k.order for k in KINDS] == sorted(k.order for k in KINDS)


def test_every_record_with_a_page_gets_that_page(demo):
    made = {view.src_uri for view in generate(demo)}
    checked = set()
    for kind in KINDS:
        if kind.single or kind.page is None:
            continue
        for id, record in demo.records_of(kind.attribute).items():
            assert kind_of(record) is kind
            assert paths.of(record) == kind.page_of(id) in made
            checked.add(kind.attribute)
    assert {"units", "documents", "reports", "plans"} <= checked


def test_every_data_file_is_described_by_its_kinds_schema():
    for kind in KINDS:
        files = sorted((REPO / "data").glob(f"{kind.path}.yml" if kind.single else f"{kind.path}/**/*.yml"))
        for file in files:
            shown = file.relative_to(REPO).as_posix()
            # fnmatch's * crosses folders; a glob's **/ also matches no folder at all
            globs = [g for schema in kind.schemas for g in (*schema.globs, *(g.replace("**/", "") for g in schema.globs))]
            assert any(fnmatch.fnmatch(shown, g) for g in globs), (kind.attribute, shown)


def test_a_kinds_modules_are_found_without_being_listed():
    from gongkai.pages import plans as plan_pages
    from gongkai.rules import plans as plan_rules

    assert plan_pages.views in PAGES
    assert set(plan_rules.RULES) <= set(rules.RULES)
    assert rules.RULES[-1] is rules.calendar_known  # counted last, after every rule that uses the calendar


def test_kinds_with_a_starter_have_a_new_command():
    for kind in KINDS:
        if kind.noun:
            assert kind.noun in new.commands and kind.starter
