"""Hostile input, planted as an attacker (or a careless export) would: every case must end
in a Chinese message naming the file (and line where there is one), never a traceback; it
must leave data/ as it was; and nothing planted may reach site/ or the search index."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import REPO, Sandbox, id_number, page, plant_in_output, replace_in, text_pdf, with_audit

ID = id_number(350502, datetime.date(1990, 5, 6), 7)
MOBILE = "13812345678"
A_YML = "data/documents/2020/a-2020-1.yml"
ATTACHMENT = "data/documents/2020/a-2020-1-附件.pdf"
SECRET = "GONGKAI_PLANTED_SECRET_7f3a"


def gk(site: Sandbox, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], cwd=site.root, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def refused(result: subprocess.CompletedProcess, *expected: str) -> str:
    """The command failed with a Chinese message containing each of `expected`, and no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "Error:" not in output, output
    for text in expected:
        assert text in output, f"{text!r} not in:\n{output}"
    return output


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if not p.is_symlink() and p.is_file()}


def published(site: Sandbox) -> bytes:
    """Every byte of the built site, the search index decompressed."""
    out = b""
    for path in sorted(site.out.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            out += gzip.decompress(raw) if path.suffix.startswith(".pf_") else raw
    return out


def use_attachment(site: Sandbox, name: str, content: bytes) -> None:
    site.remove(ATTACHMENT)
    (site.root / "data/documents/2020" / name).write_bytes(content)
    replace_in(site, A_YML, "a-2020-1-附件.pdf", name)


# --- 1. nothing outside the repository is read or published -----------------------------------

def outside_file(tmp_path: Path, text: str) -> Path:
    target = tmp_path.parent / f"{tmp_path.name}-outside" / "secret.txt"
    target.parent.mkdir(exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize("link, target", [
    (ATTACHMENT, "/proc/self/environ"),
    ("data/documents/2020/a-2020-1.md", "/etc/hostname"),
    ("data/units/office.yml", "OUTSIDE"),
    ("content/about.md", "OUTSIDE"),
    ("content/leak.txt", "/proc/self/environ"),
    ("content/etc", "/etc"),
    ("data/documents/2020/a-2020-1.md", "OUTSIDE"),
    ("data/documents/2020/z-2020-9.yml", "/proc/1/cwd/etc/passwd"),  # (where this user may not look, on some machines)
    ("content/cwd", "/proc/1/cwd"),
    ("overrides/leak.txt", "/proc/self/environ"),  # MkDocs copies the theme folder's files but templates
    ("overrides/assets/secret.css", "OUTSIDE"),
    ("overrides/etc", "/etc"),
    ("overrides/cwd.html", "/proc/1/cwd/x"),
])
def test_a_link_out_of_the_repository_is_an_error_and_nothing_is_published(doc_site, tmp_path, link, target):
    if link.startswith("overrides/"):  # the platform's own theme folder, not the demo's the tests share
        shutil.copytree(REPO / "overrides", doc_site.root / "overrides")
        replace_in(doc_site, "mkdocs.yml", f"custom_dir: {REPO / 'overrides'}", "custom_dir: overrides")
    if target == "OUTSIDE":
        target = str(outside_file(tmp_path, f"name: {SECRET}\n"))
    path = doc_site.root / link
    if path.exists():
        path.unlink()
    path.symlink_to(target)
    before = digest(doc_site.root / "data")
    check = gk(doc_site, "check", env={SECRET: SECRET})
    refused(check, link, "仓库之外")
    message = doc_site.build_error()
    assert link in message and "仓库之外" in message
    assert not doc_site.out.exists() or SECRET.encode() not in published(doc_site)
    assert digest(doc_site.root / "data") == before


def test_a_pipe_in_content_is_refused_before_mkdocs_would_wait_on_it(site):
    os.mkfifo(site.root / "content/feed.md")
    refused(gk(site, "check"), "content/feed.md: 错误：这不是普通文件")
    assert "content/feed.md" in site.build_error()


def test_a_link_inside_the_repository_is_allowed(doc_site):
    shared = doc_site.root / "data/documents/2021/shared.pdf"
    (doc_site.root / ATTACHMENT).rename(shared)
    (doc_site.root / ATTACHMENT).symlink_to(Path("../2021/shared.pdf"))
    replace_in(doc_site, "data/documents/2021/b-2021-1.yml", "body:", "attachments:\n  - file: shared.pdf\nbody:")
    doc_site.build()
    assert (doc_site.out / "documents/a-2020-1/a-2020-1-附件.pdf").read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("args, expected", [
    (["new", "unit", "../../../x", "--name", "某局", "--type", "其他"], "机构编号“../../../x”不能使用"),
    (["new", "unit", "ABC", "--name", "某局", "--type", "其他"], "机构编号“ABC”不能使用"),
    (["new", "unit", "a" * 65, "--name", "某局", "--type", "其他"], "不超过 64 个字符"),
    (["new", "unit", "x\n", "--name", "某局", "--type", "其他"], "不能使用"),
    (["new", "unit", "newunit", "--name", "某局", "--type", "其他", "--parent", "../gov"], "上级单位编号“../gov”不能使用"),
    (["new", "document", "--unit", "../../x", "--category", "其他主动公开信息"], "机构编号“../../x”不能使用"),
    (["new", "document", "--unit", "office", "--category", "其他主动公开信息", "--interprets", "../a"], "文件编号“../a”不能使用"),
    (["new", "report", "--unit", "office", "--year", "1899"], "而不是 1899"),
    (["new", "report", "--unit", "office", "--year", "99999"], "而不是 99999"),
    (["new", "report", "--unit", "../../../../x", "--year", "2021"], "机构编号“../../../../x”不能使用"),
    (["catalog", "import", "in.xlsx", "--domain", "hjgl", "--unit", "../../../../x"], "机构编号“../../../../x”不能使用"),
    (["catalog", "import", "in.xlsx", "--domain", "hjgl", "-o", "../../escaped.yml"], "不在仓库"),
    (["catalog", "export", "--domain", "hjgl", "-o", "../escaped.xlsx"], "不在仓库"),
    (["diff", "--", "--output=planted"], "不是 git 版本名"),
    (["diff", "HEAD", "--", "--output=planted"], "不是 git 版本名"),
    (["diff", "-", "HEAD"], "不是 git 版本名"),
])
def test_commands_check_every_id_and_write_only_inside_the_repository(catalog_site, args, expected):
    from sheets_helpers import standard_workbook

    (catalog_site.root / "in.xlsx").write_bytes(standard_workbook(catalog_site))
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.gov.cn", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=catalog_site.root, check=True, capture_output=True)
    before = digest(catalog_site.root / "data")
    def around() -> list[set[str]]:  # other pytest sessions on the machine may add their own pytest-N folders meanwhile
        return [{p.name for p in folder.iterdir() if not re.fullmatch(r"pytest-\d+|pytest-current", p.name)}
                for folder in (catalog_site.root.parent, catalog_site.root.parent.parent)]

    outside = around()
    refused(gk(catalog_site, *args), expected)
    assert digest(catalog_site.root / "data") == before
    assert not (catalog_site.root / "planted").exists() and around() == outside


# --- 2. personal information written differently is still found --------------------------------

DISGUISED = [
    "１３８１２３４５６７８",                      # full-width digits
    "138 1234 5678", "138-1234-5678", "138.1234.5678", "138/1234/5678",
    "138\u30001234\u30005678",                    # ideographic spaces
    "138\u30021234\u30025678",                    # ideographic full stops, read as dots
    "138\u200b1234\u200b5678",                    # zero-width spaces
    "138\u00ad1234\u00ad5678",                    # soft hyphens
    "+86 138 1234 5678",
    ID[:6] + " " + ID[6:14] + " " + ID[14:],
    ID[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + ID[-1],
]
HARMLESS = [
    "泉鲤政办〔2020〕38号", "2020-08-20", "2020年8月20日", "0595-22355663", "0595-22355663/22355669",
    "索引号：11350502MB1234567X/2020-00038", "统一社会信用代码 11350502003575638K", "金额 1,234,567.89 元",
    "共受理 1381 件、办结 2345 件、答复 6789 次", "网站标识码 3505020000", "闽公网安备35050202000123号",
    "12345", "电话：0595-22355663 转 8001",
]


@pytest.mark.parametrize("text", DISGUISED)
def test_a_disguised_number_is_found_in_data_bodies_and_pages(doc_site, text):
    replace_in(doc_site, A_YML, "summary: 规范本区政府信息公开工作。", f"summary: 联系 {text} 咨询。")
    doc_site.write("data/documents/2020/a-2020-1.md", f"第一段。\n\n请拨打 {text} 联系。\n")
    doc_site.write("content/notice.md", page("通知", f"值班电话\n{text}\n今日有效。"))
    output = refused(gk(doc_site, "check"))
    assert f"{A_YML}:" in output and "summary（内容概述）" in output
    assert "data/documents/2020/a-2020-1.md:3:" in output and "content/notice.md:9:" in output


def test_a_number_split_over_two_lines_of_a_paragraph_is_found_and_one_over_two_paragraphs_is_not(doc_site):
    doc_site.write("content/notice.md", page("通知", "电话 138 1234\n5678 有效。\n\n编号 138 1234\n\n5678 号。"))
    output = refused(gk(doc_site, "check"))
    assert "content/notice.md:8:4: 错误：正文：含有手机号码" in output and output.count("含有手机号码") == 1


@pytest.mark.parametrize("text", HARMLESS)
def test_numbers_of_other_kinds_are_not_personal_information(doc_site, text):
    doc_site.write("content/notice.md", page("通知", f"说明：{text}。"))
    result = gk(doc_site, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def docx(parts: dict[str, str]) -> bytes:
    body = {"[Content_Types].xml": "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>",
            "word/document.xml": "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
                                 "<w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>", **parts}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, text in body.items():
            package.writestr(name, text)
    return out.getvalue()


W = "xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'"


def xlsx(build) -> bytes:
    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _comment(book):
    from openpyxl.comments import Comment

    book.active["A1"] = "名单"
    book.active["A1"].comment = Comment(f"联系人身份证 {ID}", "编辑")


def _header(book):
    book.active["A1"] = "名单"
    book.active.oddHeader.center.text = f"经办 {MOBILE}"


def _properties(book):
    book.active["A1"] = "名单"
    book.properties.creator = f"张三 {MOBILE}"


def _formula(book):
    book.active["A1"] = f'="{ID[:9]}"&"{ID[9:]}"'


def png_with_text(text: str) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"tEXt", b"Comment\0" + text.encode())
            + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))


def ofd(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody/></ofd:OFD>")
        package.writestr("Doc_0/Pages/Page_0/Content.xml",
                         "<ofd:Page xmlns:ofd='http://www.ofdspec.org/2016'><ofd:Content><ofd:Layer><ofd:TextObject ID='1'>"
                         f"<ofd:TextCode X='0' Y='0'>{text[:7]}</ofd:TextCode><ofd:TextCode X='9' Y='0'>{text[7:]}</ofd:TextCode>"
                         "</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>")
    return out.getvalue()


@pytest.mark.parametrize("name, content, where", [
    ("a.docx", docx({"word/header1.xml": f"<w:hdr {W}><w:p><w:r><w:t>经办 {MOBILE}</w:t></w:r></w:p></w:hdr>"}), "word/header1.xml"),
    ("a.docx", docx({"word/footer1.xml": f"<w:ftr {W}><w:p><w:r><w:t>{ID[:8]}</w:t></w:r><w:r><w:t>{ID[8:]}</w:t></w:r></w:p></w:ftr>"}),
     "word/footer1.xml"),
    ("a.docx", docx({"word/comments.xml": f"<w:comments {W}><w:comment><w:p><w:r><w:t>{MOBILE}</w:t></w:r></w:p></w:comment></w:comments>"}),
     "word/comments.xml"),
    ("a.docx", docx({"docProps/core.xml": f"<cp:coreProperties xmlns:cp='x'><cp:lastModifiedBy>{MOBILE}</cp:lastModifiedBy></cp:coreProperties>"}),
     "docProps/core.xml"),
    ("a.xlsx", xlsx(_comment), "xl/comments"),
    ("a.xlsx", xlsx(_header), "xl/worksheets/sheet1.xml"),
    ("a.xlsx", xlsx(_properties), "docProps/core.xml"),
    ("a.xlsx", xlsx(_formula), "A1 单元格"),
    ("a.pdf", text_pdf("Applicant", f"ID {ID}"), "第 1 页"),
    ("a.ofd", ofd(MOBILE), "Content.xml"),
    ("a.png", png_with_text(f"tel {MOBILE}"), "图片文字信息"),
])
def test_personal_information_is_found_in_every_part_of_an_attachment(doc_site, name, content, where):
    use_attachment(doc_site, name, content)
    output = refused(gk(doc_site, "check"), f"data/documents/2020/{name}", where)
    assert "含有手机号码" in output or "含有居民身份证号" in output


def test_texts_of_one_part_are_searched_together_but_never_joined_into_a_number(tmp_path):
    from gongkai.cache import Cache
    from gongkai.load.personal import in_attachment

    halves = f"<w:p><w:r><w:t>{MOBILE[:6]}</w:t></w:r></w:p><w:p><w:r><w:t>{MOBILE[6:]}</w:t></w:r></w:p>"
    path = tmp_path / "a.docx"
    path.write_bytes(docx({"word/document.xml": f"<w:document {W}><w:body>{halves}</w:body></w:document>"}))
    assert in_attachment(path, "a.docx", Cache(None)) == ([], None)  # two paragraphs, two numbers too short to be anything
    whole = f"<w:p><w:r><w:t>电话</w:t></w:r></w:p><w:p w:rsidR='00A1' w:tel='{MOBILE}'><w:r><w:t>x</w:t></w:r></w:p>"
    path.write_bytes(docx({"word/document.xml": f"<w:document {W}><w:body>{whole}</w:body></w:document>"}))
    [found], _ = in_attachment(path, "a.docx", Cache(None))
    assert found.hit.key == MOBILE and "word/document.xml" in found.label


@pytest.mark.parametrize("name, content, reason", [
    ("scan.pdf", text_pdf(), "第 1 页没有文字层"),
    ("a.wps", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "无法读取 .wps 格式"),
    ("a.et", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "无法读取 .et 格式"),
    ("a.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "无法读取 .doc 格式"),
    ("a.jpg", b"\xff\xd8\xff\xd9", "图片中的文字无法自动检查"),
])
def test_what_cannot_be_read_is_a_warning_until_a_person_records_the_check(doc_site, name, content, reason):
    use_attachment(doc_site, name, content)
    shown = f"data/documents/2020/{name}"
    output = refused(gk(doc_site, "check", "--strict"), f"{shown}: 警告：{reason}", "reviewed")
    assert "0 个错误，1 个警告" in output
    doc_site.write("data/privacy.yml", f"reviewed:\n  - file: {shown}\n    checked_by: 信息科 甲演示\n    date: 2023-12-01\n")
    passed = gk(doc_site, "check", "--strict")
    assert passed.returncode == 0, passed.stdout
    doc_site.write("data/privacy.yml", "reviewed:\n  - file: data/documents/2020/other.pdf\n    checked_by: 甲\n    date: 2023-12-01\n")
    refused(gk(doc_site, "check", "--strict"), "“data/documents/2020/other.pdf”不是需要人工核对的附件")


ENTITY_BOMB = ("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;'>]>"
               f"<w:document {W}><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>")


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>")
    return out.getvalue()


@pytest.mark.parametrize("name, content, expected", [
    ("a.docx", docx({"word/document.xml": "<w:document><w:body>"}), "不是有效的 XML"),
    ("a.docx", docx({"word/document.xml": ENTITY_BOMB}), "DTD 或实体声明"),
    ("a.docx", b"PK\x03\x04 not really a zip", "压缩包损坏"),
    ("a.xlsx", os.urandom(4096), "压缩包损坏"),
    ("a.pdf", b"%PDF-1.4\n" + os.urandom(2000), "不是有效的 PDF"),
    ("a.xls", os.urandom(3000), "不是有效的 .xls"),
    ("a.ofd", docx({"OFD.xml": "<ofd:OFD"}), "不是有效的 XML"),
])
def test_a_broken_attachment_is_an_error_naming_it(doc_site, name, content, expected):
    use_attachment(doc_site, name, content)
    refused(gk(doc_site, "check"), f"data/documents/2020/{name}: 错误：附件无法读取", expected)


@pytest.mark.slow
def test_a_zip_bomb_is_refused_unread(doc_site):
    use_attachment(doc_site, "a.docx", zip_bomb())
    refused(gk(doc_site, "check"), "data/documents/2020/a.docx", "疑似压缩炸弹")


@pytest.mark.parametrize("plugins", ["gongkai-search\n  - gongkai-audit", "gongkai-audit\n  - gongkai-search"])
def test_the_search_index_is_checked_too(doc_site, plugins):
    # a page attribute Pagefind keeps as metadata, which the page's text does not show; the
    # audit runs after the index is written wherever mkdocs.yml lists it
    replace_in(doc_site, "mkdocs.yml", "plugins:\n  - gongkai:", f"plugins:\n  - {plugins}\n  - gongkai:")
    plant_in_output(doc_site, "units/office.md", f'<span data-pagefind-meta="phone:{MOBILE}"></span>')
    message = doc_site.build_error()
    assert "检索索引中含有手机号码“138****5678”" in message and ".pf_fragment" in message


# --- 3. hand-written pages and data cannot run script ------------------------------------------

SCRIPTED = [
    ('<details open ontoggle="alert(1)"><summary>展开</summary>内容</details>', 10, "ontoggle 属性"),
    ('<p onclick="alert(1)">点击</p>', 10, "onclick 属性"),
    ("<style>body{display:none}</style>", 10, "<style> 标签"),
    ('<div style="position:fixed;inset:0;background:#fff">维护中</div>', 10, "style 属性"),
    ("[办事指南](javascript:alert(1))", 10, "javascript: 地址"),
    ("[办事指南](JaVaScRiPt:alert(1))", 10, "javascript: 地址"),
    ("[办事指南][x]\n\n[x]: javascript:alert(1)", 12, "javascript: 地址"),
    ('<a href="&#106;avascript:alert(1)">链接</a>', 10, "javascript: 地址"),
    ("<iframe src='https://example.org/'></iframe>", 10, "<iframe> 标签"),
    ("<object data='x.swf'></object>", 10, "<object> 标签"),
    ("<form action='https://example.org/'><input name=q></form>", 10, "<form> 标签"),
    ('## 标题 { onclick="alert(1)" }', 10, "onclick（脚本或样式）"),
    ("<svg><script>alert(1)</script></svg>", 10, "<svg> 标签"),
]


@pytest.mark.parametrize("html, line, expected", SCRIPTED)
def test_script_in_a_handwritten_page_is_refused_with_file_and_line(site, html, line, expected):
    site.write("content/notice.md", page("通知", f"正文第一段。\n\n{html}\n"))
    output = refused(gk(site, "check"), f"content/notice.md:{line}:", expected)
    assert output
    message = site.build_error()
    assert f"content/notice.md:{line}:" in message and not site.out.exists()


@pytest.mark.parametrize("front, expected", [
    ('title: "<img src=x onload=alert(1)>"', "content/notice.md:2:8"),
    ('description: "</title><script>alert(1)</script>"', "content/notice.md:2:14"),
])
def test_markup_in_front_matter_is_refused(site, front, expected):
    site.write("content/notice.md", f"---\n{front}\ndescription: 说明\ndate: 2023-12-01\n---\n\n# 通知\n\n正文。\n".replace(
        "description: 说明\n", "" if front.startswith("description") else "description: 说明\n"))
    refused(gk(site, "check"), expected, "不能有 < 或 >")


@pytest.mark.parametrize("name, content, expected", [
    ("content/x.html", "<p>页面</p><script>alert(1)</script>", "content/x.html:1:10: 错误：不能使用 <script> 标签"),
    ("content/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "content/logo.svg:1:1: 错误：<svg> 不能带 onload 属性"),
    ("content/app.js", "alert(1)", "content/app.js: 错误：content/ 中不能放脚本文件"),
])
def test_files_published_as_they_are_follow_the_same_rules(site, name, content, expected):
    site.write(name, content)
    refused(gk(site, "check"), expected)


@pytest.mark.parametrize("field, value", [
    ("name: 测试区人民政府办公室", 'name: "<script>alert(1)</script>办公室"'),
    ("  - 负责全区政务公开工作。", '  - "<img src=x onerror=alert(2)>"'),
    ("address: 测试区测试路 1 号 3 楼", 'address: "[地图](javascript:alert(3))"'),
])
def test_script_in_any_data_value_is_refused(site, field, value):
    replace_in(site, "data/units/office.yml", field, value)
    refused(gk(site, "check"), "data/units/office.yml:")


def test_the_sanitizer_stands_behind_the_checks():
    from gongkai.pages.sanitize import clean

    dirty = ('<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:alert(2)">b</a>'
             '<img src="x.png" onerror="y()"><style>p{}</style><iframe src="//e"></iframe>')
    cleaned = clean(dirty)
    for bad in ("onclick", "<script", "javascript:", "onerror", "<style", "<iframe"):
        assert bad not in cleaned
    assert '<img src="x.png">' in cleaned and "<p>a</p>" in cleaned


# --- 4. nothing hangs, nothing explodes --------------------------------------------------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))


@pytest.mark.parametrize("text, expected", [
    (BILLION_LAUGHS, "别名（*）引用超过"),
    ("a: " + "[" * 200 + "]" * 200 + "\n", "嵌套层级过深"),
    ("name: x\n" + "".join(f"k{i}: [{', '.join(['v'] * 100)}]\n" for i in range(6000)), "文件中的值超过"),
])
def test_yaml_that_would_explode_is_refused_quickly(site, text, expected):
    site.write("data/units/bomb.yml", text)
    started = time.monotonic()
    refused(gk(site, "check"), "data/units/bomb.yml", expected)
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("markdown, expected", [
    ("[" * 100_000, "Markdown 符号过于密集"),        # Python-Markdown: minutes, quadratic in the brackets
    ("![" * 50_000, "Markdown 符号过于密集"),
    ("<a " * 100_000, "Markdown 符号过于密集"),
    ("文字 <a title='x" + " " * 5000 + "' onclick=y> 文字", "HTML 标签没有结束，或长于"),
])
def test_markdown_that_would_take_minutes_to_render_is_refused_at_once(doc_site, markdown, expected):
    doc_site.write("data/documents/2020/a-2020-1.md", f"第一段。\n\n{markdown}\n")
    doc_site.write("content/notice.md", page("通知", markdown))
    replace_in(doc_site, A_YML, "summary: 规范本区政府信息公开工作。", f"summary: |-\n  {markdown}")
    started = time.monotonic()
    output = refused(gk(doc_site, "check"), "data/documents/2020/a-2020-1.md:3:", "content/notice.md:", expected)
    assert f"{A_YML}:" in output and time.monotonic() - started < 60


def test_a_long_run_of_numbers_is_read_in_linear_time():
    from gongkai.personal_info import find

    started = time.monotonic()
    assert list(find("12-34 " * 200_000)) == [] and list(find("`" * 100_000 + "1" * 11)) == []
    assert time.monotonic() - started < 20


def test_oversized_files_are_refused_unread(doc_site):
    (doc_site.root / "data/units/huge.yml").write_text("name: x\n" + "# 填充\n" * 1_500_000, encoding="utf-8")
    doc_site.write("data/documents/2020/a-2020-1.md", "正文。\n" * 700_000)
    doc_site.write("content/big.md", page("大", "x" * (5 * 1024 * 1024)))
    refused(gk(doc_site, "check"), "data/units/huge.yml: 错误：文件过大", "data/documents/2020/a-2020-1.md: 错误：文件过大",
            "content/big.md: 错误：页面文件过大")


def million_rows(path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("目录")
    sheet.append(["序号", "一级事项"])
    for i in range(200_000):
        sheet.append([i, "x"])
    book.save(path)


@pytest.mark.parametrize("make, name, expected", [
    (lambda p: million_rows(p), "big.xlsx", "超过 20,000 行"),
    (lambda p: p.write_bytes(os.urandom(8192)), "random.xlsx", "不是有效的 .xlsx 文件"),
    (lambda p: p.write_bytes(docx({})), "word.xlsx", "不是 Excel 工作簿"),
    (lambda p: p.write_bytes(b"PK\x03\x04broken"), "broken.xlsx", "不是有效的 .xlsx 文件"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 512), "old.xls", "只能导入 .xlsx 或 .csv"),
    (lambda p: p.write_bytes(b"\0\1\2\3" * 100), "binary.csv", "不是文本格式的 CSV"),
])
def test_a_spreadsheet_that_cannot_be_imported_gets_a_message(catalog_site, make, name, expected):
    make(catalog_site.root / name)
    before = digest(catalog_site.root / "data")
    refused(gk(catalog_site, "catalog", "import", name, "--domain", "hjgl", "-o", "-"), name, expected)
    assert digest(catalog_site.root / "data") == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_csv_catalog_imports_in_utf8_and_gbk(catalog_site, encoding):
    from gongkai.sheets import export_csv

    site, _ = _site(catalog_site)
    standard = site.standards["hjgl"]
    text = export_csv(standard.rows, standard.levels).lstrip("\ufeff")  # as other programs save it: BOM or not
    (catalog_site.root / "in.csv").write_bytes((text.replace("✓", "√") if encoding == "gbk" else text).encode(encoding))
    result = gk(catalog_site, "catalog", "import", "in.csv", "--domain", "hjgl", "-o", "out.yml")
    assert result.returncode == 0, result.stderr
    assert "户口登记" in (catalog_site.root / "out.yml").read_text(encoding="utf-8")


def _site(site):
    from gongkai.check import check_data

    return check_data(site.root / "data", site.root, datetime.date(2024, 1, 1))


@pytest.mark.parametrize("content", [
    "not json", "[]", '{"findings": "x"}', '{"pages": 1, "files": 1, "findings": [{"severity": 1}], "hosts": {}, '
    '"content_security_policy": ""}', '{"pages": 1, "files": 1, "findings": [], "hosts": {"a": ["b"]}, "content_security_policy": ""}',
])
def test_a_malformed_audit_report_is_a_message(site, content):
    site.write("site/audit/report.json", content)
    refused(gk(site, "audit", "site"), "site/audit/report.json 不是构建检查报告")
    refused(gk(site, "headers", "site"), "不是构建检查报告")


# --- 5. a failed build keeps the published site; nothing is half-written -----------------------

@pytest.mark.parametrize("name", ["x#frag.pdf", "a?b.pdf", "a%20b.pdf", "附件 (1).pdf", "a&b.pdf"])
def test_attachment_names_that_mean_something_in_urls_are_published_and_linked(doc_site, name):
    use_attachment(doc_site, name, text_pdf("x"))
    doc_site.build()
    page = doc_site.html("documents/a-2020-1/index.html")
    [link] = page.select("ol.gk-attachments a")
    from urllib.parse import unquote

    assert unquote(link["href"]) == name and (doc_site.out / "documents/a-2020-1" / name).is_file()


def test_a_failed_build_leaves_the_published_site_as_it_was(doc_site):
    built = gk(doc_site, "build")
    assert built.returncode == 0, built.stderr
    before = digest(doc_site.out)
    replace_in(doc_site, A_YML, "written: 2020-03-02", "written: 2020-13-02")  # data that stops the build
    refused(gk(doc_site, "build"), "written", "原有的 site/ 保持不变")
    replace_in(doc_site, A_YML, "written: 2020-13-02", "written: 2020-03-02")
    with_audit(doc_site)
    plant_in_output(doc_site, "index.md", "<script>alert(1)</script>")  # stops the build after every page is written
    refused(gk(doc_site, "build"), "内联脚本", "原有的 site/ 保持不变")
    assert digest(doc_site.out) == before
    assert [p.name for p in doc_site.root.iterdir() if p.name.startswith(".site")] == []


def test_new_unit_writes_all_or_nothing(site):
    site.write("data/disclosure/newunit.yml", "review_body: x\n")
    before = digest(site.root / "data")
    refused(gk(site, "new", "unit", "newunit", "--name", "新机构", "--type", "其他"), "data/disclosure/newunit.yml 已经存在")
    assert digest(site.root / "data") == before
    made = gk(site, "new", "unit", "other", "--name", "新: 机构 # 2", "--type", "其他")
    assert made.returncode == 0, made.stderr
    assert "name: '新: 机构 # 2'" in (site.root / "data/units/other.yml").read_text(encoding="utf-8")


def test_catalog_import_does_not_overwrite_without_force_and_keeps_what_editors_wrote(catalog_site):
    from sheets_helpers import standard_workbook

    target = catalog_site.root / "data/catalogs/standard/hjgl.yml"
    target.write_text("# 户籍管理领域标准目录：公安部 2019 年发布\n" + target.read_text(encoding="utf-8").replace(
        "issuer: 公安部\n", "issuer: 公安部\nreference: 公安部 2019 年标准指引\n"), encoding="utf-8")
    before = target.read_bytes()
    (catalog_site.root / "in.xlsx").write_bytes(standard_workbook(catalog_site, drop="02"))
    output = refused(gk(catalog_site, "catalog", "import", "in.xlsx", "--domain", "hjgl"), "已经存在，没有覆盖", "--force")
    assert "删除 02" in output and target.read_bytes() == before
    forced = gk(catalog_site, "catalog", "import", "in.xlsx", "--domain", "hjgl", "--force")
    assert forced.returncode == 0, forced.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 户籍管理领域标准目录：公安部 2019 年发布\n") and "reference: 公安部 2019 年标准指引" in text
    assert 'code: "02"' not in text and "code: '02'" not in text


@pytest.mark.parametrize("unit, page_file", [
    ("directory", "units/directory/index.html"),
    ("guide", "disclosure/guide/index.html"),
    ("rules", "disclosure/rules/index.html"),
    ("index", "units/index.html"),
])
def test_two_sources_may_not_make_the_same_page(site, unit, page_file):
    site.write(f"data/units/{unit}.yml", (site.root / "data/units/office.yml").read_text(encoding="utf-8"))
    from conftest import disclosure_yml

    site.write(f"data/disclosure/{unit}.yml", disclosure_yml(False, set()))
    message = site.build_error()
    assert f"{page_file}：" in message and "生成的是同一个网址" in message


def test_html_written_as_code_is_shown_not_refused(site):
    site.write("content/notice.md", page("通知", "不要写 `<script>` 或 `onclick=`：\n\n```html\n<p onclick=\"x()\">例</p>\n```\n"))
    site.build()
    code = site.html("notice/index.html").find("pre").get_text()
    assert '<p onclick="x()">例</p>' in code
    assert "<script>" in site.html("notice/index.html").find("code").get_text()


@pytest.mark.parametrize("text", ["电话 138 1234\r\n5678 号", "电话 138 1234\n  5678 号", "电话１３８—１２３４—５６７８"])
def test_line_endings_indentation_and_dashes_do_not_hide_a_number(text):
    from gongkai.personal_info import find

    assert [hit.kind for hit in find(text)] == ["mobile"]


def test_an_attachment_too_large_to_read_is_left_to_a_person(tmp_path, monkeypatch):
    from gongkai import attachments

    monkeypatch.setattr(attachments, "MAX_READ", 1024)
    big = tmp_path / "big.pdf"
    big.write_bytes(text_pdf("x" * 2000))
    assert attachments.read(big).unread == "文件大于 0 MB，无法自动检查其中的文字"
