"""The defect taxonomy page: the tree, and the study figures as a chart.

Each root type (a component of the reengineered system) is drawn as a small
Graphviz tree, every node a link; the trees sit in a grid and are also
listed as nested text. The chart shows each defect type's headline figure
(the first one recorded: its share of its population), grouped by root,
each bar citing its source; every figure is also in a table.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

import pydot
from markupsafe import Markup

from generator import urls as paths
from generator.graph import related
from generator.kb import Checked
from generator.markup import dot_quote, front_matter, plain
from generator.models import Defect
from generator.render.chart import PALETTE, Bar, BarGroup, bar_chart
from generator.render.context import Link, Site
from generator.render.diagrams import COLOURS, FONT, wrap
from generator.render.entities import COMPONENTS
from generator.render.evidence import scope_notes
from generator.render.figures import FigureRow, figure_rows
from generator.render.paging import chunks, pagers, part_path
from generator.render.svg import inline, render_all
from generator.render.templating import render
from generator.render.views import Citations

_COMPONENT_ORDER = list(COMPONENTS)


@dataclass
class TreeNode:
    """A defect type in the tree, with its children."""

    defect: Defect
    link: Link
    component: str
    detected_by: int
    figures: list[FigureRow]
    children: list[TreeNode] = field(default_factory=list)
    guards: set[str] = field(default_factory=set)
    """Practices that detect or prevent this type or one of its sub-types (as the coverage page counts)."""

    def walk(self) -> Iterator[TreeNode]:
        """Yield the node itself, then its descendants depth-first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class RootFigure:
    """One root type's tree diagram."""

    link: Link
    subtypes: int
    svg: Markup


def _defects(site: Site) -> dict[str, Defect]:
    return {d.id: d for d in site.kb.of_type("defect") if isinstance(d, Defect)}


def _children(defects: dict[str, Defect]) -> dict[str | None, list[Defect]]:
    def order(d: Defect) -> tuple[int, str, str]:
        return (_COMPONENT_ORDER.index(d.component), plain(d.title).casefold(), d.id)

    out: dict[str | None, list[Defect]] = {}
    for d in sorted(defects.values(), key=order):
        out.setdefault(d.parent if d.parent in defects else None, []).append(d)
    return out


def tree(site: Site, doc: str, cites: Citations, only: Collection[str] | None = None) -> list[TreeNode]:
    """The taxonomy as nested nodes: roots by component, children by title (``only``: these roots)."""
    children = _children(_defects(site))

    def build(d: Defect) -> TreeNode:
        node = TreeNode(
            d,
            site.link(doc, d.id),
            COMPONENTS[d.component],
            len(related(site.graph, d.id, "detects", incoming=True)),
            figure_rows(d.figures, cites),
        )
        node.children = [build(c) for c in children.get(d.id, [])]
        node.guards = {
            p for relation in ("detects", "prevents") for p in related(site.graph, d.id, relation, incoming=True)
        }.union(*(c.guards for c in node.children))
        return node

    return [build(root) for root in children.get(None, []) if only is None or root.id in only]


def _defect_node(node: TreeNode, doc: str, *, root: bool) -> pydot.Node:
    d = node.defect
    colour = PALETTE.get(d.component, "#ffffff") if root else COLOURS["defect"]
    out = pydot.Node(
        dot_quote(d.id),
        label=dot_quote(wrap(plain(d.title), 24)),
        tooltip=dot_quote(f"{COMPONENTS[d.component]}: {plain(d.title)}"),
        fillcolor=dot_quote(colour),
        fontcolor=dot_quote("#ffffff" if root else "#111111"),
        URL=dot_quote(paths.href(doc, paths.page_path("defect", d.id))),
        target=dot_quote("_top"),
        id=dot_quote(f"node-{d.id}"),
    )
    if root:
        out.set("fontsize", "12")
        out.set("style", dot_quote("filled,rounded,bold"))
    return out


