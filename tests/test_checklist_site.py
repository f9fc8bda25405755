"""The checklist pages the site renders (checked as text; the browser tests drive them)."""

from __future__ import annotations

import html
import json
import re

import pytest

from generator import urls as paths
from generator.checklist.compose import Query, compose
from generator.checklist.export import Slot, fill, templates
from generator.markup import markdown_text
from generator.render import BuildInfo, render_build
from generator.render.checklists import data_json, render_checklist_pages
from tests.checklist_kb import checked_kb, practice

COMMIT = "feedface" * 5
SCENARIOS = ["pytorch-to-onnx-runtime", "reproduce-paper", "tensorflow-to-tflite-mobile"]


@pytest.fixture(scope="module")
def kb():
    return checked_kb()


@pytest.fixture(scope="module")
def files(kb):
    return render_checklist_pages(kb, COMMIT)


def embedded(page: str, cls: str) -> dict:
    match = re.search(rf'<div class="{cls}" hidden data-rkb-json="([^"]*)"></div>', page)
    assert match, f"{cls} block missing"
    return json.loads(html.unescape(match.group(1)))


def page_data(page: str) -> dict:
    return embedded(page, "rkb-data")


def test_paths_do_not_collide_with_scenario_entity_pages(files) -> None:
    assert sorted(files) == sorted(
        [paths.checklist_path(s) for s in SCENARIOS] + [paths.CHECKLISTS_INDEX, paths.CHECKLISTS_JSON]
    )
    assert not any(p.startswith("scenarios/") for p in files)
    assert paths.checklist_url("x-y") == "checklists/x-y.html"


def test_site_build_includes_the_checklist_pages_with_the_given_commit(kb) -> None:
    built = render_build(kb, BuildInfo(commit="c0ffee" * 6 + "c0ff"))
    page = built["checklists/pytorch-to-onnx-runtime.md"]
    assert isinstance(page, str) and "c0ffeec0ffee" in page


def test_every_item_has_a_labelled_checkbox(files, kb) -> None:
    page = files["checklists/pytorch-to-onnx-runtime.md"]
    checklist = compose(kb, Query(scenario="pytorch-to-onnx-runtime"))
    boxes = re.findall(
        r'<input type="checkbox" class="rkb-box" id="([^"]+)" data-rkb-scope="pytorch-to-onnx-runtime" '
        r'data-rkb-item="([^"]+)"><label for="([^"]+)">([^<]+)</label>',
        page,
    )
    assert [b[1] for b in boxes] == [i.uid for i in checklist.items]
    assert all(b[0] == b[2] for b in boxes)
    assert len({b[0] for b in boxes}) == len(boxes)
    assert [html.unescape(b[3]) for b in boxes] == [i.text for i in checklist.items]


def test_page_has_progress_reset_and_downloads(files) -> None:
    page = files["checklists/tensorflow-to-tflite-mobile.md"]
    assert page.startswith('---\ntitle: "Checklist: TensorFlow to TFLite on mobile"\n')
    assert '<progress class="rkb-progress__bar" max="3" value="0" aria-label="Checklist progress">' in page
    for control in ('data-rkb-action="reset"', 'data-rkb-download="md"', 'data-rkb-download="csv"'):
        assert control in page
    assert 'data-rkb-download="json"' in page
    assert "## Stage 3: Testing" in page
    assert '<a href="../practices/compare-converted-outputs.html">Compare converted outputs</a>' in page
    assert '<a href="../scenarios/tensorflow-to-tflite-mobile.html">About this scenario</a>' in page
    assert '<a href="../references.html#ref-doe2024study">doe2024study</a>' in page


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_page_downloads_are_the_cli_exports(files, kb, scenario: str) -> None:
    data = page_data(files[paths.checklist_path(scenario)])
    checklist = compose(kb, Query(scenario=scenario), commit=COMMIT)
    assert data["scope"] == scenario
    assert data["items"] == [i.uid for i in checklist.items]
    done = set(data["items"][::2])
    for fmt, parts in templates(checklist).items():
        file = data["files"][fmt]
        assert file["name"] == f"{scenario}-checklist.{fmt}"
        rebuilt = tuple(Slot(p["slot"]) if isinstance(p, dict) else p for p in file["parts"])
        assert rebuilt == parts
        assert fill(rebuilt, fmt, done) == fill(parts, fmt, done)


