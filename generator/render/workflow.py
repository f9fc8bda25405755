"""The workflow page: stages top to bottom, each with its practices.

The diagram is one Graphviz cluster per stage, in workflow order; a stage's
practices sit in rows of at most :data:`ROW` under its header node, and
invisible edges hold the clusters in order. Visible edges are the workflow's
own: ``next`` (solid) and ``feeds-back-to`` (dashed). Every node links to
its page. Below the diagram the same content is listed as text.

The diagram stays readable at any size: a stage with more than
:data:`MAX_PER_STAGE` practices shows its essential ones first, up to that
many, and one "+N more" node that links to the stage's page (the text
listing below keeps every practice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydot
from markupsafe import Markup

from generator import urls as paths
from generator.graph import practices_by_stage, stages_in_order
from generator.kb import Checked
from generator.markup import dot_quote, front_matter, markdown_inline, plain
from generator.models import Practice, Stage
from generator.render.context import Link, Site
from generator.render.diagrams import COLOURS, FONT, wrap
from generator.render.entities import IMPORTANCE
from generator.render.svg import inline, svg_of
from generator.render.templating import render

ROW = 4
MAX_PER_STAGE = 16
"""Practice nodes a stage's cluster shows at most (the last one may be "+N more")."""
_RANK = {"essential": 0, "recommended": 1, "situational": 2}


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


def _practice_node(practice: Practice, doc: str) -> pydot.Node:
    mark = " \u2605" if practice.importance == "essential" else ""
    return _node(
        practice.id,
        wrap(plain(practice.title)) + mark,
        "practice",
        paths.href(doc, paths.page_path("practice", practice.id)),
        f"practice ({IMPORTANCE[practice.importance].lower()}): {plain(practice.title)}",
    )


def cluster_name(stage_id: str) -> str:
    """Graphviz name of a stage's cluster (``cluster`` prefix required)."""
    return f"cluster_{stage_id}"


def shown(practices: list[Practice]) -> tuple[list[Practice], int]:
    """The practices a stage's cluster draws (in their order) and how many it leaves out."""
    if len(practices) <= MAX_PER_STAGE:
        return practices, 0
    ranked = sorted(range(len(practices)), key=lambda i: (_RANK.get(practices[i].importance, 3), i))
    keep = sorted(ranked[: max(MAX_PER_STAGE - 1, 0)])
    return [practices[i] for i in keep], len(practices) - len(keep)


def _rows(stage: Stage, practices: list[Practice]) -> list[list[str]]:
    """Node names of a stage's rows; an empty stage gets a placeholder node, a full one a "+N more" node."""
    drawn, hidden = shown(practices)
    names = [p.id for p in drawn] + ([f"more:{stage.id}"] if hidden else []) or [f"empty:{stage.id}"]
    return [names[i : i + ROW] for i in range(0, len(names), ROW)]


def _cluster(stage: Stage, practices: list[Practice], rows: list[list[str]], doc: str) -> pydot.Cluster:
    # pydot adds the "cluster_" prefix and quotes the name itself (ids are validated slugs).
    cluster = pydot.Cluster(
        stage.id,
        label=dot_quote(f"{stage.order}. {plain(stage.title)}"),
        labeljust="l",
        fontsize="14",
        fontcolor="#1a237e",
        style=dot_quote("rounded,filled"),
        fillcolor=dot_quote(COLOURS["stage"]),
        color="#8bc34a",
        margin="10",
        URL=dot_quote(paths.href(doc, paths.page_path("stage", stage.id))),
        target=dot_quote("_top"),
        tooltip=dot_quote(f"stage: {plain(stage.title)}"),
    )
    by_id = {p.id: p for p in practices}
    hidden = shown(practices)[1]
    for row in rows:
        same = pydot.Subgraph(rank="same")
        for c, name in enumerate(row):
            if name in by_id:
                same.add_node(_practice_node(by_id[name], doc))
            elif name.startswith("more:"):
                more = f"+{hidden} more practices"
                url = paths.href(doc, paths.page_path("stage", stage.id))
                tooltip = f"{more} in stage {plain(stage.title)}"
                same.add_node(_node(name, more, "practice", url, tooltip, style=dot_quote("filled,rounded,dashed")))
            else:
                same.add_node(pydot.Node(dot_quote(name), label=dot_quote("No practice yet"), style="dashed"))
            if c:
                same.add_edge(_invisible(row[c - 1], name))
        cluster.add_subgraph(same)
    return cluster


