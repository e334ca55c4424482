"""Shared fixtures: small real sites written into temp dirs and built with real MkDocs."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from gongkai.check import check_data
from gongkai.project import copy_platform

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

REPO = Path(__file__).resolve().parent.parent

SITE_YML = """\
host: 测试区人民政府办公室
host_unit: office
address: 测试区测试路 1 号
phone: 0595-29990000
email: test@example.gov.cn
site_code: "3505020000"
icp: 闽ICP备00000000号-1
police_record: 闽公网安备35050200000000号
"""

GOVERNMENT_YML = """\
name: 测试区人民政府
type: 区政府
address: 测试区测试路 1 号
office_hours: 工作日 8:00—17:30
phone: 0595-29990000
head: 甲演示
functions:
  - 领导所属各工作部门的工作。
updated: 2020-08-20
"""

OFFICE_YML = """\
name: 测试区人民政府办公室
short_name: 区政府办
type: 区政府工作部门
parent: gov
address: 测试区测试路 1 号 3 楼
office_hours: 工作日 8:00—17:30
phone: 0595-29990010
fax: 0595-29990019
email: office@example.gov.cn
head: 乙演示
head_title: 主任
functions:
  - 负责全区政务公开工作。
  - 负责区政府会议的组织工作。
offices:
  - name: 政务公开办公室
    functions:
      - 负责推进全区政务公开工作。
    phone: 0595-29990015
staff:
  - role: 工作人员
    name: 丙演示
    position: 科员
    phone: 0595-29990016
  - role: 分管领导
    name: 丁演示
    position: 副主任
    phone: "13900000001"
    note: 手机未同意公开
  - role: 工作人员
    name: 戊演示
    position: 科员
    phone: "13900000002"
    phone_public: true
  - role: 工作人员
    name: 内部己
    position: 信息员
    phone: "13900000003"
    internal: true
powers:
  - name: 政府信息公开申请办理
    type: 公共服务
    basis: 《中华人民共和国政府信息公开条例》
    subject: 测试区人民政府办公室
    duties: 受理、审查、答复
    accountability: 不依法履行职责的
  - name: 对政府信息公开工作的监督检查
    type: 行政检查
    basis: 《中华人民共和国政府信息公开条例》第四条
    subject: 测试区人民政府办公室
    duties: 检查、督促整改
    accountability: 不依法履行职责的
updated: 2020-08-26
"""

RULES_YML = """\
title: 测试区政府信息公开工作制度
issuer: office
written: 2019-06-03
published: 2019-06-05
category: 其他主动公开信息
disclosure_rule: true
body: 各单位应当建立健全政府信息公开工作制度。
"""

MKDOCS_YML = """\
site_name: 测试平台
site_url: https://test.example.gov.cn/
docs_dir: content
theme:
  name: material
  custom_dir: {overrides}
  language: zh-CN
  font: false
  palette:
    primary: custom
    accent: custom
extra:
  generator: false
plugins:
  - gongkai:
      as_of: "2024-01-01"
markdown_extensions:
  - toc
  - tables
  - attr_list
validation:
  links:
    not_found: warn
    anchors: warn
nav:
  - 首页: index.md
  - 机构职能:
      - units/index.md
      - units/directory.md
