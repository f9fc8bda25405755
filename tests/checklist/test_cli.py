"""The checklist command: exports, usage errors (exit 2), status, list; one run on the real KB."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.checklist.compose import Query, compose
from generator.checklist.export import to_csv, to_markdown
from generator.load.gitinfo import UNKNOWN_COMMIT, git_commit
from tests.checklist_kb import checked_kb, write_kb
from tests.conftest import ROOT, run_cli


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder (not a git work tree) holding the fixture KB in kb/."""
    monkeypatch.delenv("SOURCE_COMMIT", raising=False)
    write_kb(tmp_path)
    return tmp_path


def expected(fmt: str, query: Query, done: set[str] | None = None) -> str:
    checklist = compose(checked_kb(), query, commit=UNKNOWN_COMMIT)
    return {"md": to_markdown, "csv": to_csv}[fmt](checklist, done or set())


def test_export_markdown_to_stdout(work: Path) -> None:
    result = run_cli(["checklist", "pytorch-to-onnx-runtime", "--format", "md"], cwd=work)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == expected("md", Query(scenario="pytorch-to-onnx-runtime"))
    assert "commit: unknown" in result.stdout  # not a git work tree


def test_export_is_the_default_subcommand(work: Path) -> None:
    explicit = run_cli(["checklist", "export", "reproduce-paper"], cwd=work)
    implicit = run_cli(["checklist", "reproduce-paper"], cwd=work)
    assert explicit.exit_code == implicit.exit_code == 0
    assert explicit.stdout == implicit.stdout


def test_filters_without_a_scenario_and_output_file(work: Path) -> None:
    out = work / "out" / "port.csv"
    filters = ["--paradigm", "deployment-reuse", "--target", "tflite", "--hardware", "mobile"]
    result = run_cli(["checklist", *filters, "--format", "csv", "-o", str(out)], cwd=work)
    assert result.exit_code == 0
    assert result.stderr == f"wrote {out}\n"
    query = Query(paradigms=("deployment-reuse",), target="tflite", hardware=("mobile",))
    assert out.read_bytes() == expected("csv", query).encode("utf-8")
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,")


def test_html_and_json_formats(work: Path) -> None:
    html = run_cli(["checklist", "tensorflow-to-tflite-mobile", "--format", "html"], cwd=work)
    assert html.exit_code == 0 and html.stdout.startswith("<!DOCTYPE html>")
    data = run_cli(["checklist", "tensorflow-to-tflite-mobile", "--format", "json"], cwd=work)
    assert data.exit_code == 0 and '"query_string": "scenario=tensorflow-to-tflite-mobile"' in data.stdout


def test_no_match_warns(work: Path) -> None:
    result = run_cli(["checklist", "--stage", "analysis", "--tag", "conversion"], cwd=work)
    assert result.exit_code == 0
    assert result.stderr == "warning: no checklist item matches 'stage=analysis&tag=conversion'\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["pytorch-to-onnx"],
            "Invalid value for SCENARIO: unknown scenario 'pytorch-to-onnx'. Did you mean 'pytorch-to-onnx-runtime'? "
            "Known: pytorch-to-onnx-runtime, reproduce-paper, tensorflow-to-tflite-mobile.",
        ),
        (
            ["--target", "tflit"],
            "Invalid value for --target: unknown framework 'tflit'. Did you mean 'tflite'? "
            "Known: onnx, onnx-runtime, pytorch, tensorflow, tflite.",
        ),
        (
            ["--source", "mxnet"],
            "Invalid value for --source: unknown framework 'mxnet'. "
            "Known: onnx, onnx-runtime, pytorch, tensorflow, tflite.",
        ),
        (
            ["--tag", "conversoin"],
            "Invalid value for --tag: unknown tag 'conversoin'. Did you mean 'conversion'? "
            "Known: cnn, conversion, cpu, dependencies, documentation, mobile, onnx, onnx-runtime, pytorch, "
            "tensorflow, testing, tflite, tpu.",
        ),
        (["--stage", "testng"], "Invalid value for --stage: unknown stage 'testng'. Did you mean 'testing'?"),
        (["--hardware", "gpu"], "Invalid value for --hardware: unknown hardware 'gpu'. Did you mean 'tpu'?"),
        (["--paradigm", "reuse"], "Invalid value for --paradigm: unknown paradigm 'reuse'."),
        (
            ["--model-family", "cnns"],
            "Invalid value for --model-family: unknown model family 'cnns'. Did you mean 'cnn'? Known: cnn.",
        ),
        (["--multi-device=yes"], "Option '--multi-device' does not take a value."),
        (["x", "--format", "pdf"], "Invalid value for '--format': 'pdf' is not one of 'md', 'csv', 'json', 'html'."),
    ],
)
def test_usage_errors_exit_2_with_did_you_mean(work: Path, args: list[str], message: str) -> None:
    result = run_cli(["checklist", *args], cwd=work)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr.replace("\n", " ").replace("  ", " ")


