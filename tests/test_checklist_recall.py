"""Smoke test of benchmarks/checklist_recall.py on a tiny fixture, so the scorer cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.checklist_kb import write_kb
from tests.conftest import ROOT, recall_script

SCRIPT = ROOT / "benchmarks" / "checklist_recall.py"
FIXTURE = ROOT / "tests" / "fixtures" / "checklist_reference"
ADHOC = ROOT / "tests" / "fixtures" / "checklist_reference_adhoc"


recall = recall_script()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The script as a user runs it: a separate process."""
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False, cwd=ROOT)


@pytest.fixture
def call(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``main`` in this process (the edit-loop tier cannot afford a Python start-up per case)."""

    def call(*args: str, cwd: Path = ROOT) -> Result:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = recall.main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return call


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return write_kb(tmp_path)


def test_prints_recall_counts_named_share_and_inapplicable_items(kb: Path) -> None:
    result = run("--kb", str(kb), "--reference", str(FIXTURE), "--misses")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "reference set            checks  items  essential  recall  ess. recall  named  inapplicable\n"
        "pytorch-to-onnx-runtime       4      4          2   75.0%        71.4%  25.0%             0\n"
        "pytorch-to-onnx-runtime: missed eval-mode\n"
        "pytorch-to-onnx-runtime: missed in the essential list eval-mode\n"
    )


def test_json_output_and_targets(kb: Path, call: Callable[..., Result]) -> None:
    result = call("--kb", str(kb), "--reference", str(FIXTURE), "--format", "json", "--targets")
    assert result.returncode == 1  # 75% is below the 90% target
    data = json.loads(result.stdout)
    (row,) = data["scenarios"]
    assert row["recall"] == 0.75 and row["meets_targets"] is False
    assert data["targets"]["essential_items"] == 25


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scenario: pytorch-to-onnx-runtime\nchecks: []\n", "x/pytorch-to-onnx-runtime.yaml:2:1: checks: List should"),
        (
            "scenario: pytorch-to-onnx-runtime\nchecks:\n  - id: a-b\n    check: Check it.\n"
            "    source: {title: Docs, url: 'https://x.org/'}\n    weight: 5\n    match: [a]\n",
            "x/pytorch-to-onnx-runtime.yaml:6:5: checks.0.weight: Input should be less than or equal to 3",
        ),
        (
            "scenario: pytorch-to-onnx-runtime\nchecks:\n  - id: a-b\n    check: Check it.\n"
            "    source: {title: Docs, url: 'https://x.org/'}\n    weight: 1\n    match: ['(unclosed']\n",
            "x/pytorch-to-onnx-runtime.yaml:7:13: check 'a-b': invalid regex: missing ), unterminated subpattern",
        ),
        (
            "scenario: other-scenario\nchecks:\n  - id: a-b\n    check: Check it.\n"
            "    source: {title: Docs, url: 'https://x.org/'}\n    weight: 1\n    match: [a]\n",
            "x/pytorch-to-onnx-runtime.yaml:1:1: scenario 'other-scenario' differs from the file name",
        ),
        ("scenario: [\n", "x/pytorch-to-onnx-runtime.yaml:2:1: "),
    ],
    ids=["empty", "weight", "regex", "scenario", "yaml"],
)
def test_bad_reference_files_are_located_errors(
    kb: Path, tmp_path: Path, text: str, message: str, call: Callable[..., Result]
) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "pytorch-to-onnx-runtime.yaml").write_text(text, encoding="utf-8")
    result = call("--kb", str(kb), "--reference", "x", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert "Traceback" not in result.stderr


def test_an_ad_hoc_set_scores_the_checklist_its_query_composes(kb: Path, call: Callable[..., Result]) -> None:
    result = call("--kb", str(kb), "--reference", str(ADHOC), "--misses")
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("reference set                ")
    # pytorch to onnx-runtime on CPU: the CPU-only and ONNX items join the scenario's four (tests/checklist_kb.py)
    assert lines[1].split() == ["pytorch-to-onnx-runtime-cpu", "2", "6", "2", "100.0%", "100.0%", "16.7%", "0"]
    assert lines[2:] == [
        "pytorch-to-onnx-runtime-cpu: missed none",
        "pytorch-to-onnx-runtime-cpu: missed in the essential list none",
    ]


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (
            "scenario: pytorch-to-onnx-runtime-cpu\nname: pytorch-to-onnx-runtime-cpu\nquery: {source: pytorch}\n",
            "1:1: give either 'scenario' or 'name' and 'query'",
        ),
        ("name: pytorch-to-onnx-runtime-cpu\n", "1:1: give either 'scenario' or 'name' and 'query'"),
        ("query: {source: pytorch}\n", "1:1: an ad-hoc set ('query') needs a 'name'"),
        ("name: other-name\nquery: {source: pytorch}\n", "1:1: name 'other-name' differs from the file name"),
        (
            "name: pytorch-to-onnx-runtime-cpu\nquery: {source: pytorch, hardware: [cpu, watch]}\n",
            "2:42: query: unknown hardware 'watch'.",
        ),
        ("name: pytorch-to-onnx-runtime-cpu\nquery: {gpu: true}\n", "2:9: query.gpu: Extra inputs are not permitted"),
    ],
    ids=["both", "no-query", "no-name", "name", "vocabulary", "unknown-filter"],
)
def test_bad_ad_hoc_sets_are_located_errors(
    kb: Path, tmp_path: Path, head: str, message: str, call: Callable[..., Result]
) -> None:
    checks = (ADHOC / "pytorch-to-onnx-runtime-cpu.yaml").read_text().split("checks:", 1)[1]
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "pytorch-to-onnx-runtime-cpu.yaml").write_text(head + "checks:" + checks, encoding="utf-8")
    result = call("--kb", str(kb), "--reference", "x", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: x/pytorch-to-onnx-runtime-cpu.yaml:{message}"), result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_scenario_and_missing_folder(kb: Path, tmp_path: Path, call: Callable[..., Result]) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "nowhere-scenario.yaml").write_text(
        (FIXTURE / "pytorch-to-onnx-runtime.yaml")
        .read_text()
        .replace("scenario: pytorch-to-onnx-runtime", "scenario: nowhere-scenario"),
        encoding="utf-8",
    )
    result = call("--kb", str(kb), "--reference", str(tmp_path / "r"))
    assert result.returncode == 1 and "scenario 'nowhere-scenario' is not in" in result.stderr
    empty = call("--kb", str(kb), "--reference", str(tmp_path / "none"))
    assert (empty.returncode, empty.stderr) == (1, f"error: no reference sets (*.yaml) in {tmp_path / 'none'}\n")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Call `onnx.checker.check_model(model)`.", True),
        ("Export with opset 17.", True),
        ("Test batch size 1 and 8.", True),
        ("Run the model with onnxruntime on CPU.", True),
        ("Check the execution provider that ran each node.", True),
        ("Quantise to int8 and compare fp16 outputs.", False),
        ("Convert with onnx2tf.", False),
        ("Pin the PyTorch version.", False),
        ("Use a digit-free sentence like this one.", False),
    ],
)
def test_names_something(text: str, named: bool) -> None:
    assert recall.names_something(text) is named
