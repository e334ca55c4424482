"""无障碍 and 适老化, checked in Debian's Chromium and with the Nu HTML Checker.

axe-core (WCAG 2.1 A and AA) runs on every page type of the demo, as served with its
Content-Security-Policy, in the normal layout and in the 适老化 settings; the Nu HTML
Checker validates every page; the settings are driven with the keyboard alone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

PAGE_TYPES = [
    "", "about/", "help/editing/", "sitemap/", "search/?q=政务公开", "404.html",
    "disclosure/", "disclosure/guide/", "disclosure/rules/", "disclosure/content/", "disclosure/reports/",
    "disclosure/qzfb/", "disclosure/qzfb/content/", "disclosure/qzfb/apply/", "disclosure/qzfb/replies/disclosed/",
    "reports/lcq/2023/", "reports/lcq/2020/",
    "units/", "units/directory/", "units/qzfb/",
    "documents/", "documents/qzfb-2020-38/", "documents/qzfb-2022-6-jd/", "documents/year/2020/",
    "documents/issuer/qzfb/", "documents/category/2012/", "documents/register/", "documents/compilation/",
    "documents/cleanups/", "documents/cleanups/2020-cleanup/",
    "catalogs/", "catalogs/standard/hjgl/", "catalogs/gaj/hjgl/", "catalogs/gaj/hjgl-notes/",
    "plans/", "plans/zongti/", "plans/xinguan/", "consultations/", "consultations/canyu/", "consultations/laojiu/", "decisions/",
]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}
SETTINGS = "gongkai.care"
SCREENSHOTS = Path(__file__).resolve().parent.parent / ".cache" / "screenshots"


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options=WCAG)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]]


def open_page(context, url: str, path: str):
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(url + path)
    if path.startswith("search/"):
        page.wait_for_selector(".gk-search__results li")
    page.wait_for_load_state("networkidle")
    return page, problems


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def with_settings(context, url: str, **settings) -> None:
    page = context.new_page()
    page.goto(url)
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [SETTINGS, json.dumps(settings)])
    page.close()


CUT_OFF = """() => {
  const out = [];
  for (const element of document.querySelectorAll('.md-content *, .gk-toolbar *')) {
    const box = element.getBoundingClientRect();
    if (!box.width || box.right <= innerWidth + 1 || element.closest('.gk-sr')) continue;
    let scrolls = false;
    for (let up = element.parentElement; up && !scrolls; up = up.parentElement) {
      scrolls = ['auto', 'scroll'].includes(getComputedStyle(up).overflowX);
    }
    if (!scrolls) out.push(element.tagName.toLowerCase() + (element.className ? '.' + element.className : ''));
  }
  return out;
}"""


def scrolls_sideways(page) -> int:
    return page.evaluate("() => { window.scrollTo(10000, 0); const x = window.scrollX; window.scrollTo(0, 0); return x; }")


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_wcag_violations_on_any_page_type(context, demo_url, path):
    page, problems = open_page(context, demo_url, path)
    assert violations(page) == []
    assert problems == []  # nothing blocked by the Content-Security-Policy, no script errors


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "documents/qzfb-2020-38/", "units/qzfb/", "documents/register/", "reports/lcq/2023/",
                                  "catalogs/gaj/hjgl/", "search/?q=政务公开"])
def test_high_contrast_and_large_text_keep_wcag(context, demo_url, path):
    with_settings(context, demo_url, size="200", contrast=True, simple=True)
    page, problems = open_page(context, demo_url, path)
    assert page.evaluate("document.documentElement.hasAttribute('data-gk-contrast')")
    assert violations(page) == [] and problems == []


TITLE_CUT = "(() => { const t = document.querySelector('.md-header__topic .md-ellipsis'); return t.scrollWidth > t.clientWidth + 1; })()"


@pytest.mark.browser
@pytest.mark.parametrize("contrast", [False, True], ids=["large", "large+contrast"])
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_usable_at_200_percent_on_a_phone(browser, demo_url, path, contrast):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    with_settings(context, demo_url, size="200", contrast=contrast)
    page, _ = open_page(context, demo_url, path)
    assert scrolls_sideways(page) == 0, "the page scrolls sideways: something is wider than the screen"
    assert page.evaluate(CUT_OFF) == []  # nor is anything cut off at the right edge (wide tables scroll in their box)
    assert not page.evaluate(TITLE_CUT)  # the site's name wraps in the header, it is not cut with “…”
    page.locator(".gk-care summary").click()  # the settings themselves fit too
    assert page.locator(".gk-care input[value='200']").is_checked() and page.evaluate(CUT_OFF) == []
    base = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert base >= 2 * 16  # twice the browser's default, at least
    heading = page.locator("h1").first.bounding_box()
    assert heading and heading["x"] >= 0 and heading["x"] + heading["width"] <= 361
    menu = page.locator("label.md-header__button[for='__drawer']").bounding_box()
    assert menu and menu["x"] + menu["width"] <= 361  # the menu stays reachable
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-200{'-contrast' if contrast else ''}-{path.strip('/').replace('/', '-') or 'home'}.png"))
    context.close()


@pytest.mark.browser
def test_the_settings_work_with_the_keyboard_and_persist(browser, demo_url, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(demo_url + "units/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳转至"  # the skip link comes first
    for _ in range(10):  # on to the settings, with Tab alone
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "适老化 · 无障碍"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the 字号 radio group
    page.keyboard.press("ArrowDown")  # 大字（150%）
    page.keyboard.press("ArrowDown")  # 特大字（200%）
    for _ in range(3):  # on to 高对比度
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "contrast":
            break
    page.keyboard.press("Space")
    assert page.evaluate("document.documentElement.getAttribute('data-gk-size')") == "200"
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == pytest.approx(2 * normal)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.screenshot(path=str(tmp_path / "settings.png"))
    page.goto(demo_url + "documents/qzfb-2020-38/")  # another page: the settings hold, and show as chosen
    assert page.evaluate("document.documentElement.getAttribute('data-gk-size')") == "200"
    assert page.locator(".gk-care input[value='200']").is_checked()
    state = tmp_path / "state.json"
    context.storage_state(path=str(state))
    context.close()
    later = browser.new_context(storage_state=str(state))  # the next visit
    page = later.new_page()
    page.goto(demo_url)
    assert page.evaluate("document.documentElement.hasAttribute('data-gk-contrast')")
    page.locator(".gk-care summary").click()
    page.locator(".gk-care button[type=reset]").click()
    page.wait_for_function("() => !document.documentElement.hasAttribute('data-gk-size')")
    assert page.evaluate(f"localStorage.getItem('{SETTINGS}')") == "{}"
    later.close()


@pytest.mark.browser
def test_simplified_layout_drops_the_side_navigation(context, demo_url):
    with_settings(context, demo_url, simple=True)
    page, _ = open_page(context, demo_url, "documents/qzfb-2020-38/")
    assert not page.locator(".md-sidebar--secondary").is_visible()
    content = page.locator(".md-content").bounding_box()
    assert content and content["width"] > 1100


@pytest.mark.browser
def test_without_javascript_the_settings_stay_hidden(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url)
    assert not page.locator(".gk-care").is_visible()  # they would do nothing
    assert page.locator(".gk-header-search input").is_visible()  # search still works: a plain form
    context.close()


VNU = REPO / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.slow
def test_every_page_is_valid_html(demo_site):
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("the Nu HTML Checker needs Java and tools/node_modules: run ./dev test, which installs both")
    result = subprocess.run(["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--no-langdetect", "--format", "json",
                             str(demo_site.out)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr)["messages"]
    shown = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert shown == []
    assert len(list(demo_site.out.rglob("*.html"))) > 400  # it did look at the whole site
