"""Entity pages grow linearly with the knowledge base (issue 15): counted work, never wall time.

``render_entities`` runs on synthetic KBs of 1, 2 and 3 copies of the real
one (``benchmarks/synthkb.py``). Each copy adds the same pages, so linear
work grows by the same number of function calls from 1x to 2x as from 2x to
3x; a scan of every entity per page (a defect type's sub-types found by
scanning every defect type, links or ranks recomputed per page) grows by
more each time. Graphviz is left out: each page's diagram is one process,
and its DOT text is what is counted.
"""

from __future__ import annotations

from functools import partial

import pytest

from generator import markup, urls
from generator.kb import Checked
from generator.pipeline import check
from generator.render import diagrams, entities, evidence, views
from tests.scaling import count_calls, growth, kb_copies

#: Remembered values that would carry work over from a smaller KB to a larger one.
CACHES = (
    markup.gfm_text,
    markup.markdown_inline,
    markup.markdown_block,
    diagrams._label,
    diagrams._quote,
    diagrams._bare_or_quoted,
    evidence._slug,
    views.chip,
    urls._relative,
)


@pytest.fixture(scope="module")
def checked_kbs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Checked]:
    return {scale: check(raw) for scale, raw in kb_copies(tmp_path_factory).items()}


def _no_graphviz(sources: list[str]) -> list[str]:
    return ['<svg width="8pt" height="8pt"></svg>' for _ in sources]


def test_entity_pages_make_a_linear_number_of_calls(
    checked_kbs: dict[int, Checked], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(entities, "render_all", _no_graphviz)
    pages = {scale: len(entities.render_entities(checked)) for scale, checked in checked_kbs.items()}  # warm up
    assert pages[3] - pages[2] == pages[2] - pages[1] > 0
    calls = {
        scale: count_calls(partial(entities.render_entities, checked), CACHES) for scale, checked in checked_kbs.items()
    }
    # 1.0005 now; 1.0058 while sub-types, ranks and links were found or made again on every page.
    assert growth(calls) <= 1.003, calls
