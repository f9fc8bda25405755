"""Machine-readable exports of the graph and the KB (JSON, GraphML).

All output is deterministic: sorted keys, sorted nodes and edges, no dates.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx
from pydantic import BaseModel

from generator.checklist.schema import ChecklistExport
from generator.kb import Graph, KnowledgeBase
from generator.load.datasets import DatasetProvenance
from generator.load.studies import StudiesFile
from generator.markup import export_text, scrub
from generator.models import MODELS, KbMeta, Vocabulary


def graph_json(graph: Graph) -> str:
    """The graph as node-link JSON."""
    nodes = [scrub({"id": n, **graph.nodes[n]}) for n in sorted(graph.nodes)]
    edges = sorted(
        ({"source": s, "target": t, "relation": d["relation"]} for s, t, d in graph.edges(data=True)),
        key=lambda e: (e["source"], e["target"], e["relation"]),
    )
    return json.dumps({"nodes": nodes, "edges": scrub(edges)}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def graph_graphml(graph: Graph) -> str:
    """The graph as GraphML (opens in Gephi, yEd, Cytoscape)."""
    ordered: nx.MultiDiGraph = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        ordered.add_node(export_text(node), **{k: export_text(str(v)) for k, v in graph.nodes[node].items()})
    for s, t, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
        ordered.add_edge(export_text(s), export_text(t), key=d["relation"], relation=d["relation"])
    return "\n".join(nx.generate_graphml(ordered, prettyprint=True)) + "\n"


def kb_json(kb: KnowledgeBase) -> str:
    """The whole KB as JSON: metadata, vocabulary, entities by type, bibliography, study scopes and data."""
    entities: dict[str, list[dict[str, Any]]] = {}
    for entity in sorted(kb.entities.values(), key=lambda e: (e.kind, e.id)):
        entities.setdefault(entity.kind, []).append({"type": entity.kind, **entity.model_dump(mode="json")})
    data = {
        "meta": kb.meta.model_dump(mode="json") if kb.meta else None,
        "vocabulary": kb.vocabulary.model_dump(mode="json") if kb.vocabulary else None,
        "entities": entities,
        "references": {key: {"type": e.entry_type, **e.fields} for key, e in sorted(kb.bibliography.entries.items())},
        "studies": {key: study.model_dump(mode="json") for key, study in sorted(kb.studies.items())},
        "datasets": {
            name: {"provenance": data.provenance.model_dump(mode="json"), "rows": [dict(row) for row in data.rows]}
            for name, data in sorted(kb.datasets.items())
        },
    }
    return json.dumps(scrub(data), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def json_schemas() -> dict[str, str]:
    """JSON Schema text for every file type, by file name (deterministic)."""
    models: dict[str, type[BaseModel]] = {**MODELS, "kb": KbMeta, "vocabulary": Vocabulary}
    models["checklist"] = ChecklistExport  # the checklist export format, not a KB file
    models["studies"] = StudiesFile
    models["dataset"] = DatasetProvenance  # kb/data/NAME.yaml
    out = {}
    for kind, model in sorted(models.items()):
        schema = model.model_json_schema()
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{kind}.schema.json",
            **schema,
        }
        out[f"{kind}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out
