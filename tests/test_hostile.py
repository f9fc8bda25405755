"""The hostile corpus (``tests/hostile/``): exact outcomes, and every command on every case.

:mod:`tests.hostile_cases` describes the case format. Three tests:

* each case's own commands give exactly the exit code and located messages it names;
* every command (validate in three formats, lint, fmt --check --diff, the
  four checklist exports, graph as GraphML and JSON, stats, checklist status
  on the case's filled checklists, then new and fmt, which write) runs on
  every case without a traceback or an internal error, prints nothing from
  outside the repository and changes nothing there; what it exports parses
  back with a standard parser;
* the cases marked ``site`` build (or fail to build, with a located message)
  through the ``site`` command.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from markdown_it import MarkdownIt

from generator.checklist.status import parse_checklist
from generator.markup import FORMULA_STARTS
from tests.conftest import ROOT
from tests.hostile_cases import SECRET, Case, Outcome, Workspace, load_cases, make_workspace, problems, run

CASES = load_cases()
SCENARIO = "pytorch-to-onnx-runtime"


def test_corpus_is_large_and_covers_every_class() -> None:
    assert len(CASES) >= 150
    classes = {case.spec.get("class") for case in CASES}
    assert classes >= {
        "paths",
        "crash",
        "bounds",
        "degenerate",
        "exports",
        "bibtex",
        "values",
        "messages",
        "unicode",
        "yaml",
        "merge",
    }
    for case in CASES:
        assert case.spec.get("about"), case.name
        for spec in case.runs:
            assert "exit" in spec and "args" in spec, case.name


@pytest.mark.sweep
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_outcome(case: Case, tmp_path: Path) -> None:
    workspace = make_workspace(case, tmp_path)
    for spec in case.runs:
        outcome = run([str(a) for a in spec["args"]], workspace.repo)
        assert problems(outcome, workspace) == [], outcome.output
        assert outcome.exit_code == spec["exit"], outcome.output
        for text in spec.get("expect") or []:
            assert text in outcome.output, outcome.output
        for text in spec.get("absent") or []:
            assert text not in outcome.output, outcome.output


# ------------------------------------------------------------------ the sweep

READ_ONLY = [
    ["validate"],
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["lint", "--today", "2026-11-27"],
    ["fmt", "--check", "--diff"],
    *(["checklist", "export", SCENARIO, "--format", fmt] for fmt in ("md", "csv", "json", "html")),
    ["graph", "--format", "graphml"],
    ["graph", "--format", "json"],
    ["stats"],
]
WRITES = [["new", "practice", "Probe entry title"], ["fmt"]]


class _Html(html.parser.HTMLParser):
    pass


def export_problems(args: list[str], stdout: str) -> list[str]:
    """Whether what a command printed parses back with a standard parser for its format."""
    fmt = args[args.index("--format") + 1] if "--format" in args else ""
    try:
        if fmt == "json":
            json.loads(stdout)
        elif fmt == "graphml":
            ET.fromstring(stdout.encode("utf-8"))
            nx.read_graphml(io.BytesIO(stdout.encode("utf-8")))
        elif fmt == "csv":
            return _csv_problems(stdout)
        elif fmt == "md" and args[0] == "checklist":
            return _markdown_problems(stdout)
        elif fmt == "html":
            parser = _Html()
            parser.feed(stdout)
            parser.close()
    except Exception as exc:
        return [f"{fmt} does not parse: {type(exc).__name__}: {exc}"]
    return []


def _csv_problems(text: str) -> list[str]:
    if "\x00" in text:
        return ["NUL in CSV"]
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    found = []
    if len({len(row) for row in rows}) > 1:
        found.append("CSV rows of different lengths")
    for row in rows:
        for cell in row:
            if cell[:1] and cell[0] in FORMULA_STARTS:
                found.append(f"formula cell {cell[:20]!r}")
            if any(0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 or ch == "\u200b" for ch in cell):
                found.append(f"bidi or zero-width character in {cell[:20]!r}")
    return found


def _markdown_problems(text: str) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(text)
    found = []
    for token in [t for tok in tokens for t in [tok, *(tok.children or [])]]:
        if token.type in ("html_block", "html_inline") and not token.content.strip().startswith("<!--"):
            found.append(f"raw HTML in the Markdown export: {token.content[:40]!r}")
        if token.type == "image":
            found.append("an image in the Markdown export")
    items = len(re.findall(r"(?<!\\)<!-- item:", text))  # an escaped one is item text
    if items and len(parse_checklist(text, "x.md").status) != items:
        found.append("checklist status cannot read every item of the export back")
    return found


@pytest.mark.sweep
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_command_survives(case: Case, tmp_path: Path) -> None:
    workspace = make_workspace(case, tmp_path)
    commands = [*READ_ONLY, *(["checklist", "status", name] for name in case.spec.get("status") or {}), *WRITES]
    failures = []
    for args in commands:
        outcome: Outcome = run(args, workspace.repo)
        failures += [f"{' '.join(args)}: {p}" for p in problems(outcome, workspace)]
        if outcome.exit_code == 0 and args[0] in ("checklist", "graph", "validate"):
            failures += [f"{' '.join(args)}: {p}" for p in export_problems(args, outcome.stdout)]
    assert failures == []


# ------------------------------------------------------------------ site builds

FAILING_SITES = [c for c in CASES if c.spec.get("site") == "fails"]
BUILDING_SITES = [c for c in CASES if c.spec.get("site") == "builds"]


def merged(cases: list[Case]) -> Case:
    """One case holding the files of all ``cases`` (each probe practice under its own id), for one build."""
    files: dict[str, str] = {}
    for number, case in enumerate(cases):
        for rel, text in (case.spec.get("files") or {}).items():
            if rel == "kb/practices/hostile-probe.yaml":
                rel = f"kb/practices/hostile-probe-{number}.yaml"
                text = text.replace("id: hostile-probe", f"id: hostile-probe-{number}", 1)
            assert rel not in files, (case.name, rel)
            files[rel] = text
    return Case("merged", {"about": "every case that must build", "files": files, "site": "builds"})


def build_site(case: Case, tmp_path: Path) -> tuple[int, str, Path, Workspace]:
    """Run the ``site`` command on the case's KB; return exit code, output, site folder and workspace."""
    workspace = make_workspace(case, tmp_path)
    site_dir = tmp_path / "site"
    env = {**os.environ, "KB_DIR": str(workspace.repo / "kb"), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "generator", "site", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site_dir)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert SECRET not in output
    assert "internal-error" not in output
    assert workspace.outside_state() == workspace.snapshot
    return result.returncode, output, site_dir, workspace


