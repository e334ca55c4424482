"""The web editor under /admin/ (Decap CMS): its configuration generated from the record kinds,
published by the build outside the nav, sitemap and search, under its own Content-Security-Policy."""

from __future__ import annotations

import json
import logging
import re

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import REPO, Sandbox, replace_in
from gongkai.cms.collections import EDITING
from gongkai.cms.editor import CONFIG_FILE, backend_origins, editor_config
from gongkai.cms.plugin import editor_config_for, editor_yaml_for
from gongkai.model.fields import _PHONE
from gongkai.model.kinds import BY_ATTRIBUTE, KINDS
from gongkai.project import copy_platform
from gongkai.schemas import editor_schema


def demo_editor() -> dict:
    config = load_config(str(REPO / "mkdocs.yml"))
    return editor_config_for(config, config.plugins["gongkai-cms"].config)


def collection(name: str) -> dict:
    return next(c for c in demo_editor()["collections"] if c["name"] == name)


def field_at(fields: list[dict], *path: str) -> dict:
    found = next(f for f in fields if f["name"] == path[0])
    return field_at(found["fields"], *path[1:]) if len(path) > 1 else found


def test_the_committed_configuration_is_current():
    config = load_config(str(REPO / "mkdocs.yml"))
    expected = editor_yaml_for(config, config.plugins["gongkai-cms"].config)
    assert (REPO / CONFIG_FILE).read_text(encoding="utf-8") == expected, "admin/config.yml is stale: run ./dev cms"


def test_every_kind_of_record_is_in_the_editor():
    editor = demo_editor()
    folders = {c["name"]: c for c in editor["collections"] if "folder" in c}
    settings = {f["name"] for c in editor["collections"] if "files" in c for f in c["files"]}
    for kind in KINDS:
        if kind.single:
            # a single file whose fields a form can show (search synonyms are lists of lists: YAML only)
            assert (kind.attribute in settings) == (kind.attribute != "search"), kind.attribute
            continue
        spec = folders[kind.attribute]
        assert spec["folder"] == f"data/{kind.path}" and spec["label"] == kind.name
        assert spec["create"] == (EDITING.get(kind.attribute) is None or EDITING[kind.attribute].create is None)
        assert spec["delete"] is False and spec["media_folder"] == ""  # attachments beside the record


def test_forms_ask_for_what_the_build_validates():
    for kind in ("units", "documents", "plans", "consultations"):
        schema = editor_schema(BY_ATTRIBUTE[kind].schemas[0])
        fields = {f["name"]: f for f in collection(kind)["fields"]}
        for name, prop in schema["properties"].items():
            if name not in fields:
                continue
            assert (fields[name].get("required", True)) == (name in schema["required"]), (kind, name)
            if "enum" in prop:
                assert fields[name]["options"] == prop["enum"]
    units = collection("units")["fields"]
    assert field_at(units, "phone")["pattern"][0] == _PHONE.pattern
    assert field_at(units, "staff", "phone")["pattern"][0] == _PHONE.pattern
    assert field_at(units, "staff", "role")["options"] == ["分管领导", "工作人员"]
    assert field_at(units, "parent")["widget"] == "relation"  # “上级单位的编号” though the type is plain text
    documents = collection("documents")["fields"]
    assert field_at(documents, "issuer") == {**field_at(documents, "issuer"), "widget": "relation", "collection": "units",
                                               "value_field": "{{filename}}"}
    assert field_at(documents, "co_issuers")["multiple"] is True
    assert field_at(documents, "interprets")["collection"] == "documents"
    assert field_at(documents, "events", "by")["collection"] == "documents"
    assert field_at(documents, "attachments", "file")["widget"] == "file"
    assert field_at(documents, "body")["widget"] == "markdown"
    campaigns = collection("campaigns")["fields"]
    assert [field_at(campaigns, name)["collection"] for name in ("organizer", "announcement")] == ["units", "documents"]
    assert not any(field.get("hint", "").endswith("填 true 或 false") for field in documents)  # YAML help is not form help


@pytest.mark.parametrize("value, fits", [
    ("2020-08-20", True), ("2024-02-29", True), ("2020-13-01", False), ("2020-04-31", False),
    ("2020/08/20", False), ("2020-8-20", False), ("2020-08-20 16:40", False), ("", False),
])
def test_date_fields_take_only_dates_that_can_exist(value, fits):
    pattern = field_at(collection("units")["fields"], "updated")["pattern"][0]
    assert bool(re.match(pattern, value)) == fits
    published = field_at(collection("documents")["fields"], "published")["pattern"][0]  # 可带时间
    assert bool(re.match(published, value + " 16:40")) == fits


