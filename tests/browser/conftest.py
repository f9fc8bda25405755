"""Session fixtures of the site tests: the real site, built once, and a browser.

The real KB is snapshotted and built with ``--strict`` (as ``make site``
does). If the strict build fails, the site is built again without it so the
other tests still run, and ``test_strict_build_passes`` reports the failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from generator.kb import Checked
from generator.pipeline import check_folder
from tests.conftest import ROOT
from tests.site_fixtures import BuildResult, build, serve, snapshot_kb

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts" / "site"


@dataclass(frozen=True)
class RealSite:
    """The real KB's site: where it was built, from what, and how the strict build went."""

    root: Path
    kb: Path
    checked: Checked
    strict: BuildResult


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> RealSite:
    base = tmp_path_factory.mktemp("real-site")
    kb = snapshot_kb(base / "kb")
    strict = build(kb, base / "site")
    if strict.returncode != 0:
        relaxed = build(kb, base / "site", strict=False)
        assert relaxed.returncode == 0, relaxed.output
    return RealSite(base / "site", kb, check_folder(kb), strict)


@pytest.fixture(scope="session")
def site_url(real_site: RealSite) -> Iterator[str]:
    with serve(real_site.root) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope: only one Playwright (sync) instance may run at a time, and other test modules start their own.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop page that accepts downloads and fails its test on any JavaScript error (modules may override it)."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