@pytest.mark.site
@pytest.mark.parametrize("case", FAILING_SITES, ids=[c.name for c in FAILING_SITES])
def test_site_refuses(case: Case, tmp_path: Path) -> None:
    code, output, site_dir, _ = build_site(case, tmp_path)
    assert code == 1, output
    for text in case.spec.get("site_expect") or []:
        assert text in output, output
    assert not site_dir.exists()


@pytest.mark.site
def test_site_builds_every_hostile_text(tmp_path: Path) -> None:
    """One strict build with the text of every case marked ``site: builds`` (backslashes, shortcodes, controls...)."""
    assert len(BUILDING_SITES) >= 8
    code, output, site_dir, _ = build_site(merged(BUILDING_SITES), tmp_path)
    assert code == 0, output
    graphml = (site_dir / "downloads" / "graph.graphml").read_bytes()
    nx.read_graphml(io.BytesIO(graphml))
    json.loads((site_dir / "downloads" / "kb.json").read_text(encoding="utf-8"))
    ET.fromstring((site_dir / "releases.xml").read_bytes())  # the feed: no control character in its texts
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert SECRET not in text
        assert "\u202e" not in text and "\x1b" not in text, page
    for download in [*site_dir.glob("downloads/**/*.csv"), *site_dir.glob("downloads/*.bib"), *site_dir.glob("*.xml")]:
        text = download.read_text(encoding="utf-8")
        assert "\u202e" not in text and "\x1b" not in text, download
    for svg in site_dir.rglob("*.svg"):
        ET.fromstring(svg.read_bytes())
