"""Every page type at 1366 and 390 px, in the light and the dark palette.

For each: no horizontal page scroll, diagram labels at least 12 CSS px and
node targets at least 24 px on screen, and no serious or critical axe-core
violation. Screenshots go to test-artifacts/screens/ for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import RealSite
from tests.browser.look import PAGE_TYPES, PALETTES, WIDTHS, look, open_page
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SCREENS = ROOT / "test-artifacts" / "screens"


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_fits_reads_and_passes_axe(
    browser: Browser, site_url: str, real_site: RealSite, name: str, width: str, palette: str
) -> None:
    path = PAGE_TYPES[name]
    assert (Path(real_site.root) / path).is_file(), f"{path} was not built"
    page = open_page(browser, site_url + path, width, palette)
    try:
        result = look(page, name, width, palette, shot=SCREENS / f"{name}-{width}-{palette}.png")
    finally:
        page.context.close()
    assert result.overflow <= 0, f"{path} scrolls sideways by {result.overflow} px: {result.wide}"
    if result.nodes:
        assert result.labels is not None and result.labels >= 12, f"{path}: smallest label {result.labels} px"
        assert result.targets is not None and result.targets >= 24, f"{path}: smallest target {result.targets} px"
    assert result.axe == [], f"{path} ({width}, {palette}): {result.axe}"


def test_workflow_diagram_opens_full_screen_and_zooms_on_a_phone(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url + "workflow.html", "phone", "light")
    try:
        figure = page.locator("figure.kb-diagram").first
        svg = figure.locator("svg.kb-graph")
        drawn = svg.bounding_box()
        assert drawn is not None and drawn["width"] > 390  # drawn size, panned inside its frame
        figure.get_by_role("button", name="Full screen").click()
        box = figure.bounding_box()
        assert box is not None and box["width"] == 390 and box["height"] >= 800
        figure.get_by_role("button", name="Zoom in").click()
        zoomed = svg.bounding_box()
        assert zoomed is not None and zoomed["width"] > drawn["width"] * 1.2
        figure.get_by_role("button", name="1:1 (actual size)").click()
        page.keyboard.press("Escape")
        assert "kb-diagram--full" not in (figure.get_attribute("class") or "")
        result = look(page, "workflow", "phone", "light", axe=False)
        assert result.labels is not None and result.labels >= 12
        assert result.targets is not None and result.targets >= 24
    finally:
        page.context.close()
