"""The repository's demo platform (鲤城区) builds strictly and shows every unit feature."""

from __future__ import annotations

import datetime
import re
from collections import Counter

from conftest import REPO
from gongkai.check import check_data
from gongkai.model.domains import BY_ID
from gongkai.model.unit import POWER_TYPES

AS_OF = datetime.date.fromisoformat(re.search(r'as_of: "([0-9-]+)"', (REPO / "mkdocs.yml").read_text(encoding="utf-8"))[1])
"""The demo's fixed date (mkdocs.yml): the states that depend on the day stay as the data shows them."""


def demo():
    site, report = check_data(REPO / "data", REPO, AS_OF)
    return site, report


def test_demo_data_has_no_findings():
    """Nothing wrong: the one note is the historical 2019 report's blank 总计 column, kept as published."""
    _, report = demo()
    assert report.errors == [] and report.warnings == []
    assert [(f.position.file, f.message.split("，")[0]) for f in report.notes] == [("data/reports/lcq/2019.yml", "表三有空白单元格")]


def test_demo_is_the_licheng_platform():
    site, _ = demo()
    types = Counter(u.type for u in site.units.values())
    assert types["街道办事处"] == 8
    assert types["区政府工作部门"] >= 6
    assert types["管委会"] == 1 and types["区政府"] == 1
    assert site.units["sfj"].name == "泉州市鲤城区司法局"
    assert "政务公开办公室" in [o.name for o in site.units["qzfb"].offices]
    assert site.info.host_unit == "qzfb"


def test_demo_exercises_every_unit_feature():
    site, _ = demo()
    units = list(site.units.values())
    staff = [s for u in units for s in u.staff]
    assert any(s.internal for s in staff)
    assert any(s.phone_public for s in staff)
    assert any(s.published_phone is None and s.phone for s in staff)  # a mobile kept private
    assert any(u.fax for u in units) and any(u.email for u in units)
    assert any(o.phone for u in units for o in u.offices)
    used = {p.type for u in units for p in u.powers}
    assert len(used) >= 9, sorted(set(POWER_TYPES) - used)


def test_demo_builds_strictly_with_all_pages(demo_site):
    for page in ("index.html", "units/index.html", "units/directory/index.html", "sitemap/index.html", "units/sfj/index.html"):
        assert (demo_site.out / page).is_file(), page
    units = len(list((REPO / "data/units").rglob("*.yml")))
    assert len(list((demo_site.out / "units").glob("*/index.html"))) == units + 1  # each unit, and the directory


def test_demo_sitemap_lists_the_columns(demo_site):
    page = demo_site.html("sitemap/index.html")
    links = [a.get_text() for a in page.find("ul", class_="gk-tree").find_all("a")]
    assert links[:2] == ["首页", "政府信息公开"]
    assert "机构职能目录" in links


def test_demo_document_library_shows_every_life_cycle_feature():
    site, _ = demo()
    docs = site.documents
    assert len(docs) >= 30
    seed = docs["qzfb-2020-38"]
    assert seed.number == "泉鲤政办〔2020〕38号" and len(seed.attachments) == 3  # the two forms and the scanned original
    assert site.privacy and [r.file for r in site.privacy.reviewed] == ["data/documents/2020/qzfb-2020-38-原件扫描件.pdf"]
    assert "一、强化机构设置和人员配备" in seed.body
    events = [e for d in docs.values() for e in d.events]
    assert {"修改", "废止", "失效", "清理"} <= {e.type for e in events}
    assert any(d.expires for d in docs.values() if any(e.type == "失效" for e in d.events))  # an expiry
    assert len({d.issuer for d in docs.values()}) >= 6
    assert len({d.year for d in docs.values()}) >= 5
    statuses = {site.register.status[d.id] for d in docs.values() if d.is_normative}
    assert statuses == {"尚未生效", "现行有效", "已修改", "已废止", "已失效"}
    normative = [d for d in docs.values() if d.is_normative]
    interpreted = [d for d in normative if site.register.interpretations.get(d.id)]
    assert len(interpreted) / len(normative) >= 0.8
    assert any(d.category == "应急预案" for d in docs.values())
    # an amendment chain: 2019 细则 → amended in 2021 → replaced in 2023
    assert site.register.amended_by["mzj-2019-12"] == ["mzj-2021-7"]
    assert site.register.endings["mzj-2019-12"].by == "mzj-2023-5"


def test_demo_document_pages(demo_site):
    for page in ("documents/index.html", "documents/register/index.html", "documents/compilation/index.html",
                 "documents/cleanups/2020-cleanup/index.html", "documents/qzfb-2020-38/index.html",
                 "documents/category/2012/index.html", "documents/feed.xml"):
        assert (demo_site.out / page).is_file(), page
    seed = demo_site.html("documents/qzfb-2020-38/index.html")
    assert [a.get_text() for a in seed.select("ol.gk-attachments a")] == [
        "附件1：街道（部门）政务公开（政府信息公开）工作人员情况表", "附件2：街道（部门）工作职能清单", "通知原件（扫描件）"]


def test_demo_catalogs():
    site, _ = demo()
    for domain in ("hjgl", "shjz"):
        assert len(site.standards[domain].rows) >= 15
        adopters = [key for key in site.adoptions if key.endswith("/" + domain)]
        units = [site.units[key.split("/")[0]] for key in adopters]
        assert sum(u.type == "街道办事处" for u in units) >= 2 and any(u.type != "街道办事处" for u in units)
    actions = {n.action for a in site.adoptions.values() for n in a.notes}
    assert actions == {"删除", "修改", "新增"}
    assert all(n.reason for a in site.adoptions.values() for n in a.notes)


