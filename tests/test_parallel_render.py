"""Rendering faster changes no byte: the shared navigation and the forked helpers
(plugins/gongkai/pages/shared_nav.py, plugins/gongkai/parallel.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from test_determinism import digests

from conftest import REPO, Sandbox, page, replace_in, small_platform, with_audit
from gongkai.project import copy_platform


def build_in_process_of_its_own(site: Sandbox, *extra: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` in a fresh process: one thread, so the renderers may fork."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", *extra], cwd=site.root,
                          capture_output=True, text=True, timeout=600)


def with_material_partials_only(site: Sandbox, overrides) -> None:
    """The same site on a copy of our overrides without the shared-nav partials: Material's own, every page."""
    copy = site.root / "overrides-plain"
    shutil.copytree(overrides, copy)
    for partial in ("nav", "tabs"):
        (copy / "partials" / f"{partial}.html").unlink()
    replace_in(site, "mkdocs.yml", f"custom_dir: {overrides}", f"custom_dir: {copy}")


def assert_same_bytes(folder, other) -> None:
    ours, theirs = digests(folder), digests(other)
    assert sorted(ours) == sorted(theirs)
    assert [path for path in ours if ours[path] != theirs[path]] == []


def processes(site: Sandbox, count: int) -> None:
    replace_in(site, "mkdocs.yml", "  - gongkai:\n", f"  - gongkai:\n      processes: {count}\n")


def twin_platforms(tmp_path) -> tuple[Sandbox, Sandbox]:
    """Two copies of the small platform, with a hand-written page in the nav beneath a unit's
    page (which is outside the nav): the one page whose navigation may not be shared."""
    sites = []
    for name in ("shared", "plain"):
        site = small_platform(tmp_path / name)
        site.write("content/units/office/history.md", page("沿革", "本单位的沿革。"))
        replace_in(site, "mkdocs.yml", "      - units/directory.md\n", "      - units/directory.md\n      - units/office/history.md\n")
        sites.append(site)
    return sites[0], sites[1]


def test_the_shared_navigation_is_byte_for_byte_materials_own(tmp_path):
    shared, plain = twin_platforms(tmp_path)
    with_material_partials_only(plain, REPO / "overrides")
    for site in (shared, plain):
        processes(site, 1)
        built = build_in_process_of_its_own(site)
        assert built.returncode == 0, built.stderr
    assert_same_bytes(shared.out, plain.out)
    # the unit beneath which a nav page lies links it as a child; its sibling, through the parent
    assert 'href="history/"' in (shared.out / "units/office/index.html").read_text(encoding="utf-8")
    assert 'href="../office/history/"' in (shared.out / "units/gov/index.html").read_text(encoding="utf-8")


def test_pages_rendered_by_two_processes_equal_those_rendered_by_one(tmp_path):
    one, two = twin_platforms(tmp_path)
    processes(one, 1)
    processes(two, 2)
    for site in (one, two):
        built = build_in_process_of_its_own(site)
        assert built.returncode == 0, built.stderr
    assert_same_bytes(one.out, two.out)


def test_a_page_of_many_megabytes_is_rendered_before_the_helpers_and_alike(tmp_path):
    one, two = twin_platforms(tmp_path)
    paragraphs = "\n\n".join(f"第 {n} 段 " + "gongkai " * 12 for n in range(21_000))  # 2.2 million characters (2.4 MB: a page file may have 4)
    for site in (one, two):
        site.write("content/about/long.md", page("很长的页面", paragraphs))
    processes(one, 1)
    processes(two, 2)
    built = [subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-v"], cwd=site.root, capture_output=True,
                            text=True, timeout=600) for site in (one, two)]
    assert [b.returncode for b in built] == [0, 0], built[1].stderr
    assert "在复制渲染进程之前先生成 1 个很大的页面：about/long.md" in built[1].stderr
    assert "很大的页面" not in built[0].stderr  # (one process: nothing is forked)
    assert_same_bytes(one.out, two.out)
    assert len((two.out / "about/long/index.html").read_text(encoding="utf-8")) > 2_000_000


def test_the_demo_built_in_parallel_with_shared_navigation_equals_materials_serial_build(demo_site, tmp_path):
    serial = Sandbox(tmp_path / "demo")
    copy_platform(REPO, serial.root)
    for partial in ("nav", "tabs"):
        (serial.root / "overrides" / "partials" / f"{partial}.html").unlink()
    processes(serial, 1)
    parallel = Sandbox(tmp_path / "parallel")
    shutil.copytree(serial.root, parallel.root)
    shutil.copytree(REPO / "overrides", parallel.root / "overrides", dirs_exist_ok=True)
    replace_in(parallel, "mkdocs.yml", "      processes: 1\n", "      processes: 2\n")
    for site in (serial, parallel):
        built = build_in_process_of_its_own(site)
        assert built.returncode == 0, built.stderr
    assert_same_bytes(serial.out, parallel.out)
    assert len([path for path in digests(serial.out) if path.endswith("index.html")]) > 400


