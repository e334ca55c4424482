"""Tables on a desktop and on a phone: each one fits its column, or scrolls in a box that says so
above the table, can be scrolled with the keyboard and is named for screen readers."""

from __future__ import annotations

import pytest
from test_accessibility import CUT_OFF, PAGE_TYPES, open_page, scrolls_sideways
from test_search import LAYOUT_SHIFT

pytestmark = pytest.mark.browser

WIDE = """() => Array.from(document.querySelectorAll('.md-typeset .gk-table-wrap, .md-typeset .md-typeset__scrollwrap'))
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => {
    const hint = box.previousElementSibling;
    return {
      table: (box.querySelector('caption') || {}).textContent || box.querySelector('table').className,
      focusable: box.tabIndex === 0,
      named: Boolean(box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')),
      hinted: Boolean(hint && hint.classList.contains('gk-scroll-hint') && !hint.hidden && hint.scrollHeight > 0),  // in the margin: no height of its own
    };
  })"""


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", [p for p in PAGE_TYPES if not p.startswith("search/")])
def test_a_table_fits_or_visibly_scrolls(browser, demo_url, path, viewport):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page, _ = open_page(context, demo_url, path)
    assert scrolls_sideways(page) == 0
    assert page.evaluate(CUT_OFF) == []  # nothing wider than the screen but inside a box that scrolls
    for box in page.evaluate(WIDE):
        assert box["focusable"] and box["named"] and box["hinted"], box
    shift = page.evaluate(LAYOUT_SHIFT)
    assert shift < 0.02, f"layout shift {shift:.3f}"  # the 适老化 bar (0.057 on a phone) and the scroll hints moved the page
    context.close()


def test_the_statutory_request_table_fits_a_desktop(browser, demo_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page, _ = open_page(context, demo_url, "reports/lcq/2023/")
    assert not [box for box in page.evaluate(WIDE) if "三、收到和处理" in box["table"]]  # 总计 is not cut off
    context.close()


ROW_HEADINGS = """() => Array.from(document.querySelectorAll('.md-typeset .gk-table-wrap'))
  .filter(box => box.scrollWidth > box.clientWidth + 1 && box.querySelector('tbody th[scope=row]:not([colspan])'))
  .map(box => {
    box.scrollLeft = box.scrollWidth;  // to the last column
    const heading = box.querySelector('tbody th[scope=row]:not([colspan])');
    const left = Math.round(heading.getBoundingClientRect().left - box.getBoundingClientRect().left);
    return {left, opaque: getComputedStyle(heading).backgroundColor !== 'rgba(0, 0, 0, 0)'};
  })"""


@pytest.mark.parametrize("path", ["catalogs/standard/shjz/", "catalogs/gaj/hjgl/", "units/sfj/"])
def test_row_headings_stay_in_view_when_a_table_scrolls(browser, demo_url, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page, _ = open_page(context, demo_url, path)
    boxes = page.evaluate(ROW_HEADINGS)
    assert boxes, "no table of this page scrolls on a phone"
    for box in boxes:
        assert box["left"] == 0 and box["opaque"], box  # at the left edge, and what scrolls beneath it does not show through
    context.close()


COLUMNS_WITH_FIRST_ROWS = """(rows) => Array.from(document.querySelectorAll('table.gk-doclist')).map(table => {
  const body = table.tBodies[0];
  const rest = Array.from(body.rows).slice(rows);
  rest.forEach(row => row.remove());  // as when the browser draws a list whose rows are still arriving
  const widths = Array.from(table.tHead.rows[0].cells).map(cell => Math.round(cell.getBoundingClientRect().width));
  rest.forEach(row => body.appendChild(row));
  return widths;
})"""


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_document_lists_columns_do_not_move_while_its_rows_arrive(browser, demo_url, viewport):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    for path in ["documents/year/2020/", "documents/", "disclosure/rules/"]:
        page, _ = open_page(context, demo_url, path)
        whole = page.evaluate(COLUMNS_WITH_FIRST_ROWS, 10**6)
        assert whole, path
        for rows in (0, 1, 3):
            assert page.evaluate(COLUMNS_WITH_FIRST_ROWS, rows) == whole, (path, rows)
        page.close()
    context.close()
