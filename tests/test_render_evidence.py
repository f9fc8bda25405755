"""Graded evidence on pages: badges, bases on both pages of a relation, scope lines, cases tables."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from generator.load.files import raw_kb_from_mapping
from generator.pipeline import Checked, check
from generator.render.bibliography import render_bibliography
from generator.render.context import Site
from generator.render.entities import entity_page
from tests.conftest import BASE_KB
from tests.test_study_data import CSV, PROVENANCE, STUDIES

PRACTICE = """\
# yaml-language-server: $schema=../../schemas/practice.schema.json
id: read-the-reference-code
title: Read the reference code
summary: List every hyperparameter that the reference code sets but the paper omits.
stage: analysis
paradigms: [conceptual-reuse]
addresses:
  - id: under-documented-reference-model
    why: The released code holds the settings that the paper leaves <b>out</b>.
    evidence: [doe2024study]
detects:
  - id: missing-hyperparameter
    why: Diffing defaults against the paper shows each missing setting.
    judgement: true
importance: essential
importance_basis:
  why: Interviewees found settings in code that the paper never mentioned.
  evidence: [doe2024study]
rationale: Papers omit settings that the released code depends on.
steps:
  - Diff the paper's hyperparameter table against the code's defaults.
evidence:
  - cite: doe2024study
    kind: documentation
    shows: The documentation lists the defaults.
    locator: Section 4
"""

CASES = """\
cases:
  dataset: cv-reengineering-defects
  where:
    Root Causes: Hyperparameters
"""


@pytest.fixture(scope="module")
def checked() -> Checked:
    files: dict[str, str | bytes] = {
        p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()
    }
    files["practices/read-the-reference-code.yaml"] = PRACTICE
    files["data/cv-reengineering-defects.csv"] = CSV
    files["data/cv-reengineering-defects.yaml"] = PROVENANCE + "roles:\n  framework: Framework\n"
    files["studies.yaml"] = STUDIES
    defect = (BASE_KB / "defects/missing-hyperparameter.yaml").read_text()
    files["defects/missing-hyperparameter.yaml"] = defect + CASES
    result = check(raw_kb_from_mapping(files))
    assert result.findings == []
    return result


def _page(checked: Checked, eid: str) -> str:
    site = Site(checked)
    return entity_page(site, site.entities[eid], Markup(""))


def test_evidence_shows_its_strength_badge(checked: Checked) -> None:
    page = _page(checked, "read-the-reference-code")
    assert (
        '<span class="kb-badge kb-badge--documented" title="stated in a tool&#39;s official documentation"'
        " data-search-exclude>documented</span>"
    ) in page


def test_practice_page_shows_why_with_evidence_numbers_and_judgement(checked: Checked) -> None:
    page = _page(checked, "read-the-reference-code")
    assert (
        '<span class="kb-basis"><span class="kb-basis__why">The released code holds the settings that the paper '
        'leaves &lt;b&gt;out&lt;/b&gt;.</span> <a class="kb-cite" href="#cite-1" title="Doe and Roe, 2024">[1]</a>'
        "</span>"
    ) in page
    assert (
        '<span class="kb-basis__why">Diffing defaults against the paper shows each missing setting.</span> '
        '<span class="kb-badge kb-badge--judgement"'
    ) in page
    assert "## Why it is essential" in page
    assert "Interviewees found settings in code that the paper never mentioned." in page


def test_the_other_page_shows_the_same_basis(checked: Checked) -> None:
    challenge = _page(checked, "under-documented-reference-model")
    assert 'leaves &lt;b&gt;out&lt;/b&gt;.</span> <a class="kb-cite" href="#cite-1"' in challenge
    assert 'id="cite-1"' in challenge  # the practice's evidence is listed in the challenge's references
    defect = _page(checked, "missing-hyperparameter")
    assert 'shows each missing setting.</span> <span class="kb-badge kb-badge--judgement"' in defect


def test_scope_lines_under_evidence_figures_and_bibliography(checked: Checked) -> None:
    scope = (
        '<span class="kb-scope__part"><span class="kb-scope__key">Period:</span> 2018-01 to 2021-09 '
        "(50% before 2020)</span>"
    )
    assert _page(checked, "read-the-reference-code").count(scope) == 1
    defect = _page(checked, "missing-hyperparameter")
    assert defect.count(scope) == 1  # under its figures (it has no evidence list)
    bibliography = render_bibliography(checked)["references.md"]
    assert isinstance(bibliography, str) and scope in bibliography


def test_defect_page_lists_every_case_and_parents_aggregate(checked: Checked) -> None:
    leaf = _page(checked, "missing-hyperparameter")
    assert "## All cases in the study data (2)" in leaf
    assert leaf.count("<tr data-filter") == 2
    assert '<td>o/a</td><td>PyTorch</td><td></td><td></td><td><a href="https://github.com/o/a/issues/1"' in leaf
    parent = _page(checked, "training-defects")
    assert "## All cases in the study data (2)" in parent
    assert '<option value="pytorch">PyTorch</option>' not in parent  # one framework: no filter to offer
