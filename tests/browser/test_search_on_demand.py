"""The search index is fetched when a reader reaches for search, not on every page load.

overrides/main.html holds back the theme's request for the search index
until the search box is hovered, touched or focused, or the address carries
``?q=``/``?h=``: it was most of a phone's main-thread work on a first visit
(benchmarks/README.md, Lighthouse). Search must still answer by mouse and by keyboard.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

#: The theme asks for the JSON; docs/assets/javascripts/search-index.js answers
#: that request from the one index file the site has, search/search_index.js.
INDEX = ("search/search_index.json", "search/search_index.js")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, service_workers="block")
    yield context.new_page()
    context.close()


def _index_requests(page: Page) -> list[str]:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if r.url.split("?")[0].endswith(INDEX) else None)
    return requested


def test_a_page_load_does_not_fetch_the_index(page: Page, site_url: str) -> None:
    requested = _index_requests(page)
    for path in ("index.html", "workflow.html", "practices/check-converted-model-equivalence.html"):
        page.goto(site_url + path, wait_until="networkidle")
        page.wait_for_timeout(300)
    assert requested == []
    assert page.evaluate("window.kbSearchIndexWanted()") is False


def test_clicking_search_fetches_the_index_and_finds(page: Page, site_url: str) -> None:
    requested = _index_requests(page)
    page.goto(site_url + "index.html", wait_until="networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # typed at once, before the index has arrived: the answer must still come
    page.locator("input.md-search__input").press_sequentially("opset", delay=10)
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching", timeout=20_000)
    expect(page.locator(".md-search-result__list")).to_contain_text("opset", ignore_case=True)
    assert len(requested) == 1


def test_the_keyboard_shortcut_fetches_the_index_and_finds(page: Page, site_url: str) -> None:
    requested = _index_requests(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "workflow.html", wait_until="networkidle")
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("quantization", delay=10)
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching", timeout=20_000)
    assert len(requested) == 1


def test_arriving_from_a_search_result_highlights_at_once(page: Page, site_url: str) -> None:
    requested = _index_requests(page)
    page.goto(site_url + "practices/check-converted-model-equivalence.html?h=tolerance", wait_until="networkidle")
    expect(page.locator("mark").first).to_be_visible(timeout=20_000)
    assert len(requested) == 1
