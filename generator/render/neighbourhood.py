"""The neighbourhood diagram of an entity page: the entity and its direct links.

Only edges that touch the entity are drawn (links between neighbours would
only add noise), references are left out (the page lists them), and a large
group of neighbours of one kind and relation (a paradigm's thirty practices)
is drawn as a single summary node that links to the page's relations list,
so every diagram stays readable at page width.
"""

from __future__ import annotations

from collections import defaultdict

from generator.kb import Graph
from generator.render.context import KIND_PLURALS, Site
from generator.render.diagrams import dot_graph

MAX_GROUP = 6
RELATIONS_ANCHOR = "relations"


def _groups(graph: Graph, node: str) -> dict[tuple[str, bool, str], list[str]]:
    """Neighbours of ``node`` by (relation, outgoing, kind), references excluded."""
    groups: dict[tuple[str, bool, str], set[str]] = defaultdict(set)
    for _, target, data in graph.out_edges(node, data=True):
        if graph.nodes[target]["kind"] != "reference" and target != node:
            groups[(data["relation"], True, graph.nodes[target]["kind"])].add(target)
    for source, _, data in graph.in_edges(node, data=True):
        if source != node:
            groups[(data["relation"], False, graph.nodes[source]["kind"])].add(source)
    return {key: sorted(members) for key, members in sorted(groups.items())}


def diagram_graph(site: Site, entity_id: str) -> Graph:
    """The small graph drawn on an entity's page."""
    graph = site.graph
    out = Graph()
    out.add_node(entity_id, **graph.nodes[entity_id])
    for (relation, outgoing, kind), members in _groups(graph, entity_id).items():
        if len(members) > MAX_GROUP:
            direction = "out" if outgoing else "in"
            summary = f"more:{relation}:{direction}:{kind}"
            title = f"{len(members)} {KIND_PLURALS.get(kind, kind).lower()}"
            out.add_node(summary, kind="summary", group_of=kind, title=title)
            members = [summary]
        for member in members:
            if member not in out:
                out.add_node(member, **graph.nodes[member])
            edge = (entity_id, member) if outgoing else (member, entity_id)
            out.add_edge(*edge, key=relation, relation=relation)
    return out


def neighbourhood_dot(site: Site, entity_id: str, from_doc: str) -> str:
    """DOT text of an entity's neighbourhood diagram, nodes linking to pages."""

    def url_for(node: str) -> str | None:
        if node.startswith("more:"):
            return "#" + RELATIONS_ANCHOR
        if node == entity_id:
            return None
        return site.link(from_doc, node).href if node in site.entities else None

    graph = diagram_graph(site, entity_id)
    return dot_graph(graph, name=entity_id, url_for=url_for, rankdir="LR", highlight=entity_id).to_string()
