"""Checklist exports grow linearly with the knowledge base (issue 15): counted work, never wall time.

The benchmark's checklist stage (every scenario's checklist in every format)
runs on synthetic KBs at 1x and 3x (``benchmarks/synthkb.py``). Scenarios are
not cloned, so each checklist holds about three times the items at 3x: the
work may grow as much, not more.
"""

from __future__ import annotations

import cProfile
import gc
import pstats
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.synthkb import make_kb
from generator.checklist import compose, export
from generator.kb import Checked
from generator.pipeline import check_folder

ROOT = Path(__file__).resolve().parents[2]
SMALL, LARGE = 1, 3


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Checked]:
    kbs = {}
    for scale in (SMALL, LARGE):
        dest = tmp_path_factory.mktemp(f"kb{scale}") / "kb"
        make_kb(ROOT / "kb", dest, scale)
        kbs[scale] = check_folder(dest)
    return kbs


def _every_export(checked: Checked) -> Iterator[tuple[int, int]]:
    """What the benchmark's checklist stage does; yields (items, bytes) per scenario and format."""
    for scenario in checked.kb.of_type("scenario"):
        checklist = compose.compose(checked, compose.Query(scenario=scenario.id), commit="test")
        for fmt in export.FORMATS:
            yield len(checklist.items), len(export.export(checklist, fmt))


def _calls(checked: Checked) -> tuple[int, int]:
    """Python function calls (and items exported) for every scenario's checklist in every format."""
    profile = cProfile.Profile()
    profile.enable()
    items = sum(n for n, _ in _every_export(checked))
    profile.disable()
    return pstats.Stats(profile).total_calls, items  # type: ignore[attr-defined]  # (not in typeshed)


def test_exports_make_a_linear_number_of_calls(scaled: dict[int, Checked]) -> None:
    small_calls, small_items = _calls(scaled[SMALL])
    large_calls, large_items = _calls(scaled[LARGE])
    assert large_items > 2.5 * small_items  # the checklists really grew
    # Linear work grows like the items (per-scenario constants make it grow less); a scan of
    # practices per item, or of the KB per scenario and item, would grow like their square.
    assert large_calls / small_calls <= 1.1 * large_items / small_items, (small_calls, large_calls)


def test_exports_never_wake_the_full_garbage_collection(scaled: dict[int, Checked]) -> None:
    # A full collection re-scans every object of the checked KB, so its cost grows with the KB
    # each time the exports' allocations set it off: superlinear, 40% of the exports at 10x.
    collections: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.callbacks.append(record)
    try:
        assert gc.isenabled()
        total = sum(size for _, size in _every_export(scaled[LARGE]))
    finally:
        gc.callbacks.remove(record)
    assert total > 0
    assert 2 not in collections, collections
