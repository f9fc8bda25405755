"""The built site in Chromium: every page type loads cleanly, is accessible, works.

For each page type: no console error, no failed request, no request off
127.0.0.1, no serious or critical axe-core violation, and a full-page
screenshot in test-artifacts/site/ for people to look at. Then the things a
reader does: search for a word from an entry's body, click a diagram node,
follow a relation link, filter and sort an index table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from generator.markup import plain
from generator.models import FOLDERS, Entity
from tests.browser.conftest import ARTIFACTS, RealSite

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SEVERE = {"serious", "critical"}


def page_types(site: RealSite) -> dict[str, str]:
    """One URL per page type: home, about, an entity of each type, indexes, special pages."""
    out = {"home": "index.html", "about": "about.html"}
    for kind, folder in FOLDERS.items():
        entities = site.checked.kb.of_type(kind)
        if entities:
            # the entity with the most relations shows the most of the page template
            busiest = max(entities, key=lambda e: (site.checked.graph.degree(e.id), e.id))
            out[f"{kind}-page"] = f"{folder}/{busiest.id}.html"
        out[f"{kind}-index"] = f"{folder}/index.html"
    for name in ("workflow", "coverage", "taxonomy", "references", "downloads", "tags"):
        out[name] = f"{name}.html"
    return out


@dataclass
class Watch:
    """What went wrong while a page loaded."""

    base: str
    errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.on("request", self._external)

    def _external(self, request: object) -> None:
        url = getattr(request, "url", "")
        if not url.startswith(self.base) and not url.startswith(("data:", "blob:", "about:")):
            self.errors.append(f"external request: {url}")


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    tab = context.new_page()
    yield tab
    context.close()


def _types(real_site: RealSite) -> list[str]:
    return sorted(page_types(real_site))


@pytest.fixture(params=[
    "home", "about", "paradigm-page", "stage-page", "challenge-page", "practice-page", "defect-page",
    "scenario-page", "paradigm-index", "stage-index", "challenge-index", "practice-index", "defect-index",
    "scenario-index", "workflow", "coverage", "taxonomy", "references", "downloads", "tags",
])  # fmt: skip
def page_type(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_page_type_loads_cleanly_and_is_accessible(
    page: Page, site_url: str, real_site: RealSite, page_type: str
) -> None:
    url = page_types(real_site)[page_type]
    watch = Watch(site_url)
    watch.attach(page)
    page.goto(site_url + url, wait_until="networkidle")
    expect(page.locator("h1").first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{page_type}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    severe = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in SEVERE
    ]
    assert severe == [], f"{url}: axe violations: {severe}"
    assert watch.errors == [], f"{url}: {watch.errors}"


def _search_word(real_site: RealSite) -> tuple[str, Entity]:
    """A word of 8+ letters found in exactly one entry's body (and in no title or summary)."""
    entities = sorted(real_site.checked.kb.entities.values(), key=lambda e: e.id)
    words = {e.id: set(re.findall(r"\b[a-z]{8,}\b", (e.body or "").lower())) for e in entities}
    elsewhere = " ".join(f"{e.title} {e.summary}".lower() for e in entities)
    for entity in entities:
        others = set().union(*(w for eid, w in words.items() if eid != entity.id))
        for word in sorted(words[entity.id] - others):
            if word not in elsewhere:
                return word, entity
    pytest.fail("no entry has a word of its own in its body")


def test_search_finds_an_entry_by_a_word_from_its_body(page: Page, site_url: str, real_site: RealSite) -> None:
    word, entity = _search_word(real_site)
    watch = Watch(site_url)
    watch.attach(page)
    page.goto(site_url + "index.html", wait_until="networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search = page.locator("input.md-search__input")
    search.press_sequentially(word, delay=40)
    results = page.locator(".md-search-result__list")
    expect(results).to_contain_text(plain(entity.title), timeout=20_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-results.png"))
    results.locator(f'a[href*="{FOLDERS[entity.kind]}/{entity.id}.html"]').first.click()
    page.wait_for_url(re.compile(rf"{FOLDERS[entity.kind]}/{entity.id}\.html"))
    assert watch.errors == []


def test_clicking_a_diagram_node_opens_that_entity(page: Page, site_url: str, real_site: RealSite) -> None:
    practice = max(real_site.checked.kb.of_type("practice"), key=lambda e: (real_site.checked.graph.degree(e.id), e.id))
    page.goto(f"{site_url}practices/{practice.id}.html")
    node = page.locator("figure.kb-diagram svg a[*|href^='../challenges/']").first
    target = node.get_attribute("href") or ""
    node.click()
    page.wait_for_url(re.compile(re.escape(target.removeprefix("..")) + "$"))
    challenge = real_site.checked.kb.entities[target.rsplit("/", 1)[-1].removesuffix(".html")]
    expect(page.locator("h1")).to_have_text(plain(challenge.title))


def test_clicking_a_workflow_node_opens_the_practice(page: Page, site_url: str, real_site: RealSite) -> None:
    page.goto(site_url + "workflow.html")
    node = page.locator("figure.kb-diagram svg a[*|href^='practices/']").first
    target = node.get_attribute("href") or ""
    node.click()
    page.wait_for_url(re.compile(re.escape(target) + "$"))


def test_a_relation_link_opens_the_related_entry(page: Page, site_url: str, real_site: RealSite) -> None:
    challenge = max(
        real_site.checked.kb.of_type("challenge"), key=lambda e: (real_site.checked.graph.degree(e.id), e.id)
    )
    page.goto(f"{site_url}challenges/{challenge.id}.html")
    group = page.locator(".kb-relations__group", has_text="Practices that address it")
    link = group.locator("a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"practices/[a-z0-9-]+\.html$"))
    expect(page.locator("h1")).to_have_text(title)
    # and the way back: the practice lists the challenge it addresses
    expect(page.locator(".kb-relations__group", has_text="Addresses challenges")).to_contain_text(
        plain(challenge.title)
    )


def test_index_table_filters_and_sorts(page: Page, site_url: str, real_site: RealSite) -> None:
    practices = real_site.checked.kb.of_type("practice")
    page.goto(site_url + "practices/index.html", wait_until="networkidle")
    rows = page.locator("#kb-table-practice tbody tr")
    expect(rows).to_have_count(len(practices))
    stage = page.locator("select[data-kb-filter='stage']")
    value = stage.locator("option").nth(1).get_attribute("value") or ""
    stage.select_option(value)
    expected = sum(1 for p in practices if getattr(p, "stage", "") == value)
    expect(page.locator("#kb-table-practice tbody tr:visible")).to_have_count(expected)
    expect(page.locator("[data-kb-count]")).to_contain_text(f"{expected} of {len(practices)}")
    assert f"stage={value}" in page.url
    stage.select_option("")
    page.locator("input[data-kb-filter-text]").fill(plain(practices[0].title))
    expect(page.locator("#kb-table-practice tbody tr:visible").first).to_contain_text(plain(practices[0].title))
    page.locator("input[data-kb-filter-text]").fill("")
    header = page.locator("#kb-table-practice th", has_text="Title")
    header.click()
    first_before = rows.first.locator("td").first.inner_text()
    header.click()
    expect(rows.first.locator("td").first).not_to_have_text(first_before)
