"""Content tests: the real knowledge base meets its minimums and its figures are true.

These tests read ``kb/`` as it is committed. They check

* the minimums the KB promises (entries per type, checklist items, references
  with identifiers, complete practices, required entities and back-edges);
* that strict validation and the coverage analysis find nothing;
* that every figure with a ``recompute`` block matches the coded defect data in
  ``../shared/data/cv_reengineering_defects.csv`` exactly; and
* that every leaf of the defect taxonomy shows 2 to 5 real example issues taken
  from that data (or, for converter leaves, from public issue trackers).

The defect data is deliberately not part of the repository. When its folder is
absent, the tests that need it are skipped with a reason; nothing else skips.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pytest

from generator.checklist.compose import Query, resolve, select_practices
from generator.graph import coverage
from generator.kb import Checked
from generator.models import Defect, Figure, Paradigm, Practice, Scenario, Stage
from generator.pipeline import check_folder
from tests.conftest import ROOT

KB = ROOT / "kb"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cv_reengineering_defects.csv"
NO_DATA = "the coded defect data (../shared/data/cv_reengineering_defects.csv) is not beside this checkout"

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
    missing = sorted(k for k, e in entries.items() if not (e.fields.get("doi") or e.fields.get("eprint")))
    assert missing == [], f"references without DOI or arXiv id: {missing}"


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


def _norm(value: str) -> str:
    """Compare coded values case-insensitively with whitespace collapsed."""
    return re.sub(r"\s+", " ", value).strip().casefold()


@cache
def _rows() -> tuple[Mapping[str, str], ...]:
    with DATA.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def _matching(conditions: Mapping[str, str]) -> list[Mapping[str, str]]:
    rows = _rows()
    unknown = set(conditions) - set(rows[0])
    assert not unknown, f"unknown column(s) {sorted(unknown)}"
    wanted = {col: _norm(val) for col, val in conditions.items()}
    return [r for r in rows if all(_norm(r[col]) == val for col, val in wanted.items())]


def _recomputable() -> list[tuple[str, int, Figure]]:
    out = []
    for entity in check_folder(KB).kb.entities.values():
        if isinstance(entity, Defect):
            out += [(entity.id, i, f) for i, f in enumerate(entity.figures) if f.recompute is not None]
    return sorted(out, key=lambda t: (t[0], t[1]))


RECOMPUTABLE = _recomputable()


def test_some_figures_are_recomputable() -> None:
    # Guards the parametrised test below against silently testing nothing.
    assert len(RECOMPUTABLE) >= 20


@pytest.mark.skipif(not DATA.is_file(), reason=NO_DATA)
@pytest.mark.parametrize(("eid", "index", "figure"), RECOMPUTABLE, ids=[f"{e}-{i}" for e, i, _ in RECOMPUTABLE])
def test_figure_matches_data(eid: str, index: int, figure: Figure) -> None:
    assert figure.recompute is not None
    count = len(_matching(figure.recompute.where))
    total = len(_matching(figure.recompute.within)) if figure.recompute.within else len(_rows())
    assert (figure.count, figure.total) == (count, total), f"{eid} figure {index}: data gives {count}/{total}"


# ------------------------------------------------------- example issues


def _leaf_ids(*, from_data: bool | None = None) -> list[str]:
    leaves = _leaves(check_folder(KB))
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


@pytest.mark.skipif(not DATA.is_file(), reason=NO_DATA)
@pytest.mark.parametrize("eid", DATA_LEAVES)
def test_leaf_examples_come_from_data(checked: Checked, eid: str) -> None:
    leaf = checked.kb.entities[eid]
    assert isinstance(leaf, Defect)
    queries = [f.recompute.where for f in leaf.figures if f.recompute is not None]
    assert queries, "a leaf from the defect data needs a recomputable figure"
    # The first figure selects the leaf's own rows (stage and root cause).
    own = {r["URL"] for r in _matching(queries[0])}
    urls = [ex.url for ex in leaf.examples]
    assert set(urls) <= own, f"not rows of this leaf: {sorted(set(urls) - own)}"
    # 2 to 5 examples; a leaf with fewer rows in the data lists all of them.
    assert len(urls) >= min(2, len(own))
