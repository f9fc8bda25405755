"""The printable page holds every entry of the KB, escaped, with working links."""

from __future__ import annotations

import re

from generator.pipeline import check_folder
from generator.render import RENDERERS
from generator.render.printable import render_printable
from generator.urls import PRINT_PAGE
from tests.conftest import BASE_KB, ROOT


def test_every_entry_is_on_the_printable_page() -> None:
    checked = check_folder(ROOT / "kb")
    page = str(render_printable(checked)[PRINT_PAGE])
    anchors = set(re.findall(r'<section class="kb-print__entry" id="([^"]+)"', page))
    assert anchors == {f"{e.kind}-{e.id}" for e in checked.kb.entities.values()}
    assert render_printable in RENDERERS


def test_printable_page_links_to_entry_pages_and_references() -> None:
    page = str(render_printable(check_folder(BASE_KB))[PRINT_PAGE])
    assert '<a href="practices/read-the-reference-code.html">' in page
    assert 'href="references.html#ref-' in page
    assert page.startswith('---\ntitle: "The whole knowledge base"\n')
