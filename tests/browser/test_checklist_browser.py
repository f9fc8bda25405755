"""Browser tests of the checklist pages, on the real site built with MkDocs.

The site is built once from a snapshot of kb/ (so concurrent edits cannot
race the comparison) with a fixed commit stamp, served on 127.0.0.1 and
driven with Playwright and Debian's Chromium (the session's ``browser``
fixture, from tests/browser/conftest.py). Screenshots and the printed
PDF's first page go to test-artifacts/ for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from generator.checklist.compose import Query, compose
from generator.checklist.export import export, to_csv, to_json, to_markdown
from generator.checklist.status import parse_checklist
from generator.kb import Checked
from generator.models import Practice
from generator.pipeline import check_folder
from tests.conftest import ROOT, run_cli
from tests.site_fixtures import serve

pytestmark = pytest.mark.browser

COMMIT = "c0ffee" + "0" * 34
ARTIFACTS = ROOT / "test-artifacts" / "checklists"
OUR_KEYS = "Object.keys(localStorage).filter(k => k.startsWith('reengineering-kb:checklist:')).sort()"


@dataclass(frozen=True)
class BuiltSite:
    """The built site, where it is served, and the KB it was built from."""

    base: str
    kb: Path
    checked: Checked
    scenario: str


def _build(site: Path, kb: Path, config: Path) -> None:
    env = {**os.environ, "KB_DIR": str(kb), "SOURCE_COMMIT": COMMIT, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--no-strict", "-q", "-f", str(config), "-d", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kb = tmp_path_factory.mktemp("kb-snapshot") / "kb"
    shutil.copytree(ROOT / "kb", kb)
    return kb


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, snapshot: Path) -> Iterator[BuiltSite]:
    out = tmp_path_factory.mktemp("site")
    _build(out, snapshot, ROOT / "mkdocs.yml")
    checked = check_folder(snapshot)
    sizes = {s.id: len(compose(checked, Query(scenario=s.id)).items) for s in checked.kb.of_type("scenario")}
    preferred = "pytorch-to-onnx-runtime"
    scenario = preferred if sizes.get(preferred, 0) >= 3 else max(sorted(sizes), key=lambda s: sizes[s])
    with serve(out) as base:
        yield BuiltSite(base, snapshot, checked, scenario)


def _scenario_url(site: BuiltSite) -> str:
    return f"{site.base}checklists/{site.scenario}.html"


def _ticked(page: Page) -> list[str]:
    return page.eval_on_selector_all("input.rkb-box:checked", "els => els.map(e => e.dataset.rkbItem)")


def _all_items(page: Page, scope: str = "") -> list[str]:
    return page.eval_on_selector_all(f"{scope} input.rkb-box", "els => els.map(e => e.dataset.rkbItem)")


INSTANT_CONFIG = """\
INHERIT: {root}/mkdocs.yml
site_url: {base}
theme:
  features:
    - navigation.instant
