"""The build's cache (.cache/gongkai/): used when its inputs are the same bytes, never when
they changed, and a damaged entry is noticed and computed again (plugins/gongkai/cache.py)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from test_hostile import MOBILE, W, docx

from conftest import TODAY, findings, page, replace_in, with_audit

ATTACHMENT = "data/documents/2020/a-2020-1-附件.docx"


def with_word_attachment(doc_site, phone: str):
    replace_in(doc_site, "data/documents/2020/a-2020-1.yml", "a-2020-1-附件.pdf", "a-2020-1-附件.docx")
    (doc_site.root / "data/documents/2020/a-2020-1-附件.pdf").unlink()
    path = doc_site.root / ATTACHMENT
    path.write_bytes(docx({"word/document.xml": f"<w:document {W}><w:body><w:p><w:r><w:t>联系电话 {phone}</w:t></w:r></w:p>"
                                                "</w:body></w:document>"}))
    return path


def entries(site) -> list:
    return sorted((site.root / ".cache/gongkai/attachment-findings").glob("*.json"))


def mobile_in_attachment(lines: list[str]) -> bool:
    return any(ATTACHMENT in line and "手机号码" in line for line in lines)


def test_what_an_attachment_says_is_read_once_and_found_again_from_the_cache(doc_site):
    path = with_word_attachment(doc_site, MOBILE)
    first = findings(doc_site)
    assert mobile_in_attachment(first)
    [entry] = entries(doc_site)
    assert MOBILE in entry.read_text(encoding="utf-8")
    written = entry.stat().st_mtime_ns
    assert findings(doc_site) == first
    assert entry.stat().st_mtime_ns == written  # used, not rewritten
    # other bytes, another entry: the old text is never taken for the new
    path.write_bytes(path.read_bytes().replace(b"<w:document", b"<w:document ", 1).replace(MOBILE.encode(), b"0595-29990011"))
    assert not mobile_in_attachment(findings(doc_site))
    assert len(entries(doc_site)) == 2


def test_a_damaged_entry_is_computed_again_never_believed(doc_site):
    with_word_attachment(doc_site, MOBILE)
    first = findings(doc_site)
    [entry] = entries(doc_site)
    check, _, payload = entry.read_bytes().partition(b"\n")
    value = json.loads(payload)
    value["found"] = []  # as if the attachment said nothing: the number would be published unchecked
    entry.write_bytes(check + b"\n" + json.dumps(value).encode())
    assert findings(doc_site) == first
    assert MOBILE in entry.read_text(encoding="utf-8")  # rewritten whole
    entry.write_bytes(entry.read_bytes()[:40])  # cut short
    assert findings(doc_site) == first
    entry.write_bytes(b"")
    assert findings(doc_site) == first


def test_a_broken_attachment_stays_an_error_when_cached(doc_site):
    path = with_word_attachment(doc_site, MOBILE)
    path.write_bytes(b"PK\x03\x04 not a real package")
    for _ in range(2):
        assert any(ATTACHMENT in line and "附件无法读取" in line for line in findings(doc_site))
    assert len(entries(doc_site)) == 1


def test_a_read_only_checkout_builds_without_a_cache(doc_site):
    with_word_attachment(doc_site, MOBILE)
    (doc_site.root / ".cache").write_text("not a folder", encoding="utf-8")
    assert mobile_in_attachment(findings(doc_site))


# --- the audit's facts of each built file ---------------------------------------------------------

NOTICE = "各单位请于本周五前通过{link}报送本季度政务公开工作情况，逾期未报送的将予以通报。"


def audit_entries(root: Path, kind: str = "audit") -> list:
    return sorted((root / ".cache/gongkai" / kind).glob("*.json"))


def test_the_audit_reports_the_same_from_its_cache_and_scans_only_changed_pages(site):
    with_audit(site)
    site.write("content/notice.md", page("通知", NOTICE.format(link='<a href="http://192.168.10.2/oa/">办公系统</a>')))
    first = site.build_error()
    assert "使用了 IPv4 地址" in first
    written = {entry.name: entry.stat().st_mtime_ns for kind in ("audit", "audit-judged") for entry in audit_entries(site.root, kind)}
    assert len(written) == 2 * len(audit_entries(site.root))
    assert site.build_error() == first
    again = {entry.name: entry.stat().st_mtime_ns for kind in ("audit", "audit-judged") for entry in audit_entries(site.root, kind)}
    assert again == written  # nothing scanned or judged again
    written = {entry.name: entry.stat().st_mtime_ns for entry in audit_entries(site.root)}
    site.write("content/notice.md", page("通知", NOTICE.format(link="办公系统")))
    changed = site.run("mkdocs", "build", "--strict")
    assert changed.returncode == 0, changed.stderr
    assert "读了其中 1 个有变化的页面" in changed.stderr  # that page alone, not the others of its group
    now = {entry.name: entry.stat().st_mtime_ns for entry in audit_entries(site.root)}
    assert now.keys() == written.keys()  # one entry a group of files
    assert 1 <= sum(now[name] != written[name] for name in now) <= 2  # the changed page's group, its facts written again
    again = site.run("mkdocs", "build", "--strict")  # as an editor would, and said in the log
    assert again.returncode == 0, again.stderr
    html = len([path for path in site.out.rglob("*.html") if not path.is_relative_to(site.out / "audit")])
    assert f"读了其中 0 个有变化的页面，{html} 个沿用上次的结果" in again.stderr


def claim_no_links(group: dict) -> None:
    for _, facts in group["files"].values():
        facts["references"] = []


def claim_no_findings(judged: dict) -> None:
    for said, *_ in judged["results"]:
        said.clear()


@pytest.mark.parametrize("kinds", [{"audit": claim_no_links}, {"audit-judged": claim_no_findings},
                                   {"audit": claim_no_links, "audit-judged": claim_no_findings}])
def test_damaged_audit_entries_are_worked_out_again(site, kinds):
    with_audit(site)
    site.write("content/notice.md", page("通知", NOTICE.format(link='<a href="http://192.168.10.2/oa/">办公系统</a>')))
    first = site.build_error()
    for kind, damage in kinds.items():
        for entry in audit_entries(site.root, kind):  # without a matching checksum
            check, _, payload = entry.read_bytes().partition(b"\n")
            group = json.loads(payload)
            damage(group)
            entry.write_bytes(check + b"\n" + json.dumps(group).encode())
    assert site.build_error() == first


def test_links_from_a_cached_page_are_judged_against_the_site_as_it_now_is(site):
    with_audit(site)
    site.write("content/extra.md", page("附录", "本页是平台的附录，列出各项说明和联系方式，供公众查阅。"))
    site.write("content/links.md", page("链接", '本平台的各项说明和联系方式见 <a href="../extra/">附录</a>，供公众查阅。'))
    site.build()
    site.remove("content/extra.md")
    errors = site.build_error()
    assert "site/links/index.html" in errors and "指向的页面或文件不存在" in errors


def test_a_second_load_in_one_process_reads_again_only_the_files_that_changed(site):
    # what `mkdocs serve` does on each save: the same files give the same records and messages
    from gongkai.check import check_data

    replace_in(site, "data/units/gov.yml", "name: ", "name: <script>x</script>")  # an error the second load must repeat
    first, first_report = check_data(site.root / "data", site.root, TODAY)
    again, again_report = check_data(site.root / "data", site.root, TODAY)
    assert again_report.lines() == first_report.lines() and any("gov.yml" in line for line in first_report.lines())
    assert again.units["office"] is first.units["office"]  # not parsed and validated again
    replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595-29990099")
    changed, _ = check_data(site.root / "data", site.root, TODAY)
    assert changed.units["office"].phone == "0595-29990099"
    assert findings(site) == first_report.lines()


def write_page(site: Path, path: str, body: str) -> None:
    (site / path).parent.mkdir(parents=True, exist_ok=True)
    (site / path).unlink(missing_ok=True)  # a new file, as a build writes it
    (site / path).write_text(f'<!doctype html><html lang="zh-CN"><head><title>页</title></head><body>{body}</body></html>',
                             encoding="utf-8")


def test_judged_links_are_kept_while_the_files_they_lead_to_stay_and_judged_again_when_one_comes(tmp_path):
    from gongkai.audit import run

    def audited() -> tuple[list[str], dict[str, int]]:
        result = run.audit(site, "https://xxgk.example.gov.cn/", lambda hit: True, project=tmp_path)
        return result.report.lines(), {entry.name: entry.stat().st_mtime_ns for entry in audit_entries(tmp_path, "audit-judged")}

    site = tmp_path / "site"
    write = partial(write_page, site)
    write("index.html", '<a href="a/">甲</a><a href="b/">乙</a>')
    write("a/index.html", '<a href="../">首页</a>')
    lines, judged = audited()
    assert any("site/index.html" in line and "“b/”指向的页面或文件不存在" in line for line in lines)
    (site / "logo.png").write_bytes(b"\x89PNG")  # a file no page links to: nothing judged again
    assert audited() == (lines, judged)
    write("b/index.html", '<a href="../a/">甲</a>')
    again, rejudged = audited()
    assert not any("指向的页面或文件不存在" in line for line in again)
    assert any(rejudged.get(name, written) != written for name, written in judged.items())  # judged again, rewritten


def test_a_changed_page_alone_is_scanned_again_not_the_others_of_its_group(tmp_path, monkeypatch):
    from gongkai.audit import run

    monkeypatch.setattr(run, "GROUPS", 1)  # every file in one group
    site = tmp_path / "site"
    for name in ("index.html", "a/index.html", "b/index.html"):
        write_page(site, name, '<a href="/">首页</a>')

    def reused() -> int:
        return run.audit(site, "https://xxgk.example.gov.cn/", lambda hit: True, project=tmp_path).reused

    assert (reused(), reused()) == (0, 3)
    write_page(site, "a/index.html", '<a href="/">首页</a><a href="../b/">乙</a>')
    assert reused() == 2


def test_the_audit_reads_again_only_the_files_whose_stamp_changed(tmp_path, monkeypatch):
    # a page linked in from the page cache keeps its inode, size and modification time: reading 30,000 files took seconds
    import time

    from gongkai.audit import run

    site = tmp_path / "site"
    for name in ("index.html", "a/index.html", "b/index.html"):
        write_page(site, name, '<a href="/">首页</a>')
    reads: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: (path.suffix == ".html" and reads.append(path.name)) or read_bytes(path))

    def audited() -> list[str]:
        reads.clear()
        return run.audit(site, "https://xxgk.example.gov.cn/", lambda hit: True, project=tmp_path).report.lines()

    first = audited()
    assert len(reads) == 3
    assert audited() == first and reads == []
    time.sleep(0.05)  # past the file system's clock tick
    (site / "b/index.html").unlink()  # another file by the same name, as a build writes it
    write_page(site, "b/index.html", '<a href="/">首页</a><a href="../c/">丙</a>')
    again = audited()
    assert reads == ["index.html"] and any("“../c/”指向的页面或文件不存在" in line for line in again)
    (tmp_path / ".cache/gongkai/audit-seen.json").write_text("garbled", encoding="utf-8")
    assert audited() == again and len(reads) == 3  # a damaged note is not believed


def test_exported_spreadsheets_are_kept_by_what_they_show_and_a_damaged_one_made_again(catalog_site, monkeypatch):
    """Kept as every file made for the site is (page_cache.PageCache.made_file), and exported again only when what
    it shows changed."""
    from gongkai import sheets

    made: list[str] = []
    workbook = sheets._workbook
    monkeypatch.setattr(sheets, "_workbook", lambda title, *args: made.append(title) or workbook(title, *args))

    def built_in_a_new_process() -> dict[str, bytes]:
        made.clear()
        sheets._EXPORTED.clear()  # what this process exported already: a new process has none
        catalog_site.build()
        return {path.relative_to(catalog_site.out).as_posix(): path.read_bytes() for path in catalog_site.out.rglob("*.xlsx")}

    first = built_in_a_new_process()
    assert len(first) == len(made) == 2  # the standard and the office's catalog
    assert built_in_a_new_process() == first and made == []  # both from the cache, the same bytes
    published = catalog_site.out / "catalogs/office/hjgl.xlsx"
    kept = next(path for path in (catalog_site.root / ".cache/gongkai/made").glob("*.bin") if path.stat().st_ino == published.stat().st_ino)
    kept.write_bytes(first["catalogs/office/hjgl.xlsx"][:-20])  # cut short
    assert built_in_a_new_process() == first and len(made) == 1  # made again, the same bytes
    replace_in(catalog_site, "data/catalogs/units/office/hjgl.yml", "content: 代办事项、联系电话", "content: 代办事项、联系电话和地址")
    now = built_in_a_new_process()
    assert len(made) == 1 and now["catalogs/office/hjgl.xlsx"] != first["catalogs/office/hjgl.xlsx"]
    assert {name: data for name, data in now.items() if name != "catalogs/office/hjgl.xlsx"} == \
        {name: data for name, data in first.items() if name != "catalogs/office/hjgl.xlsx"}


def test_the_files_of_a_site_are_listed_as_the_audit_and_the_index_read_them(tmp_path):
    from gongkai.cache import files_in

    site = tmp_path / "site"
    for name in ("index.html", "a-b/index.html", "a/index.html", "a/b/c.html", ".hidden/x.html", "assets/app.js", "b.HTML"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/other.html").write_text("x", encoding="utf-8")
    (site / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)  # not entered
    (site / "gone.html").symlink_to(tmp_path / "nowhere.html")  # a broken link is no file
    html = [".hidden/x.html", "a-b/index.html", "a/b/c.html", "a/index.html", "index.html"]  # sorted as text
    assert files_in(site, ".html") == html
    assert files_in(site) == sorted([*html, "assets/app.js", "b.HTML"])
    assert files_in(tmp_path / "missing") == []


@pytest.mark.parametrize("value", [
    {"documents/甲.md": {"key": "k", "reads": [("site.units", "u1"), ("site.documents", "d")], "html": "h"}, "b": []},
    {},
    {"1": None, "two": [1.5, True, "乙"]},
    {1: "a key that is not text", "x": 2},
    [("a", 1), {"b": "丙"}],
    {f"p{n}.md": {"reads": [n, "丁"]} for n in range(1000)},  # one batch of members, exactly
    {f"p{n}.md": [n] if n % 2 else {"k": None} for n in range(2501)},  # three batches, the last of one member
])
def test_an_entry_is_written_as_json_would_write_it_whole_and_read_back(tmp_path, value):
    """A mapping is written a batch of members at a time (a large manifest would take 550 MB more whole): the same bytes."""
    from gongkai.cache import read_entry, write_entry

    write_entry(tmp_path / "e.json", value)
    check, _, payload = (tmp_path / "e.json").read_bytes().partition(b"\n")
    assert payload == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert read_entry(tmp_path / "e.json") == (json.loads(payload),)
    (tmp_path / "e.json").write_bytes(check + b"\n" + payload[:-1])
    assert read_entry(tmp_path / "e.json") is None


def test_reply_documents_are_made_once_and_kept_by_what_they_say(site, monkeypatch):
    """The 答复文书 (.docx, ten a unit) are made again only when what they say changed (page_cache.PageCache.made_file)."""
    from gongkai.pages import disclosure

    made: list[str] = []

    def counted_docx(reply, unit_name, lines):
        made.append(unit_name)
        return real_docx(reply, unit_name, lines)

    real_docx = disclosure.docx
    monkeypatch.setattr(disclosure, "docx", counted_docx)
    kept_folder = site.root / ".cache/gongkai/made"

    def built() -> dict[str, bytes]:
        made.clear()
        site.build()
        return {path.relative_to(site.out).as_posix(): path.read_bytes() for path in site.out.rglob("*.docx")}

    first = built()
    assert len(first) == len(made) >= 10 and len(set(made)) >= 1
    assert built() == first and made == []  # all from the cache, the same bytes
    entries = sorted(kept_folder.glob("*.bin"))
    assert len(entries) == len(first)
    published = {path.stat().st_ino for path in site.out.rglob("*.docx")}
    assert published == {entry.stat().st_ino for entry in entries}  # linked into the site, not copied
    entries[0].write_bytes(entries[0].read_bytes()[:-30])  # cut short
    assert built() == first and len(made) == 1  # the damaged one made again, not published
    replace_in(site, "data/units/office.yml", "name: 测试区人民政府办公室", "name: 测试区人民政府办公厅")
    now = built()
    assert made and set(made) == {"测试区人民政府办公厅"}  # that unit's, and no other's
    changed = [name for name in now if now[name] != first.get(name)]
    assert changed and all("/office/" in name for name in changed)
    assert len(list(kept_folder.glob("*.bin"))) == len(now)  # the old ones deleted
