"""Checklist exports: Markdown, CSV, JSON, HTML, including hostile entry text."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.checklist.compose import Query, Selection, compose, compose_selection
from generator.checklist.export import (
    CSV_COLUMNS,
    Slot,
    export,
    fill,
    item_entry,
    markdown_template,
    to_csv,
    to_json,
    to_markdown,
)
from generator.checklist.html import to_html
from generator.checklist.schema import ChecklistExport, ItemModel
from generator.checklist.status import parse_checklist, parse_markdown
from generator.markup import csv_cell, csv_uncell, gfm_text
from generator.pipeline import check_folder
from generator.render.exports import json_schemas
from tests.checklist_kb import checked_kb, practice

COMMIT = "0123456789abcdef0123456789abcdef01234567"
ROOT = Path(__file__).resolve().parents[2]

HOSTILE_TITLE = '=HYPERLINK(\\"http://evil.example\\",\\"x\\") | cell |\\nnew line'
HOSTILE_ITEMS = {
    "forge": "Tick this | and that\\n- [x] forged item <!-- item: forged/item -->",
    "dde": "+cmd|' /C calc'!A0 is what a spreadsheet would run",
    "at-sign": "@SUM(1+1)*cmd|' /C calc'!A0 also runs",
    "minus": "-2+3 looks like a formula too",
    "tab": "\\tTab first, then text",
    "markup": "Use `a|b` and <script>alert(1)</script> and **bold** [link](https://x.example/)",
}
HOSTILE = practice(
    "hostile-practice",
    f"""
title: "{HOSTILE_TITLE}"
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
checklist:
"""
    + "".join(f'  - id: {key}\n    text: "{text}"\n' for key, text in HOSTILE_ITEMS.items()),
)


@pytest.fixture(scope="module")
def checklist():  # the fixture scenario, stamped with a fixed commit
    return compose(checked_kb(), Query(scenario="pytorch-to-onnx-runtime"), commit=COMMIT)


@pytest.fixture(scope="module")
def hostile():
    kb = checked_kb({"practices/hostile-practice.yaml": HOSTILE})
    return compose(kb, Query(scenario="pytorch-to-onnx-runtime"), commit=COMMIT)


EXPECTED_MD = f"""\
<!-- reengineering-kb checklist | query: scenario=pytorch-to-onnx-runtime | kb: 1.2.3 | commit: {COMMIT} -->
## Checklist: PyTorch to ONNX Runtime

Export a PyTorch model to ONNX and serve it with ONNX Runtime on a CPU.

