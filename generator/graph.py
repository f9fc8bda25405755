"""Link stage: the knowledge base as a typed graph.

Nodes are entity ids (``kind`` and ``title`` attributes) and citation keys
(``cite:KEY``, kind ``reference``). Edges carry a ``relation`` named from the
source's side (a practice *addresses* a challenge); :data:`INVERSE` names the
other side, so every page can list its relations in both directions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from generator.kb import Graph, KnowledgeBase
from generator.models import Defect, Entity, Practice, Stage, references

#: How an edge reads from its target's side.
INVERSE: dict[str, str] = {
    "next": "follows",
    "feeds-back-to": "receives feedback from",
    "in-paradigm": "includes",
    "in-stage": "hosts",
    "addresses": "addressed by",
    "prevents": "prevented by",
    "detects": "detected by",
    "parent": "sub-type",
    "includes": "included by scenario",
    "excludes": "excluded by scenario",
    "cites": "cited by",
    "replaced-by": "replaces",
}


def cite_node(key: str) -> str:
    """Graph node id of a BibTeX key."""
    return f"cite:{key}"


def build_graph(kb: KnowledgeBase) -> Graph:
    """Build the typed graph of a (validated) knowledge base.

    Dangling references are skipped: validation reports them. Built once per
    knowledge base (the coverage rule and the pipeline share it); treat it as
    read-only.
    """
    return kb.memo("graph", lambda: _build_graph(kb))


def _build_graph(kb: KnowledgeBase) -> Graph:
    graph = Graph()
    entities = kb.entities
    for eid in sorted(entities):
        entity = entities[eid]
        graph.add_node(eid, kind=entity.kind, title=entity.title)
    for key in sorted(kb.bibliography.entries):
        bib = kb.bibliography.entries[key]
        graph.add_node(cite_node(key), kind="reference", title=bib.fields.get("title", key))
    for eid in sorted(entities):
        entity = entities[eid]
        for field_, _index, target in references(entity):
            if target in entities and entities[target].kind == field_.ref.target:
                graph.add_edge(eid, target, key=field_.ref.edge, relation=field_.ref.edge)
        if entity.replaced_by in entities:
            graph.add_edge(eid, entity.replaced_by, key="replaced-by", relation="replaced-by")
        for key in sorted(cited_keys(entity)):
            if key in kb.bibliography.entries:
                graph.add_edge(eid, cite_node(key), key="cites", relation="cites")
    return graph


def cited_keys(entity: Entity) -> set[str]:
    """Every BibTeX key an entity cites (evidence and figures)."""
    keys = {ev.cite for ev in entity.evidence}
    if isinstance(entity, Defect):
        keys.update(fig.cite for fig in entity.figures)
    return keys


@dataclass(frozen=True)
class Relation:
    """One relation of an entity, seen from that entity."""

    label: str
    other: str
    outgoing: bool


def relations(graph: Graph, node: str) -> list[Relation]:
    """All relations of ``node`` in both directions, sorted by label then id."""
    out = [Relation(d["relation"], t, True) for _, t, d in graph.out_edges(node, data=True)]
    out += [Relation(INVERSE[d["relation"]], s, False) for s, _, d in graph.in_edges(node, data=True)]
    return sorted(set(out), key=lambda r: (r.label, r.other))


def related(graph: Graph, node: str, relation: str, *, incoming: bool = False) -> list[str]:
    """Ids linked to ``node`` by ``relation`` (outgoing, or incoming), sorted."""
    edges: Iterable[tuple[str, str, dict[str, str]]]
    if incoming:
        edges = graph.in_edges(node, data=True)
        return sorted({s for s, _, d in edges if d["relation"] == relation})
    edges = graph.out_edges(node, data=True)
    return sorted({t for _, t, d in edges if d["relation"] == relation})


def neighbourhood(graph: Graph, node: str, depth: int = 1, *, include_references: bool = False) -> Graph:
    """The subgraph of nodes within ``depth`` hops of ``node``, either direction."""
    undirected = graph.to_undirected(as_view=True)
    lengths = nx.single_source_shortest_path_length(undirected, node, cutoff=depth)
    keep = [n for n in lengths if include_references or graph.nodes[n]["kind"] != "reference"]
    return graph.subgraph(sorted(keep)).copy()


def stages_in_order(kb: KnowledgeBase) -> list[Stage]:
    """Workflow stages sorted by their order, then id."""
    stages = [e for e in kb.entities.values() if isinstance(e, Stage)]
    return sorted(stages, key=lambda s: (s.order, s.id))


def practices_by_stage(kb: KnowledgeBase) -> dict[str, list[Practice]]:
    """Practices grouped under each stage id, stages in workflow order."""
    out: dict[str, list[Practice]] = {s.id: [] for s in stages_in_order(kb)}
    for entity in sorted(kb.entities.values(), key=lambda e: e.id):
        if isinstance(entity, Practice) and entity.stage in out:
            out[entity.stage].append(entity)
    return out


@dataclass(frozen=True)
class Coverage:
    """Coverage of challenges and defect types by practices: the one definition of a gap.

    ``validate`` warns on the gaps (``uncovered-challenge``, ``unguarded-defect``),
    ``stats`` lists them and the coverage page shows them, all from :func:`coverage`.
    Deprecated challenges and defect types are never gaps; a defect type with
    sub-types is guarded through them, so only leaf types count.

    Attributes:
        challenges: The challenges that count (not deprecated), sorted.
        leaf_defects: The defect types that count: no sub-type, not deprecated, sorted.
        uncovered_challenges: Challenges no practice addresses.
        unguarded_defects: Leaf defect types no practice prevents or detects.
        matrix: Every challenge id (deprecated too) -> ids of the practices addressing it.
    """

    challenges: list[str]
    leaf_defects: list[str]
    uncovered_challenges: list[str]
    unguarded_defects: list[str]
    matrix: dict[str, list[str]]


def coverage(kb: KnowledgeBase, graph: Graph) -> Coverage:
    """Compute coverage of ``kb`` from its graph (see :class:`Coverage` for what counts)."""
    entities = kb.entities
    kinds = nx.get_node_attributes(graph, "kind")

    def counts(node: str) -> bool:
        return node in entities and entities[node].status != "deprecated"

    all_challenges = sorted(n for n, k in kinds.items() if k == "challenge")
    matrix = {c: related(graph, c, "addresses", incoming=True) for c in all_challenges}
    challenges = [c for c in all_challenges if counts(c)]
    defects = sorted(n for n, k in kinds.items() if k == "defect")
    leaves = [d for d in defects if counts(d) and not related(graph, d, "parent", incoming=True)]
    unguarded = [
        d
        for d in leaves
        if not related(graph, d, "prevents", incoming=True) + related(graph, d, "detects", incoming=True)
    ]
    return Coverage(challenges, leaves, [c for c in challenges if not matrix[c]], unguarded, matrix)


def taxonomy_roots(graph: Graph) -> list[str]:
    """Defect types with no parent."""
    kinds = nx.get_node_attributes(graph, "kind")
    return sorted(n for n, k in kinds.items() if k == "defect" and not related(graph, n, "parent"))


def subtypes(graph: Graph, defect: str) -> list[str]:
    """Direct sub-types of a defect type."""
    return related(graph, defect, "parent", incoming=True)
