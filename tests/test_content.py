"""Content tests: the real knowledge base meets its minimums and its figures are true.

These tests read ``kb/`` as it is committed. They check

* the minimums the KB promises (entries per type, checklist items, references
  with identifiers, complete practices, required entities and back-edges);
* that strict validation and the coverage analysis find nothing;
* that every figure with a ``recompute`` block matches the study data in
  ``kb/data/`` exactly (``validate`` checks the same on every build; these
  tests name each figure);
* that every leaf of the defect taxonomy shows 1 to 5 real example issues taken
  from that data (or, for converter leaves, from public issue trackers), and
  lists all of its cases from the data.

The study data is part of the repository, so nothing here depends on files
beside the checkout and nothing skips.
"""

from __future__ import annotations

import pytest
from markupsafe import Markup

from generator.checklist.compose import Query, resolve, select_practices
from generator.graph import coverage
from generator.kb import Checked
from generator.load.datasets import StudyData, select
from generator.models import Defect, Figure, Paradigm, Practice, Scenario, Stage
from generator.pipeline import check_folder
from generator.render.context import Site
from generator.render.entities import entity_page
from generator.validate.cases import defect_cases, subtypes_of
from tests.conftest import ROOT

KB = ROOT / "kb"

#: Minimum number of entries per type.
MINIMUMS = {"paradigm": 3, "stage": 8, "challenge": 20, "practice": 35, "scenario": 8}
MIN_CHECKLIST_ITEMS = 120
MIN_REFERENCES = 25
#: Defect components whose figures and examples come from the coded defect data.
CSV_COMPONENTS = {"environment", "data-pipeline", "modeling", "training", "cross-cutting"}


@pytest.fixture(scope="module")
def checked() -> Checked:
    return check_folder(KB)


def _of_type(checked: Checked, cls: type) -> list:
    return sorted((e for e in checked.kb.entities.values() if isinstance(e, cls)), key=lambda e: e.id)


def _leaves(checked: Checked) -> list[Defect]:
    defects = _of_type(checked, Defect)
    parents = {d.parent for d in defects if d.parent}
    return [d for d in defects if d.id not in parents]


# ------------------------------------------------------------------ minimums


@pytest.mark.parametrize(("kind", "minimum"), sorted(MINIMUMS.items()))
def test_entry_minimums(checked: Checked, kind: str, minimum: int) -> None:
    count = len(checked.kb.of_type(kind))
    assert count >= minimum, f"{count} {kind} entries, need at least {minimum}"


def test_checklist_item_minimum(checked: Checked) -> None:
    items = sum(len(p.checklist) for p in _of_type(checked, Practice))
    assert items >= MIN_CHECKLIST_ITEMS


def test_references_have_identifiers(checked: Checked) -> None:
    entries = checked.kb.bibliography.entries
    assert len(entries) >= MIN_REFERENCES
    # A DOI-less proceedings paper (e.g. NeurIPS 2015) is found by its publisher URL.
    missing = sorted(
        k for k, e in entries.items() if not (e.fields.get("doi") or e.fields.get("eprint") or e.fields.get("url"))
    )
    assert missing == [], f"references without DOI, arXiv id or URL: {missing}"


def test_unverified_references_are_not_used(checked: Checked) -> None:
    # Entirely unverified in the research notes: must never enter the bibliography.
    assert not {"liu2023nnsmith", "hutson2018reproducibility"} & set(checked.kb.bibliography.entries)


@pytest.mark.parametrize("pid", sorted(p.stem for p in (KB / "practices").glob("*.yaml")))
def test_practice_is_complete(checked: Checked, pid: str) -> None:
    practice = checked.kb.entities[pid]
    assert isinstance(practice, Practice)
    assert len(practice.checklist) >= 2, "a practice needs at least two checklist items"
    assert practice.rationale.strip()
    assert practice.steps, "a practice needs concrete steps"
    assert practice.not_applicable_when, "say when the practice does not apply"
    assert practice.evidence, "a practice needs evidence"
    assert practice.addresses, "a practice must address at least one challenge"


