"""The hostile corpus: one broken or hostile input per file in ``tests/hostile/``.

Each case is a YAML file (read with PyYAML: the corpus is ours, the files it
writes are the hostile part)::

    about: what the case tries
    class: paths | crash | bounds | degenerate | exports | bibtex | values | messages | unicode | yaml | merge
    files: {kb/practices/x.yaml: "text"}       # laid over the base fixture KB (UTF-8, surrogates kept)
    binary: {kb/practices/x.yaml: "hex"}       # raw bytes instead of text
    remove: [kb/practices/x.yaml]              # files deleted from the base fixture
    links: {kb/practices/x.yaml: outside/secret.yaml}   # symbolic links made at run time
    outside: {secret.yaml: "text"}             # files in a folder beside the repository
    status: {filled.md: "text"}                # files for 'checklist status' (in the work folder)
    repeat: {kb/notes.md: ["text", 1000]}      # large files: the text repeated n times (UTF-8)
    fifos: [kb/practices/pipe.yaml]            # named pipes (reading one must not hang)
    hardlinks: {kb/practices/x.yaml: outside/secret.yaml}   # hard links made at run time
    site: fails | builds                       # whether a site build is expected to fail or succeed
    run:                                       # commands, each with its exact outcome
      - args: [validate]
        exit: 1
        expect: ["kb/practices/x.yaml:3:8: error[code] ..."]   # lines (or parts of lines) printed
        absent: ["OUTSIDE-SECRET"]            # text that must not be printed

Link targets starting with ``outside/`` point into the outside folder; others
are relative to the work folder. Every outside file holds the marker
:data:`SECRET`, which no command may print, and the outside folder must be
byte-identical after every command.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from generator.cli.main import main
from tests.conftest import BASE_KB, TESTS

HOSTILE = TESTS / "hostile"
SECRET = "OUTSIDE-SECRET"


@dataclass
class Case:
    """One corpus case, as read from its file."""

    name: str
    spec: dict[str, Any]

    @property
    def runs(self) -> list[dict[str, Any]]:
        return list(self.spec.get("run") or [])


def load_cases() -> list[Case]:
    """Every case of the corpus, sorted by name."""
    cases = []
    for path in sorted(HOSTILE.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            cases.append(Case(path.stem, yaml.safe_load(handle)))
    return cases


@dataclass
class Workspace:
    """A repository folder with the case's KB and a folder outside it."""

    root: Path
    repo: Path
    outside: Path
    snapshot: dict[str, bytes] = field(default_factory=dict)

    def outside_state(self) -> dict[str, bytes]:
        state = {}
        for path in sorted(self.outside.rglob("*")):
            rel = path.relative_to(self.outside).as_posix()
            state[rel] = path.read_bytes() if path.is_file() else b"<dir>"
        return state


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def make_workspace(case: Case, tmp: Path) -> Workspace:
    """Lay the case out under ``tmp``: ``repo/kb`` (base fixture + edits) and ``outside/``."""
    spec = case.spec
    repo, outside = tmp / "repo", tmp / "outside"
    shutil.copytree(BASE_KB, repo / "kb")
    outside.mkdir()
    (outside / "folder").mkdir()
    _write(outside / "secret.yaml", f"id: secret\ntitle: {SECRET} title\n".encode())
    _write(outside / "folder" / "secret.yaml", f"id: secret\ntitle: {SECRET} probe entry\n".encode())
    for name, text in (spec.get("outside") or {}).items():
        _write(outside / name, text.encode("utf-8", "surrogatepass"))
    for rel in spec.get("remove") or []:
        target = repo / rel
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    for rel, text in (spec.get("files") or {}).items():
        _write(repo / rel, text.encode("utf-8", "surrogatepass"))
    for rel, hexdata in (spec.get("binary") or {}).items():
        _write(repo / rel, bytes.fromhex("".join(hexdata.split())))
    for rel, text in (spec.get("status") or {}).items():
        _write(repo / rel, text.encode("utf-8", "surrogatepass"))
    for rel, (text, times) in (spec.get("repeat") or {}).items():
        _write(repo / rel, text.encode("utf-8", "surrogatepass") * times)
    for rel in spec.get("fifos") or []:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(repo / rel)
    for rel, target in (spec.get("links") or {}).items():
        link = repo / rel
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        elif link.exists() or link.is_symlink():
            link.unlink()
        link.parent.mkdir(parents=True, exist_ok=True)
        goal = outside / target.removeprefix("outside/") if target.startswith("outside/") else repo / target
        link.symlink_to(goal)
    for rel, target in (spec.get("hardlinks") or {}).items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(outside / target.removeprefix("outside/"), repo / rel)
    workspace = Workspace(tmp, repo, outside)
    workspace.snapshot = workspace.outside_state()
    return workspace


@dataclass
class Outcome:
    """What one command did."""

    exit_code: int
    output: str
    stdout: str
    exception: BaseException | None


def run(args: list[str], cwd: Path) -> Outcome:
    """Run the CLI in-process from ``cwd``; exceptions are caught and returned, not raised."""
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(main, args, prog_name="reengineering-kb", env={"COLUMNS": "200"})
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return Outcome(result.exit_code, result.stdout + result.stderr, result.stdout, exception)


def problems(outcome: Outcome, workspace: Workspace) -> list[str]:
    """What is wrong with any run on any case: a traceback, an internal error, a leak, a change outside."""
    found = []
    if outcome.exception is not None:
        found.append(f"exception {type(outcome.exception).__name__}: {outcome.exception}")
    if "Traceback" in outcome.output:
        found.append("a traceback was printed")
    if "internal-error" in outcome.output:
        found.append("an internal error was reported")
    if outcome.exit_code not in (0, 1, 2):
        found.append(f"exit code {outcome.exit_code}")
    if SECRET in outcome.output:
        found.append("content of a file outside the repository was printed")
    if workspace.outside_state() != workspace.snapshot:
        found.append("the folder outside the repository changed")
    return found