def test_links_to_anchors_are_checked_alike_whichever_process_renders_either_page(doc_site, tmp_path):
    # a hand-written page and a document's body link to each other's anchors, in processes of their own
    replace_in(doc_site, "data/documents/2020/a-2020-1.md", "## 第二章　主动公开", "## 第二章　主动公开 {#chapter-2}\n\n见[说明](../about.md#scope)、[缺](../about.md#nowhere)")
    doc_site.write("content/about.md", page("关于", "## 范围 {#scope}\n\n见[第二章](documents/a-2020-1.md#chapter-2)、[缺](documents/a-2020-1.md#missing)"))
    said = {}
    for count in (1, 32):  # 32: nearly every page rendered by a helper of its own
        site = Sandbox(tmp_path / f"p{count}")
        shutil.copytree(doc_site.root, site.root)
        processes(site, count)
        built = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=site.root, capture_output=True, text=True, timeout=600)
        assert built.returncode == 0, built.stderr
        said[count] = sorted(line.split("WARNING", 1)[1].strip() for line in built.stderr.splitlines() if "WARNING" in line and "#" in line)
    assert said[1] == said[32]
    assert any("about.md" in line and "missing" in line for line in said[32])  # from the main process's page
    assert any("a-2020-1.md" in line and "nowhere" in line for line in said[32])  # from a helper's
    assert not any("chapter-2" in line or "scope" in line for line in said[32])


# A build whose forked helper fails on its pages, or logs a warning there: patched in a process of its own.
FAILING = """\
import logging, os, sys
from mkdocs.commands import build
from mkdocs.config import load_config

main, render = os.getpid(), build._build_page

def sabotaged(page, *args, **kwargs):
    if os.getpid() != main:  # in a forked renderer
        if sys.argv[1] == "raise":
            raise RuntimeError("模拟的渲染错误")
        logging.getLogger("mkdocs.plugins.test").warning("模拟的警告")
    return render(page, *args, **kwargs)

build._build_page = sabotaged
logging.getLogger("mkdocs").addHandler(logging.StreamHandler())  # as the mkdocs command does
config = load_config("mkdocs.yml", strict=sys.argv[2] == "true")
config.plugins.on_startup(command="build", dirty=False)
build.build(config)
"""


@pytest.mark.parametrize("how, strict, fails, said", [
    ("raise", "false", True, "并行生成页面的进程失败"),
    ("warn", "true", True, "并行生成的页面有警告"),
    ("warn", "false", False, "并行生成的页面有警告"),  # a warning, as from MkDocs' own loop
])
def test_a_helper_that_fails_or_warns_is_heard(site, how, strict, fails, said):
    processes(site, 2)
    site.write("sabotage.py", FAILING)
    result = subprocess.run([sys.executable, "sabotage.py", how, strict], cwd=site.root, capture_output=True, text=True, timeout=300)
    assert (result.returncode != 0) is fails, result.stderr
    assert said in result.stderr
    assert ("模拟的渲染错误" if how == "raise" else "模拟的警告") in result.stderr
    if not fails:
        assert (site.out / "units/office/index.html").exists()


def test_a_site_at_an_ipv4_address_is_reported_once_not_on_every_page(site):
    with_audit(site)
    replace_in(site, "mkdocs.yml", "site_url: https://test.example.gov.cn/", "site_url: http://192.0.2.7/")
    errors = site.build_error()
    assert errors.count("使用了 IPv4 地址") == 1  # the pages' canonical links to it are not each an error
    assert "（1 个错误" in errors and "mkdocs.yml: 错误：site_url" in errors


def test_serve_audits_quietly_at_127_0_0_1_and_shows_an_edited_unit(site):
    with_audit(site)
    url, log = serve_in_background(site)
    try:
        first = fetch_until(url + "units/office/", "测试区人民政府办公室")
        assert "0595-29990010" in first
        replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")
        fetch_until(url + "units/office/", "0595-29990099")
        wait_for(log, lambda said: said.count("构建检查：") == 2)  # the rebuild's audit, once its pages are served
    finally:
        stop(log)
    said = log.read_text(encoding="utf-8")
    assert "使用了 IPv4 地址" not in said  # the audit knows the dev server's own address


