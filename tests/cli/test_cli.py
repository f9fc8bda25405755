"""CLI tests: exact text and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

TYPO = {
    "practices/read-the-reference-code.yaml": (ROOT / "tests/fixtures/base/kb/practices/read-the-reference-code.yaml")
    .read_text()
    .replace("addresses: [under-documented-reference-model]", "addresses: [undocumented-model]")
}
TYPO_LINE = (
    "kb/practices/read-the-reference-code.yaml:7:13: error[unknown-reference] unknown challenge "
    "'undocumented-model' in 'addresses'. Did you mean 'under-documented-reference-model'?"
)


def test_validate_clean(kb_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["validate", "--strict"], cwd=kb_copy())
    assert (result.exit_code, result.stdout, result.stderr) == (0, "0 errors, 0 warnings in 11 files\n", "")


def test_validate_text(kb_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["validate"], cwd=kb_copy(TYPO))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [TYPO_LINE, "1 error, 0 warnings in 11 files"]


def test_validate_github_annotations_land_on_the_line(kb_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["validate", "--format", "github"], cwd=kb_copy(TYPO))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=kb/practices/read-the-reference-code.yaml,line=7,col=13,title=unknown-reference::"
        "unknown challenge 'undocumented-model' in 'addresses'. Did you mean 'under-documented-reference-model'?"
    )


def test_validate_json(kb_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["validate", "--format", "json"], cwd=kb_copy(TYPO))
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["summary"] == {"errors": 1, "files": 11, "warnings": 0}
    assert report["findings"][0]["location"] == {
        "path": "kb/practices/read-the-reference-code.yaml",
        "line": 7,
        "col": 13,
        "key_path": ["addresses", 0],
    }


def test_strict_fails_on_warnings(kb_copy) -> None:  # type: ignore[no-untyped-def]
    bib = (ROOT / "tests/fixtures/base/kb/references.bib").read_text()
    bib += "\n@misc{roe2020x,\n  author={R},\n  title={T},\n  year={2020},\n  eprint={1}\n}\n"
    cwd = kb_copy({"references.bib": bib})
    assert run_cli(["validate"], cwd=cwd).exit_code == 0
    strict = run_cli(["validate", "--strict"], cwd=cwd)
    assert strict.exit_code == 1
    assert strict.stdout.endswith("0 errors, 1 warning in 11 files\n")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run_cli(["validate", "--kb", "nowhere"], cwd=tmp_path)
    assert missing.exit_code == 2
    assert "knowledge-base folder 'nowhere' not found" in missing.stderr
    assert run_cli(["validate", "--format", "xml"], cwd=tmp_path).exit_code == 2
    assert run_cli(["valdate"], cwd=tmp_path).exit_code == 2


def test_graph_formats(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    svg = run_cli(["graph", "--format", "svg"], cwd=cwd)
    assert svg.exit_code == 0 and svg.stdout.startswith("<?xml") and "</svg>" in svg.stdout
    data = json.loads(run_cli(["graph", "--format", "json"], cwd=cwd).stdout)
    assert {n["id"] for n in data["nodes"]} >= {"read-the-reference-code", "cite:doe2024study"}
    graphml = run_cli(["graph", "--format", "graphml"], cwd=cwd).stdout
    assert "<graphml" in graphml and 'id="read-the-reference-code"' in graphml
    focus = run_cli(["graph", "--focus", "analysis", "--depth", "1", "--format", "json"], cwd=cwd)
    ids = {n["id"] for n in json.loads(focus.stdout)["nodes"]}
    assert ids == {"analysis", "testing", "read-the-reference-code", "under-documented-reference-model"}


def test_graph_unknown_focus_and_invalid_kb(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    bad = run_cli(["graph", "--focus", "analisys"], cwd=cwd)
    assert bad.exit_code == 2 and "Did you mean 'analysis'?" in bad.stderr
    broken = run_cli(["graph"], cwd=kb_copy(TYPO))
    assert broken.exit_code == 1 and broken.stdout == "" and TYPO_LINE in broken.stderr


def test_graph_writes_file(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    result = run_cli(["graph", "--format", "dot", "-o", "out/graph.dot"], cwd=cwd)
    assert result.exit_code == 0 and result.stderr == "wrote out/graph.dot\n"
    assert (cwd / "out/graph.dot").read_text().startswith('digraph "reengineering-kb"')


def test_stats(kb_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["stats"], cwd=kb_copy())
    assert result.exit_code == 0
    assert result.stdout == (
        "paradigms           1\n"
        "stages              2\n"
        "challenges          1\n"
        "practices           1\n"
        "defects             2\n"
        "scenarios           1\n"
        "checklist items     1\n"
        "references          1\n"
        "coverage gaps: 0\n"
        "findings: 0 errors, 0 warnings\n"
        "evidence by strength: 1 reported\n"
        "effect relations: 0 with evidence, 0 with judgement, 2 with no basis\n"
    )


def test_new_scaffold_is_flagged_until_filled(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    made = run_cli(["new", "practice", "Pin & record versions!"], cwd=cwd)
    assert made.exit_code == 0
    assert made.stdout.strip() == "kb/practices/pin-record-versions.yaml"
    text = (cwd / "kb/practices/pin-record-versions.yaml").read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=../../schemas/practice.schema.json\nid: pin-record-versions\n"
    )
    result = run_cli(["validate"], cwd=cwd)
    assert result.exit_code == 1
    codes = {line.split("[")[1].split("]")[0] for line in result.stdout.splitlines() if "error[" in line}
    assert codes == {"todo-marker"}
    again = run_cli(["new", "practice", "Pin & record versions"], cwd=cwd)
    assert again.exit_code == 1 and "already exists" in again.stderr


@pytest.mark.parametrize("kind", ["paradigm", "stage", "challenge", "practice", "defect", "scenario"])
def test_every_scaffold_parses_and_only_todo_markers_fail(kb_copy, kind: str) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    assert run_cli(["new", kind, f"Brand new {kind}"], cwd=cwd).exit_code == 0
    result = run_cli(["validate"], cwd=cwd)
    codes = {line.split("[")[1].split("]")[0] for line in result.stdout.splitlines() if "error[" in line}
    assert codes == {"todo-marker"}, result.stdout


def test_schema_check_detects_staleness(tmp_path: Path) -> None:
    assert run_cli(["schema", "--out", str(tmp_path)], cwd=ROOT).exit_code == 0
    assert run_cli(["schema", "--out", str(tmp_path), "--check"], cwd=ROOT).exit_code == 0
    (tmp_path / "practice.schema.json").write_text("{}")
    stale = run_cli(["schema", "--out", str(tmp_path), "--check"], cwd=ROOT)
    assert stale.exit_code == 1 and "practice.schema.json: out of date" in stale.stderr


@pytest.mark.parametrize("command", ["validate", "graph", "schema", "stats", "new"])
def test_every_command_has_help(command: str) -> None:
    result = run_cli([command, "--help"])
    assert result.exit_code == 0 and "Usage: reengineering-kb" in result.stdout


def test_module_entry_point_runs_as_a_process(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy(TYPO)
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 1
    assert TYPO_LINE in proc.stdout and "Traceback" not in proc.stderr


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "ascii"])
def test_exports_are_utf8_whatever_the_locale_says(kb_copy, encoding: str) -> None:  # type: ignore[no-untyped-def]
    """Under a Latin-1 locale an emoji in a title stopped exports with an internal UnicodeEncodeError."""
    practice = (ROOT / "tests/fixtures/base/kb/practices/read-the-reference-code.yaml").read_text(encoding="utf-8")
    titled = practice.replace("title: Read the reference code", "title: Read é 😀")
    cwd = kb_copy({"practices/read-the-reference-code.yaml": titled})
    for args in (["checklist", "export", "pytorch-to-onnx-runtime", "--format", "json"], ["graph"]):
        proc = subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": encoding},
        )
        assert proc.returncode == 0, proc.stderr
        assert "Read é 😀" in proc.stdout.decode("utf-8")
