"""A build that reuses the pages kept from the last one publishes the same bytes as a build from
nothing, whatever kind of change came between; a damaged cache is noticed, never published
(plugins/gongkai/page_cache.py, pages/reads.py)."""

from __future__ import annotations

import logging
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_determinism import digests

from conftest import REPO, Sandbox, replace_in, with_audit
from gongkai import page_cache
from gongkai.project import copy_platform

PAGES = ".cache/gongkai/pages"


@contextmanager
def log_of_gongkai():
    lines: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs.plugins.gongkai")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def build_counting(site: Sandbox) -> tuple[int, int]:
    """Build; return (pages rendered, pages reused) as the build's log says."""
    with log_of_gongkai() as lines:
        site.build(strict=True)
    [counts] = [re.findall(r"[\d,]+", line) for line in lines if "复用" in line]
    rendered, reused = (int(n.replace(",", "")) for n in counts)
    return rendered, reused


def cold_digests(site: Sandbox) -> dict[str, str]:
    """The site as a build with no cache makes it (the cache of the last build is put back after)."""
    shutil.move(site.root / ".cache", site.root / ".cache-kept")
    try:
        rendered, reused = build_counting(site)
        assert reused == 0
        return digests(site.out)
    finally:
        shutil.rmtree(site.root / ".cache")
        shutil.move(site.root / ".cache-kept", site.root / ".cache")


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Sandbox:
    demo = Sandbox(tmp_path_factory.mktemp("cached"))
    copy_platform(REPO, demo.root)
    build_counting(demo)  # fills the cache
    return demo


def change_document_title(s: Sandbox) -> None:
    # a normative document with a 解读, in the 汇编 and the lists, named by its title in a catalog's 公开依据,
    # where the link now goes to the older document of that title
    replace_in(s, "data/documents/2023/mzj-2023-5.yml", "title: 鲤城区最低生活保障实施细则",
               "title: 鲤城区最低生活保障实施细则（2023年修订）")


def change_unit_name(s: Sandbox) -> None:  # shown beside every document it issued, in lists and the directory
    replace_in(s, "data/units/czj.yml", "name: 泉州市鲤城区财政局", "name: 泉州市鲤城区财政局（区国资委）")


def change_catalog(s: Sandbox) -> None:
    replace_in(s, "data/catalogs/units/hbjd/hjgl.yml", "20个工作日", "15个工作日")


def change_report(s: Sandbox) -> None:
    replace_in(s, "data/reports/mzj/2024.yml", "本年度", "本报告年度")


def change_template(s: Sandbox) -> None:
    replace_in(s, "overrides/gongkai/document.html", "<dt>索引号</dt>", "<dt>索 引 号</dt>")


def change_mkdocs_yml(s: Sandbox) -> None:
    replace_in(s, "mkdocs.yml", "site_name: 泉州市鲤城区人民政府信息公开平台", "site_name: 泉州市鲤城区政府信息公开平台")


def delete_document(s: Sandbox) -> None:
    s.remove("data/documents/2018/fgj-2018-3.yml")


def add_document(s: Sandbox) -> None:  # the usual edit: a new page, and a line in the lists
    text = (s.root / "data/documents/2018/fgj-2018-3.yml").read_text(encoding="utf-8")
    text = text.replace("title: 鲤城区政府投资项目管理暂行办法", "title: 鲤城区政府投资项目代建管理办法")
    s.write("data/documents/2018/fgj-2018-9.yml", text.replace("〔2018〕3号", "〔2018〕9号"))


def change_handwritten_text(s: Sandbox) -> None:  # its own page; the others show only its title, unchanged
    replace_in(s, "content/about.md", "**演示站点**", "**演示平台**")


def replace_attachment(s: Sandbox) -> None:  # its size is printed on the document's page
    attachment = next(p for p in (s.root / "data/documents").rglob("*.pdf"))
    attachment.write_bytes(attachment.read_bytes() + b"\n% padding\n" * 200)


@pytest.mark.slow
@pytest.mark.parametrize("change", [change_document_title, change_unit_name, change_catalog, change_report,
                                    change_template, change_mkdocs_yml, add_document, delete_document,
                                    replace_attachment, change_handwritten_text])
def test_a_build_reusing_kept_pages_equals_a_build_from_nothing(platform, change):
    before = digests(platform.out)
    change(platform)
    rendered, reused = build_counting(platform)
    warm = digests(platform.out)
    assert warm != before, "the change shows on the site"
    assert warm == cold_digests(platform)
    if change not in (change_template, change_mkdocs_yml):  # those concern every page
        assert reused > 300 and rendered < 150, (rendered, reused)


