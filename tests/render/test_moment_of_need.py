"""Issue 14 on the base fixture KB: search synonyms, ranking, parent pages, scenario and matrix pages."""

from __future__ import annotations

import pytest

from generator.kb import Checked
from generator.render.context import Site
from generator.render.entities import code_spans
from generator.render.relations import evidence_rank
from generator.render.searchindex import compact_index, extra_words
from generator.write.mkdocs_hooks import relative_404


def page(files: dict[str, str | bytes], path: str) -> str:
    content = files[path]
    assert isinstance(content, str)
    return content


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Training non-determinism across runs", {"nondeterminism", "determinism"}),
        ("nondeterministic kernels", {"determinism", "nondeterministic"}),
        ("the detector's NMS op", {"nms", "suppression", "maximum"}),
        ("non-maximum-suppression thresholds", {"nms"}),
        ("int8 calibration", {"quantisation", "quantization"}),
        ("Quantise with calibration data", {"int8", "quantization"}),
        ("Re-verify after every optimisation", {"optimization"}),
        ("behavioural equivalence", {"behavioral"}),
    ],
)
def test_a_section_gains_the_other_spellings(text: str, wanted: set[str]) -> None:
    assert wanted <= set(extra_words(text).split())


def test_words_that_only_look_british_are_left_alone() -> None:
    assert extra_words("a precise exercise, we advise") == ""


def test_compacted_index_keeps_text_and_adds_fields() -> None:
    doc = {"location": "a.html", "title": "x", "text": "NMS"}
    index = {"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}}, "docs": [doc]}
    out = compact_index(index)
    assert out["docs"][0]["text"] == "NMS" and "suppression" in out["docs"][0]["syn"]
    assert out["config"]["fields"]["syn"] == {"boost": 1.0}
    assert index["docs"][0].get("syn") is None  # the input is not changed


def test_code_written_as_prose_becomes_code() -> None:
    step = 'Load it (for example onnxruntime.InferenceSession(path, providers=["CPU"])) and run `pip freeze`.'
    out = code_spans(step)
    assert '`onnxruntime.InferenceSession(path, providers=["CPU"])`' in out
    assert out.count("`pip freeze`") == 1
    assert code_spans("Seed with torch.manual_seed and pip install -r requirements.txt.") == (
        "Seed with `torch.manual_seed` and `pip install -r requirements.txt`."
    )


def test_404_links_work_from_disk() -> None:
    html = '<head><link href="/kb/assets/x.css"></head><a href="/kb/index.html">Home</a> {"base": "/kb/"}'
    out = relative_404(html, "/kb/")
    assert 'href="./assets/x.css"' in out and 'href="./index.html"' in out and '"base": "./"' in out
    assert "/kb/" not in out.replace('<base href=\\"/kb/\\">', "").split("</script>", 1)[1]


def test_essential_practices_rank_first(checked: Checked) -> None:
    site = Site(checked)
    practices = checked.kb.of_type("practice")
    ranked = sorted(practices, key=lambda p: evidence_rank(site, p.id))
    order = {"essential": 0, "recommended": 1, "situational": 2}
    assert [order[p.importance] for p in ranked] == sorted(order[p.importance] for p in practices)


def test_parent_defect_page_gathers_its_sub_types(checked: Checked, files: dict[str, str | bytes]) -> None:
    parents = {d.parent for d in checked.kb.of_type("defect") if getattr(d, "parent", None)}
    assert parents, "the fixture has a parent defect type"
    for parent in parents:
        text = page(files, f"defects/{parent}.md")
        assert "## Practices for its sub-types" in text or "## Figures of its sub-types" in text


def test_scenario_page_lists_what_it_includes_by_stage(files: dict[str, str | bytes]) -> None:
    text = page(files, "scenarios/pytorch-to-onnx-runtime.md")
    assert "## What it includes" in text
    assert text.index("## What it includes") < text.index("## Relations")
    assert "<h3>" in text.split("## What it includes", 1)[1].split("## ", 1)[0]


def test_matrix_has_a_column_per_stage_with_filters(checked: Checked, files: dict[str, str | bytes]) -> None:
    text = page(files, "matrix.md")
    stages = checked.kb.of_type("stage")
    assert text.count('class="kb-stage-col"') == len(stages)
    assert 'data-kb-matrix-filter="paradigm"' in text and 'data-kb-matrix-filter="scenario"' in text
    assert "data-scenario=" in text


def test_defects_index_has_a_frequency_column(files: dict[str, str | bytes]) -> None:
    assert ">Frequency</th>" in page(files, "defects/index.md")


def test_entity_pages_have_a_breadcrumb_and_search_boost(files: dict[str, str | bytes]) -> None:
    text = page(files, "practices/read-the-reference-code.md")
    assert 'class="kb-crumbs"' in text and '"boost": 2' in text
    assert '"boost": 0.5' in page(files, "practices/index.md")