"""


# --- what the selected tests need of the system (read by ./dev test) -----------------------------

NEEDS = {"browser", "slow", "nginx"}


def pytest_collection_finish(session: pytest.Session) -> None:
    """With GONGKAI_NEEDS set, write the markers of the selected tests that need system packages
    there, so that ./dev installs Chromium, Java or nginx only for tests that will run."""
    target = os.environ.get("GONGKAI_NEEDS")
    if target:
        needs = {mark.name for item in session.items for mark in item.iter_markers() if mark.name in NEEDS}
        Path(target).write_text(" ".join(sorted(needs)) or "none", encoding="utf-8")


# --- helpers shared by the test modules --------------------------------------------------------

TODAY = datetime.date(2024, 1, 1)  # the `as_of` of the test sites


def findings(site, today: datetime.date = TODAY) -> list[str]:
    _, report = check_data(site.root / "data", site.root, today)
    return report.lines()


def where(site, relative: str, text: str, column_of: str | None = None, occurrence: int = 1) -> str:
    """“data/x.yml:LINE:COLUMN” of the n-th line containing `text` (column of `column_of`, else of the value)."""
    for number, line in enumerate((site.root / relative).read_text(encoding="utf-8").splitlines(), start=1):
        if text in line and (occurrence := occurrence - 1) == 0:
            anchor = column_of if column_of is not None else (text.split(": ", 1)[1] if ": " in text else text)
            return f"{relative}:{number}:{line.index(anchor) + 1}"
    raise AssertionError(f"{text!r} not in {relative}")


def replace_in(site, relative: str, old: str, new: str) -> None:
    path = site.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(region: int, born: datetime.date, serial: int) -> str:
    """A 居民身份证号 with the check digit GB 11643 gives it."""
    first = f"{region:06d}{born:%Y%m%d}{serial:03d}"
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, WEIGHTS)) % 11]


def with_audit(site):
    replace_in(site, "mkdocs.yml", "markdown_extensions:", "  - gongkai-audit\nmarkdown_extensions:")
    return site


def plant_in_output(site, page_file: str, html: str) -> None:
    """Put `html` into a built page past the input checks (which refuse script and styles in
    content/): a MkDocs hook, run after the plugins, as a changed theme or plugin would."""
    site.write("planted.html", html)
    site.write("plant.py", f"""\
        from pathlib import Path

        def on_page_content(html, page, **kwargs):
            if page.file.src_uri == {page_file!r}:
                return html + Path(__file__).with_name("planted.html").read_text(encoding="utf-8")
        """)
    replace_in(site, "mkdocs.yml", "markdown_extensions:", "hooks:\n  - plant.py\nmarkdown_extensions:")


def page(title: str, body: str, description: str = "测试页面", date: str | None = "2023-12-01") -> str:
    """A hand-written page with the front matter every page needs."""
    meta = f"description: {description}\n" + (f"date: {date}\n" if date else "")
    return f"---\n{meta}---\n\n# {title}\n\n{body}\n"


def disclosure_yml(article21: bool, filled: set[str]) -> str:
    """A unit's column settings declaring every category it has nothing in as not applicable."""
    from gongkai.model.categories import CATEGORIES

    lines = ["review_body: 测试市人民政府" if article21 else "review_body: 测试区人民政府", "court: 测试区人民法院",
             "reports_note: 年度报告在原网站发布", "not_applicable:"]
    for category in CATEGORIES:
        if (category.article == 20 or article21) and category.key not in filled | {"机构职能"}:
            lines.append(f"  {category.key}: 本单位无此类信息（测试）")
    return "\n".join(lines) + "\n"


def text_pdf(*lines: str) -> bytes:
    """A real one-page PDF whose text layer holds `lines` (ASCII; a Type 1 base font)."""
    text = " ".join(f"({line}) Tj 0 -14 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@dataclass
class Sandbox:
    """A throwaway platform in a temp dir: write files, build, read the output."""

    root: Path

    @property
    def out(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def remove(self, relative: str) -> None:
        (self.root / relative).unlink()

    def build(self, strict: bool = True) -> None:
        """Build in this process with real MkDocs (raises what MkDocs raises)."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        config = load_config(str(self.root / "mkdocs.yml"), strict=strict, site_dir=str(self.out))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()

    def build_error(self, strict: bool = True) -> str:
        """Build, expect MkDocs to abort, and return what it logged as errors."""
        import logging

        from mkdocs.exceptions import Abort

        messages: list[str] = []
        handler = logging.Handler(logging.ERROR)
        handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            self.build(strict=strict)
        except Abort:
            return "\n".join(messages)
        finally:
            logger.removeHandler(handler)
        raise AssertionError("the build was expected to fail but succeeded")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """Run a command-line tool of this venv in the site's root, as an editor would."""
        return subprocess.run(
            [sys.executable, "-m", *args], cwd=self.root, capture_output=True, text=True, timeout=300
        )

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.out / relative).read_text(encoding="utf-8"), "html.parser")

    def text_of_all_output(self) -> str:
        return "\n".join(
            p.read_text(encoding="utf-8", errors="replace")
            for p in self.out.rglob("*")
            if p.is_file() and p.suffix in {".html", ".xml", ".json", ".js", ".txt"}
        )