def test_serve_rebuilds_only_the_changed_pages_and_keeps_the_search_index(doc_site):
    import re
    from urllib.request import urlopen

    replace_in(doc_site, "mkdocs.yml", "markdown_extensions:", "  - gongkai-search\nmarkdown_extensions:")
    url, log = serve_in_background(doc_site)
    try:
        fetch_until(url + "units/office/", "0595-29990010")
        replace_in(doc_site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")
        fetch_until(url + "units/office/", "0595-29990099")  # made early (`quick_preview.py`) …
        wait_for(log, lambda said: "Reloading browsers" in said)  # … then the rebuild
        with urlopen(url + "pagefind/pagefind-entry.json", timeout=10) as response:  # search still works in the preview
            assert b'"languages"' in response.read()
    finally:
        stop(log)
    said = log.read_text(encoding="utf-8")
    assert said.count("Pagefind 重新检索") == 1  # when it started, not again
    assert "站内搜索沿用预览启动时的索引" in said
    counts = [(int(rendered), int(reused)) for rendered, reused in re.findall(r"重新生成 (\d+) 个页面，复用 (\d+) 个", said)]
    assert counts[0][1] == 0 and counts[-1][1] > 0  # started from nothing; the rebuild reused pages …
    assert counts[-1][0] < counts[0][0]  # … and rendered the pages that show the unit, not the whole site


def test_serve_keeps_serving_the_last_good_site_when_a_rebuild_fails(site):
    # MkDocs holds requests until a rebuild succeeds: a bad save in the web editor (served by the
    # same server) would take the editor and the preview down until someone fixed the YAML by hand.
    from urllib.request import urlopen

    url, log = serve_in_background(site)
    try:
        fetch_until(url + "units/office/", "0595-29990010")
        replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-2999")
        wait_for(log, lambda said: "预览仍是上一次通过检查的网站" in said)
        with urlopen(url + "units/office/", timeout=10) as response:  # at once, not after a timeout
            assert "0595-29990010" in response.read().decode("utf-8")
        replace_in(site, "data/units/office.yml", "phone: 0595-2999", "phone: 0595-29990099")
        fetch_until(url + "units/office/", "0595-29990099")
    finally:
        stop(log)
    assert "电话号码“0595-2999”格式不正确" in log.read_text(encoding="utf-8")  # the editor is told why


def test_serve_answers_with_the_last_good_site_while_it_rebuilds(site):
    # MkDocs builds into the folder it serves and holds requests until the rebuild ends (a minute at
    # 10,000 documents): the preview answers at once with the last good pages, then with the new ones
    import time
    from urllib.request import urlopen

    with in_a_slow_rebuild(site) as url:
        time.sleep(1)  # well into the rebuild
        started = time.monotonic()
        for page in ("units/office/", "units/office", "no/such/page/", ""):  # the home page too: MkDocs held "/" till the end
            try:
                with urlopen(url + page, timeout=3) as response:
                    text = response.read().decode("utf-8")
            except Exception as error:  # the 404 page
                text = error.read().decode("utf-8")  # type: ignore[attr-defined]
            if page.startswith("units"):  # a whole page: the saved record's own, made before the rebuild (`quick_preview.py`)
                assert "0595-29990099" in text and "测试区人民政府办公室" in text and text.rstrip().endswith("</html>")
        with urlopen(url + "units/", timeout=3) as response:  # the others, the last good site's
            assert "办公室" in response.read().decode("utf-8")
        assert time.monotonic() - started < 3  # at once, while the rebuild sleeps
        assert "0595-29990099" in fetch_until(url + "units/office/", "0595-29990099")


def test_serve_stopped_in_the_middle_of_a_rebuild_leaves_nothing_behind(site):
    with in_a_slow_rebuild(site):
        pass  # leaving stops the server while the rebuild sleeps: stop() sees its folder removed too


def test_the_next_preview_serves_the_last_one_at_once_and_then_the_data_as_it_is(site):
    # Starting the preview built the whole site first (35 s at 10,000 documents, all from the cache)
    from urllib.request import urlopen

    replace_in(site, "mkdocs.yml", "markdown_extensions:", "  - gongkai-search\nmarkdown_extensions:")
    slow_builds(site)
    url, log = serve_in_background(site)
    fetch_until(url + "units/office/", "0595-29990010")
    stop(log)
    replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")  # between two previews
    killed = preview_folders(site)[0] / "built-killed"  # what a preview killed with SIGKILL leaves
    (killed / "units").mkdir(parents=True)
    (site.root / "slow").write_text("", encoding="utf-8")
    url, log = serve_in_background(site, port=int(url.rsplit(":", 1)[1].strip("/")))
    try:
        first = fetch_until(url + "units/office/", "测试区人民政府办公室")
        assert "0595-29990010" in first and "先显示上次预览的网站" in log.read_text(encoding="utf-8")
        with urlopen(url, timeout=3) as response:  # the home page too, at once (MkDocs held "/" till the build ended)
            assert "</html>" in response.read().decode("utf-8")
        with urlopen(url + "pagefind/pagefind-entry.json", timeout=10) as response:  # the last preview's search too
            assert b'"languages"' in response.read()
        assert "0595-29990099" in fetch_until(url + "units/office/", "0595-29990099")  # then the site built now
    finally:
        stop(log)
    said = log.read_text(encoding="utf-8")
    assert "站内搜索沿用预览启动时的索引" not in said  # indexed as at every start, not the last preview's index kept
    assert said.count("Building documentation") == 2 and not killed.exists()


def test_a_preview_stopped_as_soon_as_it_serves_still_keeps_its_pages_for_the_next(site):
    # The page cache is written once the pages are served; a preview stopped before that kept nothing
    import re

    site.write("slow_save.py", """
        import time
        from gongkai.page_cache import PageCache

        saving = PageCache.save

        def save(self):
            time.sleep(3)
            saving(self)

        PageCache.save = save
    """)
    replace_in(site, "mkdocs.yml", "plugins:", "hooks:\n  - slow_save.py\nplugins:")
    url, log = serve_in_background(site)
    fetch_until(url + "units/office/", "0595-29990010")
    stop(log)
    url, log = serve_in_background(site, port=int(url.rsplit(":", 1)[1].strip("/")))
    try:
        wait_for(log, lambda said: "复用" in said)
    finally:
        stop(log)
    rendered, reused = map(int, re.search(r"重新生成 (\d+) 个页面，复用 (\d+) 个", log.read_text(encoding="utf-8")).groups())
    assert reused > rendered  # all but the pages that show other pages (汇编)


def test_a_preview_without_live_reload_builds_before_it_serves(site):
    url, log = serve_in_background(site)
    fetch_until(url + "units/office/", "0595-29990010")
    stop(log)
    replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")
    url, log = serve_in_background(site, "--no-livereload")  # no live reload would never show the new site
    try:
        assert "0595-29990099" in fetch_until(url + "units/office/", "测试区人民政府办公室")
    finally:
        stop(log)
    assert "先显示" not in log.read_text(encoding="utf-8")
    assert len(preview_folders(site)) == 1  # only previews with live reload keep their site


def test_a_first_preview_at_another_address_serves_a_copy_of_the_other_one_at_once(site):
    slow_builds(site)
    url, log = serve_in_background(site)
    fetch_until(url + "units/office/", "0595-29990010")
    stop(log)
    [first] = preview_folders(site)
    replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")
    (site.root / "slow").write_text("", encoding="utf-8")
    url, log = serve_in_background(site)  # another port: its pages carry another address
    try:
        assert "0595-29990010" in fetch_until(url + "units/office/", "测试区人民政府办公室")
        assert "先显示上次在另一地址预览的网站" in log.read_text(encoding="utf-8")
        assert "0595-29990099" in fetch_until(url + "units/office/", "0595-29990099")
    finally:
        stop(log)
    assert len(preview_folders(site)) == 2  # one per address
    assert "0595-29990010" in (first / "last" / "units" / "office" / "index.html").read_text(encoding="utf-8")  # the original stays


def test_a_first_preview_serves_the_site_the_last_build_that_passed_wrote(site):
    # After a build (as in CI, or an editor's `./dev build` before a merge request) the preview starts at once
    from urllib.request import urlopen

    replace_in(site, "mkdocs.yml", "markdown_extensions:", "  - gongkai-search\nmarkdown_extensions:")
    slow_builds(site)
    site.write("fail.py", """
        import os
        from mkdocs.exceptions import PluginError

        def on_post_build(config):
            if os.path.exists(os.path.join(os.path.dirname(config.config_file_path), "fail")):
                raise PluginError("failed on purpose")
    """)
    replace_in(site, "mkdocs.yml", "hooks:", "hooks:\n  - fail.py")
    assert build_in_process_of_its_own(site).returncode == 0
    (site.root / "fail").write_text("", encoding="utf-8")
    assert build_in_process_of_its_own(site).returncode != 0  # site/ is written again, but did not pass
    (site.root / "fail").unlink()
    url, log = serve_in_background(site)
    try:
        fetch_until(url + "units/office/", "0595-29990010")
    finally:
        stop(log)
    assert "先显示" not in log.read_text(encoding="utf-8")
    assert site.run("gongkai.cli", "build").returncode == 0  # `./dev build`: built beside, swapped in; newer than that preview
    replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")
    (site.root / "slow").write_text("", encoding="utf-8")
    url, log = serve_in_background(site)
    try:
        assert "0595-29990010" in fetch_until(url + "units/office/", "测试区人民政府办公室")
        assert "先显示上次构建" in log.read_text(encoding="utf-8")
        with urlopen(url + "pagefind/pagefind-entry.json", timeout=10) as response:  # with the built site's search
            assert b'"languages"' in response.read()
        assert "0595-29990099" in fetch_until(url + "units/office/", "0595-29990099")
    finally:
        stop(log)
    assert "0595-29990010" in (site.root / "site" / "units" / "office" / "index.html").read_text(encoding="utf-8")  # untouched


def test_the_preview_shows_a_saved_record_own_page_before_the_rebuild_and_the_same_page_after(doc_site):
    # The rebuild takes a quarter of a minute at 10,000 documents; the editor waits for the record's own page
    replace_in(doc_site, "mkdocs.yml", "markdown_extensions:", "  - gongkai-search\nmarkdown_extensions:")
    slow_builds(doc_site)
    url, log = serve_in_background(doc_site)
    try:
        fetch_until(url + "units/office/", "0595-29990010")
        (doc_site.root / "slow").write_text("", encoding="utf-8")
        for record, page, old, new in [
            ("data/units/office.yml", "units/office/", "phone: 0595-29990010", "phone: 0595-29990099"),  # made from all pages
            ("data/documents/2021/c-2021-2.yml", "documents/c-2021-2/", "title: 测试区突发事件总体应急预案",
             "title: 测试区突发事件总体应急预案（修订）"),  # by its pages module alone
        ]:
            rebuilds = log.read_text(encoding="utf-8").count("Reloading browsers")
            replace_in(doc_site, record, old, new)
            early = fetch_until(url + page, new.split(": ")[1], seconds=5)
            said = log.read_text(encoding="utf-8")
            assert said.count("Reloading browsers") == rebuilds and "先显示了改动的记录本身的" in said  # the rebuild sleeps
            wait_for(log, lambda said, rebuilds=rebuilds: said.count("Reloading browsers") == rebuilds + 1)
            assert without_live_reload(fetch_until(url + page, "")) == without_live_reload(early)  # the rebuild's page is the same
        listed = fetch_until(url + "documents/", "")  # a list shows it only once the rebuild is done
        assert "测试区突发事件总体应急预案（修订）" in listed
    finally:
        stop(log)


def test_a_saved_record_is_shown_early_only_when_it_is_a_valid_edit_and_put_back_when_the_checks_fail(doc_site):
    slow_builds(doc_site)
    doc_site.write("fail.py", """
        import os
        from mkdocs.exceptions import PluginError

        def on_post_build(config):  # as the checks across records fail a build (the record alone is valid)
            if os.path.exists(os.path.join(os.path.dirname(config.config_file_path), "fail")):
                raise PluginError("文号重复")
    """)
    replace_in(doc_site, "mkdocs.yml", "hooks:", "hooks:\n  - fail.py")
    url, log = serve_in_background(doc_site)
    page = url + "documents/c-2021-2/"
    try:
        original = without_live_reload(fetch_until(page, "测试区突发事件总体应急预案"))
        (doc_site.root / "slow").write_text("", encoding="utf-8")
        edits = [  # a change, whether the page is made early, and whether the rebuild then succeeds
            ("data/documents/2021/c-2021-2.yml", "总体应急预案", "总体应急预案（修订）", True, False),  # with `fail`
            ("data/documents/2021/c-2021-2.yml", "总体应急预案（修订）", "总体应急预案", False, True),  # as last built
            ("data/documents/2021/c-2021-2.yml", "published: 2021-07-02", "published: 2021-07-32", False, False),  # an error in it
            ("data/documents/2021/c-2021-2.yml", "published: 2021-07-32", "published: 2021-07-03", True, True),
            ("data/documents/2020/a-2020-1.md", "制定本办法。", "制定本办法（修订）。", False, True),  # a body: no record read
        ]
        for record, old, new, early, passes in edits:
            (doc_site.root / "fail").write_text("") if not passes and early else (doc_site.root / "fail").unlink(missing_ok=True)
            said = log.read_text(encoding="utf-8")
            replace_in(doc_site, record, old, new)
            wait_for(log, lambda now, said=said: now.count("Reloading browsers") > said.count("Reloading browsers"))
            now = log.read_text(encoding="utf-8")[len(said):]
            assert ("先显示了改动的记录本身" in now) == early and ("预览仍是上一次通过检查的网站" in now) != passes, (new, now)
            if not passes:  # the page shown early was put back: the preview is the last site that passed the checks
                assert without_live_reload(fetch_until(page, "")) == original
        assert "2021-07-03" in fetch_until(page, "")
    finally:
        stop(log)


def without_live_reload(page: str) -> str:
    """A page as built (the server adds a script naming the version of the site it served)."""
    import re

    return re.sub(r"<script>\s*var livereload.*?</script>", "", page, flags=re.S)


def slow_builds(site: Sandbox) -> None:
    """Builds that sleep 6 s once the pages are written, while `site` has a file named `slow`."""
    site.write("slow.py", """
        import os, time

        def on_post_build(config):
            if os.path.exists(os.path.join(os.path.dirname(config.config_file_path), "slow")):
                time.sleep(6)
    """)
    replace_in(site, "mkdocs.yml", "plugins:", "hooks:\n  - slow.py\nplugins:")


@contextmanager
def in_a_slow_rebuild(site: Sandbox) -> Iterator[str]:
    """The preview of `site` (its URL) while it spends 6 s rebuilding after the office's phone changed; stopped on leaving."""
    slow_builds(site)
    url, log = serve_in_background(site)
    try:
        fetch_until(url + "units/office/", "0595-29990010")
        (site.root / "slow").write_text("", encoding="utf-8")
        replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")
        wait_for(log, lambda said: said.count("Building documentation") == 2, pause=0.1)
        yield url
    finally:
        stop(log)


def serve_in_background(site: Sandbox, *options: str, port: int = 0):
    import socket

    if not port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    log = site.root / "serve.log"
    temp = site.root / "serve-temp"  # where MkDocs makes its folder: stop() sees it removed
    temp.mkdir(exist_ok=True)
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *options], cwd=site.root,
                               stdout=subprocess.DEVNULL, stderr=log.open("w"), env={**os.environ, "TMPDIR": str(temp)})
    serving[log] = process
    return f"http://127.0.0.1:{port}/", log


