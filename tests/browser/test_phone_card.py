"""The metadata card of an entry page on a 390 px phone: labels above values, no chip broken in two.

With the label column as wide as "Target frameworks", the chips had a third
of the card and "ONNX Runtime" broke inside its pill (screenshots, issue 14).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.look import evaluate_on

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
    rows = evaluate_on(browser, site_url + path, "phone", "light", MEASURE)
    assert len(rows) >= 4
    for row in rows:
        assert row["ddTop"] >= row["dtBottom"] - 1, row
        assert row["lines"] < 1.5, f"a chip of {row['label']!r} breaks over {row['lines']:.1f} lines"


def test_card_keeps_two_columns_on_a_desktop(browser: Browser, site_url: str) -> None:
    rows = evaluate_on(
        browser, site_url + "practices/check-converted-model-equivalence.html", "desktop", "light", MEASURE
    )
    assert all(row["ddTop"] < row["dtBottom"] for row in rows), rows


#: Width of each scenario's title cell on the checklists page, and whether its column names show.
SCENARIO_CELLS = """() => ({
  viewport: document.documentElement.clientWidth,
  titles: [...document.querySelectorAll('.kb-scenario-cards tbody td:first-child')]
    .map(td => td.getBoundingClientRect().width),
  header: document.querySelector('.kb-scenario-cards thead').getBoundingClientRect().height,
  label: getComputedStyle(document.querySelector('.kb-scenario-cards td[data-label]'), '::before').content,
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_scenarios_read_as_cards_on_a_phone(browser: Browser, site_url: str, scheme: str) -> None:
    # As a table, the scenario column was squeezed to about two words a line (screenshots, issue 14).
    cells = evaluate_on(browser, site_url + "checklists/index.html", "phone", scheme, SCENARIO_CELLS)
    assert cells["titles"] and min(cells["titles"]) > 0.75 * cells["viewport"], cells
    assert cells["header"] <= 1 and cells["label"] == '"From: "', cells


def test_scenarios_stay_a_table_on_a_desktop(browser: Browser, site_url: str) -> None:
    cells = evaluate_on(browser, site_url + "checklists/index.html", "desktop", "light", SCENARIO_CELLS)
    assert cells["header"] > 10 and max(cells["titles"]) < 0.6 * cells["viewport"], cells
    assert cells["label"] == "none", cells


#: For each checklist item of a practice page: the number's and the text's top, and the text's left.
ITEM_ROWS = """() => [...document.querySelectorAll('.kb-checklist > li')].map(li => {
  const num = li.querySelector('.kb-checklist__num').getBoundingClientRect();
  const text = li.querySelector('.kb-checklist__text').getBoundingClientRect();
  const id = li.querySelector('.kb-checklist__id').getBoundingClientRect();
  return {numTop: num.top, numRight: num.right, textTop: text.top, textLeft: text.left, idLeft: id.left};
})"""


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_practice_checklist_item_numbers_sit_beside_their_text(browser: Browser, site_url: str, device: str) -> None:
    """The number starts the item's first line (on a phone it stood alone on a line above the text)."""
    items = evaluate_on(
        browser, site_url + "practices/check-operator-coverage-before-converting.html", device, "light", ITEM_ROWS
    )
    assert len(items) >= 3
    for item in items:
        assert abs(item["numTop"] - item["textTop"]) < 4, item
        assert item["textLeft"] > item["numRight"], item
        assert abs(item["idLeft"] - item["textLeft"]) < 1, item  # the item id lines up under the text