def every_pattern() -> list[list[str]]:
    """Every [pattern, message] of the demo's editor, nested fields and settings files included."""
    def patterns(fields):
        for field in fields:
            if "pattern" in field:
                yield field["pattern"]
            yield from patterns(field.get("fields", []) + ([field["field"]] if "field" in field else []))

    return [p for c in demo_editor()["collections"]
            for p in patterns(c.get("fields", []) + [f for file in c.get("files", []) for f in file["fields"]])]


def test_every_pattern_says_how_to_write_the_value():
    found = every_pattern()
    assert len(found) > 20
    for pattern, message in found:
        re.compile(pattern)
        assert message.startswith("：")  # Decap writes “‹label›”不满足模式‹message›


@pytest.mark.parametrize("backend, origins, workflow", [
    ({"name": "gitlab", "repo": "a/b", "auth_type": "pkce", "app_id": "1"}, ["https://gitlab.com"], True),
    ({"name": "gitlab", "repo": "a/b", "base_url": "https://git.gov.cn", "api_root": "https://git.gov.cn/api/v4"},
     ["https://git.gov.cn"], True),
    ({"name": "gitea", "repo": "a/b", "base_url": "https://gitea.gov.cn", "api_root": "https://api.gitea.gov.cn/api/v1", "app_id": "x"},
     ["https://api.gitea.gov.cn", "https://gitea.gov.cn"], False),
    ({"name": "forgejo", "repo": "a/b", "base_url": "https://code.gov.cn", "api_root": "https://code.gov.cn/api/v1", "app_id": "x"},
     ["https://code.gov.cn"], True),
    ({"name": "github", "repo": "a/b", "base_url": "https://oauth.gov.cn"}, ["https://api.github.com", "https://oauth.gov.cn"], True),
])
def test_each_git_host_gets_its_addresses_in_the_policy_and_the_workflow_it_has(backend, origins, workflow):
    assert backend_origins(backend) == origins
    config = editor_config(backend, None, "data")
    assert config["backend"]["repo"] == "a/b" and ("publish_mode" in config) == workflow


@pytest.mark.parametrize("backend, missing", [
    ("name: gitea\n        repo: a/b", "base_url、api_root、app_id"),
    ("name: github\n        repo: a/b", "base_url"),  # else Decap signs in through Netlify's servers
    ("name: gitlab\n        repo: a/b\n        auth_type: pkce", "app_id"),
])
def test_a_git_host_without_what_it_needs_is_named_before_the_build(platform, backend, missing):
    text = (platform.root / "mkdocs.yml").read_text(encoding="utf-8")
    start, end = text.index("        name: gitlab"), text.index("  - gongkai-audit")
    (platform.root / "mkdocs.yml").write_text(text[:start] + "        " + backend + "\n" + text[end:], encoding="utf-8")
    message = platform.build_error()
    assert f"gongkai-cms 的 backend（{backend.split()[1]}）缺少 {missing}" in message


def test_records_that_are_tables_say_where_they_are_edited():
    for kind in ("reports", "standards", "catalogs"):
        spec = collection(kind)
        assert spec["create"] is False
        assert "YAML" in spec["description"] or "电子表格" in spec["description"]
        assert all(f["widget"] not in ("list", "object") for f in spec["fields"]), kind
    report = collection("reports")
    assert {f["name"] for f in report["fields"]} >= {"published", "overview"}


def test_the_editor_is_published_beside_the_site_but_outside_it(demo_site):
    admin = demo_site.out / "admin"
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page and 'lang="zh-CN"' in page
    assert "<script>" not in page  # no inline script: the editor's policy allows none
    in_page = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)[1].replace("&#39;", "'")
    scripts = re.search(r"script-src ([^;]+)", in_page)[1]
    assert "'unsafe-inline'" not in scripts  # so mkdocs serve's live-reload script cannot reload the editor
    assert "http://127.0.0.1:8081" in in_page and "frame-ancestors" not in in_page  # (ignored in a <meta>)
    assert (admin / "config.yml").read_text(encoding="utf-8") == (REPO / CONFIG_FILE).read_text(encoding="utf-8")
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000 and list(admin.glob("*.decap-cms.js"))
    assert not list(admin.glob("*.map"))
    assert "admin" not in (demo_site.out / "sitemap.xml").read_text(encoding="utf-8")
    nav = (demo_site.out / "index.html").read_text(encoding="utf-8")
    assert "admin/" not in nav
    fragments = list((demo_site.out / "pagefind").rglob("*.pf_fragment"))
    assert fragments and not any(b"admin/" in f.read_bytes() for f in fragments)  # (compressed, but URLs would show)
    report = json.loads((demo_site.out / "audit" / "report.json").read_text(encoding="utf-8"))
    assert "'unsafe-eval'" not in report["content_security_policy"]
    assert "'unsafe-eval'" in report["editor_content_security_policy"]
    assert "https://git.example.gov.cn" in report["editor_content_security_policy"]
    assert "frame-ancestors 'none'" in report["editor_content_security_policy"]