@pytest.mark.slow
def test_a_hand_written_pages_title_renders_every_page_that_shows_it_in_the_navigation(tmp_path):
    site = Sandbox(tmp_path)
    copy_platform(REPO, site.root)
    replace_in(site, "mkdocs.yml", "  - 关于本站: about.md", "  - about.md")  # the navigation takes the page's own title
    build_counting(site)
    replace_in(site, "content/about.md", "title: 关于本站", "title: 关于本平台")
    rendered, reused = build_counting(site)
    assert reused == 0 and rendered > 300, (rendered, reused)
    assert "关于本平台" in (site.out / "units/sfj/index.html").read_text(encoding="utf-8")
    assert digests(site.out) == cold_digests(site)


@pytest.mark.slow
def test_the_compilation_is_kept_while_the_documents_it_shows_are_and_never_without_their_bodies(tmp_path):
    demo = Sandbox(tmp_path)
    copy_platform(REPO, demo.root)
    build_counting(demo)
    cold = digests(demo.out)
    compilation = [path for path in cold if path.startswith("documents/compilation") and path.endswith(".html")]
    assert compilation
    written = {path: (demo.out / path).stat().st_mtime_ns for path in compilation}
    build_counting(demo)
    assert digests(demo.out) == cold
    # the 汇编 too comes from the cache (linked in, not written again): nothing it shows changed
    assert {path: (demo.out / path).stat().st_mtime_ns for path in compilation} == written
    # the documents' kept bodies lost: the documents are made again for the 汇编, which shows them whole
    [bodies] = (demo.root / PAGES).glob("bodies-*.json")
    bodies.unlink()
    rendered, reused = build_counting(demo)
    assert digests(demo.out) == cold
    assert rendered > 5, rendered  # the documents the 汇编 shows, besides the few pages made every time
    # damaged, not missing: the same
    [bodies] = (demo.root / PAGES).glob("bodies-*.json")
    bodies.write_bytes(bodies.read_bytes()[:-50])
    build_counting(demo)
    assert digests(demo.out) == cold


def test_a_title_change_renders_the_pages_that_show_it(doc_site):
    doc_site.build()
    rendered, reused = build_counting(doc_site)
    assert rendered < 10 and reused > 0  # nothing changed: only the pages never kept (hand-written, 汇编)
    unchanged = rendered
    replace_in(doc_site, "data/documents/2020/a-2020-1.yml", "title: ", "title: 修订后的")
    rendered, _ = build_counting(doc_site)
    assert rendered > unchanged  # its page, its lists …
    assert "修订后的" in (doc_site.out / "documents/a-2020-1/index.html").read_text(encoding="utf-8")


def test_a_manifest_kept_under_another_global_key_is_not_even_read(doc_site, monkeypatch):
    read: list = []
    reading = page_cache._manifest
    monkeypatch.setattr(page_cache, "_manifest", lambda path: read.append(path) or reading(path))
    doc_site.build()
    page_cache._MANIFESTS.clear()  # as in a new process
    read.clear()
    rendered, reused = build_counting(doc_site)
    assert len(read) == 1 and reused > 0
    replace_in(doc_site, "mkdocs.yml", "site_name: ", "site_name: 新")  # in every page: no page of the manifest can be reused
    page_cache._MANIFESTS.clear()
    read.clear()
    rendered, reused = build_counting(doc_site)
    assert read == [] and reused == 0
    page_cache._MANIFESTS.clear()
    rendered, reused = build_counting(doc_site)  # the manifest that build wrote is read and used
    assert len(read) == 1 and reused > 0


