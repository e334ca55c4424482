"""The repository's demo platform (鲤城区) builds strictly and shows every unit feature."""

from __future__ import annotations

from collections import Counter

from conftest import REPO
from gongkai.check import check_data
from gongkai.model.unit import POWER_TYPES


def demo():
    site, report = check_data(REPO / "data", REPO)
    return site, report


def test_demo_data_has_no_findings():
    _, report = demo()
    assert report.lines() == []


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
    assert len(list((demo_site.out / "units").glob("*/index.html"))) == 20 + 1  # 20 units + the directory


def test_demo_sitemap_lists_the_columns(demo_site):
    page = demo_site.html("sitemap/index.html")
    links = [a.get_text() for a in page.find("ul", class_="gk-tree").find_all("a")]
    assert links[:2] == ["首页", "机构职能"]
    assert "机构职能目录" in links
