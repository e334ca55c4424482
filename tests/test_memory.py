"""What the build does with Python's cycle collector (plugins/gongkai/memory.py): the records and pages
are set aside from it while the build runs, and given back to it when the build ends, however it ends."""

from __future__ import annotations

import gc

import pytest

from conftest import Sandbox, page, replace_in
from gongkai import memory


@pytest.fixture(autouse=True)
def nothing_set_aside_before():
    gc.unfreeze()
    yield
    gc.unfreeze()


def watch_the_collector(site: Sandbox) -> None:
    """A hook noting, while a page is rendered, whether the collector runs and how much is set aside from it."""
    site.write("watch.py", """\
        import gc
        from pathlib import Path

        def on_page_content(html, page, **kwargs):
            with Path(__file__).with_name("seen.txt").open("a") as seen:
                seen.write(f"{gc.isenabled()} {gc.get_freeze_count()}\\n")
            if "FAIL-HERE" in html:
                raise RuntimeError("a page failed to render")
        """)
    replace_in(site, "mkdocs.yml", "markdown_extensions:", "hooks:\n  - watch.py\nmarkdown_extensions:")


def seen_while_rendering(site: Sandbox) -> list[tuple[bool, int]]:
    lines = (site.root / "seen.txt").read_text().split("\n")
    return [(enabled == "True", int(frozen)) for enabled, frozen in (line.split() for line in lines if line)]


def test_a_build_sets_its_objects_aside_and_gives_them_back(site: Sandbox):
    watch_the_collector(site)
    site.build()
    seen = seen_while_rendering(site)
    assert seen, "no page was rendered"
    assert all(enabled for enabled, _ in seen)  # the cycles rendering leaves are still collected
    assert min(frozen for _, frozen in seen) > 10_000  # the records, views and pages: set aside
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_build_failing_while_rendering_gives_them_back(site: Sandbox):
    watch_the_collector(site)
    site.write("content/broken.md", page("坏页", "FAIL-HERE"))
    with pytest.raises(RuntimeError, match="a page failed to render"):
        site.build()
    assert seen_while_rendering(site) and min(frozen for _, frozen in seen_while_rendering(site)) > 0
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_build_stopped_by_its_data_sets_nothing_aside(site: Sandbox):
    replace_in(site, "data/site.yml", "host:", "host_typo:")
    site.build_error()
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_build_failed_by_a_warning_gives_them_back(site: Sandbox):
    site.write("content/linking.md", page("链接", "[无此页](no-such-page.md)"))
    site.build_error(strict=True)
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_pausing_the_collector_leaves_it_as_it_was():
    with memory.collection_paused():
        assert not gc.isenabled()
        with memory.collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not start it again within the outer one
    assert gc.isenabled()
    with pytest.raises(KeyError):
        with memory.collection_paused():
            raise KeyError("x")
    assert gc.isenabled()
    gc.disable()
    try:
        with memory.collection_paused():
            pass
        assert not gc.isenabled()  # stopped before, stays stopped
    finally:
        gc.enable()
