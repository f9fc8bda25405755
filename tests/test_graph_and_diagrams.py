"""Unit tests of the link stage (graph) and DOT generation."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from generator.graph import (
    Relation,
    coverage,
    neighbourhood,
    practices_by_stage,
    related,
    relations,
    subtypes,
    taxonomy_roots,
)
from generator.kb import Checked
from generator.markup import dot_quote
from generator.pipeline import check_folder
from generator.render.context import Site
from generator.render.diagrams import DiagramError, DotNotFound, GraphvizFailed, dot_graph, render_svg, to_dot
from generator.render.neighbourhood import diagram_graph
from generator.render.svg import _cut, compact, inline
from tests.conftest import BASE_KB


@pytest.fixture(scope="module")
def checked() -> Checked:
    return check_folder(BASE_KB)


def test_typed_nodes_and_edges(checked: Checked) -> None:
    graph = checked.graph
    assert graph.nodes["read-the-reference-code"]["kind"] == "practice"
    assert graph.nodes["cite:doe2024study"]["kind"] == "reference"
    edges = sorted((s, t, d["relation"]) for s, t, d in graph.edges(data=True))
    assert ("read-the-reference-code", "under-documented-reference-model", "addresses") in edges
    assert ("testing", "analysis", "feeds-back-to") in edges
    assert ("missing-hyperparameter", "training-defects", "parent") in edges
    assert ("read-the-reference-code", "cite:doe2024study", "cites") in edges
    assert ("missing-hyperparameter", "cite:doe2024study", "cites") in edges


def test_relations_read_both_ways(checked: Checked) -> None:
    assert Relation("addressed by", "read-the-reference-code", False) in relations(
        checked.graph, "under-documented-reference-model"
    )
    assert related(checked.graph, "missing-hyperparameter", "detects", incoming=True) == ["read-the-reference-code"]
    assert subtypes(checked.graph, "training-defects") == ["missing-hyperparameter"]
    assert taxonomy_roots(checked.graph) == ["training-defects"]


def test_neighbourhood_depth_and_references(checked: Checked) -> None:
    one = neighbourhood(checked.graph, "under-documented-reference-model", 1)
    assert sorted(one.nodes) == [
        "analysis",
        "conceptual-reuse",
        "read-the-reference-code",
        "under-documented-reference-model",
    ]
    two = neighbourhood(checked.graph, "under-documented-reference-model", 2)
    assert "missing-hyperparameter" in two and "cite:doe2024study" not in two


def test_practices_by_stage_in_workflow_order(checked: Checked) -> None:
    grouped = practices_by_stage(checked.kb)
    assert list(grouped) == ["analysis", "testing"]
    assert [p.id for p in grouped["analysis"]] == ["read-the-reference-code"]


def test_coverage(checked: Checked) -> None:
    cov = coverage(checked.kb, checked.graph)
    assert cov.uncovered_challenges == [] and cov.unguarded_defects == []
    assert cov.matrix == {"under-documented-reference-model": ["read-the-reference-code"]}


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("ends with \\", '"ends with \\\\"'),
        ("\\N node name", '"\\\\N node name"'),
        ("two\nlines", '"two\\nlines"'),
        ("bell\x07", '"bell "'),
    ],
)
def test_dot_quote_escapes_everything(text: str, quoted: str) -> None:
    assert dot_quote(text) == quoted


def test_hostile_titles_render_as_text() -> None:
    graph = nx.MultiDiGraph()
    hostile = ["x\\", '"];evil[label="', "<script>alert(1)</script>", "a&b", "\\G\\N\\L"]
    for i, title in enumerate(hostile):
        graph.add_node(f"n{i}", kind="practice", title=title)
    graph.add_edge("n0", "n1", key="addresses", relation="addresses")
    svg = render_svg(to_dot(graph, url_for=lambda n: f"../{n}/"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "evil" in svg  # the text survives as a label, not as DOT syntax
    assert svg.count('class="node"') == len(hostile)
    assert 'xlink:href="../n0/"' in svg


def test_inlined_svg_is_compact_and_keeps_links_and_labels() -> None:
    graph = nx.MultiDiGraph()
    titles = {"a-b": "Check the ONNX export", "c": 'Say "no"  twice <b>', "d": "Loads the weights"}
    for node, title in titles.items():
        graph.add_node(node, kind="practice" if node != "d" else "challenge", title=title)
    graph.add_edge("a-b", "d", key="addresses", relation="addresses")
    graph.add_edge("c", "d", key="addresses", relation="addresses")
    raw = render_svg(to_dot(graph, url_for=lambda n: f"../x/{n}.html" if n != "c" else None, highlight="d"))
    svg = str(inline(raw, 'Neighbourhood of "d"', tooltips=False))
    assert len(svg) < 0.55 * len(raw)
    assert svg.startswith('<svg width="')
    opening = svg.split(">", 1)[0]
    assert 'role="group" aria-label="Neighbourhood of &#34;d&#34;" class="kb-graph"' in opening
    # What every label shares is said once: font, anchor and the most common size.
    assert 'font-family="Helvetica,sans-Serif" text-anchor="middle" font-size="11"' in opening
    # Links (plain href, as SVG 2 and crawlers read them), the classes the stylesheet and tests select.
    assert '<a href="../x/a-b.html">' in svg and '<a href="../x/d.html">' in svg
    assert svg.count('class="node"') == 3 and svg.count('class="edge"') == 2
    assert '<text x="' in svg and '">Check the ONNX export</text>' in svg
    assert 'font-size="9" fill="#444">addresses</text>' in svg
    # Text stays escaped; labels are wrapped to single spaces, so none needs xml:space.
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "xml:space" not in svg
    # What no browser needs: ids, link wrapper groups, 0.01 pt, six-digit greys, _top, tooltips
    # that repeat the label, xlink, namespaces (an inline <svg> is SVG), default transforms.
    assert " id=" not in svg and "<g>" not in svg and 'target="' not in svg and "&#45;" not in svg
    assert not re.search(r'(?: d| points| x| y)="[^"]*\d\.\d\d', svg)
    assert "#555555" not in svg and 'stroke="#555"' in svg
    assert "xlink" not in svg and "xmlns" not in svg and "scale(1 1)" not in svg and ".00" not in svg


def test_compact_svg_keeps_xml_space_where_spaces_matter() -> None:
    label = '<text xml:space="preserve" text-anchor="middle" x="1.25" y="-2.00" font-size="11.00">{}</text>'
    assert compact(label.format("a b")) == '<text x="1.2" y="-2" font-size="11">a b</text>'
    assert compact(label.format("a  b")) == '<text xml:space="preserve" x="1.2" y="-2" font-size="11">a  b</text>'
    assert compact(label.format(" a")) == '<text xml:space="preserve" x="1.2" y="-2" font-size="11"> a</text>'


def test_only_linked_nodes_are_anchors() -> None:
    # The page's own node has no URL: a tooltip alone would make Graphviz wrap
    # it in an <a> without href, a link to nowhere (Lighthouse: crawlable-anchors).
    graph = nx.MultiDiGraph()
    graph.add_node("self", kind="practice", title="This page")
    graph.add_node("other", kind="challenge", title="Another page")
    graph.add_edge("self", "other", key="addresses", relation="addresses")
    svg = render_svg(to_dot(graph, url_for=lambda n: None if n == "self" else f"../{n}.html", highlight="self"))
    anchors = re.findall(r"<a\b[^>]*>", svg)
    assert anchors and all("xlink:href=" in a for a in anchors), anchors
    assert "This page" in svg
    # Inlined, each link has SVG 2's plain href only: crawlers read only that one.
    inlined = re.findall(r"<a\b[^>]*>", str(inline(svg, "Neighbourhood")))
    assert inlined == ['<a href="../other.html" xlink:title="challenge: Another page">']
    # An entity page's diagram drops the tooltip: it repeats the label with the type.
    assert re.findall(r"<a\b[^>]*>", str(inline(svg, "Neighbourhood", tooltips=False))) == ['<a href="../other.html">']


def test_svg_is_deterministic(checked: Checked) -> None:
    first = render_svg(to_dot(checked.graph))
    assert first == render_svg(to_dot(checked.graph))
    assert "Helvetica" in first


def test_a_failing_graphviz_is_a_diagram_error(tmp_path: Path) -> None:
    failing = tmp_path / "dot"
    failing.write_text("#!/bin/sh\necho 'syntax error in line 1' >&2\nexit 3\n")
    failing.chmod(0o755)
    with pytest.raises(GraphvizFailed, match=r"^Graphviz failed: syntax error in line 1$"):
        render_svg("digraph { a -> b }", str(failing))
    with pytest.raises(GraphvizFailed, match="could not run"):
        render_svg("digraph { a -> b }", str(tmp_path / "missing-dot"))
    assert issubclass(GraphvizFailed, DiagramError) and issubclass(DotNotFound, DiagramError)


def test_dot_text_is_the_same_as_pydots(checked: Checked) -> None:
    # Entity pages write DOT text directly (pydot's writer was most of their diagram cost);
    # the text must stay the same, as drawn diagrams are cached by its hash.
    site = Site(checked)
    for entity_id in sorted(site.entities):
        graph = dot_graph(
            diagram_graph(site, entity_id), name=entity_id, url_for=lambda n: f"../{n}.html", highlight=entity_id
        )
        assert graph.to_string() == graph.to_pydot().to_string(), entity_id
    whole = dot_graph(checked.graph, rankdir="TB")
    assert whole.to_string() == to_dot(checked.graph, rankdir="TB").to_string()
    assert "style=dashed, constraint=false" in whole.to_string()  # bare words stay bare, as pydot writes them


@pytest.mark.parametrize(
    ("numbers", "cut"),
    [("312.74,-416.52", "312.7,-416.5"), ("4.05 10.00 -0.5", "4 10 -0.5"), ("12 7.96", "12 7.9"), ("", "")],
)
def test_coordinates_are_cut_to_one_decimal(numbers: str, cut: str) -> None:
    assert _cut(numbers) == cut
    assert compact(f'<polygon points="{numbers}"/>') == f'<polygon points="{cut}"/>'


def test_paths_draw_straight_curves_as_lines() -> None:
    # A rounded box as Graphviz writes it: straight sides are curves with their control points on their ends.
    box = (
        "M353.24,-536.92C353.24,-536.92 276.71,-536.92 276.71,-536.92 270.71,-536.92 264.71,-530.92 264.71,-524.92"
        " 264.71,-524.92 264.71,-512.92 264.71,-512.92 264.71,-506.92 270.71,-500.92 276.71,-500.92"
        " 276.71,-500.92 353.24,-500.92 353.24,-500.92"
    )
    assert compact(f'<path d="{box}"/>') == (
        '<path d="M353.2,-536.9H276.7C270.7,-536.9 264.7,-530.9 264.7,-524.9V-512.9'
        'C264.7,-506.9 270.7,-500.9 276.7,-500.9H353.2"/>'
    )
    assert compact('<path d="M1,2C1,2 5,6 5,6"/>') == '<path d="M1,2L5,6"/>'
    # An edge's curve stays a curve; a path of another form is left as it is.
    assert compact('<path d="M1,2C3,4 5,6 7,8"/>') == '<path d="M1,2C3,4 5,6 7,8"/>'
    assert compact('<path d="M1,2L3,4"/>') == '<path d="M1,2L3,4"/>'


def test_compact_keeps_an_svg_without_coordinates() -> None:
    assert compact('<svg width="8pt" height="8pt"></svg>') == '<svg width="8pt" height="8pt"></svg>'