def root_dot(root: TreeNode, doc: str) -> str:
    """DOT text of one root type's tree (root left, sub-types to the right)."""
    dot = pydot.Dot(dot_quote(root.defect.id), graph_type="digraph", strict=False)
    dot.set_graph_defaults(rankdir="LR", fontname=dot_quote(FONT), bgcolor="transparent", nodesep="0.12", ranksep="0.4")
    dot.set_node_defaults(
        fontname=dot_quote(FONT), fontsize="11", shape="box", style=dot_quote("filled,rounded"), color="#555555"
    )
    dot.set_edge_defaults(color="#90a4ae", arrowhead="none")
    for node in root.walk():
        dot.add_node(_defect_node(node, doc, root=node is root))
        for child in node.children:
            dot.add_edge(pydot.Edge(dot_quote(node.defect.id), dot_quote(child.defect.id)))
    return str(dot.to_string())


def root_figures(roots: list[TreeNode], doc: str) -> list[RootFigure]:
    """One tree diagram per root type."""
    svgs = render_all([root_dot(root, doc) for root in roots])
    return [
        RootFigure(
            root.link,
            sum(1 for _ in root.walk()) - 1,
            inline(svg, f"{root.link.text} and their sub-types"),
        )
        for root, svg in zip(roots, svgs, strict=True)
    ]


def chart_groups(roots: list[TreeNode]) -> list[BarGroup]:
    """The headline figure of each defect type, grouped under the root types."""
    groups = []
    for root in roots:
        bars = [
            Bar(
                node.link.text,
                node.link.href,
                node.figures[0].label,
                node.figures[0].count,
                node.figures[0].total,
                node.defect.component,
                node.figures[0].citation.number,
                f"#cite-{node.figures[0].citation.number}",
            )
            for node in root.walk()
            if node.figures
        ]
        if bars:
            groups.append(BarGroup(root.link.text, bars))
    return groups


#: Above this many defect types the page is split into parts of whole trees, at most this many
#: types each where a tree allows (today's KB has ~30).
PART_TYPES = 150


def _sizes(site: Site) -> list[tuple[str, int]]:
    """Each root type's id and how many types its tree has, in page order."""
    children = _children(_defects(site))

    def size(d: Defect) -> int:
        return 1 + sum(size(c) for c in children.get(d.id, []))

    return [(root.id, size(root)) for root in children.get(None, [])]


def render_taxonomy(checked: Checked, part_types: int | None = None) -> dict[str, str | bytes]:
    """Renderer: the defect taxonomy page (in parts of whole trees, for a large KB)."""
    part_types = PART_TYPES if part_types is None else part_types
    site = Site(checked)
    first = paths.TAXONOMY_PAGE
    sizes = _sizes(site)
    total = sum(n for _, n in sizes)
    parts = chunks(sizes, part_types, lambda r: r[1]) if total > part_types else [sizes]
    labels = [
        ", ".join(dict.fromkeys(COMPONENTS[getattr(site.entities[r], "component", "")] for r, _ in part))
        + f" ({sum(n for _, n in part)} types)"
        for part in parts
    ]
    out: dict[str, str | bytes] = {}
    for number, (part, pager) in enumerate(zip(parts, pagers(first, labels), strict=True), 1):
        doc = part_path(first, number)
        cites = Citations(site, doc)
        roots = tree(site, doc, cites, {r for r, _ in part}) if pager else tree(site, doc, cites)
        groups = chart_groups(roots)
        chart = bar_chart(groups, "Headline share of each defect type in the studies") if groups else Markup("")
        title = "Defect taxonomy" if number == 1 else f"Defect taxonomy (part {number}: {labels[number - 1]})"
        out[doc] = render(
            "taxonomy.md.j2",
            front=Markup(front_matter({"title": title, "hide": ["navigation"]})),  # escaped
            roots=roots,
            figures=root_figures(roots, doc),
            chart=chart,
            groups=groups,
            all_figures=[(node, f) for root in roots for node in root.walk() for f in node.figures],
            scopes=scope_notes(site, cites, [c.key for c in cites.listed]),
            citations=cites.listed,
            defect_count=total,
            pager=pager,
        )
    return out