serving: dict = {}


def stop(log) -> None:
    """Stop the server as a service manager does (SIGTERM): it still removes the folders it served from."""
    process = serving.pop(log)
    process.terminate()
    process.wait(timeout=30)
    assert not list((log.parent / "serve-temp").iterdir()), "mkdocs serve left its folder behind"
    for folder in preview_folders(log.parent):  # the site served is kept for the next preview; the others removed
        assert [entry.name for entry in folder.iterdir()] == ["last"]


def preview_folders(site: Sandbox | Path) -> list[Path]:
    root = site.root if isinstance(site, Sandbox) else site
    return sorted(folder for folder in (root / ".cache" / "gongkai" / "preview").glob("*") if folder.is_dir())


def wait_for(log, said_enough, seconds: float = 120, pause: float = 0.3) -> None:
    """Until what the server logged satisfies `said_enough`."""
    import time

    deadline = time.monotonic() + seconds
    while not said_enough(log.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(pause)


def fetch_until(url: str, wanted: str, seconds: float = 120) -> str:
    import time
    from urllib.error import URLError
    from urllib.request import urlopen

    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=60) as response:
                text = response.read().decode("utf-8")
            if wanted in text:
                return text
        except (URLError, ConnectionError):
            pass
        time.sleep(0.3)
    raise AssertionError(textwrap.shorten(f"{url} never showed {wanted!r}: {text}", 500))