def small_platform(root: Path) -> Sandbox:
    """A small valid platform in `root`: a government and its office (every unit feature used)."""
    s = Sandbox(root)
    s.write("mkdocs.yml", MKDOCS_YML.format(overrides=REPO / "overrides"))
    s.write("content/index.md", page("首页", "测试平台首页。"))
    s.write("data/site.yml", SITE_YML)
    s.write("data/units/gov.yml", GOVERNMENT_YML)
    s.write("data/units/office.yml", OFFICE_YML)
    s.write("data/documents/2019/office-rules.yml", RULES_YML)
    s.write("data/disclosure/gov.yml", disclosure_yml(True, set()))
    s.write("data/disclosure/office.yml", disclosure_yml(False, {"其他主动公开信息"}))
    return s


@pytest.fixture
def site(tmp_path: Path) -> Sandbox:
    return small_platform(tmp_path)


DOCUMENTS = {
    "data/documents/2020/a-2020-1.yml": """\
        title: 测试区政府信息公开办法
        kind: 规范性文件
        number: 测政办〔2020〕1号
        issuer: office
        written: 2020-03-02
        published: 2020-03-04
        effective: 2020-04-01
        category: 规章和规范性文件
        subject: 综合政务\\政务公开
        genre: 通知
        keywords: [政务公开, 依申请公开]
        summary: 规范本区政府信息公开工作。
        attachments:
          - file: a-2020-1-附件.pdf
            title: 附件：政府信息公开申请表
        events:
          - type: 清理
            campaign: c2020
            outcome: 继续有效
            date: 2020-11-30
          - type: 废止
            by: b-2021-1
        """,
    "data/documents/2020/a-2020-1.md": """\
        **第一条**　为规范政府信息公开工作，制定本办法。

        ## 第二章　主动公开

        **第二条**　政府信息应当在形成之日起 20 个工作日内公开。
        """,
    "data/documents/2020/a-2020-1-jd.yml": """\
        title: 《测试区政府信息公开办法》政策解读
        kind: 政策解读
        issuer: office
        interprets: a-2020-1
        written: 2020-03-04
        published: 2020-03-05
        category: 规章和规范性文件
        body: 本办法明确了公开时限。
        """,
    "data/documents/2021/b-2021-1.yml": """\
        title: 测试区政府信息公开规定
        kind: 规范性文件
        number: 测政办〔2021〕3号
        issuer: office
        written: 2021-05-06
        published: 2021-05-10
        effective: 2021-06-01
        expires: 2026-05-31
        category: 规章和规范性文件
        body: 本规定自 2021 年 6 月 1 日起施行，原办法同时废止。
        """,
    "data/documents/2021/b-2021-1-jd.yml": """\
        title: 《测试区政府信息公开规定》解读
        kind: 政策解读
        issuer: office
        interprets: b-2021-1
        written: 2021-05-10
        published: 2021-05-10
        category: 规章和规范性文件
        body: 新规定替代原办法。
        """,
    "data/documents/2021/c-2021-2.yml": """\
        title: 测试区突发事件总体应急预案
        issuer: gov
        written: 2021-07-01
        published: 2021-07-02
        category: 应急预案
        body: 为提高应对突发事件的能力，制定本预案。
        """,
    "data/campaigns/c2020.yml": """\
        title: 2020年规范性文件清理
        organizer: office
        date: 2020-11-30
        """,
}


