"""One folder per failure mode, with the exact expected output beside it.

Each ``tests/failures/<case>/`` holds ``overlay/`` (files laid over the base
fixture KB), optionally ``remove.txt`` (files to delete) and ``args.txt``
(CLI arguments, default ``validate``), and ``expected.txt``: the exact
stdout. Every case must exit 1 and print no traceback.

Refresh the expectations after an intended change with::

    UPDATE_EXPECTED=1 .venv/bin/python -m pytest tests/test_failure_modes.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import TESTS, run_cli

CASES = sorted(p for p in (TESTS / "failures").iterdir() if p.is_dir())


def _edits(case: Path) -> dict[str, str | bytes | None]:
    edits: dict[str, str | bytes | None] = {}
    overlay = case / "overlay"
    for path in sorted(overlay.rglob("*")):
        if path.is_file():
            edits[path.relative_to(overlay).as_posix()] = path.read_bytes()
    remove = case / "remove.txt"
    if remove.exists():
        edits.update(dict.fromkeys(remove.read_text().split(), None))
    return edits


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_failure_mode(case: Path, kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy(_edits(case))
    args_file = case / "args.txt"
    args = args_file.read_text().split() if args_file.exists() else ["validate"]
    result = run_cli(args, cwd=cwd)
    expected_file = case / "expected.txt"
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text(result.stdout, encoding="utf-8")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stdout == expected_file.read_text(encoding="utf-8")


def test_every_case_has_exactly_one_problem() -> None:
    """The acceptance bar: each broken input yields one clear message."""
    for case in CASES:
        lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        problems = [line for line in lines if "error[" in line or "warning[" in line]
        assert len(problems) == 1, (case.name, lines)
        assert problems[0].startswith("kb/"), problems[0]