def test_the_nginx_headers_for_the_editor_are_current(demo_site):
    said = demo_site.run("gongkai.cli", "headers", "--editor", str(demo_site.out))
    assert said.returncode == 0, said.stderr
    assert said.stdout == (REPO / "deploy/nginx/editor-headers.conf").read_text(encoding="utf-8"), (
        "deploy/nginx/editor-headers.conf is stale: gongkai headers --editor site/ > deploy/nginx/editor-headers.conf")


@pytest.fixture
def platform(tmp_path) -> Sandbox:
    copy_platform(REPO, tmp_path / "platform")
    return Sandbox(tmp_path / "platform")


def warnings_of_strict_build(site: Sandbox) -> list[str]:
    said: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        with pytest.raises(Abort):
            site.build(strict=True)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return said


def test_a_stale_configuration_stops_a_strict_build(platform):
    # a field added to a model, or a new git host in mkdocs.yml, without ./dev cms
    replace_in(platform, "mkdocs.yml", "repo: xxgk/platform", "repo: xxgk/another")
    said = warnings_of_strict_build(platform)
    assert any("admin/config.yml 与数据模型或 mkdocs.yml 中 gongkai-cms 的设置不一致：请运行 ./dev cms" in m for m in said)
    regenerated = platform.run("gongkai.cli", "cms")
    assert regenerated.returncode == 0, regenerated.stderr
    assert "repo: xxgk/another" in (platform.root / CONFIG_FILE).read_text(encoding="utf-8")
    platform.build(strict=True)


def test_without_the_editors_program_the_build_says_how_to_install_it(platform):
    (platform.root / "tools" / "cms").unlink()  # the link to the npm packages
    message = platform.build_error()
    assert "找不到网站编辑器的程序文件" in message and "npm ci --prefix tools/cms" in message
    assert not platform.out.exists()  # nothing half-built published


def test_the_editor_can_be_turned_off(platform):
    replace_in(platform, "mkdocs.yml", "  - gongkai-cms:       #", "  - gongkai-cms:\n      enabled: false\n      #")
    (platform.root / "tools" / "cms").unlink()
    platform.build(strict=True)
    assert not (platform.out / "admin").exists()
    report = json.loads((platform.out / "audit" / "report.json").read_text(encoding="utf-8"))
    assert "editor_content_security_policy" not in report


def test_generated_yaml_is_valid_and_loads_back():
    text = (REPO / CONFIG_FILE).read_text(encoding="utf-8")
    assert yaml.safe_load(text) == json.loads(json.dumps(demo_editor()))


# --- In the browser: ./dev edit on an editor's clone, Debian's Chromium ----------------------------

PROXY = "http://127.0.0.1:8081/api/v1"


@pytest.fixture
def editing(clone, tmp_path):
    """`./dev edit` running in the clone: (the preview's base URL, the clone)."""
    import os
    import signal
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "edit.log").open("w")
    temp = tmp_path / "edit-temp"  # where the preview's site folders go: stopping removes them
    temp.mkdir()
    process = subprocess.Popen(["./dev", "edit", "-a", f"127.0.0.1:{port}"], cwd=clone, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True, env={**os.environ, "TMPDIR": str(temp)})
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(url + "admin/", timeout=30) as page, urllib.request.urlopen(
                        urllib.request.Request(PROXY, data=b'{"action":"info"}', headers={"Content-Type": "application/json"}),
                        timeout=30) as proxy:
                    if page.status == 200 and json.load(proxy)["type"] == "local_fs":
                        break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "edit.log").read_text(encoding="utf-8")
            time.sleep(0.5)
        yield url, clone
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # as a service manager stops it
        process.wait(timeout=30)
        log.close()
    assert not list(temp.iterdir()), "./dev edit left the preview's folders behind"


