"""Search as engineers use it: queries typed into the real site's search box.

Each query is typed into Material's search (lunr, the real built index with
its synonyms) and the page it names must be among the first three pages
listed. Result previews must not show the metadata card or the checklist
toolbar, and entity pages must come before checklist pages.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

#: (query, the page that must be among the first three results)
QUERIES: list[tuple[str, str]] = [
    ("nondeterminism", "challenges/training-nondeterminism-and-variance.html"),
    ("non-determinism", "challenges/training-nondeterminism-and-variance.html"),
    ("non deterministic results", "practices/control-nondeterminism-when-debugging.html"),
    ("NMS", "practices/evaluate-with-reference-metric-code.html"),
    ("int8", "practices/quantise-with-calibration-data.html"),
    ("quantization", "practices/quantise-with-calibration-data.html"),
    ("opset", "practices/pin-converter-opset-and-runtime.html"),
    ("converter crash", "defects/converter-crash.html"),
    ("compare outputs after conversion", "practices/check-converted-model-equivalence.html"),
    ("tflite delegate", "practices/check-delegate-coverage-and-accuracy.html"),
    ("environment defects", "defects/environment-defects.html"),
    ("pin dependencies", "practices/pin-and-record-environment.html"),
    ("random seed", "practices/control-nondeterminism-when-debugging.html"),
    ("re-verify after optimization", "practices/re-verify-after-optimisation.html"),
    ("pytorch to onnx", "scenarios/pytorch-to-onnx-runtime.html"),
]


@pytest.fixture(scope="module")
def search_page(browser: Browser, site_url: str) -> Iterator[tuple[Page, str]]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, service_workers="block")
    page = context.new_page()
    yield page, site_url
    context.close()


def results(search: tuple[Page, str], query: str) -> tuple[list[str], list[str]]:
    """The result pages (paths, in order) and their preview texts for ``query``."""
    page, site_url = search
    page.goto(site_url + "index.html", wait_until="networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.press_sequentially(query, delay=15)
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_contain_text("matching", timeout=20_000)
    items = page.locator(".md-search-result__item")
    # the worker answers each keystroke: wait until the last answer has landed
    last = -1
    for _ in range(20):
        page.wait_for_timeout(150)
        now = items.count()
        if now == last:
            break
        last = now
    hrefs: list[str] = []
    previews: list[str] = []
    for i in range(min(items.count(), 10)):
        link = items.nth(i).locator("a.md-search-result__link").first
        href = (link.get_attribute("href") or "").split("#")[0].split("?")[0]
        path = href.removeprefix(site_url).lstrip("./")
        if path not in hrefs:
            hrefs.append(path)
            previews.append(items.nth(i).inner_text())
    return hrefs, previews


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_query_finds_its_page_in_the_top_three(search_page: tuple[Page, str], query: str, expected: str) -> None:
    pages, _ = results(search_page, query)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / "search-queries.txt").open("a", encoding="utf-8") as log:
        log.write(f"{query!r}: {pages[:5]}\n")
    assert expected in pages[:3], f"{query!r}: {expected} not in the top three: {pages[:5]}"


def test_spellings_of_one_word_find_the_same_pages(search_page: tuple[Page, str]) -> None:
    joined, _ = results(search_page, "nondeterminism")
    hyphen, _ = results(search_page, "non-determinism")
    assert joined[0] == hyphen[0], (joined[:5], hyphen[:5])
    assert "practices/control-nondeterminism-when-debugging.html" in joined[:5] and hyphen[:5], (joined, hyphen)


def test_previews_show_content_not_the_card_or_toolbar(search_page: tuple[Page, str]) -> None:
    pages, previews = results(search_page, "converter")
    text = " ".join(previews)
    assert "TypePractice" not in text and "StagePortability" not in text
    assert "Reset Markdown CSV JSON Print" not in text
    assert pages, "no result"


def test_entity_pages_rank_above_checklist_pages(search_page: tuple[Page, str]) -> None:
    pages, _ = results(search_page, "nondeterminism")
    top = pages[:5]
    assert not any(p.startswith("checklists/") for p in top[:3]), top
    checklist = sum(p.startswith("checklists/") for p in pages[:10])
    assert checklist <= 3, pages[:10]
