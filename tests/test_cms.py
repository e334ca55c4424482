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
from gongkai.cms.editor import CONFIG_FILE, editor_config, editor_yaml
from gongkai.cms.plugin import data_dir_of
from gongkai.model.fields import _PHONE
from gongkai.model.kinds import BY_ATTRIBUTE, KINDS
from gongkai.project import copy_platform
from gongkai.schemas import editor_schema


def demo_editor() -> dict:
    config = load_config(str(REPO / "mkdocs.yml"))
    return editor_config(config.plugins["gongkai-cms"].config.backend.as_decap(), config.site_url, data_dir_of(config, REPO))


def collection(name: str) -> dict:
    return next(c for c in demo_editor()["collections"] if c["name"] == name)


def field_at(fields: list[dict], *path: str) -> dict:
    found = next(f for f in fields if f["name"] == path[0])
    return field_at(found["fields"], *path[1:]) if len(path) > 1 else found


def test_the_committed_configuration_is_current():
    config = load_config(str(REPO / "mkdocs.yml"))
    backend = config.plugins["gongkai-cms"].config.backend.as_decap()
    expected = editor_yaml(backend, config.site_url, data_dir_of(config, REPO))
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


def test_every_pattern_is_the_models_and_reads_the_same_in_javascript():
    def patterns(fields):
        for field in fields:
            if "pattern" in field:
                yield field["pattern"]
            yield from patterns(field.get("fields", []))
            if "field" in field:
                yield from patterns([field["field"]])

    found = [p for c in demo_editor()["collections"] for p in patterns(c.get("fields", []) + [
        f for file in c.get("files", []) for f in file["fields"]])]
    assert len(found) > 20
    for pattern, message in found:
        re.compile(pattern)
        assert "(?P<" not in pattern and "\\Z" not in pattern  # Python-only syntax would not run in the browser
        assert message.startswith("：")  # Decap writes “‹label›”不满足模式‹message›


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
