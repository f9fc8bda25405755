"""The checklist pages the site renders (checked as text; the browser tests drive them)."""

from __future__ import annotations

import html
import json
import re

import pytest

from generator import urls as paths
from generator.checklist.compose import Query, compose
from generator.markup import markdown_text
from generator.render import BuildInfo, render_build
from generator.render.checklists import data_json, render_checklist_pages
from generator.validate.selection import scenario_selection
from tests.checklist_kb import checked_kb, practice

COMMIT = "feedface" * 5
SCENARIOS = ["pytorch-to-onnx-runtime", "reproduce-paper", "tensorflow-to-tflite-mobile"]


@pytest.fixture(scope="module")
def kb():
    return checked_kb()


@pytest.fixture(scope="module")
def files(kb):
    return render_checklist_pages(kb, COMMIT)


def loaded(script: str, name: str) -> dict:
    """The data a page's on-demand script registers under ``name``."""
    prefix = f"(window.rkbChecklistData = window.rkbChecklistData || {{}})[{json.dumps(name)}] = "
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix) : -2])


def page_data(files: dict, scenario: str) -> dict:
    """The data a checklist page loads on demand: the builder's, and this scenario's entry in it."""
    page = files[paths.checklist_path(scenario)]
    match = re.search(r'<div class="rkb-data" hidden data-rkb-scope="([^"]+)" data-rkb-src="([^"]+)"></div>', page)
    assert match and match.group(1) == scenario
    assert f"checklists/{match.group(2)}" == paths.CHECKLISTS_DATA
    index = loaded(files[paths.CHECKLISTS_DATA], "builder")
    return next(s for s in index["scenarios"] if s["id"] == scenario)


def test_paths_do_not_collide_with_scenario_entity_pages(files) -> None:
    assert sorted(files) == sorted(
        [paths.checklist_path(s) for s in SCENARIOS] + [paths.CHECKLISTS_INDEX, paths.CHECKLISTS_DATA]
    )
    assert not any(p.startswith("scenarios/") for p in files)
    assert paths.checklist_url("x-y") == "checklists/x-y.html"


def test_site_build_includes_the_checklist_pages_with_the_given_commit(kb) -> None:
    built = render_build(kb, BuildInfo(commit="c0ffee" * 6 + "c0ff"))
    data = built[paths.CHECKLISTS_DATA]
    assert isinstance(data, str) and "c0ffeec0ffee" in data


def test_every_item_has_a_labelled_checkbox(files, kb) -> None:
    page = files["checklists/pytorch-to-onnx-runtime.md"]
    checklist = compose(kb, Query(scenario="pytorch-to-onnx-runtime"))
    # The box does not repeat the scenario (the page names it once) or the item id (shown beside it).
    boxes = re.findall(
        r'<input type="checkbox" class="rkb-box" id="([^"]+)"><label for="([^"]+)">([^<]+)</label> '
        r'<code class="rkb-uid">([^<]+)</code>',
        page,
    )
    assert [b[3] for b in boxes] == [i.uid for i in checklist.items]
    assert all(b[0] == b[1] for b in boxes)
    assert len({b[0] for b in boxes}) == len(boxes)
    assert [html.unescape(b[2]) for b in boxes] == [i.text for i in checklist.items]
    assert page.count('data-rkb-scope="pytorch-to-onnx-runtime"') == 1


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
def test_page_downloads_come_from_the_builder_data(files, kb, scenario: str) -> None:
    # The builder's downloads for a scenario are the CLI's: tests/test_checklist_builder.py.
    # The data holds the scenario's selection; the builder composes its items from it.
    data = page_data(files, scenario)
    assert data["selection"] == scenario_selection(kb.kb.entities[scenario]).as_dict()
    assert "items" not in data


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
    data = page_data(files, "pytorch-to-onnx-runtime")  # still parses: the JSON escapes < > &
    script = files[paths.CHECKLISTS_DATA]
    assert "<" not in script and ">" not in script
    assert data["id"] == "pytorch-to-onnx-runtime"
    assert "sneaky/sneaky" in {i["uid"] for p in loaded(script, "builder")["practices"] for i in p["items"]}
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
    index = loaded(files[paths.CHECKLISTS_DATA], "builder")
    assert '<div class="rkb-index" hidden data-rkb-src="index.data.js"></div>' in files[paths.CHECKLISTS_INDEX]
    # One copy of the builder's data: no indented index.json beside the script.
    assert not any(path.endswith(".json") for path in files)
    assert [s["id"] for s in index["stages"]] == ["analysis", "implementation", "testing"]
    assert {f["id"] for f in index["frameworks"]} == {"onnx", "onnx-runtime", "pytorch", "tensorflow", "tflite"}
    assert index["model_families"] == [{"id": "cnn", "label": "Convolutional network"}]
    practices = {p["id"]: p for p in index["practices"]}
    assert practices["old-practice"]["deprecated"] is True
    assert practices["profile-on-device"]["applies_when"] == {
        "hardware": ["mobile"],
        "model_family": [],
        "multi_device": None,
        "precision": [],
        "reference_code": None,
        "reference_weights": None,
        "source": [],
        "target": ["tflite"],
        "trains": None,
    }
    assert practices["compare-converted-outputs"]["href"] == "../practices/compare-converted-outputs.html"
    # Each fact once (checklist.js rebuilds the export entries, HTML and Markdown: tests/test_checklist_builder.py).
    first = practices["pin-environment"]["items"][0]
    assert first == {"uid": "pin-environment/pin-versions", "text": "Record the exact versions of every dependency."}
    compare = practices["compare-converted-outputs"]
    assert compare["evidence"] == ["doe2024study"] and compare["addresses"] == ["converter-failures"]
    item = compare["items"][0]
    assert item["as_html"]["how"].startswith("Run both on the same batch with <code>")
    assert item["how"].startswith("Run both on the same batch with `onnxruntime")
    assert "how" not in item["as_md"]  # its Markdown is its text
    assert "status" not in item and "essential" not in item and "applies_when" not in item
    scenarios = {s["id"]: s for s in index["scenarios"]}
    assert scenarios["reproduce-paper"]["href"] == "reproduce-paper.html"
    assert scenarios["pytorch-to-onnx-runtime"]["selection"]["trains"] is False
    assert index["kb"]["commit"] == COMMIT


