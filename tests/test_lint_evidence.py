"""lint checks of graded evidence, one inline practice per case, exact messages."""

from __future__ import annotations

import datetime
import time

import pytest

from generator.findings import Finding, Location, Severity
from generator.load.files import raw_kb_from_mapping
from generator.pipeline import check
from generator.validate.lint import lint
from generator.validate.lint_evidence import efficacy_words, months_before, unsourced_numbers
from tests.conftest import BASE_KB

REL = "practices/read-the-reference-code.yaml"
PATH = "kb/" + REL

# A practice with every basis in place: each test breaks one thing.
CLEAN = """\
# yaml-language-server: $schema=../../schemas/practice.schema.json
id: read-the-reference-code
title: Read the reference code
summary: List every hyperparameter that the reference code sets but the paper omits.
stage: analysis
paradigms: [conceptual-reuse]
addresses:
  - id: under-documented-reference-model
    why: The released code holds the settings that the paper leaves out.
    evidence: [doe2024study]
detects:
  - id: missing-hyperparameter
    why: Diffing defaults against the paper shows each missing setting.
    judgement: true
importance_basis:
  why: Interviewees found settings in code that the paper never mentioned.
  evidence: [doe2024study]
rationale: Papers omit settings that the released code depends on.
steps:
  - Diff the paper's hyperparameter table against the code's defaults.
checklist:
  - id: list-hidden-settings
    text: List settings found in the code but not in the paper.
evidence:
  - cite: doe2024study
    kind: interview-study
    shows: Interviewees found settings in code that the paper did not mention.
    locator: Section 4
reviewed: 2026-11-01
"""


def _lint(text: str, codes: set[str], *, strict: bool = False, today: str = "2026-11-27") -> list[Finding]:
    files: dict[str, str | bytes] = {
        p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()
    }
    files[REL] = text
    checked = check(raw_kb_from_mapping(files))
    assert checked.findings == []
    return [f for f in lint(checked.kb, today, strict=strict) if f.code in codes and f.location.path == PATH]


ALL = {
    "effect-without-basis",
    "importance-without-basis",
    "evidence-without-locator",
    "unsourced-number",
    "efficacy-claim",
    "not-reviewed",
}


def _warning(code: str, message: str, line: int, col: int) -> Finding:
    return Finding(code, Severity.WARNING, message, Location(PATH, line, col))


def test_a_practice_with_every_basis_is_quiet() -> None:
    assert _lint(CLEAN, ALL, strict=True) == []


def test_bare_ids_have_no_basis() -> None:
    text = CLEAN.replace(
        "detects:\n  - id: missing-hyperparameter\n    why: Diffing defaults against the paper shows each missing "
        "setting.\n    judgement: true\n",
        "detects: [missing-hyperparameter]\n",
    )
    assert _lint(text, ALL) == [
        _warning(
            "effect-without-basis",
            "'detects' lists 'missing-hyperparameter' as a bare id; write it as a mapping with "
            "'id: missing-hyperparameter', 'why' (one line) and 'evidence: [key]' or 'judgement: true'.",
            11,
            11,
        )
    ]


def test_importance_without_basis() -> None:
    text = CLEAN.replace(
        "importance_basis:\n  why: Interviewees found settings in code that the paper never mentioned.\n"
        "  evidence: [doe2024study]\n",
        "importance: essential\n",
    )
    assert _lint(text, ALL) == [
        _warning(
            "importance-without-basis",
            "importance 'essential' has no 'importance_basis'; add one with 'why' (one line) and "
            "'evidence: [key]' or 'judgement: true'.",
            15,
            1,
        )
    ]


def test_evidence_without_locator_is_a_schema_error() -> None:
    files: dict[str, str | bytes] = {
        p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()
    }
    files[REL] = CLEAN.replace("    locator: Section 4\n", "")
    found = [
        (f.code, f.severity, f.location.line, f.location.key_path) for f in check(raw_kb_from_mapping(files)).findings
    ]
    assert found == [("missing-field", Severity.ERROR, 25, ("evidence", 0, "locator"))]


