"""Pages that would grow with the KB split into parts above a threshold (issue 15).

Each renderer is run on a KB of twice the real one with thresholds low
enough to split it: every entry, item and tag must still be on exactly one
part, every part must be linked from the others, and links must resolve
from the part's own folder. Today's KB stays on one page (the golden tree).
"""

from __future__ import annotations

import json
import posixpath
import re

import pytest

from benchmarks.synthkb import make_kb
from generator import urls as paths
from generator.checklist.compose import Query, compose
from generator.kb import Checked
from generator.pipeline import check_folder
from generator.render import bibliography, context, coverage, matrix, relations, tagspage, workflow
from generator.render.checklists import render_checklist_pages
from generator.render.context import Site
from generator.render.indexes import index_pages
from generator.render.paging import chunks, even_chunks, pagers, part_path
from generator.render.printable import render_printable
from generator.render.taxonomy import render_taxonomy
from generator.render.templating import render
from generator.render.views import tag_chips
from tests.conftest import ROOT

COMMIT = "feedface" * 5


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    kb = tmp_path_factory.mktemp("kb2") / "kb"
    make_kb(ROOT / "kb", kb, 2)
    return check_folder(kb)


def part_links(doc: str, page: str) -> list[str]:
    """The docs paths a part's pager lists, in order (the current part is ``doc``)."""
    nav = re.search(r'<nav class="kb-pager".*?</nav>', page, re.S)
    assert nav, "no pager"
    parts = re.search(r'<p class="kb-pager__parts">(.*?)</p>', nav.group(0), re.S)
    assert parts
    found = re.finditer(r'<a href="([^"]+)">|<strong aria-current="page">', parts.group(1))
    return [resolves(doc, m.group(1)) if m.group(1) else doc for m in found]


