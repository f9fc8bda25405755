"""Shared test helpers: fixture KBs and a CLI runner."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.render import svg

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
BASE_KB = TESTS / "fixtures" / "base" / "kb"


@dataclass
class CliResult:
    """What a CLI run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str


@functools.cache
def recall_script() -> ModuleType:
    """``benchmarks/checklist_recall.py`` loaded as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("checklist_recall", ROOT / "benchmarks" / "checklist_recall.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["checklist_recall"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run_cli(args: list[str], cwd: Path | None = None) -> CliResult:
    """Run the CLI in-process, from ``cwd`` (default: the repository root)."""
    with contextlib.chdir(cwd or ROOT):
        result = CliRunner().invoke(main, args, catch_exceptions=False, prog_name="reengineering-kb")
    return CliResult(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Copy the base fixture KB into ``tmp_path/kb``, then apply edits.

    Call it with ``{relative path: text or bytes or None}``; None deletes.
    Returns the working directory (``tmp_path``), whose ``kb/`` is the KB.
    """

    def make(edits: dict[str, str | bytes | None] | None = None) -> Path:
        target = tmp_path / "kb"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(BASE_KB, target)
        for rel, content in (edits or {}).items():
            path = target / rel
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp_path

    yield make


def graphviz_runs(render: Callable[[], object]) -> tuple[object, int]:
    """Call ``render`` with the SVG cache emptied; return its result and how many diagrams Graphviz drew.

    Determinism tests render twice; without this the second render would
    take every SVG from the first one's cache and never run Graphviz again.
    """
    svg.svg_of.cache_clear()
    result = render()
    return result, svg.svg_of.cache_info().misses


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tiers in order: unit and CLI tests first, then site builds, browser tests last."""

    def tier(item: pytest.Item) -> int:
        if item.get_closest_marker("browser"):
            return 2
        return 1 if item.get_closest_marker("site") else 0

    items.sort(key=tier)