def test_required_entities_exist(checked: Checked) -> None:
    ids = set(checked.kb.entities)
    required = {
        # paradigms
        "conceptual-reuse",
        "adaptation-reuse",
        "deployment-reuse",
        # the study's four main challenges and the abstract's difficulty factors
        "model-operationalisation",
        "performance-debugging",
        "portability-of-dl-operations",
        "customised-data-pipelines",
        "under-documented-reference-models",
        "changing-requirements",
        "cost-of-implementation-and-testing",
        "missing-software-engineering-expertise",
        # pre-trained model reuse, conversion and variance
        "missing-model-attributes",
        "claimed-versus-actual-performance",
        "pre-trained-model-supply-chain-risks",
        "model-naming-inconsistency",
        "converter-failures",
        "training-nondeterminism-and-variance",
        # practices from the interviews and for conversion
        "analyse-model-with-checklist",
        "implement-components-with-fixed-interfaces",
        "unit-test-each-component",
        "differential-testing-against-reference",
        "visualise-intermediate-outputs",
        "review-continuously-in-small-changes",
        "budget-training-reruns",
        "check-converted-model-equivalence",
        "check-operator-coverage-before-converting",
        "pin-converter-opset-and-runtime",
        # seed ids others link to
        "pytorch-to-onnx-runtime",
        "model-analysis",
        "implementation",
        "testing-and-evaluation",
        "modeling-defects",
        "model-weight-defects",
        "converter-wrong-model",
    }
    assert sorted(required - ids) == []


def test_paradigms_cover_all_activities(checked: Checked) -> None:
    activities = {a for p in _of_type(checked, Paradigm) for a in p.activities}
    assert activities == {"reusing", "replicating", "adapting", "enhancing", "porting", "converting"}


def test_workflow_has_requested_back_edges(checked: Checked) -> None:
    stages = {s.id: s for s in _of_type(checked, Stage)}
    assert "implementation" in stages["testing-and-evaluation"].feeds_back_to
    assert "implementation" in stages["reproducibility-review"].feeds_back_to
    assert stages["reproducibility-review"].order < stages["optimisation"].order


def test_taxonomy_roots_cover_every_component(checked: Checked) -> None:
    roots = [d for d in _of_type(checked, Defect) if d.parent is None]
    assert {"environment", "data-pipeline", "modeling", "training", "conversion"} <= {d.component for d in roots}


def test_every_leaf_has_figures_and_symptoms(checked: Checked) -> None:
    bad = [d.id for d in _leaves(checked) if not (d.figures and d.symptoms and d.body)]
    assert bad == []


def test_scenarios_select_a_sensible_subset(checked: Checked) -> None:
    practices = len(_of_type(checked, Practice))
    for scenario in _of_type(checked, Scenario):
        chosen = select_practices(checked.kb, resolve(checked.kb, Query(scenario=scenario.id)))
        assert 5 <= len(chosen) < practices, f"{scenario.id} selects {len(chosen)} of {practices} practices"


def test_conversion_scenarios_include_equivalence_check(checked: Checked) -> None:
    for sid in ("pytorch-to-onnx-runtime", "tensorflow-to-tflite-mobile"):
        chosen = {p.id for p in select_practices(checked.kb, resolve(checked.kb, Query(scenario=sid)))}
        assert {"check-converted-model-equivalence", "check-operator-coverage-before-converting"} <= chosen


# ------------------------------------------------------- validation, coverage


def test_strict_validation_is_clean(checked: Checked) -> None:
    assert [str(f) for f in checked.findings] == []


def test_no_coverage_gaps(checked: Checked) -> None:
    cov = coverage(checked.kb, checked.graph)
    assert cov.uncovered_challenges == []
    assert cov.unguarded_defects == []


# ------------------------------------------------------- figures vs. the data

CHECKED = check_folder(KB)


def _data(name: str) -> StudyData:
    return CHECKED.kb.datasets[name]


def test_study_data_is_in_the_repository() -> None:
    assert {name: len(d.rows) for name, d in CHECKED.kb.datasets.items()} == {
        "cv-reengineering-defects": 348,
        "onnx-converter-failures": 200,
    }


def _recomputable() -> list[tuple[str, int, Figure]]:
    out = []
    for entity in CHECKED.kb.entities.values():
        if isinstance(entity, Defect):
            out += [(entity.id, i, f) for i, f in enumerate(entity.figures) if f.recompute is not None]
    return sorted(out, key=lambda t: (t[0], t[1]))


RECOMPUTABLE = _recomputable()


def test_some_figures_are_recomputable() -> None:
    # Guards the parametrised test below against silently testing nothing.
    assert len(RECOMPUTABLE) >= 70
    assert {f.recompute.dataset for _, _, f in RECOMPUTABLE if f.recompute} == set(CHECKED.kb.datasets)