@pytest.fixture
def doc_site(site: Sandbox) -> Sandbox:
    """The small platform plus documents: a repealed 规范性文件, its successor, 解读, an 应急预案."""
    for path, text in DOCUMENTS.items():
        site.write(path, text)
    (site.root / "data/documents/2020/a-2020-1-附件.pdf").write_bytes(text_pdf("Application form"))
    site.write("data/disclosure/gov.yml", disclosure_yml(True, {"应急预案"}))
    site.write("data/disclosure/office.yml", disclosure_yml(False, {"规章和规范性文件", "其他主动公开信息"}))
    return site


CATALOGS = {
    "data/catalogs/standard/hjgl.yml": """\
        title: 户籍管理领域基层政务公开标准目录
        issuer: 公安部
        levels: [县级, 乡级]
        rows:
          - code: "01"
            item: 户口登记
            subitem: 出生登记
            content: 办理依据、办理条件、申请材料
            basis: 《中华人民共和国户口登记条例》第七条
            deadline: 信息形成或者变更之日起20个工作日内
            subject: 县级公安机关
            channels: {政府网站: 必选, 两微一端: 可选}
            audience: [全社会]
            mode: [主动]
            levels: [县级, 乡级]
          - code: "02"
            item: 户口登记
            subitem: 死亡注销登记
            content: 办理依据、办理条件、申请材料
            basis: 《中华人民共和国户口登记条例》第八条
            deadline: 信息形成或者变更之日起20个工作日内
            subject: 县级公安机关
            channels: {政府网站: 必选}
            audience: [全社会]
            mode: [主动]
            levels: [县级, 乡级]
          - code: "03"
            item: 居民身份证
            subitem: 首次申领
            content: 办理依据、申请材料、办理时限
            basis: 依据测政办〔2020〕1号办理
            deadline: 实时公开
            subject: 县级公安机关
            channels: {政府网站: 必选, 政务服务中心: 必选}
            other_channels: [户籍窗口]
            audience: [全社会, 特定群体]
            mode: [主动, 依申请]
            levels: [县级]
        """,
    "data/catalogs/units/office/hjgl.yml": """\
        compiled: 2020-08-30
        note: 本单位对照公安部标准指引编制。
        changes:
          - action: 删除
            row: "02"
            reason: 死亡注销由派出所办理
          - action: 修改
            row: "01"
            update:
              subject: 测试区人民政府办公室
              levels: [乡级]
            reason: 由本单位代收材料
          - action: 新增
            after: "01"
            new:
              code: "01A"
              item: 户口登记
              subitem: 户籍业务代办
              content: 代办事项、联系电话
              basis: 《测试区政府信息公开规定》
              basis_documents: [b-2021-1]
              deadline: 信息形成或者变更之日起20个工作日内
              subject: 测试区人民政府办公室
              channels: {便民服务站: 必选}
              audience: [全社会]
              mode: [主动]
              levels: [乡级]
            reason: 为老年人提供代办服务
        """,
}


@pytest.fixture
def catalog_site(doc_site: Sandbox) -> Sandbox:
    """The document platform plus a standard catalog and the office's adoption of it."""
    for path, text in CATALOGS.items():
        doc_site.write(path, text)
    return doc_site


