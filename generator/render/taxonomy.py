"""The defect taxonomy page: the tree, and the study figures as a chart.

The tree is drawn once with Graphviz (roots on the left, every node a link)
and listed as nested text; the figures recorded on defect types become a bar
chart grouped by root type, each bar citing its source, with the same
numbers as a table for screen readers and copying.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pydot
from markupsafe import Markup

from generator.diagrams import COLOURS, FONT, dot_quote, wrap
from generator.graph import related
from generator.models import Defect
from generator.pipeline import Checked
from generator.render import paths
from generator.render.chart import PALETTE, Bar, BarGroup, bar_chart
from generator.render.context import Link, Site
from generator.render.entities import COMPONENTS
from generator.render.figures import FigureRow, figure_rows
from generator.render.markup import front_matter, plain
from generator.render.svg import inline, svg_of
from generator.render.templating import render
from generator.render.views import Citations


@dataclass
class TreeNode:
    """A defect type in the tree, with its children."""

    link: Link
    component_key: str
    component: str
    detected_by: int
    figures: list[FigureRow]
    children: list[TreeNode] = field(default_factory=list)


def _defects(site: Site) -> dict[str, Defect]:
    return {d.id: d for d in site.kb.of_type("defect") if isinstance(d, Defect)}


def _children(defects: dict[str, Defect]) -> dict[str | None, list[Defect]]:
    out: dict[str | None, list[Defect]] = {}
    for d in sorted(defects.values(), key=lambda d: (plain(d.title).casefold(), d.id)):
        out.setdefault(d.parent if d.parent in defects else None, []).append(d)
    return out


def tree(site: Site, doc: str, cites: Citations) -> list[TreeNode]:
    """The taxonomy as nested nodes, roots first, children by title."""
    defects = _defects(site)
    children = _children(defects)

    def build(d: Defect) -> TreeNode:
        node = TreeNode(
            site.link(doc, d.id),
            d.component,
            COMPONENTS[d.component],
            len(related(site.graph, d.id, "detects", incoming=True)),
            figure_rows(d.figures, cites),
        )
        node.children = [build(c) for c in children.get(d.id, [])]
        return node

    return [build(root) for root in children.get(None, [])]


def tree_dot(site: Site, doc: str) -> str:
    """DOT text of the taxonomy tree (roots left, sub-types to the right)."""
    defects = _defects(site)
    dot = pydot.Dot(dot_quote("taxonomy"), graph_type="digraph", strict=False)
    dot.set_graph_defaults(
        rankdir="LR", fontname=dot_quote(FONT), bgcolor="transparent", nodesep="0.12", ranksep="0.45"
    )
    dot.set_node_defaults(
        fontname=dot_quote(FONT), fontsize="11", shape="box", style=dot_quote("filled,rounded"), color="#555555"
    )
    dot.set_edge_defaults(color="#90a4ae", arrowhead="none")
    for d in sorted(defects.values(), key=lambda d: (plain(d.title).casefold(), d.id)):
        is_root = d.parent not in defects
        node = pydot.Node(
            dot_quote(d.id),
            label=dot_quote(wrap(plain(d.title), 30)),
            tooltip=dot_quote(f"{COMPONENTS[d.component]}: {plain(d.title)}"),
            fillcolor=dot_quote(PALETTE.get(d.component, "#ffffff") if is_root else COLOURS["defect"]),
            fontcolor=dot_quote("#ffffff" if is_root else "#111111"),
            URL=dot_quote(paths.href(doc, paths.page_path("defect", d.id))),
            target=dot_quote("_top"),
            id=dot_quote(f"node-{d.id}"),
        )
        if is_root:
            node.set("fontsize", "12")
            node.set("style", dot_quote("filled,rounded,bold"))
        dot.add_node(node)
    for d in sorted(defects.values(), key=lambda d: d.id):
        if d.parent in defects:
            dot.add_edge(pydot.Edge(dot_quote(d.parent), dot_quote(d.id)))
    return str(dot.to_string())


def chart_groups(roots: list[TreeNode]) -> list[BarGroup]:
    """Bars for every figure, grouped under the root types (depth-first order)."""
    groups = []
    for root in roots:
        bars: list[Bar] = []
        stack = [root]
        while stack:
            node = stack.pop(0)
            bars += [
                Bar(
                    node.link.text,
                    node.link.href,
                    f.label,
                    f.count,
                    f.total,
                    node.component_key,
                    f.citation.number,
                    f"#cite-{f.citation.number}",
                )
                for f in node.figures
            ]
            stack = node.children + stack
        if bars:
            groups.append(BarGroup(root.link.text, bars))
    return groups


def render_taxonomy(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the defect taxonomy page."""
    site = Site(checked)
    doc = paths.TAXONOMY_PAGE
    cites = Citations(site, doc)
    roots = tree(site, doc, cites)
    groups = chart_groups(roots)
    svg = inline(svg_of(tree_dot(site, doc)), "tax", "Defect taxonomy tree")
    chart = bar_chart(groups, "Share of each defect type in the studies") if groups else Markup("")
    page = render(
        "taxonomy.md.j2",
        front=Markup(front_matter({"title": "Defect taxonomy", "hide": ["navigation"]})),  # escaped
        roots=roots,
        svg=svg,
        chart=chart,
        groups=groups,
        citations=cites.listed,
        defect_count=len(_defects(site)),
    )
    return {doc: page}
