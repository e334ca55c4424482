"""`gongkai new`: records started with what is known, the rest left for `gongkai check` to ask for."""

from __future__ import annotations

import yaml

from conftest import REPO, replace_in
from gongkai.check import build_date, check_data
from gongkai.model.categories import BY_KEY


def check(site) -> list[str]:
    _, report = check_data(site.root / "data", site.root)
    return [str(f) for f in report.errors]


def registered(site) -> dict[str, str]:
    loaded, _ = check_data(site.root / "data", site.root)
    return dict(loaded.register.index_numbers)


def test_new_document_takes_the_next_number_and_index_number(report_site):
    before = registered(report_site)
    today = build_date()
    made = report_site.run("gongkai.cli", "new", "document", "--unit", "office", "--category", "规章和规范性文件",
                           "--kind", "规范性文件", "--title", "测试区政务公开考核办法")
    assert made.returncode == 0, made.stderr
    path = report_site.root / f"data/documents/{today.year}/office-{today.year}-1.yml"
    assert f"已新建 {path}" in made.stdout
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert record["title"] == "测试区政务公开考核办法" and record["issuer"] == "office"
    assert record["written"] == record["published"] == today
    # the platform's code (the fixture has no other prefix) - the category's code - year - the year's next serial
    assert record["index_number"] == f"3505020000-{BY_KEY['规章和规范性文件'].code}-{today.year}-00001"
    after = registered(report_site)
    assert {id: after[id] for id in before} == before  # no published document renumbered
    assert [e for e in check(report_site) if "office-" in e] == []  # valid as it stands, title given


def test_a_second_new_document_gets_the_following_serial(report_site):
    first = report_site.run("gongkai.cli", "new", "document", "--unit", "office", "--category", "其他主动公开信息")
    second = report_site.run("gongkai.cli", "new", "document", "--unit", "office", "--category", "其他主动公开信息")
    assert first.returncode == second.returncode == 0
    year = build_date().year
    numbers = [yaml.safe_load((report_site.root / f"data/documents/{year}/office-{year}-{n}.yml").read_text())["index_number"]
               for n in (1, 2)]
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == [1, 2]
    assert "title（标题）：不能为空，请填写" in "\n".join(check(report_site))  # no title given: check asks for it


def test_new_unit_comes_with_its_column_and_asks_for_the_rest(site):
    made = site.run("gongkai.cli", "new", "unit", "tyj", "--name", "测试区体育局", "--type", "区政府工作部门", "--parent", "gov")
    assert made.returncode == 0, made.stderr
    errors = check(site)
    assert any(e.startswith("data/units/tyj.yml") and "address（办公地址）：不能为空，请填写" in e for e in errors)
    assert any(e.startswith("data/disclosure/tyj.yml") and "review_body" in e for e in errors)
    replace_in(site, "data/units/tyj.yml", "address:\n", "address: 测试路 9 号\n")
    replace_in(site, "data/units/tyj.yml", "phone:\n", "phone: 0595-29990099\n")
    replace_in(site, "data/units/tyj.yml", "head:\n", "head: 庚演示\n")
    replace_in(site, "data/units/tyj.yml", "  -\n", "  - 负责全区体育工作。\n")
    replace_in(site, "data/disclosure/tyj.yml", "review_body:\ncourt:\n", "review_body: 测试区人民政府\ncourt: 测试区人民法院\n")
    replace_in(site, "data/disclosure/tyj.yml", "reports_note:\n", "reports_note: 本局 2025 年起发布年度报告\n")
    remaining = [e for e in check(site) if "tyj" in e]
    assert remaining and all("not_applicable" in e for e in remaining)  # the categories it has nothing in yet


def test_new_report_uses_the_format_of_its_year_and_carries_over(report_site):
    made = report_site.run("gongkai.cli", "new", "report", "--unit", "office", "--year", "2023")
    assert made.returncode == 0, made.stderr
    report = yaml.safe_load((report_site.root / "data/reports/office/2023.yml").read_text(encoding="utf-8"))
    last = yaml.safe_load((report_site.root / "data/reports/office/2022.yml").read_text(encoding="utf-8"))
    assert report["requests"]["carried_over"] == last["requests"]["carried_forward"]
    assert report["requests"]["results"]["other"] == {"overdue_correction": [0] * 7, "overdue_fee": [0] * 7, "other": [0] * 7}  # 2021 format
    made = report_site.run("gongkai.cli", "new", "report", "--unit", "gov", "--year", "2020")
    assert made.returncode == 0
    report = yaml.safe_load((report_site.root / "data/reports/gov/2020.yml").read_text(encoding="utf-8"))
    assert "requests" not in report  # the government keeps a request register: table 三 is derived
    assert any("data/reports/office/2023.yml" in e and "overview" in e for e in check(report_site))


def test_new_refuses_to_overwrite_or_to_guess(report_site):
    refused = report_site.run("gongkai.cli", "new", "report", "--unit", "office", "--year", "2021")
    assert refused.returncode == 1 and "已经存在，没有覆盖" in refused.stderr
    refused = report_site.run("gongkai.cli", "new", "document", "--unit", "nobody", "--category", "其他主动公开信息")
    assert refused.returncode == 1 and "没有编号为“nobody”的机构" in refused.stderr


def test_what_new_writes_follows_the_formatting_rules(report_site):
    report_site.run("gongkai.cli", "new", "document", "--unit", "office", "--category", "其他主动公开信息")
    report_site.run("gongkai.cli", "new", "unit", "tyj", "--name", "测试区体育局", "--type", "区政府工作部门")
    report_site.run("gongkai.cli", "new", "report", "--unit", "office", "--year", "2023")
    written = [str(p) for p in (report_site.root / "data").rglob("*.yml") if "tyj" in p.name or "2023" in p.name
               or p.name.startswith(f"office-{build_date().year}")]
    assert len(written) == 4
    linted = report_site.run("yamllint", "--strict", "-c", str(REPO / ".yamllint.yml"), *written)
    assert linted.returncode == 0, linted.stdout