def test_demo_catalog_pages(demo_site):
    for page in ("catalogs/index.html", "catalogs/standard/hjgl/index.html", "catalogs/hbjd/hjgl/index.html",
                 "catalogs/hbjd/hjgl-notes/index.html", "catalogs/mzj/shjz.xlsx", "catalogs/ljjd/shjz.csv"):
        assert (demo_site.out / page).is_file(), page


def test_demo_reports_and_columns():
    site, _ = demo()
    assert {key for key in site.reports if key.startswith("lcq/")} == {f"lcq/{year}" for year in range(2019, 2026)}
    assert site.reports["lcq/2019"].known_errors and site.reports["lcq/2019"].title  # a historical report as published
    assert site.reports["lcq/2020"].version == "2019" and site.reports["lcq/2021"].version == "2021"
    assert {key for key in site.reports if key.startswith("mzj/")} == {f"mzj/{year}" for year in range(2021, 2026)}
    assert all(site.reports[k].requests is None and site.figures[k].requests is not None for k in site.reports if k.startswith("mzj/"))
    assert set(site.columns) == set(site.units)
    assert any(d.disclosure_rule for d in site.documents.values())


def test_demo_column_pages(demo_site):
    for page in ("disclosure/index.html", "disclosure/guide/index.html", "disclosure/content/index.html",
                 "disclosure/hbjd/content/index.html", "reports/lcq/2020/index.html", "reports/mzj/2023/index.html",
                 "disclosure/sfj/replies/correction.docx"):
        assert (demo_site.out / page).is_file(), page


def test_demo_plans_show_every_category_level_and_history():
    from gongkai.model.plan import PLAN_CATEGORIES, PLAN_LEVELS

    site, _ = demo()
    plans = list(site.records_of("plans").values())
    assert len(plans) >= 6
    assert {p.category for p in plans if p.category} == set(PLAN_CATEGORIES)
    assert {p.level for p in plans} == set(PLAN_LEVELS)
    assert any(len(p.versions) > 1 for p in plans) and any(not p.in_force for p in plans)
    assert any(v.document for p in plans for v in p.versions) and all(p.drills for p in plans if p.in_force)


def test_demo_consultations_are_in_every_state():
    site, _ = demo()
    states = {c.state(site.today) for c in site.records_of("consultations").values()}
    assert states == {"未开始", "征集中", "已结束", "已反馈"}
    years = {item.year for item in site.records_of("decision_items").values()}
    assert len(years) >= 2
    linked = [c for c in site.records_of("consultations").values() if c.decision and c.feedback]
    assert linked and all(c.decision in site.documents for c in linked)


_ARTICLE = re.compile(r"<article.*?</article>", re.S)
_VERBATIM = re.compile(r"<(pre|code|script|style)\b.*?</\1>", re.S)
_BLOCK_END = re.compile(r"</(?:p|dd|td|th|li|h[1-6]|dt|caption)>")
MACHINE_VALUES = {
    "Python 值": re.compile(r"(?<![A-Za-z])(None|True|False)(?![A-Za-z])"),
    "键=值": re.compile(r"\b[a-z_]{2,}=\S"),
    "空的栏目": re.compile(r"^[\u4e00-\u9fff（）]{2,10}：$"),
    "记录编号": re.compile(r"(?<![\w/.-])[a-z]{2,}-\d{4}-\d+(?:-[a-z]+)?(?![\w/.-])"),
}


def _without_editors_text(html_text: str) -> str:
    """The page without what editors wrote (a document's body): only what the templates made."""
    start = html_text.find('<div class="gk-body">')
    if start < 0:
        return html_text
    depth, at = 0, start
    for match in re.finditer(r"<(/?)div\b", html_text[start:]):
        depth += -1 if match[1] else 1
        if depth == 0:
            at = start + match.end()
            break
    return html_text[:start] + html_text[at:]


def test_no_page_shows_machine_values(demo_site):
    import html

    found = []
    for page in sorted(demo_site.out.rglob("*.html")):
        shown = page.relative_to(demo_site.out).as_posix()
        article = _ARTICLE.search(page.read_text(encoding="utf-8"))
        if article is None or shown.startswith("help/"):  # the editors' guide quotes YAML and ids on purpose
            continue
        for block in _BLOCK_END.split(_VERBATIM.sub(" ", _without_editors_text(article.group(0)))):
            text = html.unescape(re.sub(r"<[^>]+>", " ", block)).strip()
            found += [f"{shown}（{name}）：{text[-60:]}" for name, rule in MACHINE_VALUES.items() if rule.search(text)]
    assert found == []


def test_the_home_page_is_the_entrance_made_from_the_data(demo_site):
    site, _ = demo()
    home = demo_site.html("index.html")
    entries = [a.get_text() for a in home.select("ul.gk-entries a")]
    assert entries[:5] == ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开工作年度报告", "依申请公开"]
    assert {"应急预案", "意见征集"} <= set(entries)
    assert [a.get_text() for a in home.select("ul.gk-home__domains a")] == [BY_ID[id].name for id in sorted(site.standards)]
    newest = [d for d in site.documents_newest_first() if d.is_normative][:6]
    shown = home.find("h2", string="规范性文件").find_next("ul").find_all("li")
    assert [li.a.get_text() for li in shown] == [d.title for d in newest]
    first = shown[0].get_text(" ", strip=True)
    assert newest[0].number_display in first and site.register.status[newest[0].id] in first
    units = [a.get_text() for a in home.find("h2", string="机构").find_all_next("a") if a.find_parent("ul", class_="gk-home__units")]
    assert len(units) == len(site.units)
