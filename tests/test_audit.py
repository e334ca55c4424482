"""The output audit: each rule broken on purpose in a real build, and the demo passing them all."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from conftest import REPO, page, plant_in_output, replace_in, with_audit

VALID_ID = "11010519491231002X"  # the standard's own example: its check digit is right


@pytest.fixture
def audited(site):
    return with_audit(site)


def test_a_clean_site_passes_and_gets_a_report(audited):
    audited.build()
    report = json.loads((audited.out / "audit/report.json").read_text(encoding="utf-8"))
    assert report["errors"] == report["warnings"] == 0 and report["findings"] == []
    assert report["pages"] == len(list(audited.out.rglob("*.html"))) - 1  # all but the report page itself
    assert "beian.miit.gov.cn" in report["hosts"]  # the footer's ICP link, listed for the AAAA check
    assert report["content_security_policy"].startswith("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-")
    shown = audited.html("audit/index.html")
    assert shown.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert "beian.miit.gov.cn" in shown.find("table").get_text()


@pytest.mark.parametrize("html, expected", [
    ('<script src="https://cdn.example.com/jquery.js"></script>',
     "site/notice/index.html:{line}: 错误：src 从第三方网站加载“https://cdn.example.com/jquery.js”"),
    ('<img src="//img.example.com/a.png" alt="图">', "site/notice/index.html:{line}: 错误：src 从第三方网站加载“//img.example.com/a.png”"),
    ('<p style="background: url(https://img.example.com/bg.png)">背景</p>',
     "site/notice/index.html:{line}: 错误：style 属性 url() 从第三方网站加载“https://img.example.com/bg.png”"),
    ('<a href="http://192.168.10.2/oa/">内网办公系统</a>',
     "site/notice/index.html:{line}: 错误：href 中的网址“http://192.168.10.2/oa/”使用了 IPv4 地址"),
    ('<a href="https://test.example.gov.cn/units/">机构</a>',
     "site/notice/index.html:{line}: 错误：href 中的站内链接“https://test.example.gov.cn/units/”写成了完整网址"),
    ('<a href="../units/nowhere/">不存在的页面</a>', "site/notice/index.html:{line}: 错误：链接“../units/nowhere/”指向的页面或文件不存在"),
    ('<a href="../units/#no-such-place">机构</a>',
     "site/notice/index.html:{line}: 错误：链接指向 units/index.html 中的锚点“#no-such-place”，但该页面没有这个位置"),
    ('<a href="javascript:void(0)">点击</a>', "site/notice/index.html:{line}: 错误：href 使用了 javascript: 地址"),
    ('<script>alert(1)</script>', "site/notice/index.html: 错误：页面中有内联脚本"),
    ('<ul data-gk-items><li>没有日期的条目</li></ul>', "site/notice/index.html: 错误：列表中有 1 个条目没有显示日期"),
])
def test_each_planted_violation_fails_the_build_naming_the_page(audited, html, expected):
    audited.write("content/notice.md", page("通知公告", "以下是本栏目的内容，供查阅。"))
    plant_in_output(audited, "notice.md", html)
    message = audited.build_error()
    assert message.startswith("构建检查未通过（1 个错误，0 个警告），请勿发布本次生成的 site/：")
    line = next(i for i, text in enumerate((audited.out / "notice/index.html").read_text().splitlines(), 1) if html[:20] in text)
    assert expected.format(line=line) in message
    assert "（页面来源：content/notice.md）" in message


def test_an_empty_column_fails_the_build(audited):
    audited.write("content/notices.md", page("通知公告", ""))
    message = audited.build_error()
    assert "site/notices/index.html: 错误：页面除标题和日期外没有内容（空栏目）" in message


def test_an_undated_page_stops_the_build_before_anything_is_written(audited):
    audited.write("content/notice.md", page("通知公告", "本栏目发布通知公告。", date=None))
    message = audited.build_error()
    assert "content/notice.md:2:1: 错误：date（更新日期）：缺少必填字段" in message
    assert not (audited.out / "notice").exists()


def test_an_id_number_is_refused_wherever_it_is_written(audited):
    audited.write("content/notice.md", page("公示", f"申请人：张三，身份证号 {VALID_ID}。"))
    message = audited.build_error()
    assert "content/notice.md:8:13: 错误：正文：含有居民身份证号“110***********002X”" in message
    audited.write("content/notice.md", page("公示", "申请人：张三，身份证号 110105194912310021（校验位不对，不是身份证号）。"))
    audited.build()


def test_personal_information_from_the_theme_is_caught_in_the_output(audited):
    # not from data/ or content/, which are checked before the build: a theme template someone changed
    shutil.copytree(REPO / "overrides", audited.root / "overrides")
    replace_in(audited, "mkdocs.yml", f"custom_dir: {REPO / 'overrides'}", "custom_dir: overrides")
    replace_in(audited, "overrides/gongkai/footer.html", '<dl class="gk-footer__facts">', '<p>值班：13812345678</p><dl class="gk-footer__facts">')
    message = audited.build_error()
    assert "site/index.html: 错误：含有手机号码“138****5678”" in message


def test_http_links_warn_and_fail_only_strict_builds(audited):
    audited.write("content/links.md", page("相关链接", "本站推荐的其他网站：<a href=\"http://www.example.org/\">某网站</a>"))
    assert "警告：外部链接“http://www.example.org/”使用 http://" in audited.build_error(strict=True)
    audited.build(strict=False)


def test_the_demo_passes_the_audit(demo_site):
    report = json.loads((demo_site.out / "audit/report.json").read_text(encoding="utf-8"))
    assert report["findings"] == []
    assert report["pages"] > 400
    hosts = report["hosts"]
    assert {"beian.miit.gov.cn", "beian.mps.gov.cn", "ysqgk.example.gov.cn"} <= set(hosts)
    assert all("加载资源" not in uses for uses in hosts.values())  # nothing is loaded from another host


def test_the_parallel_audit_finds_what_the_serial_one_does(demo_site, monkeypatch):
    from gongkai.audit import run
    from gongkai.rules.privacy import Allowed

    allows = Allowed().allows  # nothing listed: the demo's published service mobile and 163.com mailbox are findings
    serial = run.audit(demo_site.out, "https://xxgk.example.gov.cn/", allows)
    monkeypatch.setattr(run, "PARALLEL_FROM", 1)  # large platforms are audited by a pool of processes
    parallel = run.audit(demo_site.out, "https://xxgk.example.gov.cn/", allows)
    assert serial.report.lines() == parallel.report.lines() and len(serial.report.errors) >= 2
    assert (serial.hosts, serial.script_hashes, serial.pages) == (parallel.hosts, parallel.script_hashes, parallel.pages)
    from gongkai import parallel as processes

    monkeypatch.setattr(run, "PARALLEL_FROM", 10**9)  # few pages to read: the groups are shared by two processes
    monkeypatch.setattr(processes, "HALVES_FROM", 1)
    monkeypatch.setattr(processes, "safe_to_fork", lambda: True)
    monkeypatch.setattr(processes, "cpu_count", lambda: 2)
    halved = run.audit(demo_site.out, "https://xxgk.example.gov.cn/", allows)
    assert serial.report.lines() == halved.report.lines()
    assert (serial.hosts, serial.script_hashes, serial.pages) == (halved.hosts, halved.script_hashes, halved.pages)


URL = "https://xxgk.example.gov.cn/"


def _judged_here(monkeypatch):
    """The files this process judged (an early audit judges the rest in a forked one)."""
    from gongkai.audit import run

    judged: list[str] = []
    original = run._Judging.judge_and_tally

    def noting(self, paths, found, context):
        judged.extend(paths)
        return original(self, paths, found, context)

    monkeypatch.setattr(run._Judging, "judge_and_tally", noting)
    return judged


def _same_audit(one, other) -> None:
    assert one.report.lines() == other.report.lines()
    assert (one.hosts, one.script_hashes, one.pages, one.files) == (other.hosts, other.script_hashes, other.pages, other.files)


def test_an_audit_begun_while_the_index_is_made_finds_what_the_whole_one_does(demo_site, tmp_path, monkeypatch):
    # the pages and scripts are judged in a forked process while Pagefind runs; only the index's files are judged after
    from gongkai.audit import run
    from gongkai.rules.privacy import Allowed

    allows = Allowed().allows  # nothing listed: the demo's published service mobile is a finding
    site = tmp_path / "site"
    shutil.copytree(demo_site.out, site)
    (site / "assets/planted.css").write_text("@import 'https://fonts.example.com/f.css';\n", encoding="utf-8")
    (site / "pagefind/planted.js").write_text("fetch('http://10.0.0.1/x');\nconst api = 'https://api.example.net/';\n",
                                              encoding="utf-8")
    sources = {"index.html": "content/index.md", "about/index.html": "content/about.md"}
    whole = run.audit(site, URL, allows, sources, project=tmp_path / "a", index_folder="pagefind/")
    judged = _judged_here(monkeypatch)
    for project in (tmp_path / "b", tmp_path / "b", tmp_path / "a"):  # nothing kept; kept by it; kept by the whole audit
        judged.clear()
        early = run.Early(site, URL, allows, sources, "site", project, frozenset(), "pagefind/")
        begun = run.audit(site, URL, allows, sources, project=project, index_folder="pagefind/", early=early)
        _same_audit(begun, whole)
        assert judged and all(path.startswith("pagefind/") for path in judged)  # the rest was taken from the early audit
    lines = whole.report.lines()
    assert [line.split(":")[0] for line in lines if "fonts.example.com" in line or "10.0.0.1" in line] == [
        "site/assets/planted.css", "site/pagefind/planted.js"]
    assert any("139****0015" in line for line in lines)
    assert {"api.example.net", "fonts.example.com"} <= set(whole.hosts)


@pytest.mark.parametrize("change, found", [
    ("page rewritten", ("site/about/index.html:", "src 从第三方网站加载“https://cdn.example.com/a.js”")),
    ("page removed", ("site/index.html:", "链接“about/”指向的页面或文件不存在")),
    ("page added", ("site/extra/index.html:", "链接“../missing/”指向的页面或文件不存在")),
    ("index file gone", ("site/index-files/index.html:", "链接“../pagefind/pagefind-entry.json”指向的页面或文件不存在")),
])
def test_an_audit_begun_early_is_not_taken_when_the_site_changed_after_it_began(demo_site, tmp_path, monkeypatch, change, found):
    from gongkai.audit import run

    site = tmp_path / "site"
    shutil.copytree(demo_site.out, site)
    (site / "index-files").mkdir()  # a page whose link is judged by whether a file of the index is there
    (site / "index-files/index.html").write_text('<html lang="zh-CN"><body><a href="../pagefind/pagefind-entry.json">索引</a>'
                                                 '</body></html>', encoding="utf-8")
    done, begin = tmp_path / "judged early", run._begin

    def judge_and_say(*args):  # (in the forked process) so that the page is changed after it was judged there
        found = begin(*args)
        done.touch()
        return found

    monkeypatch.setattr(run, "_begin", judge_and_say)
    early = run.Early(site, URL, lambda hit: True, {}, "site", tmp_path, frozenset(), "pagefind/")
    for _ in range(600):
        if not done.exists():
            time.sleep(0.1)
    page = site / "about/index.html"
    if change == "page rewritten":  # by a plugin after the pages, say
        page.write_text(page.read_text(encoding="utf-8").replace("</article>", '<script src="https://cdn.example.com/a.js"></script></article>'),
                        encoding="utf-8")
    elif change == "page removed":  # every page's navigation links to it
        page.unlink()
    elif change == "page added":
        (site / "extra").mkdir()
        (site / "extra/index.html").write_text('<html lang="zh-CN"><body><a href="../missing/">x</a></body></html>', encoding="utf-8")
    else:  # while the index is made
        (site / "pagefind/pagefind-entry.json").unlink()
    judged = _judged_here(monkeypatch)
    begun = run.audit(site, URL, lambda hit: True, project=tmp_path, index_folder="pagefind/", early=early)
    assert any(path.endswith(".html") for path in judged)  # judged again here
    _same_audit(begun, run.audit(site, URL, lambda hit: True, project=tmp_path / "fresh", index_folder="pagefind/"))
    assert any(line.startswith(found[0]) and found[1] in line for line in begun.report.lines())


def test_stylesheets_and_scripts_are_judged_by_what_they_load_and_judged_again_when_it_changes(tmp_path):
    # what they refer to is kept like a page's (the site editor's script alone is 5 MB): kept, it must still be right
    from gongkai.audit import run

    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets/extra.css").write_text("body { color: red }\n@import 'https://fonts.example.com/f.css';\n"
                                           "b { background: url(missing.png) }\n", encoding="utf-8")
    (site / "assets/app.js").write_text("const api = 'https://api.example.net/v1';\nfetch('http://10.0.0.1/x');\n", encoding="utf-8")

    def audit():
        result = run.audit(site, "https://xxgk.example.gov.cn/", lambda hit: True, project=tmp_path)
        return result.report.lines(), result.hosts

    lines, hosts = audit()
    assert lines == [
        "site/assets/app.js:2: 错误：JS 字符串 中的网址“http://10.0.0.1/x”使用了 IPv4 地址；请使用域名（IPv6 用户无法访问 IPv4 地址）",
        "site/assets/extra.css:2: 错误：CSS @import 从第三方网站加载“https://fonts.example.com/f.css”；页面所需的脚本、样式、图片和字体都应放在本站",
        "site/assets/extra.css:3: 错误：链接“missing.png”指向的页面或文件不存在",
    ]
    assert hosts == {"10.0.0.1": {"脚本中的网址": ["assets/app.js"]}, "api.example.net": {"脚本中的网址": ["assets/app.js"]},
                     "fonts.example.com": {"加载资源": ["assets/extra.css"]}}
    assert audit() == (lines, hosts)  # kept
    (site / "assets/missing.png").write_bytes(b"\x89PNG")  # the file it loads is there now
    (site / "assets/app.js").write_text("\nfetch('http://10.0.0.2/x');\n", encoding="utf-8")  # another address, on line 2 still
    lines, hosts = audit()
    assert [line.split("：")[0] for line in lines] == ["site/assets/app.js:2: 错误", "site/assets/extra.css:2: 错误"]
    assert "10.0.0.2" in lines[0] and set(hosts) == {"10.0.0.2", "fonts.example.com"}