def test_missing_kb_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["checklist", "x"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "knowledge-base folder 'kb' not found" in result.stderr


def test_invalid_kb_exits_1(work: Path) -> None:
    (work / "kb" / "practices" / "pin-environment.yaml").write_text("id: pin-environment\n", encoding="utf-8")
    result = run_cli(["checklist", "reproduce-paper"], cwd=work)
    assert result.exit_code == 1
    assert "error[" in result.stderr


def test_status_reports_a_filled_checklist(work: Path) -> None:
    text = expected("md", Query(scenario="pytorch-to-onnx-runtime"), {"pin-environment/lock-file"})
    (work / "todo.md").write_text(text, encoding="utf-8")
    result = run_cli(["checklist", "status", "todo.md"], cwd=work)
    assert result.exit_code == 0
    assert result.stdout == (
        "todo.md: query 'scenario=pytorch-to-onnx-runtime', exported from KB 1.2.3 at commit unknown; "
        "current KB 1.2.3 at commit unknown\n"
        "done: 1 of 4 (25%)\n"
        "open (3):\n"
        "  [ ] pin-environment/pin-versions  Record the exact versions of every dependency.\n"
        "  [ ] compare-converted-outputs/compare-outputs  Compare original and converted outputs on real inputs.\n"
        "  [ ] compare-converted-outputs/record-tolerance  Write down the tolerance used and why it is acceptable.\n"
        "no longer in the checklist: none\n"
        "new since export: none\n"
    )
    gate = run_cli(["checklist", "status", "todo.md", "--require-done", "--format", "json"], cwd=work)
    assert gate.exit_code == 1
    assert '"done": [\n    "pin-environment/lock-file"\n  ]' in gate.stdout


def test_status_names_the_query_parts_it_cannot_read(work: Path) -> None:
    text = expected("md", Query(scenario="pytorch-to-onnx-runtime"), set())
    text = text.replace(
        "query: scenario=pytorch-to-onnx-runtime", "query: scenario=pytorch-to-onnx-runtime&trains=maybe"
    )
    (work / "todo.md").write_text(text, encoding="utf-8")
    result = run_cli(["checklist", "status", "todo.md", "--format", "json"], cwd=work)
    assert result.exit_code == 0
    assert "warning: the file's query has 'trains=maybe', which this version does not read" in result.stderr
    assert json.loads(result.stdout)["query_unread"] == ["trains=maybe"]


def test_status_of_a_csv_with_everything_done(work: Path) -> None:
    query = Query(scenario="tensorflow-to-tflite-mobile")
    every = {i.uid for i in compose(checked_kb(), query).items}
    (work / "done.csv").write_text(expected("csv", query, every), encoding="utf-8", newline="")
    result = run_cli(["checklist", "status", "done.csv", "--require-done"], cwd=work)
    assert result.exit_code == 0
    assert "done: 3 of 3 (100%)\nopen: none\n" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some notes\n", "is not a checklist export: no checklist items found"),
        (b"\xff\xfe\x00", "is not UTF-8 text"),
    ],
)
def test_status_of_a_file_that_is_not_a_checklist(work: Path, content: bytes, message: str) -> None:
    (work / "notes.md").write_bytes(content)
    result = run_cli(["checklist", "status", "notes.md"], cwd=work)
    assert result.exit_code == 2
    assert message in result.stderr


