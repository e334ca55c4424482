"""The unit pages in real headless Chromium: the power-list filter, keyboard use, a phone screen."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def visible_types(page) -> list[str]:
    return page.eval_on_selector_all("#powers-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.type)")


def test_filter_power_list_with_the_keyboard(browser, demo_url):
    page = browser.new_page()
    page.goto(demo_url + "units/sfj/")
    assert len(visible_types(page)) == 7
    select = page.locator("#powers-type")
    assert select.is_visible()  # the script revealed the filter
    select.focus()
    page.keyboard.press("ArrowDown")  # the first type after 全部
    first = select.input_value()
    assert first and set(visible_types(page)) == {first}
    assert page.locator(".gk-filter__status").inner_text() == f"显示 {len(visible_types(page))} 项"
    select.select_option("")
    assert len(visible_types(page)) == 7
    page.close()


def test_filter_from_the_address(browser, demo_url):
    page = browser.new_page()
    page.goto(demo_url + "units/sfj/?type=行政处罚#powers")
    assert visible_types(page) == ["行政处罚", "行政处罚"]
    page.close()


def test_without_script_the_whole_list_shows(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + "units/sfj/")
    assert not page.locator("form.gk-filter").is_visible()
    assert len(visible_types(page)) == 7
    context.close()


def test_phone_screen_has_no_sideways_page_scroll(browser, demo_url):
    page = browser.new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    for path in ("", "units/directory/", "units/", "units/sfj/"):  # "": the home page and its entrance
        page.goto(demo_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    # the wide power table scrolls inside its own focusable region instead
    region = page.locator(".gk-table-wrap").first
    assert region.get_attribute("tabindex") == "0"
    page.close()
