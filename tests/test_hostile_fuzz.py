"""Generated YAML, well-formed or broken, in every kind of data file: the loader and
`gongkai check` answer with findings, never a traceback."""

from __future__ import annotations

import datetime

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import small_platform
from gongkai.check import check_data
from gongkai.cli import main

TARGETS = [
    "data/units/fuzz.yml", "data/documents/2020/fuzz-2020-1.yml", "data/reports/office/2021.yml",
    "data/catalogs/standard/hjgl.yml", "data/catalogs/units/office/hjgl.yml", "data/disclosure/office.yml",
    "data/privacy.yml", "data/site.yml", "data/holidays/2027.yml", "data/campaigns/fuzz.yml", "data/requests/office.yml",
]
FIELDS = ["name", "title", "type", "phone", "staff", "rows", "changes", "allowed", "reviewed", "written", "published",
          "issuer", "events", "attachments", "file", "code", "body", "levels", "date", "<<", "~", "0595"]
SCALARS = st.one_of(
    st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
    st.dates().map(str), st.sampled_from(["2020-13-45", "0595-2235", "13812345678", "yes", "no", "~", "<script>", "../x"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=5)),
    max_leaves=20,
)
NOISE = st.sampled_from([":", "- ", "&a ", "*a", "*b", "!!python/object:os.system ", "|", ">", "{", "}", "[", "]", "#",
                         "'", '"', "\t", "\n", "  ", "%YAML 1.1\n", "---\n", "\x00", "\ufeff", "? ", "@", "`", "\\"])


@st.composite
def yaml_texts(draw) -> str:
    data = draw(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=6) | VALUES)
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=draw(st.booleans()))
    for _ in range(draw(st.integers(0, 4))):  # then break it where an editor's slip would
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(NOISE) + text[at:]
    return text


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    return small_platform(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(TARGETS), text=yaml_texts())
def test_the_loader_never_raises(platform, target, text):
    path = platform.root / target
    original = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        _, report = check_data(platform.root / "data", platform.root, datetime.date(2024, 1, 1), content_dir=platform.root / "content")
        assert isinstance(report.lines(), list)
    finally:
        path.unlink()
        if original is not None:
            path.write_bytes(original)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(TARGETS), text=yaml_texts(), front=yaml_texts())
def test_gongkai_check_answers_in_chinese_for_any_data_and_front_matter(platform, target, text, front):
    page_file, data_file = platform.root / "content/fuzz.md", platform.root / target
    original = data_file.read_bytes() if data_file.exists() else None
    page_file.write_text(f"---\n{front}\n---\n\n# 页面\n\n正文。\n", encoding="utf-8", errors="surrogatepass")
    data_file.parent.mkdir(parents=True, exist_ok=True)
    data_file.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        result = CliRunner().invoke(main, ["check", "-f", str(platform.root / "mkdocs.yml")])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code == 1 and "校验未通过" in result.output  # the page at least is not a valid one
    finally:
        page_file.unlink()
        data_file.unlink()
        if original is not None:
            data_file.write_bytes(original)


def test_the_fuzzed_platform_is_valid_to_begin_with(platform):
    _, report = check_data(platform.root / "data", platform.root, datetime.date(2024, 1, 1), content_dir=platform.root / "content")
    assert report.errors == []
