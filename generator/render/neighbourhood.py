"""The neighbourhood diagram of an entity page: the entity and its direct links.

Only edges that touch the entity are drawn (links between neighbours would
only add noise), references are left out (the page lists them), and a large
group of neighbours of one kind and relation (a paradigm's thirty practices)
is drawn as a single summary node that links to the page's relations list,
so every diagram stays readable at page width.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from generator.kb import Graph
from generator.render.context import KIND_PLURALS, Site
from generator.render.diagrams import dot_statements

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


def _diagram(site: Site, entity_id: str) -> tuple[dict[str, Mapping[str, Any]], set[tuple[str, str, str]]]:
    """The nodes (graph data by id) and edges (source, target, relation) drawn on an entity's page."""
    graph = site.graph
    nodes: dict[str, Mapping[str, Any]] = {entity_id: graph.nodes[entity_id]}
    edges: set[tuple[str, str, str]] = set()
    for (relation, outgoing, kind), members in _groups(graph, entity_id).items():
        if len(members) > MAX_GROUP:
            direction = "out" if outgoing else "in"
            summary = f"more:{relation}:{direction}:{kind}"
            title = f"{len(members)} {KIND_PLURALS.get(kind, kind).lower()}"
            nodes[summary] = {"kind": "summary", "group_of": kind, "title": title}
            members = [summary]
        for member in members:
            if member not in nodes:
                nodes[member] = graph.nodes[member]
            edges.add((entity_id, member, relation) if outgoing else (member, entity_id, relation))
    return nodes, edges


def diagram_graph(site: Site, entity_id: str) -> Graph:
    """The small graph drawn on an entity's page."""
    nodes, edges = _diagram(site, entity_id)
    out = Graph()
    for node, data in nodes.items():
        out.add_node(node, **data)
    for source, target, relation in sorted(edges):
        out.add_edge(source, target, key=relation, relation=relation)
    return out


def neighbourhood_dot(site: Site, entity_id: str, from_doc: str) -> str:
    """DOT text of an entity's neighbourhood diagram, nodes linking to pages."""

    def url_for(node: str) -> str | None:
        if node.startswith("more:"):
            return "#" + RELATIONS_ANCHOR
        if node == entity_id:
            return None
        return site.link(from_doc, node).href if node in site.entities else None

    nodes, edges = _diagram(site, entity_id)
    return dot_statements(nodes, edges, name=entity_id, url_for=url_for, rankdir="LR", highlight=entity_id).to_string()
