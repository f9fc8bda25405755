"""lint: review-quality warnings, with positions, formats and exit codes."""

from __future__ import annotations

import json

from generator.load.files import raw_kb_from_mapping
from generator.pipeline import check
from generator.validate.lint import lint
from tests.conftest import BASE_KB, run_cli

PRACTICE = """\
# yaml-language-server: $schema=../../schemas/practice.schema.json
id: read-the-reference-code
title: Read the reference code
summary: Read the released code before writing your own.
stage: analysis
paradigms: [conceptual-reuse]
addresses: [under-documented-reference-model]
detects: [missing-hyperparameter]
rationale: Papers omit settings that the released code depends on.
steps:
  - Diff the paper's hyperparameter table against the code's defaults.
body: |
  The released code sets values the paper omits (smith2020other), and re-
  implementation then misses them.
evidence:
  - cite: doe2024study
    kind: interview-study
    shows: Interviewees found settings in code that the paper did not mention.
    locator: ""
review_by: 2025-01-31
"""

BIB_EXTRA = """
@misc{smith2020other,
  author = {Smith, Sam},
  title  = {Another Study},
  year   = {2020},
  eprint = {2001.00001}
}
"""


def _kb_with_practice(kb_copy):  # type: ignore[no-untyped-def]
    bib = (BASE_KB / "references.bib").read_text() + BIB_EXTRA
    return kb_copy({"practices/read-the-reference-code.yaml": PRACTICE, "references.bib": bib})


def test_lint_reports_review_problems_with_positions(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = _kb_with_practice(kb_copy)
    result = run_cli(["lint", "--today", "2025-06-01"], cwd=cwd)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    practice = "kb/practices/read-the-reference-code.yaml"
    assert [line for line in lines if line.startswith(practice)] == [
        f"{practice}:2:1: warning[importance-without-basis] importance 'recommended' has no 'importance_basis'; "
        "add one with 'why' (one line) and 'evidence: [key]' or 'judgement: true'.",
        f"{practice}:2:1: warning[practice-without-checklist] practice has no checklist item, so exported checklists "
        "leave it out; add one under 'checklist' (an action someone can tick off).",
        f"{practice}:4:1: warning[summary-too-short] summary is 47 characters; say what this is and why it matters "
        "in one or two sentences (60-300 characters).",
        f"{practice}:7:13: warning[effect-without-basis] 'addresses' lists 'under-documented-reference-model' as a "
        "bare id; write it as a mapping with 'id: under-documented-reference-model', 'why' (one line) and "
        "'evidence: [key]' or 'judgement: true'.",
        f"{practice}:8:11: warning[effect-without-basis] 'detects' lists 'missing-hyperparameter' as a bare id; "
        "write it as a mapping with 'id: missing-hyperparameter', 'why' (one line) and 'evidence: [key]' or "
        "'judgement: true'.",
        f"{practice}:12:1: warning[split-word] 're- implementation' in 'body' looks like a word split at a line "
        "break (YAML turns the break into a space); write 're-implementation'.",
        f"{practice}:12:1: warning[text-citation-not-in-evidence] the body cites 'smith2020other', which is not in "
        "'evidence', so the page's references leave it out; add an evidence item for it.",
        f"{practice}:16:5: warning[evidence-not-in-text] evidence cites 'doe2024study' but the body never names it; "
        "add '(doe2024study)' after the claim it supports.",
        f"{practice}:16:5: warning[evidence-without-locator] evidence 'doe2024study' has no 'locator'; say where "
        "in the source it is (section, table, figure or transcript line; 'data set, recomputed' for a number "
        "recomputed from study data).",
        f"{practice}:20:1: warning[review-overdue] review was due on 2025-01-31; check the entry against its "
        "sources, then set 'review_by' to a new date.",
    ]
    assert lines[-1] == "0 errors, 16 warnings in 11 files"


def test_lint_strict_fails_and_review_date_in_future_is_quiet(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = _kb_with_practice(kb_copy)
    assert run_cli(["lint", "--strict", "--today", "2025-06-01"], cwd=cwd).exit_code == 1
    early = run_cli(["lint", "--today", "2024-12-31"], cwd=cwd)
    assert "review-overdue" not in early.stdout


def test_lint_github_and_json_formats(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = _kb_with_practice(kb_copy)
    github = run_cli(["lint", "--format", "github", "--today", "2025-06-01"], cwd=cwd)
    assert (
        "::warning file=kb/practices/read-the-reference-code.yaml,line=20,col=1,title=review-overdue::"
        "review was due on 2025-01-31; check the entry against its sources, then set 'review_by' to a new date."
    ) in github.stdout.splitlines()
    report = json.loads(run_cli(["lint", "--format", "json", "--today", "2025-06-01"], cwd=cwd).stdout)
    assert report["summary"] == {"errors": 0, "files": 11, "warnings": 16}


def test_lint_rejects_a_bad_date(kb_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["lint", "--today", "31/01/2026"], cwd=kb_copy())
    assert result.exit_code == 2
    assert "'31/01/2026' is not a date like 2026-01-31" in result.stderr


def test_lint_is_a_pure_function_of_the_kb() -> None:
    files = {p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()}
    checked = check(raw_kb_from_mapping(files))
    codes = sorted({f.code for f in lint(checked.kb, "2030-01-01")})
    assert codes == [
        "effect-without-basis",
        "figure-without-locator",
        "importance-without-basis",
        "item-without-done-when",
        "item-without-how",
        "no-evidence",
        "scenario-without-essential",
        "study-without-scope",
    ]


def test_split_words_are_found_in_every_text_field() -> None:
    files = {p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()}
    rel = "practices/read-the-reference-code.yaml"
    files[rel] = (
        (BASE_KB / rel).read_text().replace("text: List settings found", "text: List re- implementation settings found")
    )
    checked = check(raw_kb_from_mapping(files))
    found = [f for f in lint(checked.kb, "2026-01-01") if f.code == "split-word"]
    assert [(f.location.key_path, f.location.line) for f in found] == [(("checklist", 0, "text"), 16)]
    assert "in 'checklist[0].text'" in found[0].message


def test_lint_checks_only_the_first_of_two_entries_with_one_id() -> None:
    files = {p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()}
    files["practices/read-the-reference-code.yaml"] = PRACTICE
    files["practices/zz-copy.yaml"] = PRACTICE
    kb = check(raw_kb_from_mapping(files)).kb
    assert [e.source.rel for e in kb.entries if e.entity.id == "read-the-reference-code"] == [
        "practices/read-the-reference-code.yaml",
        "practices/zz-copy.yaml",
    ]
    paths = {f.location.path for f in lint(kb, "2025-06-01")}
    assert "kb/practices/read-the-reference-code.yaml" in paths
    assert "kb/practices/zz-copy.yaml" not in paths