@pytest.fixture
def report_site(doc_site: Sandbox) -> Sandbox:
    """The document platform plus annual reports: the office's typed ones for 2020 (2019 format),
    2021 and 2022, and the government's 2021 and 2022 reports whose table 三 comes from its
    request register (2022 is the last year due on the test sites' day, 2024-01-01)."""
    from reports_fixture import REGISTER, gov_report, office_report

    doc_site.write("data/reports/office/2020.yml", office_report(2020, [1, 0, 0, 0, 0, 0]))
    doc_site.write("data/reports/office/2021.yml", office_report(2021, [2, 0, 0, 0, 0, 1]))
    doc_site.write("data/requests/gov.yml", REGISTER)
    doc_site.write("data/reports/gov/2021.yml", gov_report(2021))
    doc_site.write("data/reports/office/2022.yml", office_report(2022, [3, 0, 0, 0, 0, 2]))
    doc_site.write("data/reports/gov/2022.yml", gov_report(2022))
    return doc_site


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    """The repository's own demo platform, built once per test session into a temp dir."""
    root = tmp_path_factory.mktemp("demo")
    copy_platform(REPO, root)
    demo = Sandbox(root)
    demo.build(strict=True)
    return demo


@contextmanager
def both_cores_busy(seconds: int = 300):
    """Other processes that keep every core busy (bounded in time, and stopped on leaving)."""
    burn = f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"
    burners = [subprocess.Popen([sys.executable, "-c", burn]) for _ in range(os.cpu_count() or 2)]
    try:
        yield
    finally:
        for process in burners:
            process.kill()
            process.wait()


# --- Serving a built site and driving Debian's Chromium (tests marked `browser`) ---------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


# what deploy/nginx/site.conf sends compressed (nginx always compresses HTML); Pagefind's files are compressed already
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}


