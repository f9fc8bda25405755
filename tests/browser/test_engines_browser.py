"""Browser smoke test of the site as each engine builds it: MkDocs + Material, ProperDocs, Zensical.

Home, an entry page and the printable page load in Chromium with no console
error, no failed or external request, a visible heading, a named search
dialog, and no serious or critical axe-core violation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_browser_site import AXE, SEVERE, Watch
from tests.site_fixtures import serve
from tests.test_engines import _run, build_properdocs, build_zensical

pytestmark = [pytest.mark.site, pytest.mark.browser]

PAGES = ["index.html", "practices/align-framework-defaults-explicitly.html", "print.html"]


@pytest.fixture(scope="module", params=["mkdocs", "properdocs", "zensical"])
def engine_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp(request.param)
    if request.param == "mkdocs":
        site = base / "site"
        _run([sys.executable, "-m", "generator", "site", "--strict", "-d", site])
    elif request.param == "properdocs":
        site = build_properdocs(base / "site")
    else:
        site = build_zensical(base)
    with serve(Path(site)) as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_engine_site_loads_cleanly_and_is_accessible(browser: Browser, engine_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    watch = Watch(engine_url)
    watch.attach(page)
    page.goto(engine_url + path, wait_until="networkidle")
    expect(page.locator("h1").first).to_be_visible()
    assert page.locator('[role="dialog"][data-md-component="search"]').first.get_attribute("aria-label")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    severe = [f"{v['id']} ({v['impact']}): {v['help']}" for v in result["violations"] if v["impact"] in SEVERE]
    context.close()
    assert severe == [], f"{engine_url}{path}: axe violations: {severe}"
    assert watch.errors == [], f"{engine_url}{path}: {watch.errors}"