def resolves(doc: str, href: str) -> str:
    """The docs path a relative link on ``doc`` points to (``.html`` back to ``.md``)."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), href.split("#")[0]))
    return target[:-5] + ".md" if target.endswith(".html") else target


# ------------------------------------------------------------------ the helper


def test_chunks_cut_between_groups_and_keep_heavy_groups_whole() -> None:
    assert chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert chunks(["aaa", "b", "cc", "dddd"], 3, len) == [["aaa"], ["b", "cc"], ["dddd"]]
    assert chunks([], 3) == [[]]


def test_parts_live_in_a_folder_named_after_the_page() -> None:
    assert part_path("print.md", 1) == "print.md"
    assert part_path("print.md", 3) == "print/3.md"
    assert part_path("practices/index.md", 2) == "practices/index/2.md"


def test_pagers_link_every_part_from_every_part() -> None:
    assert pagers("print.md", ["only"]) == [None]
    first, second, third = pagers("print.md", ["a", "b", "c"])
    assert first and second and third
    assert [p.href for p in first.parts] == ["print.html", "print/2.html", "print/3.html"]
    assert [p.href for p in second.parts] == ["../print.html", "2.html", "3.html"]
    assert (first.prev, first.next, second.prev, third.next) == ("", "print/2.html", "../print.html", "")
    assert [p.current for p in third.parts] == [False, False, True] and third.number == 3


# ------------------------------------------------------------------ checklists


def test_a_long_checklist_is_split_into_parts_that_share_its_ticks(checked: Checked) -> None:
    sid = "pytorch-to-onnx-runtime"
    cl = compose(checked, Query(scenario=sid))
    files = render_checklist_pages(checked, COMMIT, part_items=40)
    rest = sorted((p for p in files if p.startswith(f"checklists/{sid}/")), key=lambda p: int(p.rsplit("/", 1)[1][:-3]))
    docs = [paths.checklist_path(sid), *rest]
    assert len(docs) >= 3
    uids, boxes, page_of = [], [], {}
    for doc in docs:
        page = str(files[doc])
        found = re.findall(r'class="rkb-box" id="([^"]+)">.*?<code class="rkb-uid">([^<]+)</code>', page)
        assert len(found) > 0
        boxes += [b for b, _ in found]
        uids += [u for _, u in found]
        page_of |= {u.split("/")[0]: doc for _, u in found}
        assert f'data-rkb-total="{len(cl.items)}"' in page
        assert f'<progress class="rkb-progress__bar" max="{len(cl.items)}"' in page
        assert part_links(doc, page) == docs
    assert uids == [i.uid for i in cl.items]
    assert len(set(boxes)) == len(boxes)
    # No part cuts a practice: all of a practice's items are on the page of its last one.
    for doc in docs:
        uids_here = re.findall(r'<code class="rkb-uid">([^<]+)</code>', str(files[doc]))
        assert all(page_of[u.split("/")[0]] == doc for u in uids_here)


def test_a_short_checklist_stays_on_one_page_without_a_total(checked: Checked) -> None:
    files = render_checklist_pages(checked, COMMIT)
    assert not any(re.match(r"checklists/[^/]+/", p) for p in files)
    assert "data-rkb-total" not in str(files[paths.checklist_path("pytorch-to-onnx-runtime")])


def test_the_checklist_script_counts_and_exports_ticks_of_every_part() -> None:
    script = (ROOT / "docs/assets/checklist/checklist.js").read_text(encoding="utf-8")
    assert 'holder.getAttribute("data-rkb-total")' in script
    assert "exportText(index, cl, fmt, doneAll())" in script
    assert "if (split) storedTicks(scope).forEach(function (uid) { store.remove(storageKey(scope, uid)); });" in script


# ------------------------------------------------------------------ print, indexes


def test_the_printable_kb_is_split_into_parts_holding_every_entry_once(checked: Checked) -> None:
    files = render_printable(checked, part_chars=50_000)
    assert len(files) >= 5
    anchors: list[str] = []
    for doc, page in files.items():
        found = re.findall(r'<section class="kb-print__entry" id="([^"]+)"', str(page))
        assert len(found) > 0
        assert len(str(page)) < 50_000 * 1.5 or len(found) == 1
        anchors += found
        for href in re.findall(r'<h3 class="kb-print__title"><a href="([^"]+)">', str(page)):
            assert resolves(doc, href) in {paths.page_path(e.kind, e.id) for e in checked.kb.entities.values()}
    assert sorted(anchors) == sorted(f"{e.kind}-{e.id}" for e in checked.kb.entities.values())
    assert "print/2.md" in files and part_links("print.md", str(files["print.md"])) == list(files)
    assert str(files["print/2.md"]).startswith('---\ntitle: "The whole knowledge base (part 2: ')


def test_an_index_page_is_split_by_title_with_every_entry_once(checked: Checked) -> None:
    site = Site(checked)
    pages = index_pages(site, "practice", part_rows=30)
    assert list(pages)[:2] == ["practices/index.md", "practices/index/2.md"]
    count = len(checked.kb.of_type("practice"))
    listed = []
    for doc, page in pages.items():
        rows = re.findall(r'<tr data-filter-[^>]*>\s*<td[^>]*><a href="([^"]+)"', page) or re.findall(
            r'<td[^>]*><a class="kb-index__title" href="([^"]+)"', page
        )
        listed += [resolves(doc, h) for h in rows]
        assert f"There are {count} practices" in page
    assert sorted(listed) == sorted(paths.page_path("practice", p.id) for p in checked.kb.of_type("practice"))
    assert index_pages(site, "practice").keys() == {"practices/index.md"}


# ------------------------------------------------------------------ references, matrix, workflow


def test_long_cited_by_lists_are_capped_with_a_count_and_a_page_of_their_own(checked: Checked) -> None:
    files = bibliography.render_bibliography(checked, max_total=10, shown=3)
    site = Site(checked)
    listing = paths.reference_pages(site.references)  # the page, or its part, that lists each key
    extra = {k: v for k, v in files.items() if k not in set(listing.values())}
    assert extra
    for doc, page in extra.items():
        key = next(k for k in site.references if bibliography.cited_by_path(k) == doc)
        citing = site.citing(key)
        assert len(citing) > 3
        assert len(re.findall(r'class="kb-chip', str(page))) == len(citing)
        href = paths.href(listing[key], doc)
        more = f'<a class="kb-bib__more" href="{href}">and {len(citing) - 3} more (all {len(citing)})</a>'
        assert more in str(files[listing[key]])
    total = sum(len(site.citing(k)) for k in site.references)
    assert bibliography.render_bibliography(checked, max_total=total).keys() == set(listing.values())


def test_matrix_columns_and_workflow_lists_show_a_few_and_count_the_rest(checked: Checked) -> None:
    site = Site(checked)
    for column in matrix.columns(site, paths.MATRIX_PAGE, max_cells=3):
        assert len(column.practices) <= 3 and len(column.challenges) <= 3
    full = {c.number: c for c in matrix.columns(site, paths.MATRIX_PAGE)}
    capped = matrix.columns(site, paths.MATRIX_PAGE, max_cells=3)
    assert all(len(full[c.number].practices) == len(c.practices) + c.more_practices for c in capped)
    assert any(c.more_practices for c in capped)
    blocks = workflow.stage_blocks(site, paths.WORKFLOW_PAGE, max_listed=2)
    whole = {b.number: b for b in workflow.stage_blocks(site, paths.WORKFLOW_PAGE)}
    for block in blocks:
        assert len(block.practices) <= 2 and len(block.practices) + block.more == len(whole[block.number].practices)
        essential = [p for p in whole[block.number].practices if p[1] == "Essential"]
        assert [p for p in block.practices if p[1] == "Essential"] == essential[: len(block.practices)]


# ------------------------------------------------------------------ coverage, taxonomy, tags


def test_the_coverage_list_is_split_with_the_statistics_on_the_first_part(
    checked: Checked, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coverage, "MATRIX_MAX_COLUMNS", 10)
    files = coverage.render_coverage(checked, part_rows=20)
    assert len(files) >= 3
    first = str(files[paths.COVERAGE_PAGE])
    assert '<div class="kb-stats">' in first
    assert all('<div class="kb-stats">' not in str(p) for d, p in files.items() if d != paths.COVERAGE_PAGE)
    challenges = [c for d, p in files.items() for c in re.findall(r"<tr><td><a href=\"([^\"]+)\"", str(p))]
    assert len(challenges) >= len(checked.kb.of_type("challenge")) - 2  # deprecated ones are not counted


def test_the_taxonomy_is_split_into_parts_of_whole_trees(checked: Checked) -> None:
    files = render_taxonomy(checked, part_types=20)
    assert len(files) >= 2
    roots = [resolves(d, h) for d, p in files.items() for h in re.findall(r'<figcaption><a href="([^"]+)">', str(p))]
    assert sorted(roots) == sorted(
        paths.page_path("defect", d.id) for d in checked.kb.of_type("defect") if not getattr(d, "parent", None)
    )
    listed = {resolves(d, h) for d, p in files.items() for h in re.findall(r'href="([^"#]*defects/[^"#]+)"', str(p))}
    assert listed == {paths.page_path("defect", d.id) for d in checked.kb.of_type("defect")}


def test_the_tags_page_is_split_and_chips_link_to_the_part_with_the_tag(
    checked: Checked, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "TAGS_PART_ENTRIES", 100)
    site = Site(checked)
    files = tagspage.render_tags(checked)
    assert len(files) == len(site.tag_parts) >= 3
    included = []
    for doc, page in files.items():
        marker = re.search(r"<!-- material/tags (\{.*?\}) -->", str(page))
        assert marker
        names = json.loads(marker.group(1))["include"]
        assert all(site.tag_pages[n] == doc for n in names)
        included += names
    every = {n for e in checked.kb.entities.values() for n in site.tag_names(e)}
    assert sorted(included) == sorted(every)
    practice = checked.kb.of_type("practice")[0]
    for chip in tag_chips(site, paths.page_path("practice", practice.id), practice):
        assert resolves(paths.page_path("practice", practice.id), chip.href) == site.tag_pages[chip.text]


def test_the_tags_marker_cannot_be_closed_by_a_tag_name() -> None:
    marker = tagspage.listing_marker(["a --> <b> & c"])
    assert marker.count("-->") == 1 and "<b>" not in marker
    assert json.loads(marker.removeprefix("<!-- material/tags ").removesuffix(" -->")) == {"include": ["a --> <b> & c"]}
    assert tagspage.listing_marker(None) == "<!-- material/tags -->"


def test_long_relation_groups_keep_the_best_supported_and_point_to_the_index(checked: Checked) -> None:
    site = Site(checked)
    doc = paths.page_path("paradigm", "conceptual-reuse")
    whole = {g.heading: g for g in relations.relation_groups(site, "conceptual-reuse", doc)}
    capped = relations.relation_groups(site, "conceptual-reuse", doc, max_links=5)
    assert any(g.more for g in capped)
    for group in capped:
        full = whole[group.heading]
        assert group.links == full.links[:5] and group.more == len(full.links) - len(group.links)
        if group.more:
            assert resolves(doc, group.more_href).endswith("/index.md")
    assert not any(g.more for g in whole.values())


def test_a_long_cited_by_page_is_itself_split(checked: Checked, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bibliography, "CITED_BY_PART", 4)
    files = bibliography.render_bibliography(checked, max_total=10, shown=3)
    site = Site(checked)
    key = max(site.references, key=lambda k: len(site.citing(k)))
    first = bibliography.cited_by_path(key)
    docs = [d for d in files if d == first or d.startswith(first.removesuffix(".md") + "/")]
    assert len(docs) == -(-len(site.citing(key)) // 4)
    listed = [resolves(d, h) for d in docs for h in re.findall(r'class="kb-chip[^"]*" href="([^"]+)"', str(files[d]))]
    assert sorted(listed) == sorted(paths.page_path(site.entities[i].kind, i) for i in site.citing(key))
    assert part_links(first, str(files[first])) == docs


def test_even_chunks_share_the_weight() -> None:
    assert even_chunks(list(range(10)), 4) == [[0, 1, 2], [3, 4, 5, 6], [7, 8, 9]]
    assert even_chunks(["aa", "aa", "aa", "a"], 4, len) == [["aa", "aa"], ["aa", "a"]]
    assert even_chunks(["aaaaaa", "a", "a"], 4, len) == [["aaaaaa"], ["a", "a"]]
    assert even_chunks(list(range(5)), 10) == [[0, 1, 2, 3, 4]]
    assert even_chunks([], 4) == [[]]


def test_part_labels_are_escaped() -> None:
    pager = pagers("print.md", ["<script>alert(1)</script>", "b & c"])[0]
    out = render("parts/pager.html.j2", pager=pager)
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "b &amp; c" in out


# ------------------------------------------------------------------ the references page in parts


def test_reference_pages_keep_one_page_up_to_the_limit_then_cut_by_key() -> None:
    keys = ["b2020", "A2021", "c2019", "a2020", "d2018"]
    assert set(paths.reference_pages(keys, 5).values()) == {paths.BIBLIOGRAPHY_PAGE}
    pages = paths.reference_pages(keys, 2)
    # Case-insensitive key order, three parts of near-equal size (2, 2, 1).
    assert pages == {
        "a2020": "references.md",
        "A2021": "references.md",
        "b2020": "references/2.md",
        "c2019": "references/2.md",
        "d2018": "references/3.md",
    }
    assert paths.reference_pages([], 2) == {}
    # Pager labels cut keys just past what the neighbouring part shares with them.
    parts = [["acl2021x", "jiang2023ptm"], ["jiang2024re", "onnx2026"], ["opt2026", "zha2025"]]
    assert bibliography._part_labels(parts) == ["acl to jiang2023", "jiang2024 to onn", "opt to zha"]


def test_a_long_references_page_is_split_and_every_citation_links_to_its_part(
    checked: Checked, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "REFERENCES_PART", 100)
    keys = list(checked.kb.bibliography.entries)
    files = bibliography.render_bibliography(checked)
    parts = [d for d in files if d == paths.BIBLIOGRAPHY_PAGE or re.fullmatch(r"references/[0-9]+\.md", d)]
    assert len(parts) == -(-len(keys) // 100) >= 3
    listed: dict[str, str] = {}
    for doc in parts:
        page = str(files[doc])
        assert part_links(doc, page) == parts
        for anchor in re.findall(r'<li id="(ref-[^"]+)">', page):
            listed[anchor] = doc
    # Every reference is listed once, on the part every stage links to.
    assert len(listed) == len(keys)
    assert {paths.reference_anchor(k): checked.kb.reference_page(k) for k in keys} == listed
    # The numbering runs on across parts.
    assert '<ol class="kb-bib" start="' in str(files[parts[1]])
    site = Site(checked)
    practice = next(p for p in checked.kb.of_type("practice") if p.evidence)
    doc = paths.page_path("practice", practice.id)
    for ev in practice.evidence:
        href = site.cite_href(doc, ev.cite)
        assert resolves(doc, href) == listed[paths.reference_anchor(ev.cite)]
        assert href.endswith("#" + paths.reference_anchor(ev.cite))
    # Checklist exports and the printable KB link to the same parts.
    cl = compose(checked, Query(scenario="pytorch-to-onnx-runtime"), commit="split" * 8)  # not the memo's
    assert any(name.startswith("cite:") for name in cl.urls)
    for name, url in cl.urls.items():
        if name.startswith("cite:"):
            anchor = paths.reference_anchor(name.removeprefix("cite:"))
            assert url.endswith("/" + paths.url_of(listed[anchor]) + "#" + anchor)
    printed = render_printable(checked)
    for page_doc, page in printed.items():
        for href, anchor in re.findall(r'href="([^"#]*references[^"#]*)#(ref-[^"]+)"', str(page)):
            assert resolves(page_doc, href) == listed[anchor]
