"""Study data in kb/data/, figures recomputed from it, and scope records (inline files, exact messages)."""

from __future__ import annotations

import pytest

from generator.findings import Finding, Location, Severity
from generator.load.files import raw_kb_from_mapping
from generator.load.studies import scopes
from generator.pipeline import check, check_folder
from tests.conftest import BASE_KB, ROOT

CSV = """\
URL,Part of Implementation,Root Causes,Framework,Issue creation time
https://github.com/o/a/issues/1,Training,Hyperparameters,pytorch,2019-03-01T00:00:00Z
https://github.com/o/a/issues/2,Training,Hyperparameters,PyTorch,2020-05-01T00:00:00Z
https://github.com/o/b/issues/3,Training,Loss function,Keras,2018-01-02T00:00:00Z
https://github.com/o/b/issues/3,Environment,API defects,caffe,2021-09-30T00:00:00Z
"""

PROVENANCE = """\
title: A small sample of coded defects
cite: doe2024study
source:
  repository: example/defects
  url: https://github.com/example/defects
  path: defects.csv
  commit: 0123456789abcdef0123456789abcdef01234567
  sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
licence:
  spdx: null
  note: No licence; we store coded facts only.
derivation: Four rows copied as they are.
rows: 4
columns:
  URL: The issue.
  Part of Implementation: Stage of the defect.
  Root Causes: Root cause.
  Framework: Framework.
  Issue creation time: When the issue was opened.
"""

DEFECT = "defects/missing-hyperparameter.yaml"
RECOMPUTE = """\
    recompute:
      dataset: cv-reengineering-defects
      where:
        Root Causes: Hyperparameters
      within:
        Part of Implementation: Training
"""

STUDIES = """\
# yaml-language-server: $schema=../schemas/studies.schema.json
studies:
  doe2024study:
    domain: Reengineering of example models
    method: Coded issues
    data:
      dataset: cv-reengineering-defects
      unit: coded defects
      date_column: Issue creation time
      split_year: 2020
      framework_column: Framework
      framework_groups:
        PyTorch: [pytorch]
        Keras: [keras]
        older: [caffe]
"""


def _files(edits: dict[str, str | None]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()
    }
    files["data/cv-reengineering-defects.csv"] = CSV
    files["data/cv-reengineering-defects.yaml"] = PROVENANCE
    for rel, text in edits.items():
        if text is None:
            files.pop(rel)
        else:
            files[rel] = text
    return files


def _defect(count: int, total: int, recompute: str = RECOMPUTE) -> str:
    text = (BASE_KB / DEFECT).read_text()
    text = text.replace("    count: 18\n    total: 90\n", f"    count: {count}\n    total: {total}\n")
    return text.replace("    cite: doe2024study\n", "    cite: doe2024study\n" + recompute, 1)


def _findings(edits: dict[str, str | None]) -> list[Finding]:
    return check(raw_kb_from_mapping(_files(edits))).findings


def _error(code: str, message: str, path: str, line: int, col: int) -> Finding:
    return Finding(code, Severity.ERROR, message, Location(path, line, col))


def test_data_and_a_matching_figure_are_clean() -> None:
    checked = check(raw_kb_from_mapping(_files({DEFECT: _defect(2, 3)})))
    assert checked.findings == []
    data = checked.kb.datasets["cv-reengineering-defects"]
    assert (len(data.rows), data.lines) == (4, (2, 3, 4, 5))


def test_a_figure_that_drifts_is_an_error_at_the_figure() -> None:
    assert _findings({DEFECT: _defect(3, 3)}) == [
        _error(
            "figure-drift",
            "figure 'training defects caused by hyperparameters' says 3 of 3, but kb/data/cv-reengineering-defects.csv "
            "gives 2 of 3 for its recompute query; correct 'count' and 'total', or the query.",
            "kb/" + DEFECT,
            8,
            5,
        )
    ]


def test_unknown_column_and_value_suggest_the_right_ones() -> None:
    recompute = RECOMPUTE.replace("Root Causes: Hyperparameters", "Root Cause: Hyperparameters").replace(
        "Part of Implementation: Training", "Part of Implementation: Trainig"
    )
    assert _findings({DEFECT: _defect(2, 3, recompute)}) == [
        _error(
            "unknown-data-column",
            "'cv-reengineering-defects' has no column 'Root Cause'. Did you mean 'Root Causes'?",
            "kb/" + DEFECT,
            15,
            9,
        ),
        _error(
            "unknown-data-value",
            "no row of 'cv-reengineering-defects' has 'Part of Implementation' = 'Trainig'. Did you mean 'Training'?",
            "kb/" + DEFECT,
            17,
            9,
        ),
    ]


def test_a_figure_citing_another_study_than_its_data() -> None:
    text = _defect(2, 3).replace("cite: doe2024study", "cite: roe2020other")
    bib = (BASE_KB / "references.bib").read_text() + (
        "\n@misc{roe2020other,\n  author = {Roe, R.},\n  title = {Other},\n"
        "  year = {2020},\n  eprint = {2001.00002}\n}\n"
    )
    (finding,) = _findings({DEFECT: text, "references.bib": bib})
    assert finding.code == "figure-cite-mismatch"
    assert finding.message == (
        "figure cites 'roe2020other' but its data set 'cv-reengineering-defects' comes from 'doe2024study'; "
        "cite the study whose data it is."
    )