class _Handler(SimpleHTTPRequestHandler):
    headers_to_send: dict[str, str] = {}
    compressing = False

    def do_GET(self) -> None:
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().do_GET()  # (redirects to the address with the slash)
            file /= "index.html"
        accepted = self.headers.get("Accept-Encoding", "") if self.compressing else ""
        brotli_copy = file.with_name(file.name + ".br")
        if "br" in accepted.replace(" ", "").split(",") and brotli_copy.is_file():  # nginx's brotli_static
            body, encoding = brotli_copy.read_bytes(), "br"
        elif file.suffix in COMPRESSED and file.is_file() and "gzip" in accepted:
            body, encoding = gzip.compress(file.read_bytes(), compresslevel=1), "gzip"  # nginx's gzip_comp_level 1, its default
        else:
            return super().do_GET()
        self.send_response(200)
        for name, value in (("Content-Type", self.guess_type(str(file))), ("Content-Encoding", encoding),
                            ("Content-Length", str(len(body))), ("Vary", "Accept-Encoding")):
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@contextmanager
def serve(directory: Path, host: str = "127.0.0.1", headers: dict[str, str] | None = None, compressing: bool = False):
    """Serve `directory` over HTTP on a free loopback port, with extra response headers, compressing text files and
    sending the search files' brotli copies as the sample nginx configuration does when told to; yields the base URL."""
    server_class = type("Server", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6 if ":" in host else socket.AF_INET})
    handler = type("Handler", (_Handler,), {"headers_to_send": headers or {}, "compressing": compressing})
    server = server_class((host, 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        shown = f"[{host}]" if ":" in host else host
        yield f"http://{shown}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./dev test, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def demo_url(demo_site):
    """The demo, served with the Content-Security-Policy it needs (as the nginx sample does)."""
    from gongkai.audit.csp import policy, site_script_hashes

    with serve(demo_site.out, headers={"Content-Security-Policy": policy(site_script_hashes(demo_site.out))}) as url:
        yield url


# --- The project as an editor's git clone (pipelines, hooks, the editor's guide) --------------

LEFT_OUT = {".git", ".venv", "site", "node_modules", ".cache", ".pytest_cache", ".hypothesis", "__pycache__"}
GIT = ["git", "-c", "user.name=编辑", "-c", "user.email=editor@example.gov.cn", "-c", "init.defaultBranch=main"]


def sh(command: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture
def clone(tmp_path) -> Path:
    """The project as an editor's clone: origin/main, and a branch to work on."""
    origin = tmp_path / "origin"
    shutil.copytree(REPO, origin, ignore=lambda folder, names: [n for n in names if n in LEFT_OUT])
    for command in ("init -q", "add -A", "commit -q -m 初始"):
        subprocess.run([*GIT, *command.split()], cwd=origin, check=True, capture_output=True)
    work = tmp_path / "work"
    subprocess.run([*GIT, "clone", "-q", str(origin), str(work)], check=True, capture_output=True)
    # Same dependency files, so ./dev installs nothing: unless the shared venv is behind them, when
    # ./dev in the clone would re-point the editable install at this temporary copy.
    wanted = hashlib.sha256((REPO / "pyproject.toml").read_bytes() + (REPO / "requirements.lock").read_bytes()).hexdigest()
    stamp = REPO / ".venv/.installed"
    if not stamp.is_file() or stamp.read_text().strip() != wanted:
        pytest.fail(".venv 的依赖不是 pyproject.toml 和 requirements.lock 所写的：先运行 ./dev check（或 ./dev test）更新")
    (work / ".venv").symlink_to(REPO / ".venv")
    (work / "tools/cms/node_modules").symlink_to(REPO / "tools/cms/node_modules")  # the web editor, installed by ./dev test
    subprocess.run([*GIT, "checkout", "-q", "-b", "editor"], cwd=work, check=True)
    return work


# --- The GitHub Actions workflow, its `run` steps run here as the runners run them ---------------

WORKFLOW = REPO / ".github/workflows/site.yml"


@dataclass
class Step:
    job: str
    command: str
    env: dict
    done: subprocess.CompletedProcess | None = None


def workflow_jobs() -> dict:
    import yaml

    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def run_workflow(work: Path, event: str, env: dict) -> list[Step]:
    """Run the workflow's jobs for `event` ("pull_request" or "push" to main) in `work`, as its runners would: the
    check and plan jobs, the shard job once per shard of its matrix (each shard's folder stays where the next job
    looks for it), then the publish job; a job or step whose `if:` does not hold is left out. Steps that are actions
    (`uses:`) are the runner's; the test job's command is this suite, and is not run again. Returns every step run,
    with what it printed."""
    jobs = workflow_jobs()
    output = work.parent / "github-output"
    base = {**env, "GITHUB_EVENT_NAME": event, "GITHUB_OUTPUT": str(output), "GITHUB_WORKSPACE": str(work)}
    context = {"github.event_name": event, "github.ref": "refs/heads/main", "matrix.shard": ""}
    steps: list[Step] = []

    def run(job: str, extra: dict | None = None) -> None:
        if not holds(jobs[job].get("if", ""), context):
            return
        for step in jobs[job]["steps"]:
            if "run" not in step or not holds(step.get("if", ""), context):
                continue
            ran = Step(job, step["run"], {**base, **(extra or {})})
            if ran.command.startswith("./dev test"):
                steps.append(ran)
                continue
            ran.done = sh(ran.command, work, ran.env)
            steps.append(ran)
            if ran.done.returncode != 0:
                raise AssertionError(f"{job}: {ran.command}\n{ran.done.stdout[-3000:]}\n{ran.done.stderr[-3000:]}")

    output.write_text("", encoding="utf-8")
    run("check")
    run("plan")
    shards = json.loads(output.read_text(encoding="utf-8").split("shards=", 1)[1])
    for shard in shards:
        context["matrix.shard"] = shard
        run("shard", {"SHARD": shard})
    run("tests")
    run("publish")
    return steps


def holds(condition: str, context: dict[str, str]) -> bool:
    """Whether a workflow's `if:` holds: the few forms the workflow uses (`always()`, `name == 'value'`, `!=`, `&&`)."""
    for clause in filter(None, (part.strip() for part in condition.split("&&"))):
        if clause == "always()":
            continue
        found = re.fullmatch(r"([\w.]+) (==|!=) '([^']*)'", clause)
        assert found, f"an `if:` this test cannot read: {condition}"
        if (context[found[1]] == found[3]) != (found[2] == "=="):
            return False
    return True
