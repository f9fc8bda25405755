"""The workflow page: stages top to bottom, each with its practices.

The diagram is one Graphviz cluster per stage, in workflow order; a stage's
practices sit in rows of at most :data:`ROW` under its header node, and
invisible edges hold the clusters in order. Visible edges are the workflow's
own: ``next`` (solid) and ``feeds-back-to`` (dashed). Every node links to
its page. Below the diagram the same content is listed as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydot
from markupsafe import Markup

from generator.diagrams import COLOURS, FONT, dot_quote, wrap
from generator.graph import practices_by_stage, stages_in_order
from generator.models import Practice, Stage
from generator.pipeline import Checked
from generator.render import paths
from generator.render.context import Link, Site
from generator.render.entities import IMPORTANCE
from generator.render.markup import front_matter, markdown_inline, plain
from generator.render.svg import inline, svg_of
from generator.render.templating import render

ROW = 4


def _node(name: str, label: str, kind: str, url: str, tooltip: str, **extra: str) -> pydot.Node:
    attrs: dict[str, Any] = {
        "label": dot_quote(label),
        "tooltip": dot_quote(tooltip),
        "fillcolor": dot_quote(COLOURS[kind]),
        "URL": dot_quote(url),
        "target": dot_quote("_top"),
        "id": dot_quote(f"node-{name}"),
        **extra,
    }
    return pydot.Node(dot_quote(name), **attrs)


def _invisible(source: str, target: str) -> pydot.Edge:
    return pydot.Edge(dot_quote(source), dot_quote(target), style="invis", weight="10")


def _cluster(stage: Stage, practices: list[Practice], doc: str) -> pydot.Cluster:
    cluster = pydot.Cluster(
        dot_quote(f"stage-{stage.id}"), style=dot_quote("rounded,filled"), fillcolor="#f5f7fb", color="#c5cae9"
    )
    header = f"{stage.order}. {plain(stage.title)}"
    cluster.add_node(
        _node(
            stage.id,
            wrap(header, 40),
            "stage",
            paths.href(doc, paths.page_path("stage", stage.id)),
            f"stage: {plain(stage.title)}",
            shape="box",
            style=dot_quote("filled,rounded,bold"),
            fontsize="13",
        )
    )
    for i, practice in enumerate(practices):
        mark = " \u2605" if practice.importance == "essential" else ""
        cluster.add_node(
            _node(
                practice.id,
                wrap(plain(practice.title)) + mark,
                "practice",
                paths.href(doc, paths.page_path("practice", practice.id)),
                f"practice ({IMPORTANCE[practice.importance].lower()}): {plain(practice.title)}",
            )
        )
        above = stage.id if i < ROW else practices[i - ROW].id
        cluster.add_edge(_invisible(above, practice.id))
    return cluster


def workflow_dot(site: Site, doc: str) -> str:
    """DOT text of the workflow diagram."""
    stages = stages_in_order(site.kb)
    grouped = practices_by_stage(site.kb)
    dot = pydot.Dot(dot_quote("workflow"), graph_type="digraph", strict=False)
    dot.set_graph_defaults(
        rankdir="TB", fontname=dot_quote(FONT), bgcolor="transparent", nodesep="0.25", ranksep="0.35", newrank="true"
    )
    dot.set_node_defaults(
        fontname=dot_quote(FONT),
        fontsize="11",
        shape="box",
        style=dot_quote("filled,rounded"),
        color="#555555",
        margin="0.12,0.06",
        width="1.9",
    )
    dot.set_edge_defaults(color="#5c6bc0", arrowsize="0.7", penwidth="1.3")
    for stage in stages:
        cluster = _cluster(stage, grouped.get(stage.id, []), doc)
        dot.add_subgraph(cluster)  # type: ignore[arg-type]  # pydot's stubs: a Cluster is a Subgraph
    ids = {s.id for s in stages}
    for stage in stages:
        last = grouped.get(stage.id, [])[-ROW:]
        for target in stage.next:
            if target in ids:
                for practice in last:
                    dot.add_edge(_invisible(practice.id, target))
                dot.add_edge(pydot.Edge(dot_quote(stage.id), dot_quote(target), constraint="false"))
        for target in stage.feeds_back_to:
            if target in ids:
                edge = pydot.Edge(dot_quote(stage.id), dot_quote(target), constraint="false", style="dashed")
                edge.set("color", dot_quote("#9e9e9e"))
                dot.add_edge(edge)
    return str(dot.to_string())


@dataclass(frozen=True)
class StageBlock:
    """A stage and its practices, as the text listing shows them."""

    number: int
    link: Link
    summary: Markup
    practices: list[tuple[Link, str, Markup]]
    feeds_back_to: list[Link]


def stage_blocks(site: Site, doc: str) -> list[StageBlock]:
    """The workflow as text: each stage with its practices."""
    grouped = practices_by_stage(site.kb)
    blocks = []
    for stage in stages_in_order(site.kb):
        practices = [
            (site.link(doc, p.id), IMPORTANCE[p.importance], markdown_inline(p.summary))
            for p in grouped.get(stage.id, [])
        ]
        back = site.links(doc, stage.feeds_back_to)
        blocks.append(
            StageBlock(stage.order, site.link(doc, stage.id), markdown_inline(stage.summary), practices, back)
        )
    return blocks


def render_workflow(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the workflow page."""
    site = Site(checked)
    doc = paths.WORKFLOW_PAGE
    svg = inline(svg_of(workflow_dot(site, doc)), "wf", "Reengineering workflow: stages and their practices")
    meta = front_matter({"title": "Reengineering workflow", "hide": ["navigation", "toc"]})
    page = render(
        "workflow.md.j2",
        front=Markup(meta),  # escaped by front_matter
        svg=svg,
        blocks=stage_blocks(site, doc),
        practice_count=len(site.kb.of_type("practice")),
    )
    return {doc: page}