MOUNTINFO = r"""22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
25 22 0:22 / /tmp rw,nosuid shared:5 - tmpfs tmpfs rw
31 22 0:40 / /mnt/c rw,noatime - 9p drvfs rw,dirsync,aname=drvfs;path=C:\
32 22 0:41 / /srv/platform rw,relatime - nfs4 files.example.gov.cn:/platform rw
33 32 8:2 / /srv/platform/local\040copy rw - xfs /dev/sdb1 rw
34 22 0:50 / /host_mnt rw - fuse.grpcfuse grpcfuse rw
"""


@pytest.mark.parametrize(("path", "kind"), [
    ("/home/editor/platform/data", "ext4"), ("/tmp/p/data", "tmpfs"), ("/mnt/c/Users/editor/platform/data", "9p"),
    ("/srv/platform/data", "nfs4"), ("/srv/platform/local copy/data", "xfs"), ("/host_mnt/platform/data", "fuse.grpcfuse"),
    ("/mnt/cdrom", "ext4"),  # not inside /mnt/c
])
def test_the_file_system_of_data_is_told_by_the_innermost_mount(path, kind):
    from gongkai.data_watch import LOCAL_FILE_SYSTEMS, file_system_of

    assert file_system_of(path, MOUNTINFO) == kind
    assert (kind in LOCAL_FILE_SYSTEMS) == (kind in {"ext4", "tmpfs", "xfs"})  # WSL's drives, NFS, Docker Desktop: polled