def test_status_of_a_missing_file(work: Path) -> None:
    result = run_cli(["checklist", "status", "nope.md"], cwd=work)
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_list_scenarios(work: Path) -> None:
    result = run_cli(["checklist", "list"], cwd=work)
    assert result.exit_code == 0
    assert result.stdout == (
        "pytorch-to-onnx-runtime        4 items    2 essential  PyTorch to ONNX Runtime\n"
        "reproduce-paper                4 items    2 essential  Reproduce a paper without code\n"
        "tensorflow-to-tflite-mobile    3 items    2 essential  TensorFlow to TFLite on mobile\n"
    )


def test_help(work: Path) -> None:
    result = run_cli(["checklist", "--help"], cwd=work)
    assert result.exit_code == 0
    assert "checklist pytorch-to-onnx-runtime --format md" in result.stdout
    assert "status" in result.stdout and "export" in result.stdout


def test_git_commit_stamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_COMMIT", raising=False)
    assert git_commit(tmp_path) == UNKNOWN_COMMIT
    assert git_commit(tmp_path / "missing") == UNKNOWN_COMMIT
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    assert git_commit(ROOT / "kb") == head.stdout.strip()
    monkeypatch.setenv("SOURCE_COMMIT", "ABCDEF1234567")
    assert git_commit(tmp_path) == "abcdef1234567"
    monkeypatch.setenv("SOURCE_COMMIT", "not a sha")
    assert git_commit(tmp_path) == UNKNOWN_COMMIT