def test_index_page_lists_scenarios_and_the_builder(files) -> None:
    page = files[paths.CHECKLISTS_INDEX]
    assert '<a href="pytorch-to-onnx-runtime.html">PyTorch to ONNX Runtime</a>' in page
    assert '<td data-label="From">PyTorch</td><td data-label="To">ONNX Runtime on CPU</td>' in page
    assert '<td data-label="From">TensorFlow</td><td data-label="To">TensorFlow Lite on Mobile phone</td>' in page
    for name in ("scenario", "paradigm", "stage", "source", "target", "hardware", "tag", "precision", "trains"):
        assert f'<select name="{name}">' in page
    for name in ("reference_code", "reference_weights", "multi_device", "model_family"):
        assert f'<select name="{name}">' in page
    assert '<option value="cnn">Convolutional network</option>' in page
    assert '<option value="true">Several</option><option value="false">One</option>' in page
    assert '<input type="checkbox" name="essential" value="1">' in page
    for fmt in ("md", "csv", "json"):
        assert f'data-rkb-download="{fmt}"' in page
    assert "## Build your own" in page


def test_rendering_is_deterministic(kb, files) -> None:
    assert render_checklist_pages(kb, COMMIT) == files


def test_no_scenarios(kb) -> None:
    edits: dict[str, str | None] = {f"scenarios/{s}.yaml": None for s in SCENARIOS}
    files = render_checklist_pages(checked_kb(edits), COMMIT)
    assert sorted(files) == [paths.CHECKLISTS_DATA, paths.CHECKLISTS_INDEX]
    assert "No scenario yet" in files[paths.CHECKLISTS_INDEX]


def test_scenario_page_shows_how_done_when_links_severity_and_effort(files) -> None:
    page = files["checklists/pytorch-to-onnx-runtime.md"]
    item = page[page.index('<code class="rkb-uid">compare-converted-outputs/compare-outputs</code>') :]
    item = item[: item.index("</li>")]
    assert (
        '<p class="rkb-how"><strong>How:</strong> Run both on the same batch with '
        "<code>onnxruntime.InferenceSession(path)</code> and call <code>numpy.testing.assert_allclose</code>.</p>"
    ) in item
    assert (
        '<p class="rkb-done-when"><strong>Done when:</strong> The comparison passes at the recorded tolerance' in item
    )
    assert '<p class="rkb-checked-with">Checked with: torch 2.5, onnxruntime 1.20</p>' in item
    assert '<a href="https://onnxruntime.ai/docs/api/python/api_summary.html">ONNX Runtime: Python API</a>' in item
    assert '<a href="https://github.com/pytorch/pytorch/issues/1">pytorch/pytorch#1</a>' in item
    facts = re.findall(r'<span class="rkb-fact[^"]*">([^<]+)</span>', item)
    assert facts == ["essential", "severity: blocker", "effort: hours"]
    assert "\n\n" not in page[page.index('<ul class="rkb-items">') :].split("</ul>")[0]  # one HTML block


def test_hostile_item_details_are_escaped_on_pages() -> None:
    body = """
title: Hostile details
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
checklist:
  - id: details
    text: Check the details of this item.
    how: "Run `<b>code</b>` then <img src=x onerror=alert(1)>"
    done_when: "When <script>alert(1)</script> is gone."
    checked_with: "<i>tool</i> 1.0"
    docs:
      - title: "<script>alert(2)</script>"
        url: https://example.org/a?b=1&c=2
"""
    kb = checked_kb({"practices/hostile-details.yaml": practice("hostile-details", body)})
    page = render_checklist_pages(kb, COMMIT)["checklists/pytorch-to-onnx-runtime.md"]
    assert "<img" not in page and "<script>alert" not in page and "<i>tool" not in page
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in page
    assert '<a href="https://example.org/a?b=1&amp;c=2">&lt;script&gt;alert(2)&lt;/script&gt;</a>' in page


def test_scenario_entity_page_shows_its_context(kb) -> None:
    page = render_build(kb, BuildInfo(commit=COMMIT))["scenarios/pytorch-to-onnx-runtime.md"]
    assert isinstance(page, str)
    assert (
        '<dt>Context</dt><dd><span class="kb-chip kb-chip--text">inference only</span>'
        '<span class="kb-chip kb-chip--text">reference code available</span>'
        '<span class="kb-chip kb-chip--text">reference weights available</span></dd>'
    ) in page
    assert '<dt>Precision</dt><dd><span class="kb-chip kb-chip--text">fp32</span></dd>' in page


def test_practice_page_items_show_how_and_done_when(kb) -> None:
    page = render_build(kb, BuildInfo(commit=COMMIT))["practices/compare-converted-outputs.md"]
    assert isinstance(page, str)
    item = page[page.index('<li id="item-compare-outputs">') :]
    item = item[: item.index("</li>")]
    assert (
        "<strong>How:</strong> Run both on the same batch with <code>onnxruntime.InferenceSession(path)</code>" in item
    )
    assert re.findall(r'<span class="rkb-fact[^"]*">([^<]+)</span>', item) == ["severity: blocker", "effort: hours"]
    assert '<a href="https://github.com/pytorch/pytorch/issues/1">pytorch/pytorch#1</a>' in item