def test_the_kept_pages_are_checked_as_the_pages_rendered_are(doc_site):
    """Kept pages are left out of MkDocs' loop (`parallel.leave_out`): their links to anchors are checked all the same, the
    audit names the files they came from, and sitemap.xml lists them."""
    with_audit(doc_site)
    replace_in(doc_site, "data/documents/2020/a-2020-1.md", "## 第二章　主动公开",
               "## 第二章　主动公开\n\n见[说明](b-2021-1.md#scope)、[内网](http://192.168.10.2/oa/)")
    replace_in(doc_site, "data/documents/2021/b-2021-1.yml", "body: 本规定", "body: |\n  ## 范围 {#scope}\n\n  本规定")

    def said() -> tuple[list[str], int]:
        built = doc_site.run("mkdocs", "build")
        assert built.returncode == 1  # the audit's error
        lines = [line for line in built.stderr.splitlines() if "#scope" in line or "192.168.10.2" in line]
        reused = re.search(r"复用 ([\d,]+) 个", built.stderr)
        return lines, int(reused.group(1).replace(",", "")) if reused else 0

    cold, _ = said()
    sitemap = (doc_site.out / "sitemap.xml").read_bytes()
    warm, reused = said()
    assert reused > 20 and warm == cold
    assert any("192.168.10.2" in line and "（页面来源：data/documents/2020/a-2020-1.yml）" in line for line in warm)
    assert (doc_site.out / "sitemap.xml").read_bytes() == sitemap and b"/documents/a-2020-1/" in sitemap
    replace_in(doc_site, "data/documents/2021/b-2021-1.yml", " {#scope}", "")  # the kept document's link now leads nowhere
    lines, reused = said()
    assert reused > 20 and any("a-2020-1" in line and "does not contain an anchor '#scope'" in line for line in lines)  # MkDocs' own


def test_a_damaged_kept_page_is_rendered_again_never_published(doc_site):
    doc_site.build()
    cold = digests(doc_site.out)
    kept = sorted((doc_site.root / PAGES).glob("*.html"))
    assert kept
    for file in kept[:3]:  # bytes changed in place (the same size), cut short, emptied
        data = file.read_bytes()
        file.write_bytes(data.replace(b"<", b"[", 5))
    kept[3].write_bytes(kept[3].read_bytes()[:100])
    kept[4].write_bytes(b"")
    rendered, reused = build_counting(doc_site)
    assert rendered >= 5
    assert digests(doc_site.out) == cold
    # a damaged manifest: nothing is believed, everything is rendered
    [manifest] = (doc_site.root / PAGES).glob("manifest-*.json")
    manifest.write_bytes(manifest.read_bytes()[:-20])
    rendered, reused = build_counting(doc_site)
    assert reused == 0
    assert digests(doc_site.out) == cold
    # sound, but of another form (an older gongkai's): not believed either, and no traceback
    from gongkai.cache import write_entry
    write_entry(manifest, {"documents/a-2020-1.md": {"key": "x", "reads": [["site.units"]], "html": 1}, "units/gov.md": [1, 2]})
    rendered, reused = build_counting(doc_site)
    assert reused == 0
    assert digests(doc_site.out) == cold


def test_a_page_made_again_the_same_is_the_kept_file_so_the_next_build_finds_it_unchanged(doc_site):
    # the search index and the audit know a page unchanged by its inode: a page made again (its kept copy
    # not believed, or after a code change) used to stay another file, and the next build read all 16,000 again
    doc_site.build()
    cold = digests(doc_site.out)
    [manifest] = (doc_site.root / PAGES).glob("manifest-*.json")
    manifest.unlink()  # nothing kept is believed: every page is made again, with the bytes kept already
    rendered, reused = build_counting(doc_site)
    assert reused == 0 and digests(doc_site.out) == cold
    kept = {file.stat().st_ino for file in (doc_site.root / PAGES).glob("*.html")}
    published = {file.stat().st_ino for file in doc_site.out.rglob("*.html")}
    assert len(kept) > 50 and kept <= published


def pages_of(manifest: Path) -> dict:
    """What a manifest says of each page, its reads the places they number."""
    from gongkai.cache import read_entry
    from gongkai.page_cache import PLACES

    members = read_entry(manifest)[0]
    places = members.pop(PLACES)
    return {uri: {**entry, "reads": [places[n] for n in entry["reads"]]} for uri, entry in members.items()}


def test_the_manifest_says_again_what_it_said_of_reused_pages_with_the_stamps_found_now(doc_site):
    from gongkai.cache import stamp

    doc_site.build()
    [manifest] = (doc_site.root / PAGES).glob("manifest-*.json")
    before = pages_of(manifest)
    rendered, reused = build_counting(doc_site)
    after = pages_of(manifest)
    assert reused > 50
    assert {uri: entry for uri, entry in after.items() if uri in before and entry["key"] == before[uri]["key"]} == {
        uri: entry for uri, entry in before.items() if uri in after and entry["key"] == after[uri]["key"]}
    # a kept page rewritten with the same bytes is another file: found sound again, under its new stamp
    uri, entry = next((uri, entry) for uri, entry in sorted(after.items()) if uri.startswith("documents/"))
    kept = doc_site.root / PAGES / f"{entry['html']}.html"
    data = kept.read_bytes()
    kept.unlink()
    kept.write_bytes(data)
    build_counting(doc_site)
    again = pages_of(manifest)[uri]
    assert again["checked"] == list(stamp(kept)) != entry["checked"]
    assert {k: v for k, v in again.items() if k != "checked"} == {k: v for k, v in entry.items() if k != "checked"}


