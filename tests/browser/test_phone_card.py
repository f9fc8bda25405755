"""The metadata card of an entry page on a 390 px phone: labels above values, no chip broken in two.

With the label column as wide as "Target frameworks", the chips had a third
of the card and "ONNX Runtime" broke inside its pill (screenshots, issue 14).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.look import open_page

pytestmark = pytest.mark.browser

#: For each row of the card: label bottom, value top, and the tallest chip in lines.
MEASURE = """() => [...document.querySelectorAll('.kb-card__row')].map(row => {
  const dt = row.querySelector('dt').getBoundingClientRect();
  const dd = row.querySelector('dd').getBoundingClientRect();
  const lines = [...row.querySelectorAll('.kb-chip')].map(chip => {
    const style = getComputedStyle(chip);
    const inner = chip.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
      - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
    return inner / parseFloat(style.lineHeight);
  });
  return {label: row.querySelector('dt').textContent, dtBottom: dt.bottom, ddTop: dd.top,
          lines: Math.max(0, ...lines)};
})"""


@pytest.mark.parametrize(
    "path", ["practices/check-converted-model-equivalence.html", "scenarios/pytorch-to-onnx-runtime.html"]
)
def test_card_labels_sit_above_whole_chips_on_a_phone(browser: Browser, site_url: str, path: str) -> None:
    page = open_page(browser, site_url + path, "phone", "light")
    try:
        rows = page.evaluate(MEASURE)
    finally:
        page.context.close()
    assert len(rows) >= 4
    for row in rows:
        assert row["ddTop"] >= row["dtBottom"] - 1, row
        assert row["lines"] < 1.5, f"a chip of {row['label']!r} breaks over {row['lines']:.1f} lines"


def test_card_keeps_two_columns_on_a_desktop(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url + "practices/check-converted-model-equivalence.html", "desktop", "light")
    try:
        rows = page.evaluate(MEASURE)
    finally:
        page.context.close()
    assert all(row["ddTop"] < row["dtBottom"] for row in rows), rows