def signed_in(browser, url: str, entry: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(url + "admin/")
    page.get_by_role("button", name="登录").click()  # the local backend: no account, the working tree
    page.goto(url + "admin/#/collections/" + entry)
    return page


def field(page, name: str):
    """The first form field of that name in the record (Decap's ids are name-field-N, in form order)."""
    return page.locator(f"[id^={name}-field-]").first


def added(page, button) -> dict[str, str]:
    """Click `button` (新增…) and return the new item's fields: field name → element id."""
    ids = "es => es.map(e => e.id).filter(id => id.includes('-field-'))"
    before = set(page.locator("input, textarea").evaluate_all(ids))
    button.click()
    return {id.split("-field-")[0]: id for id in page.locator("input, textarea").evaluate_all(ids) if id not in before}


def choose(page, name_or_id: str, text: str) -> None:
    """Type into a select or picker (by field name, or the id of one) and take the first option that matches."""
    box = page.locator(f"#{name_or_id}") if "-field-" in name_or_id else field(page, name_or_id)
    box.fill(text)
    page.get_by_role("option").filter(has_text=text).first.click()


def publish(page) -> None:
    page.get_by_role("button", name="发布").click()
    page.get_by_role("menuitem", name="立即发布").click()


def assert_formatted_and_schema_valid(clone, *relative: str) -> None:
    import subprocess

    from test_schemas import load_as_editor, validators_for

    linted = subprocess.run([str(REPO / ".venv/bin/yamllint"), "--strict", "-c", str(REPO / ".yamllint.yml"), *relative],
                            cwd=clone, capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout
    for path in relative:
        validators = validators_for(path)
        assert validators, path
        for validator in validators:
            errors = [e.message for e in validator.iter_errors(load_as_editor((clone / path).read_text(encoding="utf-8")))]
            assert errors == [], (path, errors)


@pytest.mark.browser
def test_an_editor_changes_a_unit_and_publishes_a_document_in_the_browser(editing, browser, tmp_path):
    import datetime
    import subprocess

    from test_parallel_render import fetch_until

    from conftest import sh, text_pdf

    url, clone = editing
    page = signed_in(browser, url, "units/entries/czj")
    # the unit: a new phone number, and a member of staff for 附件1
    field(page, "phone").fill("0595-29992099")
    new = added(page, page.get_by_role("button", name="新增政务公开（政府信息公开）工作人员（通知附件1）"))
    choose(page, new["role"], "工作人员")
    page.locator(f"#{new['name']}").fill("林新增")
    page.locator(f"#{new['position']}").fill("办公室科员")
    publish(page)
    page.get_by_text("修改已保存").wait_for()
    unit = yaml.safe_load((clone / "data/units/czj.yml").read_text(encoding="utf-8"))
    assert unit["phone"] == "0595-29992099"
    assert unit["staff"][-1] | {} == {**unit["staff"][-1], "role": "工作人员", "name": "林新增", "position": "办公室科员"}
    assert len(unit["staff"]) == 3 and unit["powers"][0]["code"] == "CZJ-CJ-001"  # nothing else lost

    # a new document, with a body and an attachment uploaded beside it
    existing = set((clone / "data/documents").glob("*/*.yml"))
    attachment = tmp_path / "附件1.pdf"
    attachment.write_bytes(text_pdf("冬季防火工作安排"))
    page.goto(url + "admin/#/collections/documents/new")
    page.evaluate("window.gkNotReloaded = true")  # the preview's rebuilds must not reload the editor
    field(page, "title").fill("关于做好冬季防火工作的通知")
    choose(page, "issuer", "区财政局")
    field(page, "written").fill("2026-11-20")
    field(page, "published").fill("2026-11-25")
    choose(page, "category", "财政预决算")
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.type("各街道、各部门：")
    page.keyboard.press("Enter")
    page.keyboard.type("请做好冬季防火工作。")
    page.get_by_role("button", name="新增附件").click()
    page.get_by_role("button", name="选择文件").click()
    page.locator("input[type=file]").set_input_files(str(attachment))
    page.get_by_role("button", name="选用已选中项目").click()
    publish(page)
    page.get_by_text("修改已保存").wait_for()
    written = sorted(set((clone / "data/documents").glob("*/*.yml")) - existing)
    assert len(written) == 1 and written[0].name.startswith("czj-"), written  # named by its issuer and the time
    document_file = written[0].relative_to(clone).as_posix()
    assert written[0].parent.name == str(datetime.date.today().year)  # in the folder of its year, as the others
    document = yaml.safe_load(written[0].read_text(encoding="utf-8"))
    assert document["issuer"] == "czj" and document["category"] == "财政预决算"
    assert document["body"].split() == ["各街道、各部门：", "请做好冬季防火工作。"]
    assert document["attachments"] == [{"file": "附件1.pdf"}]
    assert (written[0].parent / "附件1.pdf").read_bytes() == attachment.read_bytes()

    assert_formatted_and_schema_valid(clone, "data/units/czj.yml", document_file)
    checked = sh("./dev check", clone)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    changed = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout
    assert " M data/units/czj.yml" in changed and "?? data/documents/" in changed  # in git, for a commit or review
    # the preview (mkdocs serve beside the editor) shows both, and so does the strict build that publishes
    assert "林新增" in fetch_until(url + "units/czj/", "0595-29992099")
    shown = fetch_until(url + f"documents/{written[0].stem}/", "关于做好冬季防火工作的通知")
    assert "请做好冬季防火工作。" in shown and "附件1" in shown
    assert page.evaluate("window.gkNotReloaded") is True
    built = sh("./dev build", clone)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    unit_page = (clone / "site/units/czj/index.html").read_text(encoding="utf-8")
    assert "0595-29992099" in unit_page and "林新增" in unit_page
    document_page = (clone / f"site/documents/{written[0].stem}/index.html").read_text(encoding="utf-8")
    assert "请做好冬季防火工作。" in document_page
    assert list((clone / "site/documents").rglob("附件1.pdf"))  # the attachment is published


@pytest.mark.browser
def test_a_bad_date_and_a_bad_phone_are_refused_in_the_form(editing, browser):
    url, clone = editing
    before = (clone / "data/units/czj.yml").read_bytes()
    page = signed_in(browser, url, "units/entries/czj")
    field(page, "phone").fill("0595-2999")
    field(page, "updated").fill("2026-02-30")
    publish(page)
    said = page.get_by_text("不满足模式")
    said.first.wait_for()
    messages = said.all_inner_texts()
    assert "“联系电话”不满足模式：应类似“0595-22355663”" in messages
    assert any(m.startswith("“更新日期”不满足模式：日期应写作 YYYY-MM-DD") for m in messages), messages
    page.wait_for_timeout(1000)
    assert (clone / "data/units/czj.yml").read_bytes() == before  # nothing saved


@pytest.mark.browser
def test_the_editor_runs_under_its_own_policy_and_calls_no_other_host(demo_site, browser):
    from conftest import serve

    report = json.loads((demo_site.out / "audit" / "report.json").read_text(encoding="utf-8"))
    # on [::1], as on a real host, the editor does not look for the local backend (only on localhost and 127.0.0.1)
    policy = {"Content-Security-Policy": report["editor_content_security_policy"]}
    with serve(demo_site.out, host="::1", headers=policy) as url:
        page = browser.new_page(locale="zh-CN")
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
        page.on("request", lambda r: problems.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
        page.goto(url + "admin/")
        page.get_by_role("button", name="登录").wait_for()  # rendered: the config loaded and validated (ajv ran)
        assert page.locator("h1").inner_text() == "泉州市鲤城区人民政府信息公开平台网站编辑器"
        page.wait_for_timeout(500)
    assert problems == []


def test_a_field_cleared_in_the_form_is_left_out(site):
    # Decap saves an optional field the editor emptied as '': that is the field left out, not a bad value
    replace_in(site, "data/units/office.yml", "fax: 0595-29990019", "fax: ''")
    replace_in(site, "data/units/office.yml", "head_title: 主任", "head_title: ''\norder: ''")
    site.build()
    assert "传真" not in site.html("units/office/index.html").get_text()
    text = (site.root / "data/units/office.yml").read_text(encoding="utf-8")
    site.write("data/units/office.yml", re.sub(r"(?m)^head: .*$", "head: ''", text))  # a required field stays required
    assert "head（负责人姓名）" in site.build_error()


def test_every_pattern_works_in_javascript_as_in_python():
    # Decap tests a value with RegExp(pattern).test(value): the same verdicts as Python's re.search on
    # each pattern's own example and on values the build refuses
    import shutil
    import subprocess

    found = sorted({pattern for pattern, _ in every_pattern()})
    values = ["2020-08-20", "2020-8-20", "2024-04-06 16:40", "0595-22355663", "0595-2999", "13900000001", "qzfb", "QZFB",
              "泉鲤政办〔2020〕38号", "泉鲤政办[2020]38号", "国令第707号", "QZ06101-2015-2020-00038", "362000", "a b", ""]
    cases = [{"pattern": p, "value": v} for p in found for v in values]
    script = "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));" \
             "process.stdout.write(JSON.stringify(cases.map(c => RegExp(c.pattern).test(c.value))));"
    node = shutil.which("node")
    assert node, "Node.js is installed by ./dev test (ensure_cms)"
    said = subprocess.run([node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True)
    assert json.loads(said.stdout) == [re.search(c["pattern"], c["value"]) is not None for c in cases]
    assert len(found) >= 8