def test_blank_locator_is_flagged_by_lint() -> None:
    text = CLEAN.replace("    locator: Section 4\n", '    locator: ""\n')
    assert _lint(text, ALL) == [
        _warning(
            "evidence-without-locator",
            "evidence 'doe2024study' has no 'locator'; say where in the source it is (section, table, figure or "
            "transcript line; 'data set, recomputed' for a number recomputed from study data).",
            25,
            5,
        )
    ]


def test_unsourced_number_in_a_step_and_an_item() -> None:
    text = CLEAN.replace(
        "  - Diff the paper's hyperparameter table against the code's defaults.\n",
        "  - Diff the paper's table against the defaults.\n"
        "  - Export with `opset_version=17` and compare at 1e-5 on 8 inputs.\n"
        "  - Compare on 8 inputs (doe2024study, Table 2).\n"
        "  - 'Run 3 seeds (rule of thumb: enough to see the spread).'\n",
    ).replace(
        "    text: List settings found in the code but not in the paper.\n",
        "    text: Check int8 and fp16 builds with onnx2tf on 2 devices.\n",
    )
    assert _lint(text, ALL) == [
        _warning(
            "unsourced-number",
            "'steps[1]' asks for 17, 1e-5, 8 without a source; name a BibTeX key in the same text, e.g. "
            "'(key, Table 3)', or label it '(rule of thumb: <why this value>)'.",
            21,
            5,
        ),
        _warning(
            "unsourced-number",
            "'checklist[0].text' asks for 2 without a source; name a BibTeX key in the same text, e.g. "
            "'(key, Table 3)', or label it '(rule of thumb: <why this value>)'.",
            26,
            5,
        ),
    ]


@pytest.mark.parametrize(("text", "numbers"), [
    ("Use int8, fp16, float32 and onnx2tf.", []),
    ("Set opset_version=17.", ["17"]),
    ("Compare top-1 labels at atol 1e-3 and 0.5%.", ["1e-3", "0.5"]),
    ("A gap of 1-2% is accepted; 1,761 issues.", ["1", "2", "1,761"]),
    ("See https://github.com/pytorch/pytorch/issues/49403 and [the docs](https://x.org/v2/3).", []),
    ("Issue #1234 and YOLOv3 and 3x or 1.5x faster.", []),
    ("Python 3.11, then 2.", ["3.11", "2"]),
    ("Use 8 GPUs (jajal2024onnx).", []),
    ("Use 8 GPUs (Rule of thumb: the reference used eight).", []),
])  # fmt: skip
def test_what_counts_as_a_number(text: str, numbers: list[str]) -> None:
    assert unsourced_numbers(text, {"jajal2024onnx"}) == numbers


def test_number_scan_is_linear() -> None:
    hostile = "1" + ".1" * 20000 + "e" + "-" * 5000 + "x" + " 1," * 20000
    start = time.perf_counter()
    unsourced_numbers(hostile, set())
    efficacy_words("not " * 20000 + "prevents")
    assert time.perf_counter() - start < 1.0


def test_efficacy_claim_without_evidence_of_that_kind() -> None:
    text = CLEAN.replace(
        "rationale: Papers omit settings that the released code depends on.\n",
        "rationale: Reading the code catches missing settings and prevents silent gaps.\n",
    )
    assert _lint(text, ALL) == [
        _warning(
            "efficacy-claim",
            "'rationale' says 'catches', but no 'detects' item of this practice has evidence; add evidence to the "
            "relation or say what the practice does without claiming the effect.",
            18,
            1,
        ),
        _warning(
            "efficacy-claim",
            "'rationale' says 'prevents', but no 'prevents' item of this practice has evidence; add evidence to "
            "the relation or say what the practice does without claiming the effect.",
            18,
            1,
        ),
    ]


def test_efficacy_words_backed_by_evidence_are_quiet() -> None:
    text = CLEAN.replace("    judgement: true\n", "    evidence: [doe2024study]\n").replace(
        "rationale: Papers omit settings that the released code depends on.\n",
        "rationale: Reading the code catches missing settings, which ensures a faithful port.\n",
    )
    assert _lint(text, ALL) == []


