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


def test_pages_wait_for_the_theme_compressed_and_other_plugins_see_their_html(site: Sandbox):
    """MkDocs converts every page before it writes the first: their HTML waits compressed, not in the pages,
    and is let go of once the page is written."""
    site.write("held.py", """\
        from pathlib import Path

        from mkdocs.plugins import event_priority

        seen, pages = {}, []

        def on_page_content(html, page, **kwargs):
            seen[page.file.src_uri] = html

        def on_env(env, config, files, **kwargs):
            held = sum(len(file.page.content or "") for file in files.documentation_pages() if file.page)
            Path(__file__).with_name("held.txt").write_text(f"{len(seen)} {held}")
            pages.extend(file.page for file in files.documentation_pages() if file.page)

        @event_priority(200)  # before the build lets go of all pages
        def on_post_build(config, **kwargs):
            Path(__file__).with_name("kept.txt").write_text(str(sum(1 for page in pages if page.content)))

        def on_page_context(context, page, **kwargs):
            same = bool(page.content) and page.content == seen[page.file.src_uri]
            with Path(__file__).with_name("given.txt").open("a") as given:
                given.write(f"{page.file.src_uri}\\t{same}\\n")
            return context
        """)
    replace_in(site, "mkdocs.yml", "markdown_extensions:", "hooks:\n  - held.py\nmarkdown_extensions:")
    site.build()
    converted, held = (int(n) for n in (site.root / "held.txt").read_text().split())
    assert converted > 20 and held == 0
    # in the process that renders it through the theme (the build's, or a helper's: `parallel.py`)
    given = [line.split("\t") for line in (site.root / "given.txt").read_text().splitlines()]
    assert len({uri for uri, same in given if same == "True"}) == converted
    assert (site.root / "kept.txt").read_text() == "0"  # nor once it is written
    assert "规范性文件" in (site.root / "site/documents/index.html").read_text(encoding="utf-8")


def test_mkdocs_build_ends_without_freeing_its_objects_once_the_site_is_published(site: Sandbox):
    """Python's teardown frees every object one by one (some 10 s after a shard of 100,000 documents): skipped
    by `mkdocs build` once the site is published; never by a build that failed, one under a profiler, nor a program
    building within itself."""
    site.write("exit_hook.py", """\
        import atexit
        from pathlib import Path

        atexit.register(lambda: Path(__file__).with_name("torn-down.txt").write_text("yes"))
        """)
    replace_in(site, "mkdocs.yml", "markdown_extensions:", "hooks:\n  - exit_hook.py\nmarkdown_extensions:")
    built = site.run("mkdocs", "build", "--strict")
    assert built.returncode == 0 and "Documentation built" in built.stderr
    assert (site.root / "site/documents/index.html").is_file() and not (site.root / "torn-down.txt").exists()
    profiled = site.run("cProfile", "-o", "build.prof", "-m", "mkdocs", "build", "--strict")  # writes it at exit
    assert profiled.returncode == 0 and (site.root / "build.prof").stat().st_size > 0
    assert (site.root / "torn-down.txt").exists()
    (site.root / "torn-down.txt").unlink()
    site.write("content/linking.md", page("链接", "[无此页](no-such-page.md)"))
    failed = site.run("mkdocs", "build", "--strict")
    assert failed.returncode == 1 and "Aborted with 1 warnings in strict mode" in failed.stdout + failed.stderr
    assert (site.root / "torn-down.txt").exists()
    site.remove("content/linking.md")
    site.build()  # within this process (as the tests build): the process goes on
    assert (site.out / "documents/index.html").is_file()


def test_work_is_halved_in_a_forked_process_only_while_this_one_is_small(monkeypatch):
    """A forked process copies what it touches: past `HALVES_HELD_MOST`, the work is done here alone, with the same answers."""
    from gongkai import parallel

    forks: list[int] = []
    real = parallel.Forked.__init__

    def counted(self, work):
        forks.append(1)
        real(self, work)

    monkeypatch.setattr(parallel.Forked, "__init__", counted)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(parallel, "safe_to_fork", lambda: True)
    items = list(range(parallel.HALVES_FROM + 1))
    assert parallel.held_bytes() > 10 << 20  # this test process, read from the system
    monkeypatch.setattr(parallel, "held_bytes", lambda: parallel.HALVES_HELD_MOST)
    assert parallel.halves(lambda n: n * n, items) == [n * n for n in items] and forks == [1]
    monkeypatch.setattr(parallel, "held_bytes", lambda: parallel.HALVES_HELD_MOST + 1)
    assert parallel.halves(lambda n: n * n, items) == [n * n for n in items] and forks == [1]  # no second fork
