"""The checklist stage grows linearly with the knowledge base (issue 15): counted work, never wall time.

The benchmark's checklist stage checks a KB, then exports every scenario's
checklist in every format. Here it runs on synthetic KBs made of 1, 2 and 3
copies of the real one (``benchmarks/synthkb.py``). Each copy adds the same
entities, so linear work grows by the same number of function calls from 1x
to 2x as from 2x to 3x; a scan of every entity per entity, or of every
practice per item, grows by more each time. cProfile counts Python calls and
calls of built-ins (``isinstance`` in a scan), deterministically.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from functools import partial

import pytest

from generator import markup
from generator.checklist import compose, export
from generator.kb import Checked
from generator.load.files import RawKB
from generator.pipeline import check
from generator.render import checklists, coverage, downloads, printable
from tests.scaling import count_calls, growth, kb_copies


@pytest.fixture(scope="module")
def raw_kbs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, RawKB]:
    return kb_copies(tmp_path_factory)


@pytest.fixture(scope="module")
def checked_kbs(raw_kbs: dict[int, RawKB]) -> dict[int, Checked]:
    return {scale: check(raw) for scale, raw in raw_kbs.items()}


def _every_export(checked: Checked) -> Iterator[int]:
    """What the benchmark's checklist stage does after checking: the size of each export."""
    for scenario in checked.kb.of_type("scenario"):
        checklist = compose.compose(checked, compose.Query(scenario=scenario.id), commit="test")
        for fmt in export.FORMATS:
            yield len(export.export(checklist, fmt))


def _export_all(checked: Checked) -> int:
    return sum(_every_export(checked))


#: Remembered renderings would carry work over from the smaller KB.
CACHES = (markup.gfm_text, markup.markdown_inline, markup.markdown_block)


def test_exports_make_a_linear_number_of_calls(checked_kbs: dict[int, Checked]) -> None:
    _export_all(checked_kbs[1])  # warm up (templates, regular expressions)
    calls = {scale: count_calls(partial(_export_all, checked), CACHES) for scale, checked in checked_kbs.items()}
    assert calls[1] < calls[2] < calls[3]
    assert growth(calls) <= 1.005, calls  # 0.998 now


def test_checking_makes_a_linear_number_of_calls(raw_kbs: dict[int, RawKB]) -> None:
    check(raw_kbs[1])  # the first check in a process warms caches (regular expressions, models): not growth
    calls = {scale: count_calls(partial(check, raw), CACHES) for scale, raw in raw_kbs.items()}
    assert calls[1] < calls[2] < calls[3]
    # 1.000 now; 1.014 while defect sub-types were found by scanning every entity per defect type.
    assert growth(calls) <= 1.005, calls


def test_exports_never_wake_the_full_garbage_collection(checked_kbs: dict[int, Checked]) -> None:
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
        total = sum(_every_export(checked_kbs[3]))
    finally:
        gc.callbacks.remove(record)
    assert total > 0
    assert 2 not in collections, collections


def _render_checklists_and_downloads(checked: Checked, scale: int) -> int:
    """The site's renderers of checklists, downloads, the printable KB and coverage: the size of their files.

    Their page-splitting thresholds are scaled with the KB (as ``tests/test_scale_pages.py`` does), so
    each scale has the same number of parts: the test compares the work, not where pages are cut.
    """
    files = {
        **checklists.render_checklist_pages(checked, "test", part_items=40 * scale),
        **downloads.render_downloads(checked),
        **printable.render_printable(checked, part_chars=40_000 * scale),
        **coverage.render_coverage(checked, part_rows=10 * scale),
    }
    return sum(len(text) for text in files.values())


def test_checklist_pages_and_downloads_make_a_linear_number_of_calls(
    raw_kbs: dict[int, RawKB], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coverage, "MATRIX_MAX_COLUMNS", 0)  # the list form at every scale, as on a large KB
    # Freshly checked KBs: a checked KB remembers its composed checklists and entity dumps. Warmed up on
    # the largest: the graph exports keep the last KB's result (for make serve), never a smaller one's.
    _render_checklists_and_downloads(check(raw_kbs[3]), 3)
    fresh = {scale: check(raw) for scale, raw in raw_kbs.items()}
    calls = {
        scale: count_calls(partial(_render_checklists_and_downloads, kb, scale), CACHES) for scale, kb in fresh.items()
    }
    assert calls[1] < calls[2] < calls[3]
    # 0.99 now, 1.00 before these renderers shared item rows, entity dumps and the builder's export entries.
    assert growth(calls) <= 1.005, calls
