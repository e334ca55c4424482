"""The change algebra: a unit's catalog is the standard with its deletions, modifications and additions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from gongkai.model.catalog import CatalogRow, StandardCatalog, UnitCatalog, adopt, changes_between


def row(code: str, item: str = "户口登记", **fields) -> dict:
    base = {"code": code, "item": item, "subitem": f"事项{code}", "content": "内容", "basis": "依据", "deadline": "实时公开",
            "subject": "县级公安机关", "channels": {"政府网站": "必选"}, "audience": ["全社会"], "mode": ["主动"], "levels": ["县级"]}
    return {**base, **fields}


STANDARD = StandardCatalog.model_validate({"title": "标准", "issuer": "公安部", "rows": [row("01"), row("02"), row("03", "居民身份证")]})


def catalog(*changes) -> UnitCatalog:
    return UnitCatalog.model_validate({"compiled": "2020-08-30", "changes": list(changes)}).placed("u/hjgl", None)


def test_without_changes_the_catalog_is_the_standard():
    result = adopt(STANDARD, catalog())
    assert result.rows == STANDARD.rows and result.notes == [] and result.problems == []


def test_delete_modify_add():
    result = adopt(STANDARD, catalog(
        {"action": "删除", "row": "02", "reason": "不承担"},
        {"action": "修改", "row": "03", "update": {"subject": "派出所", "mode": ["主动", "依申请"]}, "reason": "下放"},
        {"action": "新增", "after": "01", "new": row("01A"), "reason": "本地事项"},
        {"action": "新增", "new": row("09", "便民服务"), "reason": "本地事项"},
    ))
    assert [r.code for r in result.rows] == ["01", "01A", "03", "09"]
    assert result.rows[2].subject == "派出所" and result.rows[2].mode == ["主动", "依申请"]
    assert result.rows[2].basis == "依据"  # untouched fields stay as in the standard
    assert [(n.number, n.action, n.row) for n in result.notes] == [(1, "删除", "02"), (2, "修改", "03"), (3, "新增", "01A"), (4, "新增", "09")]
    assert result.notes[1].before == {"公开主体": "县级公安机关", "公开方式": "主动"}
    assert result.notes[1].after == {"公开主体": "派出所", "公开方式": "主动、依申请"}
    assert result.notes[0].before["二级事项"] == "事项02"
    assert result.problems == []


@pytest.mark.parametrize("change, field, message", [
    ({"action": "删除", "row": "07", "reason": "x"}, "row", "事项序号“07”不在标准目录中"),
    ({"action": "修改", "row": "01", "update": {"subject": "县级公安机关"}, "reason": "x"}, "update.subject", "“公开主体”与标准目录相同，不是修改"),
    ({"action": "修改", "row": "01", "update": {}, "reason": "x"}, "update", "修改内容为空"),
    ({"action": "新增", "new": row("02"), "reason": "x"}, "new.code", "序号“02”已被标准目录使用，新增事项请另编序号"),
    ({"action": "新增", "after": "99", "new": row("10"), "reason": "x"}, "after", "插入位置“99”不在目录中"),
])
def test_changes_that_do_not_fit(change, field, message):
    result = adopt(STANDARD, catalog(change))
    assert [(p.index, p.field, p.message) for p in result.problems] == [(0, field, message)]
    assert result.rows == STANDARD.rows


def test_deleting_twice():
    result = adopt(STANDARD, catalog({"action": "删除", "row": "02", "reason": "x"}, {"action": "删除", "row": "02", "reason": "y"}))
    assert [(p.index, p.message) for p in result.problems] == [(1, "事项序号“02”已在前面的变动中删除")]


def test_a_change_needs_a_reason():
    with pytest.raises(ValidationError) as caught:
        catalog({"action": "删除", "row": "02"})
    assert caught.value.errors()[0]["loc"] == ("changes", 0, "reason")
    with pytest.raises(ValidationError):
        catalog({"action": "删除", "row": "02", "reason": "  "})


def test_a_change_needs_what_it_changes():
    with pytest.raises(ValidationError) as caught:
        catalog({"action": "修改", "row": "01", "reason": "x"})
    assert caught.value.errors()[0]["msg"] == "“修改”需要填写 update（修改内容）"


# --- changes_between is the inverse of adopt ----------------------------------------------------

edits = st.lists(st.tuples(st.sampled_from(["keep", "drop", "edit"]), st.booleans()), min_size=3, max_size=3)


@settings(max_examples=200, deadline=None)
@given(edits, st.lists(st.sampled_from(["末尾", "中间", "开头"]), max_size=3))
def test_changes_between_then_adopt_gives_back_the_rows(plan, additions):
    rows: list[CatalogRow] = []
    for original, (what, flag) in zip(STANDARD.rows, plan):
        if what == "keep":
            rows.append(original)
        elif what == "edit":
            rows.append(original.model_copy(update={"subject": "街道" if flag else "派出所", "levels": ["乡级"]}))
    for n, where in enumerate(additions):
        new = CatalogRow.model_validate(row(f"N{n}", "新增"))
        rows.insert({"末尾": len(rows), "中间": min(1, len(rows)), "开头": 0}[where], new)
    changes = changes_between(STANDARD.rows, rows)
    for change in changes:
        change["reason"] = "理由"
    result = adopt(STANDARD, catalog(*changes))
    assert result.problems == []
    assert result.rows == rows


def test_the_notes_show_a_deadline_as_the_sentence_people_read():
    from gongkai.model.catalog import DeadlineRule, RowUpdate, show, shown_changes

    rule = DeadlineRule(days=10, unit="工作日", trigger="标准调整")
    assert show(rule) == "标准调整之日起10个工作日内"
    both = RowUpdate(deadline="标准调整之日起10个工作日内", deadline_rule=rule)
    assert shown_changes(both, ["deadline", "deadline_rule"]) == {"公开时限": "标准调整之日起10个工作日内"}  # once, not twice
    assert shown_changes(RowUpdate(deadline_rule=rule), ["deadline_rule"]) == {"公开时限": "标准调整之日起10个工作日内"}
