"""The builder page's selector and downloads (checklist.js) against the CLI, run in Node.

docs/assets/checklist/checklist.js exports its pure functions when loaded as
a CommonJS module, so the same code the page runs composes every scenario,
with and without filters, context options and the essential toggle, from
the generated builder data (``checklists/index.data.js``); items and the Markdown, CSV and JSON downloads
must equal ``compose`` and ``export`` byte for byte. (The browser tests
drive the page itself.)
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from generator import urls as paths
from generator.checklist.compose import Checklist, Item, Query, Selection, compose, compose_selection
from generator.checklist.export import export, item_entry, md_details
from generator.markup import gfm_text, markdown_inline
from generator.pipeline import Checked, check_folder
from generator.render.checklists import render_checklist_pages
from tests.checklist_kb import SITUATIONAL, checked_kb, practice
from tests.conftest import ROOT

# Node.js is a test requirement: `make browser-deps` (part of `make test`) installs it.
NODE = shutil.which("node")
assert NODE is not None, "Node.js is not installed; run 'make browser-deps'"
SCRIPT = ROOT / "docs" / "assets" / "checklist" / "checklist.js"
COMMIT = "c0ffee" * 6 + "c0ff"
RUNNER = """
const c = require(process.argv[1]);
global.window = {};
require(process.argv[2]);  // the data script, as the page loads it
const index = window.rkbChecklistData.builder;
const forms = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
process.stdout.write(JSON.stringify(forms.map(f => {
  const cl = c.composeChecklist(index, f);
  const done = {};
  (f.done || []).forEach(u => { done[u] = true; });
  return {items: cl.entries.map(e => e.item.uid), files: Object.fromEntries(
    ["md", "csv", "json"].map(fmt => [fmt, c.exportText(index, cl, fmt, done)]))};
})));
"""

#: Form field -> Query field, for the single-valued selects.
_MULTI = {
    "paradigm": "paradigms",
    "stage": "stages",
    "hardware": "hardware",
    "tag": "tags",
    "precision": "precision",
    "model_family": "model_family",
}


def query_of(form: dict[str, Any]) -> Query:
    """The CLI query a builder form means (the same mapping the page's command line shows)."""
    flags = {
        name: {"true": True, "false": False}.get(form.get(name, ""))
        for name in ("trains", "reference_code", "reference_weights", "multi_device")
    }
    return Query(
        scenario=form.get("scenario") or None,
        source=form.get("source") or None,
        target=form.get("target") or None,
        importance="essential" if form.get("essential") else None,
        **{_MULTI[k]: (v,) for k, v in form.items() if k in _MULTI and v},
        **flags,  # type: ignore[arg-type]
    )


def run_builder(checked: Checked, forms: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, Any]]:
    index = tmp_path / "index.data.js"
    index.write_text(str(render_checklist_pages(checked, COMMIT)[paths.CHECKLISTS_DATA]), encoding="utf-8")
    (tmp_path / "forms.json").write_text(json.dumps(forms), encoding="utf-8")
    result = subprocess.run(
        [str(NODE), "-e", RUNNER, str(SCRIPT), str(index), str(tmp_path / "forms.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def assert_same(checked: Checked, forms: list[dict[str, Any]], tmp_path: Path) -> None:
    for form, got in zip(forms, run_builder(checked, forms, tmp_path), strict=True):
        checklist = compose(checked, query_of(form), commit=COMMIT)
        assert got["items"] == [i.uid for i in checklist.items], form
        done = set(form.get("done", []))
        for fmt in ("md", "csv", "json"):
            assert got["files"][fmt] == export(checklist, fmt, done), (form, fmt)


def forms_for(checked: Checked) -> list[dict[str, Any]]:
    scenarios = sorted(e.id for e in checked.kb.of_type("scenario"))
    stages = sorted(e.id for e in checked.kb.of_type("stage"))
    families = sorted(checked.kb.vocabulary.model_families) if checked.kb.vocabulary else []
    forms: list[dict[str, Any]] = [{}, {"essential": "1"}, {"trains": "true"}, {"reference_code": "false"}]
    forms += [{"precision": "int8", "trains": "false", "target": "tflite"}, {"stage": stages[0], "essential": "1"}]
    # ad-hoc ports: the short list is ranked, not read from a scenario
    forms += [
        {"source": "tensorflow", "target": "onnx-runtime", "hardware": "cpu", "trains": "false", "essential": "1"},
        {"source": "pytorch", "target": "tflite", "hardware": "mobile", "precision": "int8", "essential": "1"},
        {"target": "onnx-runtime", "reference_weights": "true"},
    ]
    # a port's own major items (narrow lists) rank with the blockers every port shares, a class's do not: ports
    # whose short lists differ under the two rules (the real KB's vocabulary)
    if checked.kb.vocabulary and {"jax", "gpu"} <= set(checked.kb.vocabulary.frameworks) | set(
        checked.kb.vocabulary.hardware
    ):
        forms += [
            {
                "source": "pytorch",
                "target": "jax",
                "hardware": "tpu",
                "precision": "bf16",
                "trains": "true",
                "essential": "1",
            },
            {"source": "pytorch", "target": "pytorch", "hardware": "gpu", "trains": "true", "essential": "1"},
        ]
    # the situation keys: a situational practice's items reach a short list only when the query states them
    forms += [
        {"source": "pytorch", "target": "pytorch", "trains": "true", "multi_device": "true"},
        {"target": "tflite", "trains": "true", "multi_device": "true", "essential": "1"},
        {"target": "tflite", "multi_device": "false", "essential": "1"},
    ]
    for family in families:
        forms += [
            {"model_family": family},
            {"source": "pytorch", "target": "onnx-runtime", "model_family": family, "essential": "1"},
            {"target": "tflite", "multi_device": "true", "model_family": family, "essential": "1"},
        ]
    for sid in scenarios:
        forms += [
            {"scenario": sid},
            {"scenario": sid, "essential": "1"},
            {"scenario": sid, "trains": "true", "reference_code": "false", "reference_weights": "true"},
            {"scenario": sid, "trains": "false", "precision": "int8", "hardware": "mobile"},
            {"scenario": sid, "stage": stages[-1], "target": "tflite"},
            {"scenario": sid, "multi_device": "true", "model_family": families[0], "essential": "1"},
        ]
    return forms


TRAINING = practice(
    "train-briefly",
    """
title: Train briefly after the port
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
applies_when: {target: [onnx-runtime, tflite]}
checklist:
  - id: overfit-one-batch
    text: Overfit one batch to check that gradients flow after the port.
    how: "Run `trainer.fit(limit_train_batches=1)` | and check <b>loss</b>."
    done_when: "=Loss below 0.01 (rule of thumb: a working model memorises one batch)."
    severity: major
    effort: hours
    docs:
      - title: "Trainer docs [x](y) *z*"
        url: https://example.org/a_(b)
    failures: [https://github.com/o/r/issues/7]
    applies_when: {trains: true}
  - id: calibrate-int8
    text: Calibrate the int8 model on a representative dataset.
    applies_when: {precision: [int8], reference_weights: true}
""",
)


def test_builder_matches_the_cli_on_the_fixture_kb(tmp_path: Path) -> None:
    scenario = "scenarios/pytorch-to-onnx-runtime.yaml"
    from tests.checklist_kb import FILES

    checked = checked_kb(
        {
            "practices/train-briefly.yaml": TRAINING,
            "practices/several-gpus.yaml": SITUATIONAL,
            scenario: FILES[scenario]
            + "essential: [compare-converted-outputs/record-tolerance, pin-environment/lock-file]\n"
            + "order: [testing, implementation, analysis]\n",
        }
    )
    assert [f.code for f in checked.findings] == []
    forms = forms_for(checked)
    forms.append({"scenario": "pytorch-to-onnx-runtime", "done": ["pin-environment/lock-file"]})
    assert_same(checked, forms, tmp_path)
    # The forms reach both sides of the situation rule.
    stated = {"target": "tflite", "multi_device": "true", "model_family": "cnn", "essential": "1"}
    short = {i.uid for i in compose(checked, query_of(stated)).items}
    assert {"several-gpus/blocker-on-several-gpus", "several-gpus/blocker-for-cnns-on-several-gpus"} <= short
    short = {i.uid for i in compose(checked, query_of({"target": "tflite", "essential": "1"})).items}
    assert not {uid for uid in short if uid.startswith("several-gpus/")}


HOSTILE = practice(
    "hostile-signs",
    """
title: "\\u202e=1+1 hidden sign before a formula"
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
checklist:
  - id: full-width-equals
    text: "\\uff1dHYPERLINK(1) with a full-width equals sign"
  - id: minus-sign
    text: "\\u2212 1+1 with a minus sign, \\U0001f468\\u200d\\U0001f469 and \\u202ehidden"
    how: "\\ufe62 small-form plus, \\u2066isolated text\\u2069"
    done_when: "\\u200b=1+1 behind a zero-width space"
""",
)


def test_builder_downloads_guard_formulas_and_drop_hidden_characters_as_the_cli_does(tmp_path: Path) -> None:
    """Full-width and small-form formula signs, and bidi or zero-width characters before a sign.

    The builder wrote its CSV with an ASCII-only formula guard and from raw entry
    text: '\uff1dHYPERLINK' and '\u202e=1+1' reached the cells unquoted, and the
    JSON kept the hidden characters the CLI's exports drop.
    """
    checked = checked_kb({"practices/hostile-signs.yaml": HOSTILE})
    assert [f.code for f in checked.findings if f.severity.value == "error"] == []
    forms = [{}, {"target": "onnx-runtime"}, {"stage": "testing"}]
    assert_same(checked, forms, tmp_path)


def test_builder_matches_the_cli_on_every_real_scenario(tmp_path: Path) -> None:
    checked = check_folder(ROOT / "kb")
    assert_same(checked, forms_for(checked), tmp_path)


EXPAND = """
const c = require(process.argv[1]);
global.window = {};
require(process.argv[2]);
const index = c.expandIndex(window.rkbChecklistData.builder);
process.stdout.write(JSON.stringify(index.practices.flatMap(p => p.items)));
"""
#: Text with Markdown, HTML, Markdown escapes and failure links, for every field the builder rebuilds.
HOSTILE_ITEMS = practice(
    "hostile-items",
    """
title: "Hostile *items* | [x](y)"
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
checklist:
  - id: marked-up
    text: "Use `a|b` and <script>alert(1)</script> & **bold** [link](https://x.example/) \\"q\\""
    how: "Plain how, no markup"
    done_when: "Done <when> & `code` *emph*"
    checked_with: "torch 2.5 | *x*"
    docs:
      - title: "Plain docs"
        url: https://example.org/plain
      - title: "Docs [x](y) *z* #1"
        url: https://example.org/a_(b)
    failures: [https://github.com/o/r/issues/7, https://www.example.org/x/]
  - id: plain
    text: Nothing to escape here.
""",
)


def expanded_items(checked: Checked, tmp_path: Path) -> list[dict[str, Any]]:
    index = tmp_path / "index.data.js"
    index.write_text(str(render_checklist_pages(checked, COMMIT)[paths.CHECKLISTS_DATA]), encoding="utf-8")
    result = subprocess.run(
        [str(NODE), "-e", EXPAND, str(SCRIPT), str(index)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def full_item(cl: Checklist, item: Item) -> dict[str, Any]:
    """An item with every field the page and the downloads read, as the builder's data once stored it."""
    return {
        "uid": item.uid,
        "html": str(markdown_inline(item.text)),
        "how_html": f"<strong>How:</strong> {markdown_inline(item.how)}" if item.how else "",
        "done_html": f"<strong>Done when:</strong> {markdown_inline(item.done_when)}" if item.done_when else "",
        "export": item_entry(cl, item),
        "md": gfm_text(item.text),
        "md_details": "".join(md_details(item, facts=False)),
    }


def test_the_builder_rebuilds_every_item_field_from_its_data(tmp_path: Path) -> None:
    for checked in (checked_kb({"practices/hostile-items.yaml": HOSTILE_ITEMS}), check_folder(ROOT / "kb")):
        assert [f for f in checked.findings if f.severity == "error"] == []
        practices = tuple(sorted(p.id for p in checked.kb.of_type("practice")))
        every = compose_selection(checked, Query(), Selection(include=practices), commit=COMMIT)
        expected = sorted((full_item(every, i) for i in every.items), key=lambda i: i["uid"])
        got = sorted(expanded_items(checked, tmp_path), key=lambda i: i["uid"])
        assert [i["uid"] for i in got] == [i["uid"] for i in expected]
        for mine, theirs in zip(got, expected, strict=True):
            assert mine == theirs, mine["uid"]


def test_the_tag_filter_offers_only_tags_a_practice_carries() -> None:
    from generator.render.checklists import builder_index

    checked = checked_kb({})
    offered = {t["id"] for t in builder_index(checked)["tags"]}
    carried = {t for p in checked.kb.of_type("practice") for t in p.tags}  # type: ignore[attr-defined]
    vocabulary = set(checked.kb.vocabulary.all_terms())  # type: ignore[union-attr]
    assert offered == carried and offered < vocabulary  # e.g. the fixture's 'cnn' model family tags no practice
