"""Browser test of a checklist split into parts (issue 15): ticks, progress, reset and downloads span every part.

The real KB is built with the checklist part size lowered (as a large KB
would split it), served on 127.0.0.1 and driven with Chromium.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from generator.checklist.compose import Query, compose
from generator.checklist.export import to_markdown
from generator.pipeline import check_folder
from generator.write.sitebuild import build_env
from tests.conftest import ROOT
from tests.site_fixtures import CONFIG, serve
from tests.test_scale_pages import RUNNER

pytestmark = pytest.mark.browser

COMMIT = "c0ffee" + "0" * 34
SCENARIO = "pytorch-to-onnx-runtime"
PART_ITEMS = 15


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("parts")
    shutil.copytree(ROOT / "kb", root / "kb")
    thresholds = {"generator.render.checklists": {"CHECKLIST_PART_ITEMS": PART_ITEMS}}
    command = [sys.executable, "-c", RUNNER, json.dumps(thresholds), str(CONFIG), str(root / "site")]
    env = build_env({"KB_DIR": str(root / "kb"), "SOURCE_COMMIT": COMMIT})
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(root / "site") as base:
        yield base, root / "kb"


def test_ticks_progress_reset_and_downloads_span_the_parts(site: tuple[str, Path], page: Page) -> None:
    base, kb = site
    checklist = compose(check_folder(kb), Query(scenario=SCENARIO), commit=COMMIT)
    total = len(checklist.items)
    assert total > PART_ITEMS
    progress = page.locator(".rkb-progress__text")

    page.goto(f"{base}checklists/{SCENARIO}.html")
    first = page.eval_on_selector_all("input.rkb-box", "els => els.map(e => e.dataset.rkbItem)")
    assert 0 < len(first) < total
    page.locator(f"input.rkb-box[data-rkb-item='{first[0]}']").check()
    expect(progress).to_have_text(f"1 of {total} done ({100 // total}%)")

    page.locator(".kb-pager a[rel='next']").first.click()
    expect(page).to_have_url(re.compile(rf"checklists/{SCENARIO}/2\.html$"))
    # The part's own boxes, once checklist.js has named them (their ids are read from the page).
    page.wait_for_function(
        """first => {
          const ids = [...document.querySelectorAll("input.rkb-box")].map(e => e.dataset.rkbItem);
          return ids.length > 0 && ids.every(id => id && !first.includes(id));
        }""",
        arg=first,
    )
    second = page.eval_on_selector_all("input.rkb-box", "els => els.map(e => e.dataset.rkbItem)")
    assert second and not set(second) & set(first)
    expect(progress).to_have_text(f"1 of {total} done ({100 // total}%)")
    page.locator(f"input.rkb-box[data-rkb-item='{second[-1]}']").check()
    expect(progress).to_have_text(f"2 of {total} done ({200 // total}%)")

    with page.expect_download() as info:
        page.locator("button[data-rkb-download='md']").click()
    ticked = {first[0], second[-1]}
    assert Path(info.value.path()).read_text(encoding="utf-8") == to_markdown(checklist, ticked)

    page.once("dialog", lambda d: d.accept())
    page.locator("button[data-rkb-action='reset']").click()
    expect(progress).to_have_text(f"0 of {total} done (0%)")
    page.goto(f"{base}checklists/{SCENARIO}.html")
    expect(progress).to_have_text(f"0 of {total} done (0%)")
    assert page.eval_on_selector_all("input.rkb-box:checked", "els => els.length") == 0
