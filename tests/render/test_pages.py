"""The site renderers on the base fixture KB: paths, relations, evidence, safety."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from generator.kb import Checked
from generator.models import FOLDERS, Scenario
from generator.pipeline import check_folder
from generator.render import RENDERERS, render_site
from generator.render.bibformat import Reference, format_reference, latex_to_text, split_authors
from generator.render.context import Site
from generator.render.entities import card_rows
from generator.urls import href, page_url
from tests.conftest import ROOT, graphviz_runs
from tests.site_fixtures import UNSAFE_LINKS, hostile_kb


def text(files: dict[str, str | bytes], path: str) -> str:
    content = files[path]
    assert isinstance(content, str)
    return content


def front(page: str) -> dict[str, object]:
    _, meta, _ = page.split("---\n", 2)
    loaded = yaml.safe_load(meta)
    assert isinstance(loaded, dict)
    return loaded


def test_every_entity_has_a_page_and_every_type_an_index(checked: Checked, files: dict[str, str | bytes]) -> None:
    for entity in checked.kb.entities.values():
        assert f"{FOLDERS[entity.kind]}/{entity.id}.md" in files
    for folder in FOLDERS.values():
        assert f"{folder}/index.md" in files
    for page in ("workflow.md", "coverage.md", "taxonomy.md", "references.md", "downloads.md", "tags.md"):
        assert page in files


def test_rendering_is_deterministic(checked: Checked, files: dict[str, str | bytes]) -> None:
    again, drawn = graphviz_runs(lambda: render_site(checked))
    assert drawn >= 3  # the workflow, the taxonomy and the entity diagrams were drawn again
    assert again == files


def test_entity_front_matter(files: dict[str, str | bytes]) -> None:
    meta = front(text(files, "practices/read-the-reference-code.md"))
    assert meta["title"] == "Read the reference code"
    assert meta["tags"] == ["Practice", "Testing"]
    assert meta["hide"] == ["navigation", "tags"]  # entity pages are not in the nav: no empty sidebar


def test_challenge_lists_the_practices_that_address_it(files: dict[str, str | bytes]) -> None:
    page = text(files, "challenges/under-documented-reference-model.md")
    section = page.split("Practices that address it", 1)[1].split("</section>", 1)[0]
    assert 'href="../practices/read-the-reference-code.html"' in section


def test_defect_lists_detecting_practices_and_subtypes(files: dict[str, str | bytes]) -> None:
    leaf = text(files, "defects/missing-hyperparameter.md")
    assert 'href="../practices/read-the-reference-code.html"' in leaf.split("Practices that detect it", 1)[1]
    root = text(files, "defects/training-defects.md")
    assert 'href="missing-hyperparameter.html"' in root.split("Sub-types", 1)[1]


def test_practice_page_has_card_checklist_evidence_and_edit_link(files: dict[str, str | bytes]) -> None:
    page = text(files, "practices/read-the-reference-code.md")
    assert '<dt>Stage</dt><dd><a class="kb-chip kb-chip--stage" href="../stages/analysis.html"' in page
    assert 'id="item-list-hidden-settings"' in page
    assert '<a class="kb-cite" href="#cite-1"' in page and '<li id="cite-1">' in page
    assert 'href="../references.html#ref-doe2024study"' in page
    assert "/edit/main/kb/practices/read-the-reference-code.yaml" in page


def test_diagram_nodes_link_to_entity_pages(files: dict[str, str | bytes]) -> None:
    page = text(files, "practices/read-the-reference-code.md")
    svg = page.split('<figure class="kb-diagram"', 1)[1].split("</figure>", 1)[0]
    assert '<a href="../challenges/under-documented-reference-model.html">' in svg
    assert 'role="group"' in svg


def test_index_table_links_every_entity(checked: Checked, files: dict[str, str | bytes]) -> None:
    for kind, folder in FOLDERS.items():
        page = text(files, f"{folder}/index.md")
        linked = set(re.findall(r'<a class="kb-index__title" href="([^"]+)\.html"', page))
        assert linked == {e.id for e in checked.kb.of_type(kind)}


def test_bibliography_cited_by(files: dict[str, str | bytes]) -> None:
    page = text(files, "references.md")
    entry = page.split('id="ref-doe2024study"', 1)[1].split("</li>", 1)[0]
    assert 'href="practices/read-the-reference-code.html"' in entry


def test_downloads_are_valid_and_complete(checked: Checked, files: dict[str, str | bytes]) -> None:
    kb = json.loads(text(files, "downloads/kb.json"))
    ids = {e["id"] for group in kb["entities"].values() for e in group}
    assert ids == set(checked.kb.entities)
    graph = json.loads(text(files, "downloads/graph.json"))
    assert {n["id"] for n in graph["nodes"] if n["kind"] != "reference"} == ids
    assert "<graphml" in text(files, "downloads/graph.graphml")
    for kind in FOLDERS:
        json.loads(text(files, f"downloads/schemas/{kind}.schema.json"))


def test_taxonomy_chart_cites_each_figure(files: dict[str, str | bytes]) -> None:
    page = text(files, "taxonomy.md")
    chart = page.split('<figure class="kb-chart"', 1)[1].split("</figure>", 1)[0]
    assert "18/90" in chart and 'href="#cite-1"' in chart
    assert '<li id="cite-1">' in page


def test_coverage_gaps_and_matrix(files: dict[str, str | bytes]) -> None:
    page = text(files, "coverage.md")
    assert "None: every challenge is addressed" in page
    assert page.count('class="kb-hit"') == 1


def test_coverage_lists_practices_per_challenge_when_a_matrix_would_be_too_large(
    checked: Checked, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.render import coverage

    monkeypatch.setattr(coverage, "MATRIX_MAX_COLUMNS", 0)
    page = text(coverage.render_coverage(checked), "coverage.md")
    assert 'class="kb-matrix"' not in page and 'class="kb-hit"' not in page
    assert "## Challenges and their practices" in page
    assert page.count('<a class="kb-chip kb-chip--practice" href="practices/read-the-reference-code.html">') >= 1


def test_workflow_lists_stages_in_order_with_practices(files: dict[str, str | bytes]) -> None:
    page = text(files, "workflow.md")
    assert page.index("1. <a") < page.index("2. <a")
    assert '<a href="practices/read-the-reference-code.html">' in page


def test_renderers_ignore_unsafe_links_even_without_validation(tmp_path: Path) -> None:
    hostile = check_folder(hostile_kb(tmp_path / "kb", unsafe_links=True))
    assert any(f.code == "unsafe-url" for f in hostile.findings)
    for path, content in render_site(hostile).items():
        if isinstance(content, str) and path.endswith(".md"):
            lowered = content.lower()
            assert 'href="javascript:' not in lowered and 'href="data:' not in lowered, path
            assert "<script>alert" not in lowered and "<img src=x" not in lowered, path
    assert UNSAFE_LINKS  # the hostile body did hold them


def test_paths() -> None:
    assert page_url("practice", "x") == "practices/x.html"
    assert href("practices/a.md", "challenges/b.md") == "../challenges/b.html"
    assert href("practices/a.md", "practices/a.md", "cite-1") == "#cite-1"
    assert href("workflow.md", "practices/a.md") == "practices/a.html"


def test_site_renderers_are_registered() -> None:
    modules = {r.__module__.rsplit(".", 1)[-1] for r in RENDERERS}
    expected = {"entities", "indexes", "workflow", "coverage", "taxonomy", "bibliography", "downloads", "tagspage"}
    assert expected <= modules


def test_bibtex_decoding() -> None:
    assert latex_to_text(r"Larivi{\`e}re and Sigbj{\o}rn, Fran{\c{c}}ois -- {ONNX} \& ``q''") == (
        "Larivière and Sigbjørn, François \u2013 ONNX & \u201cq\u201d"
    )
    assert split_authors("Daum{\\'e} III, Hal and Doe, Jane") == ["Hal Daumé III", "Jane Doe"]


def test_reference_links_and_short_citation(checked: Checked) -> None:
    entry = next(iter(checked.kb.bibliography.entries.values()))
    ref = format_reference(entry)
    assert ref.short.endswith(ref.year)
    assert ref.doi_url is None or ref.doi_url.startswith("https://doi.org/10.")


def test_keys_cited_in_text_become_numbered_links(checked: Checked) -> None:
    from markupsafe import Markup

    from generator.render.context import Site
    from generator.render.views import Citations, link_citations

    cites = Citations(Site(checked), "practices/x.md")
    html = link_citations(
        Markup("<p>As doe2024study shows; not <code>doe2024study</code> nor unknown2024key.</p>"), cites
    )
    assert html.count('href="#cite-1"') == 1
    assert "<code>doe2024study</code>" in html and "unknown2024key" in html
    assert [c.key for c in cites.listed] == ["doe2024study"]


def test_an_organisation_author_is_cited_by_its_whole_name() -> None:
    from generator.render.bibformat import corporate_authors, split_authors

    field = "Doe, Jane and {PyTorch Contributors}"
    assert split_authors(field) == ["Jane Doe", "PyTorch Contributors"]
    assert corporate_authors(field) == frozenset({"PyTorch Contributors"})
    assert corporate_authors("{Larivi{\\`e}re}, Ann") == frozenset()


def test_an_organisation_author_is_sorted_by_its_whole_name() -> None:
    from generator.load.bibtex import BibEntry
    from generator.render.bibformat import format_reference, sort_key

    def ref(key: str, author: str) -> Reference:
        return format_reference(BibEntry(key, "misc", {"author": author, "title": "T", "year": "2024"}, 1))

    org, person, later = ref("tf", "{TensorFlow Authors}"), ref("b", "Bach, Anna"), ref("u", "Ulm, Uwe")
    assert sorted([later, org, person], key=sort_key) == [person, org, later]


def test_works_cited_alike_get_a_letter_after_the_year_everywhere() -> None:
    from generator.load.bibtex import BibEntry
    from generator.render.bibformat import _letters, disambiguate, format_reference

    def ref(key: str, author: str, title: str, year: str = "2026") -> Reference:
        return format_reference(BibEntry(key, "online", {"author": author, "title": title, "year": year}, 1))

    refs = {
        r.key: r
        for r in [
            ref("ortb", "{ONNX Runtime Contributors}", "Web: Deploying"),
            ref("orta", "{ONNX Runtime Contributors}", "Execution Providers"),
            ref("ortold", "{ONNX Runtime Contributors}", "Execution Providers", "2025"),
            ref("doe", "Doe, Jane and Roe, Rick and Poe, Pat", "One"),
            ref("doe2", "Doe, Jane and Moe, Max and Zoe, Zed", "Two"),
            ref("solo", "Solo, Sam", "Alone"),
        ]
    }
    out = disambiguate(refs)
    # By title within a group, the same letter wherever the work is cited.
    assert out["orta"].short == "ONNX Runtime Contributors, 2026a"
    assert out["ortb"].short == "ONNX Runtime Contributors, 2026b"
    assert out["ortb"].year_label == "2026b"
    assert out["doe"].short == "Doe et al., 2026a" and out["doe2"].short == "Doe et al., 2026b"
    assert out["ortold"].short == "ONNX Runtime Contributors, 2025"
    assert out["solo"].short == "Solo, 2026" and out["solo"] is refs["solo"]
    assert [_letters(i) for i in (0, 25, 26, 27, 51, 52)] == ["a", "z", "aa", "ab", "az", "ba"]


def test_workflow_diagram_caps_each_stage(checked: Checked, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render import workflow
    from generator.render.context import Site

    monkeypatch.setattr(workflow, "MAX_PER_STAGE", 0)
    dot = workflow.workflow_dot(Site(checked), "workflow.md")
    assert "more practices" in dot
    assert 'URL="stages/' in dot


def test_scenario_card_lists_stages_in_the_scenario_order() -> None:
    checked = check_folder(ROOT / "kb")
    site = Site(checked)
    for scenario in checked.kb.of_type("scenario"):
        assert isinstance(scenario, Scenario)
        doc = f"scenarios/{scenario.id}.md"
        (row,) = [r for r in card_rows(site, scenario, doc) if r.label == "Stage order"]
        assert [c.text for c in row.chips] == [site.link(doc, s).text for s in scenario.order], scenario.id


def test_cards_show_the_situation_keys() -> None:
    checked = check_folder(ROOT / "kb")
    site = Site(checked)

    def rows(entity_id: str) -> dict[str, list[str]]:
        entity = checked.kb.entities[entity_id]
        return {r.label: [c.text for c in r.chips] for r in card_rows(site, entity, f"x/{entity_id}.md")}

    assert "several devices" in rows("distribute-pytorch-training-with-ddp")["Applies when"]
    assert rows("export-object-detectors-to-onnx")["Model families"] == ["Object detection", "YOLO"]
    scenario = next(s for s in checked.kb.of_type("scenario") if isinstance(s, Scenario))
    context = scenario.context.model_copy(update={"multi_device": False, "model_family": ["cnn"]})
    situated = scenario.model_copy(update={"context": context})
    got = {r.label: [c.text for c in r.chips] for r in card_rows(site, situated, "x/y.md")}
    assert "one device" in got["Context"] and got["Model families"] == ["Convolutional network"]