@pytest.mark.parametrize("local", [True, False], ids=["kernel", "polled"])
def test_the_preview_hears_of_a_saved_record_on_a_local_disk_and_elsewhere(site, monkeypatch, local):
    import time

    import watchdog.observers.polling
    from mkdocs.livereload import LiveReloadServer

    from gongkai import data_watch

    if not local:
        monkeypatch.setattr(data_watch, "LOCAL_FILE_SYSTEMS", set())
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site.out))
    changed: list[str] = []
    observer = data_watch.watch_data(server, str(site.root / "data"), changed.append)
    try:
        assert isinstance(observer, watchdog.observers.polling.PollingObserver) != local
        if not local:
            observer.start()  # MkDocs starts its own observer when it serves
        time.sleep(0.6)
        replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")
        for _ in range(50):
            if server._want_rebuild:
                break
            time.sleep(0.1)
        assert server._want_rebuild
        assert str(site.root / "data/units/office.yml") in changed  # for the record's own pages first (`quick_preview.py`)
        for _ in range(10):  # the write's last events (a busy machine hands them over late)
            server._want_rebuild = False
            time.sleep(1)
            if not server._want_rebuild:
                break
        for record in (site.root / "data").rglob("*.yml"):  # the build reads data/: that is no change
            record.read_bytes()
        time.sleep(1.5)
        assert not server._want_rebuild  # a rebuild after every rebuild, when inotify said "opened" too
    finally:
        observer.stop()