@pytest.mark.parametrize(("text", "words"), [
    ("This prevents drift and catches typos.", ["prevents", "catches"]),
    ("It does not guarantee equivalence; nothing can prevent every bug.", []),
    ("Registries give weak guarantees.", []),
    ("Ensure the model is in eval mode; ensuring that is cheap.", []),
    ("Call `prevent_default()` once.", []),
    ("Pinning guarantees the same wheels.", ["guarantees"]),
])  # fmt: skip
def test_efficacy_words(text: str, words: list[str]) -> None:
    assert efficacy_words(text) == words


def test_not_reviewed_only_under_strict() -> None:
    missing = CLEAN.replace("reviewed: 2026-11-01\n", "")
    assert _lint(missing, ALL) == []
    assert _lint(missing, ALL, strict=True) == [
        _warning(
            "not-reviewed",
            "entry has no 'reviewed' date; check it against its sources, then add 'reviewed: 2026-11-27'.",
            2,
            1,
        )
    ]


def test_review_older_than_18_months() -> None:
    old = CLEAN.replace("reviewed: 2026-11-01", "reviewed: 2025-05-26")
    assert _lint(old, ALL, strict=True) == [
        _warning(
            "not-reviewed",
            "last reviewed on 2025-05-26, more than 18 months before 2026-11-27; check it against its sources, "
            "then update 'reviewed'.",
            29,
            1,
        )
    ]
    assert _lint(old.replace("2025-05-26", "2025-05-27"), ALL, strict=True) == []


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert months_before(datetime.date(2026, 8, 31), 18) == datetime.date(2025, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 18) == datetime.date(2024, 7, 15)


DOCS_BIB = """
@misc{tool2026docs,
  author = {{Tool Authors}},
  title  = {Tool: User Guide},
  year   = {2026},
  url    = {https://tool.example.org/docs/guide.html}
}
"""

DOCS_EVIDENCE = """\
  - cite: tool2026docs
    kind: documentation
    shows: The guide documents the option that the step uses.
    locator: section Options
"""


def _scope_warnings(files_changed: dict[str, str]) -> list[str]:
    """The keys that study-without-scope names, for the base KB with ``files_changed`` (no studies.yaml)."""
    files: dict[str, str | bytes] = {
        p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()
    }
    files["references.bib"] = (BASE_KB / "references.bib").read_text() + DOCS_BIB
    files.update(files_changed)
    checked = check(raw_kb_from_mapping(files))
    assert checked.findings == []
    found = [f for f in lint(checked.kb, "2026-11-27") if f.code == "study-without-scope"]
    assert all(f.location.path == "kb/references.bib" for f in found)
    return [f.message.split("'")[1] for f in found]


def test_a_key_cited_only_as_documentation_needs_no_scope_record() -> None:
    practice = CLEAN.replace("    locator: Section 4\n", "    locator: Section 4\n" + DOCS_EVIDENCE)
    assert _scope_warnings({REL: practice}) == ["doe2024study"]


def test_a_key_cited_once_as_a_study_needs_a_scope_record() -> None:
    practice = CLEAN.replace("    locator: Section 4\n", "    locator: Section 4\n" + DOCS_EVIDENCE)
    defect = (BASE_KB / "defects/missing-hyperparameter.yaml").read_text() + (
        "evidence:\n"
        "  - cite: tool2026docs\n"
        "    kind: experiment\n"
        "    shows: The authors measured the option's effect on accuracy.\n"
        "    locator: Table 2\n"
    )
    assert sorted(_scope_warnings({REL: practice, "defects/missing-hyperparameter.yaml": defect})) == [
        "doe2024study",
        "tool2026docs",
    ]


def test_a_key_cited_by_a_figure_needs_a_scope_record() -> None:
    practice = CLEAN.replace("kind: interview-study", "kind: documentation")
    practice = practice.replace("    locator: Section 4\n", "    locator: Section 4\n" + DOCS_EVIDENCE)
    assert _scope_warnings({REL: practice}) == ["doe2024study"]  # the defect's figure still cites it
