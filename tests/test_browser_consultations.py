"""The 决策公开 pages of the demo in real headless Chromium, on a laptop and on a phone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = ("consultations/", "consultations/laojiu/", "consultations/canyu/", "decisions/")


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_pages_fit_the_screen_and_show_the_open_consultation(browser, demo_url, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    for path in PAGES:
        page.goto(demo_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    page.goto(demo_url + "consultations/")
    first = page.locator("article tbody tr").first.inner_text()
    assert "征集中（还剩" in first
    page.goto(demo_url + "consultations/laojiu/")
    assert page.locator(".admonition-title").first.inner_text() == "正在征求意见"
    assert page.locator("a[href^='mailto:']").first.get_attribute("href").startswith("mailto:lcfgj@example.gov.cn?subject=")
    page.close()