def test_only_a_site_as_the_build_that_passed_wrote_it_is_shown_first(tmp_path):
    from gongkai.last_preview import Previews, mark_built, unmark_built

    site = tmp_path / "site"
    (site / "units").mkdir(parents=True)
    (site / "index.html").write_text("首页", encoding="utf-8")
    (site / "units" / "index.html").write_text("机构", encoding="utf-8")
    (site / ".git").mkdir()  # a deployment's, not the site's
    previews = Previews.of(tmp_path, "http://127.0.0.1:1/", ("127.0.0.1", 1))
    assert previews is not None and previews.copy_latest() is None  # no build passed yet
    mark_built(tmp_path, site)
    copy, what = previews.copy_latest()
    assert what == f"上次构建（{site}）" and (Path(copy) / "units" / "index.html").read_text(encoding="utf-8") == "机构"
    assert not (Path(copy) / ".git").exists() and (Path(copy) / "index.html").stat().st_ino == (site / "index.html").stat().st_ino
    marker = tmp_path / ".cache" / "gongkai" / "preview" / "site.json"
    for spoil in (lambda: (site / "index.html").write_text("改过", encoding="utf-8"),  # replaced by hand after the build
                  lambda: marker.write_bytes(marker.read_bytes()[:-3]),  # a damaged marker
                  lambda: unmark_built(tmp_path)):  # a build started
        mark_built(tmp_path, site)
        spoil()
        assert previews.copy_latest() is None


def test_work_shared_by_halves_comes_back_in_order_and_is_done_here_when_the_other_half_fails(monkeypatch):
    from gongkai import parallel

    monkeypatch.setattr(parallel, "HALVES_FROM", 1)
    monkeypatch.setattr(parallel, "safe_to_fork", lambda: True)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    here = os.getpid()
    answers = parallel.halves(lambda n: (n * n, os.getpid()), list(range(101)))
    assert [square for square, _ in answers] == [n * n for n in range(101)]
    assert {pid for _, pid in answers[::2]} == {here} and here not in {pid for _, pid in answers[1::2]}

    def fails_elsewhere(n: int) -> int:
        if os.getpid() != here:
            raise RuntimeError("a helper that fails")
        return n

    assert parallel.halves(fails_elsewhere, list(range(11))) == list(range(11))


def test_work_alongside_is_done_by_another_process_and_here_when_that_one_fails(monkeypatch):
    from gongkai import parallel

    monkeypatch.setattr(parallel, "safe_to_fork", lambda: True)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    here = os.getpid()
    done, by = parallel.alongside(lambda: ("done", os.getpid()))()
    assert done == "done" and by != here

    def fails_elsewhere() -> int:
        if os.getpid() != here:
            raise RuntimeError("a process that fails")
        return os.getpid()

    assert parallel.alongside(fails_elsewhere)() == here
    monkeypatch.setattr(parallel, "cpu_count", lambda: 1)
    assert parallel.alongside(lambda: os.getpid())() == here


def test_pages_kept_are_told_unchanged_alike_when_their_keys_are_worked_out_by_two_processes(doc_site, monkeypatch):
    from test_page_cache import build_counting, cold_digests

    from gongkai import parallel

    doc_site.build()
    replace_in(doc_site, "data/documents/2020/a-2020-1.yml", "title: ", "title: 修订后的")
    monkeypatch.setattr(parallel, "HALVES_FROM", 1)
    monkeypatch.setattr(parallel, "safe_to_fork", lambda: True)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    rendered, reused = build_counting(doc_site)
    assert reused > rendered > 1
    assert digests(doc_site.out) == cold_digests(doc_site)