def _stack(upper: list[str], lower: list[str]) -> list[pydot.Edge]:
    """Invisible edges that put row ``lower`` under row ``upper``, column by column."""
    return [_invisible(upper[min(c, len(upper) - 1)], name) for c, name in enumerate(lower)]


def workflow_dot(site: Site, doc: str) -> str:
    """DOT text of the workflow diagram."""
    stages = stages_in_order(site.kb)
    grouped = practices_by_stage(site.kb)
    rows = {s.id: _rows(s, grouped.get(s.id, [])) for s in stages}
    dot = pydot.Dot(dot_quote("workflow"), graph_type="digraph", strict=False)
    dot.set_graph_defaults(
        rankdir="TB",
        fontname=dot_quote(FONT),
        bgcolor="transparent",
        nodesep="0.2",
        ranksep="0.28",
        newrank="true",
        compound="true",
    )
    dot.set_node_defaults(
        fontname=dot_quote(FONT),
        fontsize="11",
        shape="box",
        style=dot_quote("filled,rounded"),
        color="#555555",
        fillcolor=dot_quote(COLOURS["practice"]),
        margin="0.1,0.05",
        width="1.9",
        height="0.55",
    )
    dot.set_edge_defaults(color="#33691e", arrowsize="0.8", penwidth="1.4")
    for stage in stages:
        cluster = _cluster(stage, grouped.get(stage.id, []), rows[stage.id], doc)
        dot.add_subgraph(cluster)  # type: ignore[arg-type]  # pydot's stubs: a Cluster is a Subgraph
        for upper, lower in zip(rows[stage.id], rows[stage.id][1:], strict=False):
            for edge in _stack(upper, lower):
                dot.add_edge(edge)
    ids = {s.id for s in stages}
    for stage in stages:
        last = rows[stage.id][-1]
        for target in (t for t in stage.next if t in ids):
            first = rows[target][0]
            for edge in _stack(last, first):
                dot.add_edge(edge)
            middle = first[(len(first) - 1) // 2]
            edge = pydot.Edge(dot_quote(last[(len(last) - 1) // 2]), dot_quote(middle), weight="0")
            edge.set("ltail", dot_quote(cluster_name(stage.id)))
            edge.set("lhead", dot_quote(cluster_name(target)))
            dot.add_edge(edge)
        for target in (t for t in stage.feeds_back_to if t in ids):
            edge = pydot.Edge(
                dot_quote(rows[stage.id][0][-1]),
                dot_quote(rows[target][0][-1]),
                constraint="false",
                style="dashed",
                tailport="e",
                headport="e",
            )
            edge.set("ltail", dot_quote(cluster_name(stage.id)))
            edge.set("lhead", dot_quote(cluster_name(target)))
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
    more: int = 0
    """Practices left out of a long stage's listing (the stage's page lists them all)."""


#: The text listing shows at most this many practices per stage, essential first, then "+N more"
#: linking to the stage's page: a cap that only applies at scale (today's largest stage has ~15).
LIST_MAX_PER_STAGE = 60


def stage_blocks(site: Site, doc: str, max_listed: int | None = None) -> list[StageBlock]:
    """The workflow as text: each stage with its practices (at most ``max_listed``, essential first)."""
    max_listed = LIST_MAX_PER_STAGE if max_listed is None else max_listed
    grouped = practices_by_stage(site.kb)
    blocks = []
    for stage in stages_in_order(site.kb):
        members = grouped.get(stage.id, [])
        if len(members) > max_listed:
            ranked = sorted(range(len(members)), key=lambda n: (_RANK.get(members[n].importance, 3), n))
            members = [members[n] for n in sorted(ranked[:max_listed])]
        practices = [(site.link(doc, p.id), IMPORTANCE[p.importance], markdown_inline(p.summary)) for p in members]
        back = site.links(doc, stage.feeds_back_to)
        more = len(grouped.get(stage.id, [])) - len(members)
        blocks.append(
            StageBlock(stage.order, site.link(doc, stage.id), markdown_inline(stage.summary), practices, back, more)
        )
    return blocks


def render_workflow(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the workflow page."""
    site = Site(checked)
    doc = paths.WORKFLOW_PAGE
    svg = inline(svg_of(workflow_dot(site, doc)), "Reengineering workflow: stages and their practices")
    meta = front_matter({"title": "Reengineering workflow", "hide": ["navigation", "toc"]})
    page = render(
        "workflow.md.j2",
        front=Markup(meta),  # escaped by front_matter
        svg=svg,
        blocks=stage_blocks(site, doc),
        practice_count=len(site.kb.of_type("practice")),
    )
    return {doc: page}