@pytest.mark.parametrize(("eid", "index", "figure"), RECOMPUTABLE, ids=[f"{e}-{i}" for e, i, _ in RECOMPUTABLE])
def test_figure_matches_data(eid: str, index: int, figure: Figure) -> None:
    assert figure.recompute is not None
    data = _data(figure.recompute.dataset)
    count = len(select(data, figure.recompute.where))
    total = len(select(data, figure.recompute.within))
    assert (figure.count, figure.total) == (count, total), f"{eid} figure {index}: data gives {count}/{total}"


# ------------------------------------------------------- example issues and cases


def _leaf_ids(*, from_data: bool | None = None) -> list[str]:
    leaves = _leaves(CHECKED)
    return [d.id for d in leaves if from_data is None or (d.component in CSV_COMPONENTS) == from_data]


LEAVES = _leaf_ids()
DATA_LEAVES = _leaf_ids(from_data=True)


@pytest.mark.parametrize("eid", LEAVES)
def test_leaf_example_count(checked: Checked, eid: str) -> None:
    leaf = checked.kb.entities[eid]
    assert isinstance(leaf, Defect)
    urls = [ex.url for ex in leaf.examples]
    assert len(urls) == len(set(urls)), "an issue is listed twice"
    assert 1 <= len(urls) <= 5
    if leaf.component not in CSV_COMPONENTS:
        assert len(urls) >= 2
        assert all(u.startswith("https://github.com/") for u in urls)


@pytest.mark.parametrize("eid", DATA_LEAVES)
def test_leaf_examples_come_from_data(checked: Checked, eid: str) -> None:
    leaf = checked.kb.entities[eid]
    assert isinstance(leaf, Defect)
    queries = [f.recompute.where for f in leaf.figures if f.recompute is not None]
    assert queries, "a leaf from the defect data needs a recomputable figure"
    # The first figure selects the leaf's own rows (stage and root cause).
    data = _data("cv-reengineering-defects")
    own = {data.rows[i]["URL"] for i in select(data, queries[0])}
    urls = [ex.url for ex in leaf.examples]
    assert set(urls) <= own, f"not rows of this leaf: {sorted(set(urls) - own)}"
    # 2 to 5 examples; a leaf with fewer rows in the data lists all of them.
    assert len(urls) >= min(2, len(own))


DEFECTS = sorted(d.id for d in _of_type(CHECKED, Defect))
#: Defect types whose figures come from an experiment (ONNX study, Table 11), with no coded issues.
WITHOUT_DATA = {"hugging-face-export-wrapper-failure"}


@pytest.mark.parametrize("eid", DEFECTS)
def test_defect_page_lists_every_case_and_the_count_is_a_figure(eid: str) -> None:
    defect = CHECKED.kb.entities[eid]
    assert isinstance(defect, Defect)
    cases = defect_cases(CHECKED.kb, eid)
    if eid in WITHOUT_DATA:
        # Measured in an experiment, not mined from issues: the page says the data holds none.
        assert not cases and not any(f.recompute for f in defect.figures)
        assert "## Cases in the study data" in entity_page(Site(CHECKED), defect, Markup(""))
        return
    assert cases, "every defect type lists its real cases from the study data"
    shown = {f.count for f in defect.figures if f.recompute} | {
        f.total for f in defect.figures if f.recompute and not f.recompute.within
    }
    assert len(cases) in shown, f"{len(cases)} cases, figures say {sorted(shown)}"
    for child in subtypes_of(CHECKED.kb, eid):
        assert set(defect_cases(CHECKED.kb, child.id)) <= set(cases), f"misses cases of {child.id}"
    site = Site(CHECKED)
    page = entity_page(site, defect, Markup(""))
    assert f"## All cases in the study data ({len(cases)})" in page
    table = page.split(f'id="kb-cases-{eid}"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr data-filter") == len(cases)


def test_a_recomputed_figure_located_at_a_chart_says_the_chart_gives_shares() -> None:
    # The study's charts (Fig. 6-10) print shares; a row's count is the recomputation's.
    defect = CHECKED.kb.entities["training-configuration-defects"]
    page = entity_page(Site(CHECKED), defect, Markup(""))
    assert "Fig. 10 (shares); count recomputed from the coded data" in page
    assert "coded data, recomputed (shares)" not in page
    charted = [f for d in _of_type(CHECKED, Defect) for f in d.figures if f.recompute and f.locator]
    assert any("Fig." in (f.locator or "") for f in charted)
