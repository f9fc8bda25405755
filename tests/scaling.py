"""Counting work on 1, 2 and 3 copies of the real KB: the scaling tests' shared pieces (issue 15).

Each copy (``benchmarks/synthkb.py``) adds the same entities, so linear work
grows by the same number of function calls from 1x to 2x as from 2x to 3x;
a scan of every entity per entity grows by more each time. cProfile counts
Python calls and calls of built-ins, deterministically: no clock.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synthkb import make_kb
from generator.load.files import RawKB, read_kb

ROOT = Path(__file__).resolve().parents[1]
SCALES = (1, 2, 3)


def kb_copies(tmp_path_factory: pytest.TempPathFactory) -> dict[int, RawKB]:
    """The real KB read at each of :data:`SCALES` copies."""
    kbs = {}
    for scale in SCALES:
        dest = tmp_path_factory.mktemp(f"kb{scale}") / "kb"
        make_kb(ROOT / "kb", dest, scale)
        kbs[scale] = read_kb(dest)
    return kbs


def count_calls(work: Callable[[], object], caches: Iterable[Any] = ()) -> int:
    """Function calls ``work`` makes, after emptying ``caches`` (remembered values would carry work over)."""
    for remembered in caches:
        remembered.cache_clear()
    profile = cProfile.Profile()
    profile.enable()
    work()
    profile.disable()
    total: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]  # (not in typeshed)
    return total


def growth(calls: dict[int, int]) -> float:
    """How much more the third copy costs than the second (1.0: linear)."""
    return (calls[3] - calls[2]) / (calls[2] - calls[1])