"""


@pytest.fixture(scope="module")
def instant_site(tmp_path_factory: pytest.TempPathFactory, snapshot: Path) -> Iterator[str]:
    """The site with Material's instant navigation on, served where its site_url says.

    The config inherits mkdocs.yml from a folder that mirrors the repository
    with symlinks (docs/ copied: the hook refuses pages read through a link),
    so every path mkdocs.yml gives relative to itself resolves.
    """
    out = tmp_path_factory.mktemp("instant-site")
    mirror = tmp_path_factory.mktemp("instant-config")
    for entry in ROOT.iterdir():
        if entry.name == "docs":  # the hook reads pages only from real files, never through a link
            shutil.copytree(entry, mirror / entry.name)
        elif entry.name not in {"mkdocs.yml", "site", ".git", ".venv", ".venv-engines"}:
            (mirror / entry.name).symlink_to(entry)
    with serve(out) as base:
        config = mirror / "mkdocs.yml"
        config.write_text(INSTANT_CONFIG.format(root=ROOT, base=base), encoding="utf-8")
        _build(out, snapshot, config)
        yield base


def test_pages_work_with_instant_navigation(instant_site: str, site: BuiltSite, page: Page) -> None:
    page.goto(f"{instant_site}checklists/index.html")
    assert page.locator("[data-rkb-builder]").get_attribute("data-rkb-count")
    page.evaluate("window.rkbMarker = 'same document'")
    page.locator(f"table a[href$='{site.scenario}.html']").click()
    page.wait_for_url(f"**/checklists/{site.scenario}.html")
    page.wait_for_selector(".rkb-data[data-rkb-ready]", state="attached")
    assert page.evaluate("window.rkbMarker") == "same document"  # no full reload: instant navigation
    total = page.locator("input.rkb-box").count()
    page.locator("input.rkb-box").nth(0).check()
    expect(page.locator(".rkb-progress__text")).to_have_text(f"1 of {total} done ({100 // total}%)")
    assert len(page.evaluate(OUR_KEYS)) == 1
    page.go_back()
    page.wait_for_selector("[data-rkb-builder][data-rkb-ready]")
    assert page.evaluate("window.rkbMarker") == "same document"
    page.select_option("select[name='stage']", index=1)
    expect(page.locator(".rkb-builder__command")).to_contain_text("--stage ")
    # The filters live in the URL hash: leaving the page and coming back (in-page navigation) keeps them.
    page.select_option("select[name='trains']", "false")
    page.locator("input[name='essential']").check()
    kept = page.locator(".rkb-builder__command").inner_text()
    assert "--inference-only" in kept and "--essential" in kept
    page.locator(f"table a[href$='{site.scenario}.html']").click()
    page.wait_for_url(f"**/checklists/{site.scenario}.html")
    page.go_back()
    page.wait_for_selector("[data-rkb-builder][data-rkb-ready]")
    assert page.evaluate("window.rkbMarker") == "same document"
    expect(page.locator(".rkb-builder__command")).to_have_text(kept)
    assert page.locator("input[name='essential']").is_checked()


def test_ticks_persist_across_reloads_and_reset_clears_them(site: BuiltSite, page: Page) -> None:
    page.goto(_scenario_url(site))
    items = _all_items(page)
    expected = [i.uid for i in compose(site.checked, Query(scenario=site.scenario)).items]
    assert items == expected
    boxes = page.locator("input.rkb-box")
    progress = page.locator(".rkb-progress__text")
    expect(progress).to_have_text(f"0 of {len(items)} done (0%)")
    boxes.nth(0).check()
    page.get_by_label(page.locator(f"label[for='{boxes.nth(2).get_attribute('id')}']").inner_text()).check()
    expect(progress).to_have_text(f"2 of {len(items)} done ({200 // len(items)}%)")
    keys = page.evaluate(OUR_KEYS)
    assert keys == sorted(f"reengineering-kb:checklist:{site.scenario}:{uid}" for uid in (items[0], items[2]))

    page.reload()
    assert _ticked(page) == [items[0], items[2]]
    expect(progress).to_have_text(f"2 of {len(items)} done ({200 // len(items)}%)")
    assert page.locator(".rkb-progress__bar").evaluate("el => el.value") == 2

    # Reset asks first: declining keeps every tick, accepting clears them
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Reset").click()
    assert asked and "Clear every tick" in asked[0]
    assert _ticked(page) == [items[0], items[2]]
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Reset").click()
    assert _ticked(page) == []
    page.reload()
    assert _ticked(page) == []
    assert page.evaluate(OUR_KEYS) == []


def test_every_checkbox_has_an_accessible_label(site: BuiltSite, page: Page) -> None:
    for url in (_scenario_url(site), f"{site.base}checklists/index.html"):
        page.goto(url)
        boxes = page.locator("input.rkb-box")
        assert boxes.count() > 0
        for n in range(boxes.count()):
            expect(boxes.nth(n)).to_have_accessible_name(re.compile(r"\w{3,}"))
    expect(page.get_by_role("combobox", name="Target framework")).to_be_visible()


def _download(page: Page, fmt: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f"button[data-rkb-download='{fmt}']").click()
    download = info.value
    assert download.suggested_filename.endswith(f"-checklist.{fmt}")
    path = download.path()
    return Path(path).read_bytes()


def test_downloads_are_what_the_cli_exports(
    site: BuiltSite, page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_COMMIT", COMMIT)
    page.goto(_scenario_url(site))
    for fmt in ("md", "csv", "json"):
        out = tmp_path / f"cli.{fmt}"
        result = run_cli(["checklist", site.scenario, "--kb", str(site.kb), "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.stderr
        assert _download(page, fmt) == out.read_bytes(), fmt

    items = _all_items(page)
    ticked = {items[1], items[-1]}
    for uid in ticked:
        page.locator(f"input.rkb-box[data-rkb-item='{uid}']").check()
    checklist = compose(site.checked, Query(scenario=site.scenario), commit=COMMIT)
    exporters = {"md": to_markdown, "csv": to_csv, "json": to_json}
    for fmt, exporter in exporters.items():
        data = _download(page, fmt)
        assert data == exporter(checklist, ticked).encode("utf-8"), fmt
        filled = parse_checklist(data.decode("utf-8"), f"download.{fmt}")
        assert {uid for uid, done in filled.status.items() if done} == ticked
        (tmp_path / f"filled.{fmt}").write_bytes(data)
    status = run_cli(["checklist", "status", str(tmp_path / "filled.csv"), "--kb", str(site.kb)])
    assert status.exit_code == 0
    assert f"done: 2 of {len(items)}" in status.stdout


def _builder_items(page: Page) -> list[str]:
    return _all_items(page, ".rkb-builder__result")


FORM = (
    "scenario",
    "paradigm",
    "stage",
    "source",
    "target",
    "hardware",
    "tag",
    "precision",
    "model_family",
    "trains",
    "reference_code",
    "reference_weights",
    "multi_device",
)
#: The yes/no selects (the rest hold one value each).
FLAGS = FORM[-4:]


def _filters(checked: Checked) -> list[dict[str, str]]:
    practices = [p for p in checked.kb.of_type("practice") if isinstance(p, Practice)]
    frameworks = sorted({f for p in practices for f in p.applies_when.target})
    hardware = sorted({h for p in practices for h in p.applies_when.hardware})
    tags = sorted({t for p in practices for t in p.tags})
    stages = sorted({p.stage for p in practices})
    paradigms = sorted(e.id for e in checked.kb.of_type("paradigm"))
    scenarios = sorted(e.id for e in checked.kb.of_type("scenario"))
    combos: list[dict[str, str]] = [{"paradigm": p} for p in paradigms]
    combos += [{"target": f} for f in frameworks[:3]] + [{"source": f} for f in frameworks[-2:]]
    combos += [{"hardware": h} for h in hardware[:2]] + [{"tag": t} for t in tags[:2]]
    combos += [{"stage": s} for s in stages[:2]]
    if frameworks and hardware and paradigms:
        combos.append({"paradigm": paradigms[-1], "target": frameworks[0], "hardware": hardware[0]})
    combos += [{"scenario": s} for s in scenarios]
    combos += [{"scenario": scenarios[0], "trains": "false", "reference_code": "false", "precision": "int8"}]
    combos += [{"trains": "true", "reference_weights": "true", "essential": "1"}]
    # The situation keys, last, so the shared link below carries them.
    families = sorted(checked.kb.vocabulary.model_families) if checked.kb.vocabulary else []
    combos += [{"multi_device": "false", "essential": "1"}]
    combos += [{"model_family": f, "essential": "1"} for f in families[:2]]
    combos += [{"trains": "true", "multi_device": "true", "model_family": families[0], "essential": "1"}]
    return combos


def _query(filters: dict[str, str]) -> Query:
    flags = {k: {"true": True, "false": False}.get(filters.get(k, "")) for k in FLAGS}
    return Query(
        scenario=filters.get("scenario"),
        paradigms=tuple(v for k, v in filters.items() if k == "paradigm"),
        stages=tuple(v for k, v in filters.items() if k == "stage"),
        source=filters.get("source"),
        target=filters.get("target"),
        hardware=tuple(v for k, v in filters.items() if k == "hardware"),
        tags=tuple(v for k, v in filters.items() if k == "tag"),
        precision=tuple(v for k, v in filters.items() if k == "precision"),
        model_family=tuple(v for k, v in filters.items() if k == "model_family"),
        importance="essential" if filters.get("essential") else None,
        **flags,  # type: ignore[arg-type]
    )


def _set_form(page: Page, filters: dict[str, str]) -> None:
    for name in FORM:
        page.select_option(f"select[name='{name}']", filters.get(name, ""))
    page.locator("input[name='essential']").set_checked(bool(filters.get("essential")))


def test_builder_updates_when_a_filter_changes_and_matches_the_cli(site: BuiltSite, page: Page) -> None:
    page.goto(f"{site.base}checklists/index.html")
    everything = [i.uid for i in compose(site.checked, Query()).items]
    assert _builder_items(page) == everything
    command = page.locator(".rkb-builder__command")
    expect(command).to_have_text("python -m generator checklist --format md")
    for filters in _filters(site.checked):
        _set_form(page, filters)
        expected = [i.uid for i in compose(site.checked, _query(filters)).items]
        assert _builder_items(page) == expected, filters
        progress = page.locator(".rkb-builder .rkb-progress__text")
        expect(progress).to_have_text(f"0 of {len(expected)} done (0%)")
        for name, value in filters.items():
            if name not in ("scenario", "essential") and name not in FLAGS:
                expect(command).to_contain_text(f"--{name.replace('_', '-')} {value}")
            if name == "multi_device":
                expect(command).to_contain_text("--multi-device" if value == "true" else "--single-device")
        if filters.get("scenario"):
            expect(command).to_contain_text(f"checklist {filters['scenario']} ")
        if filters.get("essential"):
            expect(command).to_contain_text("--essential")
    assert "#" in page.url  # the filters are in the URL, so a builder link can be shared
    assert "multi_device=true" in page.url and "model_family=" in page.url
    shared = page.url
    fresh = page.context.new_page()
    fresh.goto(shared)
    assert _builder_items(fresh) == expected
    fresh.close()
    page.evaluate("location.hash = ''")  # e.g. the back button: the builder follows the hash
    expect(command).to_have_text("python -m generator checklist --format md")
    assert _builder_items(page) == everything


def test_builder_downloads_are_what_the_cli_exports(
    site: BuiltSite, page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_COMMIT", COMMIT)
    filters = {"scenario": site.scenario, "trains": "false", "essential": "1"}
    page.goto(f"{site.base}checklists/index.html")
    _set_form(page, filters)
    items = _builder_items(page)
    page.locator(f".rkb-builder input.rkb-box[data-rkb-item='{items[0]}']").check()
    checklist = compose(site.checked, _query(filters), commit=COMMIT)
    for fmt in ("md", "csv", "json"):
        with page.expect_download() as info:
            page.locator(f".rkb-builder button[data-rkb-download='{fmt}']").click()
        assert info.value.suggested_filename == f"{site.scenario}-checklist.{fmt}"
        data = Path(info.value.path()).read_bytes()
        assert data == export(checklist, fmt, {items[0]}).encode("utf-8"), fmt


def test_no_external_requests(site: BuiltSite, page: Page) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(_scenario_url(site))
    page.goto(f"{site.base}checklists/index.html")
    page.wait_for_load_state("networkidle")
    outside = [url for url in requested if not url.startswith((site.base, "blob:", "data:"))]
    assert outside == []


def _save(name: str, data: bytes) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(data)
    return path


def _pdf_text_and_png(pdf: Path, stem: str) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / stem)], check=True)
    pngs = sorted(ARTIFACTS.glob(f"{stem}*.png"))
    assert pngs and pngs[0].stat().st_size > 10_000  # a page with content, not a blank one
    return " ".join(text.split())


def test_print_to_pdf_renders_the_checklist(site: BuiltSite, page: Page, tmp_path: Path) -> None:
    checklist = compose(site.checked, Query(scenario=site.scenario), commit=COMMIT)
    page.goto(_scenario_url(site))
    page.locator("input.rkb-box").nth(0).check()
    _save("checklist-page.png", page.screenshot(full_page=False))
    page.emulate_media(media="print")
    pdf = _save("checklist-page.pdf", page.pdf(format="A4", print_background=True))
    text = _pdf_text_and_png(pdf, "checklist-page")
    assert checklist.items[0].text.split()[0] in text
    assert f"Stage {checklist.stages[0].order}" in text
    assert "Reset" not in text and "Download" not in text  # the toolbar's buttons are not printed

    standalone = tmp_path / "checklist.html"
    result = run_cli(["checklist", site.scenario, "--kb", str(site.kb), "--format", "html", "-o", str(standalone)])
    assert result.exit_code == 0
    page.emulate_media(media="screen")
    page.goto(standalone.as_uri())
    _save("checklist-export.png", page.screenshot(full_page=False))
    page.emulate_media(media="print")
    pdf = _save("checklist-export.pdf", page.pdf(format="A4", print_background=True))
    text = _pdf_text_and_png(pdf, "checklist-export")
    assert f"Checklist: {checklist.title}" in text
    assert " ".join(checklist.items[0].text.split()[:4]) in text
    assert checklist.items[0].uid in text
    assert f"{checklist.site_url}practices/{checklist.items[0].practice}.html"[:40] in text  # printed link targets
    builder = page.context.new_page()
    builder.goto(f"{site.base}checklists/index.html#target=tflite")
    builder.locator(".rkb-builder").evaluate("el => el.scrollIntoView()")
    _save("checklist-builder.png", builder.screenshot(full_page=False))
    builder.close()


def test_builder_keeps_its_filters_when_the_table_of_contents_is_used(site: BuiltSite, page: Page) -> None:
    page.goto(f"{site.base}checklists/index.html")
    page.select_option("select[name='trains']", "false")
    page.locator("input[name='essential']").check()
    command = page.locator(".rkb-builder__command")
    kept = command.inner_text()
    items = _builder_items(page)
    assert "--essential" in kept and "trains=false" in page.url
    page.locator("a[href='#build-your-own']:visible").first.click()
    page.wait_for_url("**#build-your-own")
    expect(command).to_have_text(kept)
    assert _builder_items(page) == items
    assert page.locator("input[name='essential']").is_checked()
    assert page.locator("select[name='trains']").input_value() == "false"