def test_real_kb_pytorch_to_onnx_runtime_markdown() -> None:
    """End to end on the real KB: a useful, stage-ordered checklist with links."""
    result = run_cli(["checklist", "pytorch-to-onnx-runtime", "--format", "md"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("<!-- reengineering-kb checklist | query: scenario=pytorch-to-onnx-runtime |")
    headings = re.findall(r"^### Stage (\d+): (.+)$", text, re.M)
    # Stages follow the scenario's own path ('order'), which for this deployment port puts
    # portability (conversion checks) before integration and optimisation, and are numbered
    # by their place on that path.
    scenario = yaml.safe_load((ROOT / "kb" / "scenarios" / "pytorch-to-onnx-runtime.yaml").read_text())
    title = {s: yaml.safe_load((ROOT / "kb" / "stages" / f"{s}.yaml").read_text())["title"] for s in scenario["order"]}
    expected = [
        (str(n), title[s]) for n, s in enumerate(scenario["order"], start=1) if title[s] in dict(headings).values()
    ]
    assert headings == expected and len(headings) >= 2
    items = re.findall(r"^  - \[ \] .+ <!-- item: ([a-z0-9-]+/[a-z0-9-]+) -->$", text, re.M)
    assert len(items) >= 5 and len(items) == len(set(items))
    practice_links = re.findall(r"^- \*\*\[[^\]]+\]\((https://\S+/practices/[a-z0-9-]+\.html)\)\*\*", text, re.M)
    assert len(practice_links) >= 2
    assert {uid.split("/")[0] for uid in items} == {link.rsplit("/", 1)[1][:-5] for link in practice_links}


def test_help_keeps_the_examples_unwrapped() -> None:
    from tests.conftest import run_cli

    result = run_cli(["checklist", "--help"])
    assert "\\b" not in result.stdout
    assert "\n    checklist pytorch-to-onnx-runtime --format md\n" in result.stdout


def test_importance_option_shortens_the_list_and_rejects_typos() -> None:
    from tests.conftest import run_cli

    full = run_cli(["checklist", "pytorch-to-onnx-runtime", "--format", "json"])
    short = run_cli(["checklist", "pytorch-to-onnx-runtime", "--importance", "essential", "--format", "json"])
    assert full.exit_code == short.exit_code == 0
    full_items, short_items = json.loads(full.stdout)["items"], json.loads(short.stdout)["items"]
    assert 0 < len(short_items) < len(full_items)
    assert {i["id"] for i in short_items} <= {i["id"] for i in full_items}
    assert json.loads(short.stdout)["query"]["importance"] == "essential"
    typo = run_cli(["checklist", "pytorch-to-onnx-runtime", "--importance", "essentail"])
    assert typo.exit_code == 2 and "'essentail' is not one of" in typo.stderr


def test_context_options_narrow_items_and_reach_the_query(work: Path) -> None:
    args = ["checklist", "pytorch-to-onnx-runtime", "--trains", "--no-reference-code", "--precision", "int8"]
    result = run_cli([*args, "--format", "json"], cwd=work)
    assert result.exit_code == 0, result.stderr
    query = Query(scenario="pytorch-to-onnx-runtime", trains=True, reference_code=False, precision=("int8",))
    assert f'"query_string": "{query.to_string()}"' in result.stdout
    assert query.to_string() == "scenario=pytorch-to-onnx-runtime&trains=true&reference_code=false&precision=int8"
    md = run_cli([*args, "--inference-only", "--format", "md"], cwd=work)  # the last of a flag pair wins
    assert md.stdout == expected("md", Query(**{**query.__dict__, "trains": False}))


def test_situation_options_reach_the_query(work: Path) -> None:
    args = ["checklist", "--target", "tflite", "--multi-device", "--model-family", "cnn", "--model-family", "cnn"]
    result = run_cli([*args, "--format", "json"], cwd=work)
    assert result.exit_code == 0, result.stderr
    query = Query(target="tflite", multi_device=True, model_family=("cnn",))
    assert query.to_string() == "target=tflite&multi_device=true&model_family=cnn"
    data = json.loads(result.stdout)
    assert data["query_string"] == query.to_string()
    assert (data["query"]["multi_device"], data["query"]["model_family"]) == (True, ["cnn"])
    assert (data["selection"]["multi_device"], data["selection"]["model_family"]) == (True, ["cnn"])
    md = run_cli([*args, "--single-device", "--format", "md"], cwd=work)  # the last of a flag pair wins
    assert md.exit_code == 0, md.stderr
    assert md.stdout == expected("md", Query(target="tflite", multi_device=False, model_family=("cnn",)))
    assert "query: target=tflite&multi_device=false&model_family=cnn |" in md.stdout


def test_essential_and_compact_options(work: Path) -> None:
    short = run_cli(["checklist", "pytorch-to-onnx-runtime", "--essential", "--compact"], cwd=work)
    assert short.exit_code == 0, short.stderr
    checklist = compose(
        checked_kb(), Query(scenario="pytorch-to-onnx-runtime", importance="essential"), commit=UNKNOWN_COMMIT
    )
    assert short.stdout == to_markdown(checklist, compact=True)
    assert [i.uid for i in checklist.items] == [
        "compare-converted-outputs/compare-outputs",
        "compare-converted-outputs/record-tolerance",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--compact", "--format", "json"], "--compact applies to md, csv and html"),
        (["--essential", "--importance", "recommended"], "--essential and --importance recommended contradict"),
        (
            ["--precision", "fp8"],
            "Invalid value for '--precision': 'fp8' is not one of 'fp32', 'fp16', 'bf16', 'int8'.",
        ),
    ],
)
def test_option_conflicts_are_usage_errors(work: Path, args: list[str], message: str) -> None:
    result = run_cli(["checklist", "pytorch-to-onnx-runtime", *args], cwd=work)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr.replace("\n", " ")
    assert "Traceback" not in result.stderr