def test_the_search_index_is_kept_by_the_pages_it_was_made_from(doc_site):
    replace_in(doc_site, "mkdocs.yml", "markdown_extensions:", "  - gongkai-search\nmarkdown_extensions:")
    with log_of_gongkai() as lines:
        doc_site.build()
        cold = digests(doc_site.out)
        doc_site.build()  # the same pages: Pagefind does not run again, the kept index is linked in
    assert sum("Pagefind 重新检索 1 部分" in line for line in lines) == 1
    assert any("沿用那时的检索索引" in line for line in lines)
    assert digests(doc_site.out) == cold
    kept = list((doc_site.root / ".cache/gongkai/search").iterdir())
    assert len(kept) == 2  # the one part Pagefind made, and the index made of the parts
    for folder in kept:
        fragment = next((folder / "fragment").iterdir())
        fragment.write_bytes(fragment.read_bytes()[:10])  # damaged: made again, never published
    with log_of_gongkai() as lines:
        doc_site.build()
    assert any("Pagefind 重新检索 1 部分" in line for line in lines)
    assert digests(doc_site.out) == cold
    replace_in(doc_site, "data/documents/2020/a-2020-1.yml", "title: ", "title: 修订后的")  # a page Pagefind reads changed
    with log_of_gongkai() as lines:
        doc_site.build()
    assert any("Pagefind 重新检索 1 部分" in line for line in lines)
    assert len(list((doc_site.root / ".cache/gongkai/search").iterdir())) == 4  # the last ones kept too, for a switch back


def test_what_a_page_is_made_of_is_told_apart_by_its_digest():
    import datetime

    from gongkai.pages.reads import ALL, Fingerprints, Traced, TracedMapping, Unfingerprintable, recording

    units = {"czj": {"name": "财政局"}, "mzj": {"name": "民政局"}}
    site = type("Site", (), {"units": units, "today": datetime.date(2026, 11, 28)})()
    prints = Fingerprints({"site": site})
    of = prints.of
    assert of(["a,str1:b"]) != of(["a", "b"]) and of([1]) != of(["1"]) and of((None,)) != of(("None",))
    assert of({"k": [1, 2]}) == of({"k": [1, 2]}) and of({"k": [1, 2]}) != of({"k": [2, 1]})
    assert of(TracedMapping(units, "site.units")) == of(units)
    day = datetime.date(2026, 11, 28)  # what JSON has no form of, in a form of its own
    assert of([day]) != of(["2026-11-28"]) and of({day: 1}) == of({day: 1}) and of({day: 1}) != of({"2026-11-28": 1})
    assert of({1, 2}) == of({2, 1}) != of([1, 2]) and of([int]) != of([str]) and of(b"a") != of("a")
    with pytest.raises(Unfingerprintable):  # a function may read anything: its page is always rendered
        of({"children": len})
    with recording() as reads:  # what a template reads through the proxies is noted, by key
        traced = Traced(site, "site")
        assert traced.units["czj"]["name"] == "财政局" and "lcq" not in traced.units and traced.today.year == 2026
        assert len(traced.units) == 2
    assert reads == {("site.units", "czj"), ("site.units", "lcq"), ("site.today", ALL), ("site.units", ALL)}
    before = {read: prints.of_read(read) for read in reads}
    units["lcq"] = {"name": "鲤城区"}  # a new record where a template found none: that read now differs
    after = Fingerprints({"site": site})
    assert {read for read in reads if after.of_read(read) != before[read]} == {("site.units", "lcq"), ("site.units", ALL)}


