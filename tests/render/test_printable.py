"""The printable page holds every entry of the KB, escaped, with working links."""

from __future__ import annotations

import re

from generator.pipeline import check_folder
from generator.render import RENDERERS
from generator.render.printable import _entry, _weight, render_printable
from generator.urls import PRINT_PAGE
from tests.conftest import BASE_KB, ROOT


def test_every_entry_is_printed_once() -> None:
    """Across the parts, if the KB has grown past one page: the test must not break as content grows."""
    checked = check_folder(ROOT / "kb")
    pages = render_printable(checked)
    anchors = [
        a for page in pages.values() for a in re.findall(r'<section class="kb-print__entry" id="([^"]+)"', str(page))
    ]
    assert sorted(anchors) == sorted(f"{e.kind}-{e.id}" for e in checked.kb.entities.values())
    assert PRINT_PAGE in pages
    assert render_printable in RENDERERS


def test_the_size_estimate_follows_the_real_html() -> None:
    """Parts are cut by the estimate: within a fifth of each entry's printed HTML, and never far below it."""
    checked = check_folder(ROOT / "kb")
    page = str(render_printable(checked, part_chars=10**9)[PRINT_PAGE])
    printed = dict(re.findall(r'<section class="kb-print__entry" id="([^"]+)"[^>]*>(.*?)</section>', page, re.S))
    for entity in checked.kb.entities.values():
        estimate = _weight(_entry(entity, PRINT_PAGE, checked.kb))
        real = len(printed[f"{entity.kind}-{entity.id}"])
        assert 0.8 * estimate <= real <= 1.2 * estimate, (entity.id, real, estimate)


def test_printable_page_links_to_entry_pages_and_references() -> None:
    page = str(render_printable(check_folder(BASE_KB))[PRINT_PAGE])
    assert '<a href="practices/read-the-reference-code.html">' in page
    assert 'href="references.html#ref-' in page
    assert page.startswith('---\ntitle: "The whole knowledge base"\n')