@pytest.mark.parametrize("helper", ["makes them", "fails"])
def test_files_published_with_pages_are_made_beside_the_conversion_of_pages_and_not_again(site, monkeypatch, helper):
    # 答复文书 and catalog spreadsheets: made by a forked process while MkDocs converts the pages (`make_ahead`)
    from gongkai import parallel
    from gongkai.pages.view import Made

    here, made_here, bytes_of = os.getpid(), [], Made.bytes

    def made_bytes(made: Made) -> bytes:
        if os.getpid() == here:
            made_here.append(made)
        elif helper == "fails":
            raise RuntimeError("a helper that fails")
        return bytes_of(made)

    monkeypatch.setattr(Made, "bytes", made_bytes)
    site.build()  # too few files to be worth a process
    alone, made_alone = digests(site.out), len(made_here)
    shutil.rmtree(site.root / ".cache")
    made_here.clear()
    monkeypatch.setattr(parallel, "HALVES_FROM", 1)
    monkeypatch.setattr(parallel, "safe_to_fork", lambda: True)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    site.build()
    assert made_alone > 10
    assert len(made_here) == (0 if helper == "makes them" else made_alone)
    assert digests(site.out) == alone


def converted_in(monkeypatch, helper: str = "converts") -> list[str]:
    """Have every other page a forked process may convert be converted there (`convert_elsewhere.py`) in the builds
    that follow; the pages converted in this process are listed as they are."""
    from mkdocs.commands import build

    from gongkai import parallel
    from gongkai.convert_elsewhere import StandIn

    here, converted_here, populate = os.getpid(), [], build._populate_page

    def watched(page, *args, **kwargs):
        if os.getpid() == here:
            if not isinstance(page, StandIn):
                converted_here.append(page.file.src_uri)
        elif helper == "fails":
            raise RuntimeError("a helper that fails")
        return populate(page, *args, **kwargs)

    monkeypatch.setattr(build, "_populate_page", watched)
    monkeypatch.setattr(parallel, "HALVES_FROM", 1)
    monkeypatch.setattr(parallel, "safe_to_fork", lambda: True)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    return converted_here


def warnings_of_build(site: Sandbox, caplog) -> list[str]:
    caplog.clear()
    site.build(strict=False)
    return sorted(record.getMessage() for record in caplog.records if record.levelname == "WARNING")


def kept_pages(site: Sandbox) -> dict[str, tuple[str, str]]:
    """The page cache's manifest: each kept page's key and digest."""
    from gongkai.page_cache import _manifest

    [manifest] = (site.root / ".cache").rglob("manifest-*.json")
    return {uri: (kept.key, kept.html) for uri, kept in _manifest(manifest).items()}


@pytest.mark.parametrize("helper", ["converts", "fails"])
def test_pages_converted_by_a_forked_process_equal_those_converted_here_and_warn_alike(doc_site, monkeypatch, caplog, helper):
    # every document's body links to a page that does not exist, and to an anchor another page lacks
    documents = sorted((doc_site.root / "data/documents").rglob("*.yml"))
    for record in documents:
        body, name, fields = record.with_suffix(".md"), record.stem, yaml.safe_load(record.read_text(encoding="utf-8"))
        text = body.read_text(encoding="utf-8") if body.exists() else fields.pop("body", "正文。") + "\n"
        record.write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
        body.write_text(text + f"\n见[缺](../nowhere-{name}.md)、[锚](../about.md#no-{name})。\n", encoding="utf-8")
    documents = [record.stem for record in documents]
    doc_site.write("content/about.md", page("关于", "## 范围\n\n本平台的范围。"))
    said_here = warnings_of_build(doc_site, caplog)  # too few pages to be worth a process
    alone, kept_alone = digests(doc_site.out), kept_pages(doc_site)
    shutil.rmtree(doc_site.root / ".cache")
    converted_here = converted_in(monkeypatch, helper)
    said = warnings_of_build(doc_site, caplog)
    assert digests(doc_site.out) == alone
    assert kept_pages(doc_site) == kept_alone  # each kept with the same key: what it read was noted alike
    assert said == said_here
    for name in documents:
        assert any(f"nowhere-{name}.md" in line for line in said)
        assert any(f"no-{name}" in line for line in said)
    document_pages = [uri for uri in converted_here if uri in {f"documents/{name}.md" for name in documents}]
    assert len(document_pages) == len(set(document_pages))
    if helper == "converts":  # some of the documents' pages were converted elsewhere, yet warned here
        assert 0 < len(document_pages) < len(documents)
    else:  # all converted here once the process failed
        assert len(document_pages) == len(documents)
    # kept with what they read: a document's title and a unit's name, shown on pages of both processes, changed
    replace_in(doc_site, "data/documents/2020/a-2020-1.yml", "测试区政府信息公开办法", "测试区政府信息公开暂行办法")
    replace_in(doc_site, "data/units/office.yml", "name: 测试区人民政府办公室", "name: 测试区政府办公室")
    doc_site.build(strict=False)
    warm = digests(doc_site.out)
    monkeypatch.undo()
    shutil.rmtree(doc_site.root / ".cache")
    doc_site.build(strict=False)
    assert warm == digests(doc_site.out) != alone