def test_two_flavours_keep_their_own_pages_and_each_build_prunes_only_what_none_names(doc_site):
    # `mkdocs serve` (another site_url) keeps its own pages beside the build's; each prunes by the other's list of names
    doc_site.build()
    first = set((doc_site.root / PAGES).glob("*.html"))
    site_url = re.search(r"^site_url: (.+)$", (doc_site.root / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
    replace_in(doc_site, "mkdocs.yml", f"site_url: {site_url}", "site_url: http://127.0.0.1:8000/")
    assert build_counting(doc_site)[1] == 0  # another flavour: every page is its own
    assert first < set((doc_site.root / PAGES).glob("*.html"))  # the first flavour's pages are still kept
    assert len(list((doc_site.root / PAGES).glob("names-*.json"))) == 2
    replace_in(doc_site, "mkdocs.yml", "site_url: http://127.0.0.1:8000/", f"site_url: {site_url}")
    for names in (doc_site.root / PAGES).glob("names-*.json"):  # lists of another form (or stale): the manifests are read
        names.write_text("[]", encoding="utf-8")
    rendered, reused = build_counting(doc_site)
    assert reused > rendered
    from gongkai.cache import read_entry
    for names in (doc_site.root / PAGES).glob("names-*.json"):  # written again, the other flavour's too: read once
        assert len(read_entry(names)[0]["names"]) > 50
    kept = set((doc_site.root / PAGES).glob("*.html"))
    stray = doc_site.root / PAGES / f"{'0' * 64}.html"  # named by no manifest
    stray.write_text("x", encoding="utf-8")
    replace_in(doc_site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")
    build_counting(doc_site)
    assert not stray.exists() and len(kept - set((doc_site.root / PAGES).glob("*.html"))) > 0  # the old unit pages pruned
    replace_in(doc_site, "data/units/office.yml", "phone: 0595-29990099", "phone: 0595-29990010")
    replace_in(doc_site, "mkdocs.yml", f"site_url: {site_url}", "site_url: http://127.0.0.1:8000/")
    rendered, reused = build_counting(doc_site)
    assert reused > rendered  # the other flavour's pages survived the pruning


def test_the_places_pages_read_are_held_once_however_many_pages_read_them(doc_site):
    """The 4,000 pages of a 100,000-document platform's shared shard read millions of places: one tuple each."""
    from gongkai.page_cache import _MANIFESTS, _manifest

    doc_site.build()
    [path] = (doc_site.root / PAGES).glob("manifest-*.json")
    _MANIFESTS.clear()  # read from the file, as the next build's process reads it
    manifest = _manifest(path)
    reads = [read for kept in manifest.values() for read in kept.reads]
    assert len(reads) > 2 * len(set(reads)) > 20  # the same places, read by many pages
    assert len({id(read) for read in reads}) == len(set(reads))
    # what is written again as it was read holds those same places, not lists of its own
    assert {id(read) for kept in manifest.values() for read in kept.as_json()["reads"]} == {id(read) for read in reads}
    # and the file names each place once, the pages' reads by number (the shared shard of 100,000 documents: 112 MB)
    from gongkai.cache import read_entry
    from gongkai.page_cache import PLACES

    members = read_entry(path)[0]
    places = [tuple(place) for place in members.pop(PLACES)]
    assert len(places) == len(set(places)) == len(set(reads))
    assert all(isinstance(n, int) for entry in members.values() for n in entry["reads"])
    assert {uri: [places[n] for n in entry["reads"]] for uri, entry in members.items()} == {
        uri: sorted(kept.reads, key=str) for uri, kept in manifest.items()}


@pytest.mark.parametrize("markdown", ["", "# 加上的标题\n\n[链接](other.md#x)"])
def test_a_page_without_markdown_is_what_mkdocs_would_make_of_it(tmp_path, markdown):
    """`BlankPage` skips MkDocs' converter for a generated page without Markdown, and gives what the converter
    would; Markdown a plugin gives it on the way is converted as MkDocs would."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = MkDocsConfig()
    config.load_dict({"site_name": "测试", "docs_dir": str(tmp_path), "markdown_extensions": ["toc", "attr_list", "md_in_html"]})
    assert config.validate() == ([], [])
    for name in ("page.md", "other.md"):
        (tmp_path / name).write_text("", encoding="utf-8")
    made = []
    for kind in (page_cache.BlankPage, lambda file, config: Page(None, file, config)):
        files = Files([File(name, str(tmp_path), str(tmp_path / "site"), True) for name in ("page.md", "other.md")])
        page = kind(files.src_uris["page.md"], config)
        page.read_source(config)
        page.markdown = markdown  # as `on_page_markdown` may
        page.render(config, files)
        made.append((page.content, [(item.title, item.id) for item in page.toc], page.title, page.present_anchor_ids))
    assert made[0] == made[1]
    assert ("加上的标题" in made[0][0]) == bool(markdown)
