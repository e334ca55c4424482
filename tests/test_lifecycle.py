"""Deriving a document's 有效性 from its dates and events."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.model.document import Document
from gongkai.model.lifecycle import IN_FORCE, STATUSES, status_on, timeline

D = datetime.date


def make(id="a", written=D(2020, 1, 1), published=D(2020, 1, 5), effective=None, expires=None, events=()):
    return Document.model_validate(
        {
            "title": "测试文件", "kind": "规范性文件", "issuer": "u", "category": "规章和规范性文件",
            "written": written.isoformat(), "published": published.isoformat(),
            "effective": effective.isoformat() if effective else None,
            "expires": expires.isoformat() if expires else None,
            "events": list(events),
        }
    ).placed(id, None)


def test_not_yet_in_force_before_effective_date():
    doc = make(effective=D(2020, 3, 1))
    assert status_on(doc, D(2020, 2, 29), {}) == "尚未生效"
    assert status_on(doc, D(2020, 3, 1), {}) == "现行有效"


def test_repeal_by_another_document_takes_its_effective_date():
    new = make("b", D(2021, 1, 1), D(2021, 1, 5), effective=D(2021, 2, 1))
    old = make(events=[{"type": "废止", "by": "b"}])
    documents = {"a": old, "b": new}
    assert status_on(old, D(2021, 1, 31), documents) == "现行有效"
    assert status_on(old, D(2021, 2, 1), documents) == "已废止"


def test_amendment_keeps_the_document_in_force():
    doc = make(events=[{"type": "修改", "by": "b", "date": "2021-01-01"}])
    assert status_on(doc, D(2020, 12, 31), {}) == "现行有效"
    assert status_on(doc, D(2021, 1, 1), {}) == "已修改"
    assert "已修改" in IN_FORCE


def test_expiry_lapses_the_day_after_and_a_cleanup_can_extend_it():
    doc = make(expires=D(2022, 12, 31))
    assert status_on(doc, D(2022, 12, 31), {}) == "现行有效"
    assert status_on(doc, D(2023, 1, 1), {}) == "已失效"
    extended = make(expires=D(2022, 12, 31), events=[
        {"type": "清理", "campaign": "c", "outcome": "继续有效", "until": "2025-12-31", "date": "2022-11-30"}])
    assert status_on(extended, D(2023, 1, 1), {}) == "现行有效"
    assert status_on(extended, D(2026, 1, 1), {}) == "已失效"


def test_cleanup_outcomes():
    repealed = make(events=[{"type": "清理", "campaign": "c", "outcome": "废止", "date": "2021-06-30"}])
    lapsed = make(events=[{"type": "清理", "campaign": "c", "outcome": "失效", "date": "2021-06-30"}])
    to_amend = make(events=[{"type": "清理", "campaign": "c", "outcome": "修改", "date": "2021-06-30"}])
    day = D(2021, 7, 1)
    assert [status_on(d, day, {}) for d in (repealed, lapsed, to_amend)] == ["已废止", "已失效", "已修改"]


def test_first_ending_is_final():
    doc = make(events=[{"type": "失效", "date": "2021-01-01"}, {"type": "废止", "reason": "x", "date": "2022-01-01"}])
    assert status_on(doc, D(2023, 1, 1), {}) == "已失效"


def test_timeline_is_ordered_and_names_each_step():
    doc = make(effective=D(2020, 2, 1), expires=D(2024, 12, 31),
               events=[{"type": "修改", "by": "b", "date": "2022-01-01"}])
    steps = timeline(doc, {})
    assert [(s.date, s.kind) for s in steps] == [
        (D(2020, 1, 5), "发布"), (D(2020, 2, 1), "施行"), (D(2022, 1, 1), "修改"), (D(2025, 1, 1), "届满")]


# --- properties ------------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=3000).map(lambda n: D(2018, 1, 1) + datetime.timedelta(days=n))
event = st.one_of(
    st.builds(lambda d: {"type": "修改", "by": "x", "date": d.isoformat()}, days),
    st.builds(lambda d: {"type": "废止", "reason": "r", "date": d.isoformat()}, days),
    st.builds(lambda d: {"type": "失效", "date": d.isoformat()}, days),
    st.builds(lambda d, o: {"type": "清理", "campaign": "c", "outcome": o, "date": d.isoformat()},
              days, st.sampled_from(["继续有效", "修改", "废止", "失效"])),
)


@st.composite
def documents(draw):
    written = draw(days)
    published = written + datetime.timedelta(days=draw(st.integers(0, 40)))
    effective = published + datetime.timedelta(days=draw(st.integers(0, 60)))
    expires = draw(st.one_of(st.none(), st.builds(lambda n: effective + datetime.timedelta(days=n), st.integers(0, 2000))))
    return make(written=written, published=published, effective=effective, expires=expires,
                events=draw(st.lists(event, max_size=5)))


@settings(max_examples=300, deadline=None)
@given(documents(), days, days)
def test_an_ended_document_never_comes_back(doc, day1, day2):
    first, later = sorted((day1, day2))
    before, after = status_on(doc, first, {}), status_on(doc, later, {})
    assert before in STATUSES and after in STATUSES
    if before in ("已废止", "已失效"):
        assert after == before


@settings(max_examples=300, deadline=None)
@given(documents(), days)
def test_not_yet_in_force_exactly_before_the_effective_date(doc, day):
    assert (status_on(doc, day, {}) == "尚未生效") == (day < doc.effective_date)


@settings(max_examples=300, deadline=None)
@given(documents(), days)
def test_in_force_past_expiry_is_impossible(doc, day):
    last = doc.expires
    extended = any(e.until for e in doc.events)
    if last and not extended and day > last:
        assert status_on(doc, day, {}) not in IN_FORCE


@settings(max_examples=300, deadline=None)
@given(documents(), days)
def test_without_any_event_or_expiry_a_document_is_in_force_from_its_effective_date(doc, day):
    plain = make(written=doc.written, published=doc.published, effective=doc.effective)
    expected = "尚未生效" if day < plain.effective_date else "现行有效"
    assert status_on(plain, day, {}) == expected
