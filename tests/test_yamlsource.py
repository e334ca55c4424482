"""Reading YAML: values stay text, positions are kept, duplicate keys and syntax errors are caught."""

import pickle
import tracemalloc

import pytest

from gongkai.findings import Position
from gongkai.load.yamlsource import YamlProblem, parse
from gongkai.model.labels import dotted


def test_scalars_stay_text_so_the_schema_decides_their_type():
    data, _ = parse("phone: 0595\ncode: 010\nflag: no\nday: 2020-08-20\nempty:\nnull_word: null\n", "x.yml")
    assert data == {"phone": "0595", "code": "010", "flag": "no", "day": "2020-08-20", "empty": None, "null_word": None}


def test_quoted_null_is_text():
    data, _ = parse('a: "null"\n', "x.yml")
    assert data == {"a": "null"}


def test_positions_of_nested_values():
    text = "name: 甲\nstaff:\n  - name: 乙\n    phone: 123\n  - name: 丙\n"
    _, source = parse(text, "data/units/a.yml")
    assert source.at(("staff", 0, "phone")) == Position("data/units/a.yml", 4, 12)
    assert source.at(("staff", 1, "name")) == Position("data/units/a.yml", 5, 11)
    # a field that is not written points at its nearest written ancestor
    assert source.at(("staff", 1, "phone")) == Position("data/units/a.yml", 5, 5)


def test_files_written_alike_keep_their_own_positions_and_key_positions():
    first, second = "title: 甲\nkeywords:\n  - 一\n", "\n\ntitle:   乙\nkeywords:\n    - 二\n"
    _, a = parse(first, "a.yml")
    _, b = parse(second, "b.yml")
    assert (a.at(("keywords", 0)), b.at(("keywords", 0))) == (Position("a.yml", 3, 5), Position("b.yml", 5, 7))
    assert (a.key_at(("title",)), b.key_at(("title",))) == (Position("a.yml", 1, 1), Position("b.yml", 3, 1))
    assert (a.at(("title",)), b.at(("title",))) == (Position("a.yml", 1, 8), Position("b.yml", 3, 10))
    # a forked process hands back what it read: the positions survive pickling
    again = pickle.loads(pickle.dumps(b))
    assert (again.at(("keywords", 0)), again.key_at(("keywords",))) == (Position("b.yml", 5, 7), Position("b.yml", 4, 1))


def test_the_positions_of_many_records_take_little_memory():
    """A platform holds the source map of each of its 100,000 records through the build."""
    text = "".join(f"field{k}:\n  - {k}\n  - name: x\n    phone: y\n" for k in range(10))
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [parse(text, f"data/documents/2026/d{n}.yml")[1] for n in range(1000)]
    per_file = (tracemalloc.get_traced_memory()[0] - before) / len(kept)
    tracemalloc.stop()
    assert kept[-1].at(("field9", 1, "phone")) == Position("data/documents/2026/d999.yml", 40, 12)
    assert per_file < 2000, f"{per_file:.0f} bytes per file for 70 positions"


def test_duplicate_key_is_an_error_not_silently_dropped():
    with pytest.raises(YamlProblem) as caught:
        parse("name: 甲\ntype: 其他\nname: 乙\n", "data/units/a.yml")
    finding = caught.value.finding
    assert finding.is_error
    assert finding.position == Position("data/units/a.yml", 3, 1)
    assert "字段“name”在同一层重复出现" in finding.message


def test_syntax_error_names_the_line_in_chinese():
    with pytest.raises(YamlProblem) as caught:
        parse("name: 甲\nfunctions:\n  - 一\n - 二\n", "data/units/a.yml")
    finding = caught.value.finding
    assert finding.position.file == "data/units/a.yml"
    assert finding.position.line == 4
    assert finding.message.startswith("YAML 语法错误")


def test_two_documents_in_one_file():
    with pytest.raises(YamlProblem) as caught:
        parse("name: 甲\n---\nname: 乙\n", "a.yml")
    assert "一个文件只能写一条记录" in caught.value.finding.message


def test_empty_file():
    with pytest.raises(YamlProblem) as caught:
        parse("# 只有注释\n", "a.yml")
    assert caught.value.finding.message == "文件为空"


def test_self_referencing_anchor_does_not_hang():
    with pytest.raises(YamlProblem) as caught:
        parse("a: &x\n  - *x\n", "a.yml")
    assert "嵌套层级过深" in caught.value.finding.message


def test_field_paths_count_items_from_one():
    assert dotted(("staff", 1, "phone")) == "staff.第2项.phone"