4 items in 2 stages, from [Test Knowledge Base](https://example.org/kb/) 1.2.3 (commit `0123456789ab`), \
query `scenario=pytorch-to-onnx-runtime`.

### Stage 2: Implementation

- **[Pin the environment](https://example.org/kb/practices/pin-environment.html)** (recommended). \
Guards against: [Hidden settings](https://example.org/kb/challenges/hidden-settings.html). \
Evidence: [doe2024study](https://example.org/kb/references.html#ref-doe2024study).
  - [ ] Record the exact versions of every dependency. <!-- item: pin-environment/pin-versions -->
  - [ ] Install from a lock file in CI. <!-- item: pin-environment/lock-file -->

### Stage 3: Testing

- **[Compare converted outputs](https://example.org/kb/practices/compare-converted-outputs.html)** (essential). \
Guards against: [Converter failures](https://example.org/kb/challenges/converter-failures.html), \
[Converter produces a wrong model](https://example.org/kb/defects/converter-wrong-model.html). \
Evidence: [doe2024study](https://example.org/kb/references.html#ref-doe2024study).
  - [x] Compare original and converted outputs on real inputs. <!-- item: compare-converted-outputs/compare-outputs -->
    - How: Run both on the same batch with `onnxruntime.InferenceSession(path)` and call \
`numpy.testing.assert_allclose`.
    - Done when: The comparison passes at the recorded tolerance (doe2024study).
    - Checked with: torch 2.5, onnxruntime 1.20
    - Docs: [ONNX Runtime: Python API](https://onnxruntime.ai/docs/api/python/api_summary.html)
    - Real failures: [pytorch/pytorch\\#1](https://github.com/pytorch/pytorch/issues/1)
    - Essential; severity: blocker; effort: hours.
  - [ ] Write down the tolerance used and why it is acceptable. \
<!-- item: compare-converted-outputs/record-tolerance -->
    - Essential.
"""

EXPECTED_COMPACT_MD = f"""\
<!-- reengineering-kb checklist | query: scenario=pytorch-to-onnx-runtime | kb: 1.2.3 | commit: {COMMIT} -->
## Checklist: PyTorch to ONNX Runtime

Export a PyTorch model to ONNX and serve it with ONNX Runtime on a CPU.

4 items in 2 stages, from [Test Knowledge Base](https://example.org/kb/) 1.2.3 (commit `0123456789ab`), \
query `scenario=pytorch-to-onnx-runtime`.

### Stage 2: Implementation

- [ ] Record the exact versions of every dependency. <!-- item: pin-environment/pin-versions -->
- [x] Install from a lock file in CI. <!-- item: pin-environment/lock-file -->

### Stage 3: Testing

- [ ] Compare original and converted outputs on real inputs. <!-- item: compare-converted-outputs/compare-outputs -->
- [ ] Write down the tolerance used and why it is acceptable. <!-- item: compare-converted-outputs/record-tolerance -->
"""


def test_compact_markdown_has_only_the_boxes(checklist) -> None:
    assert to_markdown(checklist, {"pin-environment/lock-file"}, compact=True) == EXPECTED_COMPACT_MD


def test_compact_csv_and_html_have_only_the_boxes(checklist) -> None:
    rows = _rows(to_csv(checklist, {"pin-environment/lock-file"}, compact=True))
    assert rows == [
        ["id", "stage", "item", "status", "query"],
        [
            "pin-environment/pin-versions",
            "Implementation",
            "Record the exact versions of every dependency.",
            "open",
            "scenario=pytorch-to-onnx-runtime",
        ],
        [
            "pin-environment/lock-file",
            "Implementation",
            "Install from a lock file in CI.",
            "done",
            "scenario=pytorch-to-onnx-runtime",
        ],
        [
            "compare-converted-outputs/compare-outputs",
            "Testing",
            "Compare original and converted outputs on real inputs.",
            "open",
            "scenario=pytorch-to-onnx-runtime",
        ],
        [
            "compare-converted-outputs/record-tolerance",
            "Testing",
            "Write down the tolerance used and why it is acceptable.",
            "open",
            "scenario=pytorch-to-onnx-runtime",
        ],
    ]
    html = to_html(checklist, compact=True)
    assert len(re.findall(r'<input type="checkbox"', html)) == 4
    assert "How:" not in html and "Guards against" not in html and 'class="practice"' not in html
    assert export(checklist, "md", compact=True) == to_markdown(checklist, compact=True)


# JSON has no compact form (the CLI refuses --compact with json; tested with the CLI).
@pytest.mark.parametrize(
    ("fmt", "compact"),
    [("md", False), ("md", True), ("csv", False), ("csv", True), ("json", False)],
    ids=["md-full", "md-compact", "csv-full", "csv-compact", "json-full"],
)
def test_every_format_reads_back(checklist, fmt: str, compact: bool) -> None:
    done = {"pin-environment/lock-file", "compare-converted-outputs/record-tolerance"}
    filled = parse_checklist(export(checklist, fmt, done, compact=compact), f"x.{fmt}")
    assert filled.status == {i.uid: i.uid in done for i in checklist.items}
    assert filled.query == checklist.query


def test_markdown_is_a_stage_ordered_task_list_with_links(checklist) -> None:
    assert to_markdown(checklist, {"compare-converted-outputs/compare-outputs"}) == EXPECTED_MD


def test_markdown_template_slots_are_the_item_ids(checklist) -> None:
    slots = [part.uid for part in markdown_template(checklist) if isinstance(part, Slot)]
    assert slots == [i.uid for i in checklist.items]
    assert fill(markdown_template(checklist), "md") == to_markdown(checklist)


def _render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_markdown_neutralises_hostile_text(hostile) -> None:
    text = to_markdown(hostile)
    real = [i.uid for i in hostile.items]
    assert list(parse_markdown(text).status) == real  # the forged task and comment are not items
    assert "forged/item" not in parse_markdown(text).status
    task_lines = [line for line in text.splitlines() if re.match(r"^\s*- \[[ x]\] ", line)]
    assert len(task_lines) == len(real)  # one line per item: newlines in entries were collapsed
    html = _render(text)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<table" not in html  # pipes do not make a table
    assert "<strong>bold</strong>" not in html
    assert 'href="https://x.example/"' not in html  # entry links stay text
    assert "<code>a|b</code>" in html  # code spans survive
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;) | cell | new line" in html


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a | b", "a \\| b"),
        ("line\nbreak\r\nand\u2028more", "line break and more"),
        ("*em* _em_ [x](y) <b> &amp; ~s~ #1 $x$", "\\*em\\* \\_em\\_ \\[x\\](y) \\<b\\> \\&amp; \\~s\\~ \\#1 \\$x\\$"),
        ("keep `code | <b>` as is", "keep `code | <b>` as is"),
        ("a stray ` backtick", "a stray \\` backtick"),
    ],
)
def test_md_text(raw: str, escaped: str) -> None:
    assert gfm_text(raw) == escaped


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_csv_one_row_per_item_with_status(checklist) -> None:
    text = to_csv(checklist, {"pin-environment/lock-file"})
    rows = _rows(text)
    assert rows[0] == list(CSV_COLUMNS)
    assert [r[0] for r in rows[1:]] == [i.uid for i in checklist.items]
    status = {r[0]: r[CSV_COLUMNS.index("status")] for r in rows[1:]}
    assert status["pin-environment/lock-file"] == "done"
    assert list(status.values()).count("open") == 3
    first = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert first["stage"] == "Implementation"
    assert first["practice"] == "Pin the environment"
    assert first["rationale"].startswith("It catches the problem early")
    assert first["query"] == "scenario=pytorch-to-onnx-runtime"
    assert text.count("\r\n") == len(rows)  # CRLF rows (RFC 4180)


def test_csv_neutralises_formulas_and_round_trips(hostile) -> None:
    rows = _rows(to_csv(hostile))
    for row in rows:
        for cell in row:
            assert not re.match(r"[=+\-@\t\r]", cell), cell
    hostile_rows = {r[0]: dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:] if r[0].startswith("hostile")}
    assert hostile_rows["hostile-practice/forge"]["practice"].startswith("'=HYPERLINK(")
    assert hostile_rows["hostile-practice/dde"]["item"].startswith("'+cmd")
    assert hostile_rows["hostile-practice/at-sign"]["item"].startswith("'@SUM")
    assert hostile_rows["hostile-practice/minus"]["item"].startswith("'-2+3")
    assert hostile_rows["hostile-practice/tab"]["item"].startswith("'\t")
    items = {i.uid: i for i in hostile.items}
    for uid, row in hostile_rows.items():
        assert csv_uncell(row["item"]) == items[uid].text  # round trip, newlines and all
        assert csv_uncell(row["practice"]) == hostile.practices["hostile-practice"].title
    assert "\n" in hostile.practices["hostile-practice"].title


@pytest.mark.parametrize(
    "value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "'=x", "''=x", "'plain", "plain", "", "a=b", " =x"]
)
def test_csv_cell_is_reversible(value: str) -> None:
    cell = csv_cell(value)
    assert csv_uncell(cell) == value
    assert not re.match(r"[=+\-@\t\r]", cell)


def _strict_json(text: str) -> object:
    def reject(name: str) -> object:
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=reject)


def test_json_is_stamped_valid_and_deterministic(checklist) -> None:
    text = to_json(checklist, {"pin-environment/pin-versions"})
    data = _strict_json(text)
    assert isinstance(data, dict)
    assert data["kb"] == {
        "name": "Test Knowledge Base",
        "version": "1.2.3",
        "commit": COMMIT,
        "site_url": "https://example.org/kb/",
    }
    assert data["query_string"] == "scenario=pytorch-to-onnx-runtime"
    assert data["query"]["scenario"] == "pytorch-to-onnx-runtime"
    assert data["selection"]["target"] == "onnx-runtime"
    assert [(i["id"], i["status"]) for i in data["items"]] == [
        ("pin-environment/pin-versions", "done"),
        ("pin-environment/lock-file", "open"),
        ("compare-converted-outputs/compare-outputs", "open"),
        ("compare-converted-outputs/record-tolerance", "open"),
    ]
    assert data["items"][2]["detects"] == ["converter-wrong-model"]
    assert data["references"] == {"doe2024study": "https://example.org/kb/references.html#ref-doe2024study"}
    ChecklistExport.model_validate_json(text)
    assert to_json(checklist, {"pin-environment/pin-versions"}) == text
    assert "generated" not in text and "date" not in text  # no timestamps


def test_json_with_hostile_text_stays_valid(hostile) -> None:
    text = to_json(hostile, {i.uid for i in hostile.items})
    data = _strict_json(text)
    assert isinstance(data, dict)
    assert {i["status"] for i in data["items"]} == {"done"}
    assert data["entities"]["hostile-practice"]["title"] == hostile.practices["hostile-practice"].title
    ChecklistExport.model_validate_json(text)


def test_published_json_schema_is_fresh() -> None:
    name = "checklist.schema.json"
    published = (ROOT / "schemas" / name).read_text(encoding="utf-8")
    assert published == json_schemas()[name]
    schema = json.loads(published)
    assert schema["title"] == "ChecklistExport"
    assert set(schema["required"]) >= {"kb", "query", "items", "query_string"}


def test_html_is_standalone_printable_and_labelled(checklist) -> None:
    html = to_html(checklist, {"pin-environment/lock-file"})
    assert html.startswith("<!DOCTYPE html>")
    assert "@media print" in html and "@page" in html
    boxes = re.findall(r'<input type="checkbox" id="(item-\d+)"( checked)?>', html)
    assert len(boxes) == len(checklist.items)
    assert [b for b in boxes if b[1]] == [("item-2", " checked")]
    for box_id, _ in boxes:
        assert f'<label for="{box_id}">' in html
    assert not re.search(r"<(link|script|img|iframe)\b", html)  # nothing external, no script
    assert "url(" not in html and "@import" not in html
    assert "https://example.org/kb/practices/pin-environment.html" in html


def test_html_escapes_hostile_text(hostile) -> None:
    html = to_html(hostile)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<code>a|b</code>" in html
    assert 'href="https://x.example/"' in html  # entry Markdown links are rendered, sanitised


def test_export_dispatch(checklist) -> None:
    assert export(checklist, "md") == to_markdown(checklist)
    assert export(checklist, "csv") == to_csv(checklist)
    assert export(checklist, "json") == to_json(checklist)
    assert export(checklist, "html") == to_html(checklist)
    with pytest.raises(ValueError, match="unknown checklist format"):
        export(checklist, "xlsx")


def test_empty_checklist_exports(checklist) -> None:
    empty = compose(checked_kb(), Query(scenario="pytorch-to-onnx-runtime", tags=("documentation",)))
    assert empty.items == ()
    assert "_No practice matches this query._" in to_markdown(empty)
    assert len(_rows(to_csv(empty))) == 1
    assert _strict_json(to_json(empty))["items"] == []  # type: ignore[index]
    assert "No practice matches this query." in to_html(empty)


@pytest.mark.parametrize("which", ["checklist", "hostile"])
def test_json_export_conforms_to_the_published_schema(which: str, request: pytest.FixtureRequest) -> None:
    """Validate with an independent JSON Schema implementation, not only pydantic."""
    import jsonschema

    composed = request.getfixturevalue(which)
    schema = json.loads((ROOT / "schemas" / "checklist.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(to_json(composed, {composed.items[0].uid}))
    jsonschema.Draft202012Validator(schema).validate(data)
    broken = {**data, "items": [{**data["items"][0], "status": "maybe"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_every_entity_schema_is_a_valid_json_schema() -> None:
    import jsonschema

    for text in json_schemas().values():
        jsonschema.Draft202012Validator.check_schema(json.loads(text))


HOSTILE_DETAILS = practice(
    "hostile-details",
    """
title: Hostile details
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
checklist:
  - id: details
    text: Check the details of this item.
    how: |-
      Run `python -c "import x; print('<b>')"` then <img src=x onerror=alert(1)> | a
      - [x] forged <!-- item: forged/how -->
    done_when: "=HYPERLINK(\\"http://evil.example\\") when **done** [x](javascript:alert(1))"
    checked_with: "<script>alert(1)</script> 1.0"
    docs:
      - title: "<script>alert(2)</script> [docs](https://evil.example/)"
        url: https://example.org/wiki/A_(b)?q=1&r=2
    failures: [https://example.org/issue_(1)]
""",
)


def test_hostile_details_are_escaped_in_every_sink() -> None:
    text = HOSTILE_DETAILS.replace("[x](javascript:alert(1))", "[x](https://evil.example/)")
    kb = checked_kb({"practices/hostile-details.yaml": text})
    assert kb.findings == []
    cl = compose(kb, Query(stages=("testing",)), commit=COMMIT)
    uid = "hostile-details/details"

    md = to_markdown(cl)
    assert list(parse_markdown(md).status) == [i.uid for i in cl.items]  # nothing forged
    rendered = _render(md)
    assert "<img" not in rendered and "<script>" not in rendered and "<strong>done</strong>" not in rendered
    assert "<code>python -c &quot;import x; print('&lt;b&gt;')&quot;</code>" in rendered  # the command is code
    assert 'href="https://evil.example/"' not in rendered
    assert 'href="https://example.org/wiki/A_%28b%29?q=1&amp;r=2"' in rendered  # parentheses cannot end the link

    rows = {r[0]: dict(zip(CSV_COLUMNS, r, strict=True)) for r in _rows(to_csv(cl))[1:]}
    assert rows[uid]["done_when"].startswith("'=HYPERLINK(")
    details = next(i for i in cl.items if i.uid == uid)
    assert csv_uncell(rows[uid]["done_when"]) == details.done_when
    assert (
        rows[uid]["docs"]
        == "<script>alert(2)</script> [docs](https://evil.example/) <https://example.org/wiki/A_(b)?q=1&r=2>"
    )

    html = to_html(cl)
    assert "<img" not in html and "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 1.0" in html
    assert 'href="https://example.org/wiki/A_(b)?q=1&amp;r=2"' in html
    assert "<code>python -c &quot;import x; print(&#39;&lt;b&gt;&#39;)&quot;</code>" in html or (
        "<code>python -c &quot;import x; print('&lt;b&gt;')&quot;</code>" in html
    )

    data = _strict_json(to_json(cl))
    assert isinstance(data, dict)
    item = next(i for i in data["items"] if i["id"] == uid)
    assert item["docs"] == [
        {
            "title": "<script>alert(2)</script> [docs](https://evil.example/)",
            "url": "https://example.org/wiki/A_(b)?q=1&r=2",
        }
    ]
    assert item["failures"] == ["https://example.org/issue_(1)"]
    ChecklistExport.model_validate(data)


def test_json_items_carry_every_field(checklist) -> None:
    data = _strict_json(to_json(checklist))
    assert isinstance(data, dict)
    item = next(i for i in data["items"] if i["id"] == "compare-converted-outputs/compare-outputs")
    assert data["format_version"] == 3
    assert {k: item[k] for k in ("how", "done_when", "checked_with", "docs", "failures", "severity", "effort")} == {
        "how": "Run both on the same batch with `onnxruntime.InferenceSession(path)` and call "
        "`numpy.testing.assert_allclose`.",
        "done_when": "The comparison passes at the recorded tolerance (doe2024study).",
        "checked_with": "torch 2.5, onnxruntime 1.20",
        "docs": [
            {"title": "ONNX Runtime: Python API", "url": "https://onnxruntime.ai/docs/api/python/api_summary.html"}
        ],
        "failures": ["https://github.com/pytorch/pytorch/issues/1"],
        "severity": "blocker",
        "effort": "hours",
    }
    assert item["essential"] is True
    assert item["applies_when"] == {
        "hardware": [],
        "model_family": [],
        "multi_device": None,
        "precision": [],
        "reference_code": None,
        "reference_weights": None,
        "source": [],
        "target": ["onnx", "onnx-runtime", "tflite"],
        "trains": None,
    }
    assert data["selection"]["trains"] is False and data["selection"]["precision"] == ["fp32"]


@pytest.mark.parametrize("which", ["fixture", "hostile", "real"])
def test_item_entry_is_the_json_item_without_status_and_essential(which: str) -> None:
    # The builder's data carries item_entry for every item; the JSON export validates it into an ItemModel.
    kb = {
        "fixture": checked_kb,
        "hostile": lambda: checked_kb({"practices/hostile-practice.yaml": HOSTILE}),
        "real": lambda: check_folder(ROOT / "kb"),
    }[which]()
    every = tuple(p.id for p in kb.kb.of_type("practice"))
    cl = compose_selection(kb, Query(), Selection(include=every), commit=COMMIT)
    assert len(cl.items) > 3
    for item in cl.items:
        model = ItemModel(**item_entry(cl, item), status="open", essential=item.essential)
        assert model.model_dump(mode="json", exclude={"status", "essential"}) == item_entry(cl, item)
