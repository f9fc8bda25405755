"""Coverage is one rule: validate, stats and the coverage page agree on every gap."""

from __future__ import annotations

import json
from pathlib import Path

from generator.graph import coverage
from generator.kb import Checked
from generator.pipeline import check_folder
from generator.render.coverage import render_coverage
from tests.conftest import run_cli

MODELINE = "# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"


def challenge(eid: str, title: str, status: str = "active") -> str:
    return MODELINE.format(kind="challenge") + (
        f"id: {eid}\ntitle: {title}\nsummary: A problem that no practice answers yet.\n"
        f"status: {status}\nparadigms: [conceptual-reuse]\nstages: [analysis]\n"
    )


def defect(eid: str, title: str, status: str = "active") -> str:
    return MODELINE.format(kind="defect") + (
        f"id: {eid}\ntitle: {title}\nsummary: A defect that no practice guards against yet.\n"
        f"status: {status}\nparent: training-defects\ncomponent: training\n"
    )


GAPS = {
    "challenges/open-gap.yaml": challenge("open-gap", "Open gap"),
    "challenges/retired-gap.yaml": challenge("retired-gap", "Retired gap", "deprecated"),
    "defects/open-defect.yaml": defect("open-defect", "Open defect"),
    "defects/retired-defect.yaml": defect("retired-defect", "Retired defect", "deprecated"),
}


def gaps_in_validate(cwd: Path) -> list[tuple[str, str]]:
    result = run_cli(["validate", "--format", "json"], cwd=cwd)
    assert result.exit_code == 0, result.stdout
    findings = json.loads(result.stdout)["findings"]
    return sorted((f["code"], Path(f["location"]["path"]).stem) for f in findings)


def test_a_deprecated_entity_is_no_gap_anywhere(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy(GAPS)
    expected = [("uncovered-challenge", "open-gap"), ("unguarded-defect", "open-defect")]

    assert gaps_in_validate(cwd) == expected

    stats = run_cli(["stats", "--format", "json"], cwd=cwd)
    assert stats.exit_code == 0
    assert json.loads(stats.stdout)["coverage_gaps"] == {"challenges": ["open-gap"], "defects": ["open-defect"]}

    checked: Checked = check_folder(cwd / "kb")
    cov = coverage(checked.kb, checked.graph)
    assert (cov.uncovered_challenges, cov.unguarded_defects) == (["open-gap"], ["open-defect"])
    assert cov.challenges == ["open-gap", "under-documented-reference-model"]
    assert cov.leaf_defects == ["missing-hyperparameter", "open-defect"]

    page = render_coverage(checked)["coverage.md"]
    assert isinstance(page, str)
    gaps = page.split("## Gaps", 1)[1].split("## Challenges", 1)[0]
    assert 'href="challenges/open-gap.html">Open gap</a>' in gaps
    assert 'href="defects/open-defect.html">Open defect</a>' in gaps
    assert "Retired" not in gaps
    assert '<span class="kb-stat__value">1 / 2</span><span class="kb-stat__label">challenges addressed' in page
    assert '<span class="kb-stat__value">1 / 2</span><span class="kb-stat__label">leaf defect types' in page
    assert '<span class="kb-stat__value kb-gap">2</span><span class="kb-stat__label">gaps' in page
    assert "Retired gap" not in page.split("## Challenges × practices", 1)[1].split("## Defect types", 1)[0]


def test_a_clean_kb_has_no_gap_anywhere(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    assert gaps_in_validate(cwd) == []
    checked = check_folder(cwd / "kb")
    page = render_coverage(checked)["coverage.md"]
    assert isinstance(page, str)
    assert "None: every challenge is addressed by at least one practice." in page
    assert "None: every defect type is prevented or detected by at least one practice." in page