def test_hostile_text_is_escaped_on_pages() -> None:
    body = """
title: "</script><script>alert(1)</script> | x"
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
checklist:
  - id: sneaky
    text: "Close </script><img src=x onerror=alert(1)> and <!-- comment"
"""
    kb = checked_kb(
        {
            "practices/sneaky.yaml": practice("sneaky", body),
            "stages/testing.yaml": checked_kb()
            .kb.sources["testing"]
            .text.replace("title: Testing", 'title: "Testing *now* <b>{: .x}</b> #"'),
        }
    )
    files = render_checklist_pages(kb, COMMIT)
    page = files["checklists/pytorch-to-onnx-runtime.md"]
    assert "<script" not in page
    assert "<img" not in page and "<b>" not in page and "<!-- comment" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; | x" in page
    assert r"## Stage 3: Testing \*now\* &lt;b&gt;\{: \.x\}&lt;/b&gt; \#" in page
    data = page_data(page)  # still parses: the JSON escapes < > &
    assert "sneaky/sneaky" in data["items"]
    index = files["checklists/index.md"]
    assert "<script" not in index
    assert "<img" not in index


def test_data_json_is_compact_ascii() -> None:
    text = data_json({"b": "</x> \u2028 é", "a": 1})
    assert text == '{"a":1,"b":"</x> \\u2028 \\u00e9"}'
    assert json.loads(text) == {"a": 1, "b": "</x> \u2028 é"}


def test_heading_text() -> None:
    assert markdown_text("A *b* [c](d) <e> #") == r"A \*b\* \[c\]\(d\) &lt;e&gt; \#"
    assert markdown_text("two\nlines") == "two lines"


def test_builder_index(files, kb) -> None:
    index = json.loads(files[paths.CHECKLISTS_JSON])
    assert embedded(files["checklists/index.md"], "rkb-index") == index
    assert [s["id"] for s in index["stages"]] == ["analysis", "implementation", "testing"]
    assert {f["id"] for f in index["frameworks"]} == {"onnx", "onnx-runtime", "pytorch", "tensorflow", "tflite"}
    practices = {p["id"]: p for p in index["practices"]}
    assert practices["old-practice"]["deprecated"] is True
    assert practices["profile-on-device"]["hardware"] == ["mobile"]
    assert practices["compare-converted-outputs"]["href"] == "../practices/compare-converted-outputs.html"
    assert practices["pin-environment"]["items"][0] == {
        "uid": "pin-environment/pin-versions",
        "key": "Record the exact versions of every dependency.",
        "html": "Record the exact versions of every dependency.",
    }
    scenarios = {s["id"]: s for s in index["scenarios"]}
    assert scenarios["reproduce-paper"]["items"] == [
        i.uid for i in compose(kb, Query(scenario="reproduce-paper")).items
    ]
    assert scenarios["reproduce-paper"]["href"] == "reproduce-paper.html"


def test_index_page_lists_scenarios_and_the_builder(files) -> None:
    page = files[paths.CHECKLISTS_INDEX]
    assert '<a href="pytorch-to-onnx-runtime.html">PyTorch to ONNX Runtime</a>' in page
    assert "<td>PyTorch</td><td>ONNX Runtime on CPU</td>" in page
    assert "<td>TensorFlow</td><td>TensorFlow Lite on Mobile phone</td>" in page
    for name in ("paradigm", "stage", "source", "target", "hardware", "tag"):
        assert f'<select name="{name}">' in page
    assert "## Build your own" in page


def test_rendering_is_deterministic(kb, files) -> None:
    assert render_checklist_pages(kb, COMMIT) == files


def test_no_scenarios(kb) -> None:
    edits: dict[str, str | None] = {f"scenarios/{s}.yaml": None for s in SCENARIOS}
    files = render_checklist_pages(checked_kb(edits), COMMIT)
    assert sorted(files) == [paths.CHECKLISTS_JSON, paths.CHECKLISTS_INDEX]
    assert "No scenario yet" in files[paths.CHECKLISTS_INDEX]