@pytest.mark.parametrize(("csv_text", "code", "message", "line"), [
    (CSV.replace("Hyperparameters,PyTorch", "Hyperparameters"), "malformed-row",
     "row has 4 fields; the header has 5.", 3),
    (CSV.replace("URL,Part of Implementation", "URL,URL", 1), "malformed-data", "header names column 'URL' twice.", 1),
    ("", "malformed-data", "data file is empty; it needs a header row.", 1),
    (CSV.replace("Loss function", '"Loss "function'), "malformed-data",
     "not valid CSV: ',' expected after '\"'.", 4),
    (CSV + "https://x/1,Training,Hyperparameters,pytorch," + "9" * 1001 + "\n", "malformed-row",
     "field 'Issue creation time' is 1001 characters; the limit is 1000.", 6),
])  # fmt: skip
def test_malformed_data_is_located(csv_text: str, code: str, message: str, line: int) -> None:
    assert _findings({"data/cv-reengineering-defects.csv": csv_text}) == [
        _error(code, message, "kb/data/cv-reengineering-defects.csv", line, 1)
    ]


def test_provenance_must_describe_every_column_and_row() -> None:
    text = PROVENANCE.replace("rows: 4", "rows: 5").replace("  Framework: Framework.\n", "")
    assert [(f.code, f.location.line) for f in _findings({"data/cv-reengineering-defects.yaml": text})] == [
        ("data-row-count", 13),
        ("data-columns-differ", 14),
    ]


def test_data_without_provenance_and_query_without_data() -> None:
    findings = _findings({"data/cv-reengineering-defects.yaml": None, DEFECT: _defect(2, 3)})
    assert findings == [
        _error(
            "missing-provenance",
            "data set 'cv-reengineering-defects' has no provenance file; add "
            "kb/data/cv-reengineering-defects.yaml (source repository, commit, licence, citation, columns).",
            "kb/data/cv-reengineering-defects.csv",
            0,
            0,
        )
    ]
    (finding,) = _findings(
        {"data/cv-reengineering-defects.yaml": None, "data/cv-reengineering-defects.csv": None, DEFECT: _defect(2, 3)}
    )
    assert (finding.code, finding.location.line) == ("unknown-dataset", 13)


def test_cases_query_must_select_rows() -> None:
    text = (BASE_KB / DEFECT).read_text() + (
        "cases:\n  dataset: cv-reengineering-defects\n  where:\n    Root Causes: Hyperparameters\n"
        "    Part of Implementation: Environment\n"
    )
    assert _findings({DEFECT: text}) == [
        _error(
            "cases-select-nothing",
            "'cases' selects no row of 'cv-reengineering-defects'; the conditions together match nothing.",
            "kb/" + DEFECT,
            14,
            3,
        )
    ]


def test_scope_is_computed_from_the_data() -> None:
    checked = check(raw_kb_from_mapping(_files({"studies.yaml": STUDIES})))
    assert checked.findings == []
    (scope,) = scopes(checked.kb.studies, checked.kb.datasets).values()
    assert scope.line == (
        "Domain: Reengineering of example models; Period: 2018-01 to 2021-09 (50% before 2020); "
        "Frameworks: PyTorch 50%, Keras 25%, older 25%; Sample: 4 coded defects from 3 issues in 2 repositories; "
        "Method: Coded issues"
    )


def test_scope_records_are_validated() -> None:
    text = STUDIES.replace("  doe2024study:", "  doe2024stdy:").replace("        older: [caffe]\n", "")
    assert [(f.code, f.message, f.location.line) for f in _findings({"studies.yaml": text})] == [
        (
            "unknown-citation",
            "scope record for 'doe2024stdy', which is not in kb/references.bib. Did you mean 'doe2024study'?",
            3,
        ),
        (
            "study-data-mismatch",
            "data set 'cv-reengineering-defects' comes from 'doe2024study', not from 'doe2024stdy'.",
            7,
        ),
        (
            "ungrouped-data-value",
            "framework values ['caffe'] of 'cv-reengineering-defects' are in no group of 'framework_groups'; "
            "add them to a group so the shares add up.",
            12,
        ),
    ]


def test_real_scopes_are_computed_from_the_repository_data() -> None:
    checked = check_folder(ROOT / "kb")
    found = scopes(checked.kb.studies, checked.kb.datasets)
    cv = found["jiang2024reengineering"]
    assert cv.years == "2015-09 to 2021-09 (78% before 2020)"
    assert cv.frameworks == (
        "PyTorch 47%, TensorFlow 23%, Keras 16%, older frameworks (Caffe, Caffe2, MXNet, Lua Torch) 14%"
    )
    assert cv.sample == (
        "348 coded defects from 334 issues in 27 repositories; 12 interviewees in 11 interviews"
        " (6 reengineering-team leaders, 2 open-source contributors, 4 practitioners)"
    )
    onnx = found["jajal2024onnx"]
    assert onnx.sample == "200 coded converter failures from 200 issues in 2 repositories; 92 survey responses"
