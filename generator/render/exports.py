"""Machine-readable exports of the graph and the KB in standard forms.

* ``graph.json``: networkx node-link JSON, directed multigraph, so
  ``networkx.node_link_graph(data, edges="edges")`` gives the same graph back.
* ``graph.graphml``: GraphML with a ``label`` on every node (Gephi, yEd).
* ``kb.json``: the whole KB. JSON Schemas for every file type and for these
  exports carry absolute ``$id``s under the site URL.

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
from generator.urls import SCHEMA_BASE_URL

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _dumps(data: Any, *, compact: bool = False) -> str:
    """Deterministic JSON of export data; every string passes :func:`scrub` (legal, visible text).

    Indented for people (the CLI, the schemas) or ``compact``, without any
    whitespace, for the site's machine downloads (a quarter smaller).
    Export data is scrubbed already but for rare entry text, so the JSON is
    written first as it is, and again from a scrubbed copy only if it holds
    a character :func:`scrub` drops (a copy of the whole KB cost as much as
    writing it). Keys are strings, as every model declares them.
    """
    layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 2}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False, **layout)
    if not text.replace("\n", "").isprintable() or _escapes_control(text):
        text = json.dumps(scrub(data), sort_keys=True, ensure_ascii=False, allow_nan=False, **layout)
    return text + "\n"


def _escapes_control(text: str) -> bool:
    r"""Whether JSON text holds an escaped control character that :func:`scrub` drops.

    JSON writes them as ``\b``, ``\f`` or ``\u00XX``; a backslash written
    as ``\\`` before the letter is not one. (The other characters scrub drops,
    format characters and U+007F-U+009F, stay raw and are not printable.)
    """
    for token in ("\\b", "\\f", "\\u00"):
        at = text.find(token)
        while at != -1:
            start = at
            while start and text[start - 1] == "\\":
                start -= 1
            if (at - start) % 2 == 0:
                return True
            at = text.find(token, at + 1)
    return False


def _sorted_edges(graph: Graph) -> list[tuple[str, str, str]]:
    return sorted((s, t, d["relation"]) for s, t, d in graph.edges(data=True))


def graph_json(graph: Graph, *, compact: bool = False) -> str:
    """The graph as networkx node-link JSON (directed multigraph, edge key = relation); ``compact`` JSON on request."""
    nodes = [{"id": n, "label": graph.nodes[n].get("title", n), **graph.nodes[n]} for n in sorted(graph.nodes)]
    edges = [{"source": s, "target": t, "key": r, "relation": r} for s, t, r in _sorted_edges(graph)]
    return _dumps({"directed": True, "multigraph": True, "graph": {}, "nodes": nodes, "edges": edges}, compact=compact)


def graph_graphml(graph: Graph, *, compact: bool = False) -> str:
    """The graph as GraphML, with a ``label`` on every node (opens in Gephi, yEd, Cytoscape).

    Indented, or ``compact``: one element after another, no indentation.
    Written by networkx (a hand-written writer saved about 0.35 s of CPU at
    10x the KB, about 1% of the build; not worth owning an XML writer).
    """
    ordered: nx.MultiDiGraph = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        attrs = {k: export_text(str(v)) for k, v in graph.nodes[node].items()}
        ordered.add_node(export_text(node), label=attrs.get("title", export_text(node)), **attrs)
    for s, t, relation in _sorted_edges(graph):
        ordered.add_edge(export_text(s), export_text(t), key=relation, relation=relation)
    return "\n".join(nx.generate_graphml(ordered, prettyprint=not compact)) + "\n"


def entity_data(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """Every entity as JSON-ready data, by id (``model_dump(mode="json")``), made once per KB.

    ``kb.json`` and the CSV tables both print every entity: one dump serves
    both (the tables once dumped each entity once per column).
    """
    return kb.memo("entity json", lambda: {eid: e.model_dump(mode="json") for eid, e in kb.entities.items()})


def kb_json(kb: KnowledgeBase) -> str:
    """The whole KB as compact JSON: metadata, vocabulary, entities by type, bibliography, study scopes and data.

    Compact: it is a download for programs, the largest one (indentation
    added a third).
    """
    entities: dict[str, list[dict[str, Any]]] = {}
    dumped = entity_data(kb)
    for entity in sorted(kb.entities.values(), key=lambda e: (e.kind, e.id)):
        entities.setdefault(entity.kind, []).append({"type": entity.kind, **dumped[entity.id]})
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
    return _dumps(data, compact=True)


def schema_id(name: str) -> str:
    """The absolute ``$id`` of a published schema, e.g. ``.../downloads/schemas/graph.schema.json``."""
    return f"{SCHEMA_BASE_URL}{name}"


def _graph_export_schema() -> dict[str, Any]:
    label = {"type": "string", "description": "Display name (the entity's or reference's title)."}
    node = {
        "type": "object",
        "required": ["id", "kind", "label", "title"],
        "properties": {
            "id": {"type": "string", "description": "Entity id, or cite:KEY for a reference."},
            "kind": {"enum": sorted([*MODELS, "reference"]), "description": "Entity type, or reference."},
            "label": label,
            "title": label,
        },
        "additionalProperties": False,
    }
    edge = {
        "type": "object",
        "required": ["source", "target", "key", "relation"],
        "properties": {
            "source": {"type": "string"},
            "target": {"type": "string"},
            "key": {"type": "string", "description": "networkx edge key: equal to relation."},
            "relation": {"type": "string", "description": "Edge type, e.g. addresses, cites, in-stage."},
        },
        "additionalProperties": False,
    }
    return {
        "title": "Knowledge graph (networkx node-link JSON)",
        "description": "Load with networkx.node_link_graph(data, edges='edges').",
        "type": "object",
        "required": ["directed", "multigraph", "graph", "nodes", "edges"],
        "properties": {
            "directed": {"const": True},
            "multigraph": {"const": True},
            "graph": {"type": "object"},
            "nodes": {"type": "array", "items": node},
            "edges": {"type": "array", "items": edge},
        },
        "additionalProperties": False,
    }


def _kb_export_schema() -> dict[str, Any]:
    entity = {
        "type": "object",
        "required": ["type", "id", "title"],
        "properties": {"type": {"enum": sorted(MODELS)}, "id": {"type": "string"}, "title": {"type": "string"}},
        "description": "An entry as in its YAML file, plus its type. Each type's own schema is "
        + ", ".join(schema_id(f"{kind}.schema.json") for kind in sorted(MODELS))
        + " (without the added 'type').",
    }
    return {
        "title": "The whole knowledge base (kb.json)",
        "type": "object",
        "required": ["meta", "vocabulary", "entities", "references", "studies", "datasets"],
        "properties": {
            "meta": {"anyOf": [{"type": "object"}, {"type": "null"}], "description": "kb/kb.yaml"},
            "vocabulary": {"anyOf": [{"type": "object"}, {"type": "null"}], "description": "kb/vocabulary.yaml"},
            "entities": {
                "type": "object",
                "propertyNames": {"enum": sorted(MODELS)},
                "additionalProperties": {"type": "array", "items": entity},
            },
            "references": {
                "type": "object",
                "description": "BibTeX entries by key: the entry type and the fields.",
                "additionalProperties": {
                    "type": "object",
                    "required": ["type"],
                    "additionalProperties": {"type": "string"},
                },
            },
            "studies": {
                "type": "object",
                "description": "kb/studies.yaml: the studies behind the evidence, by BibTeX key "
                + f"(each as in {schema_id('studies.schema.json')}).",
                "additionalProperties": {"type": "object"},
            },
            "datasets": {
                "type": "object",
                "description": "kb/data/: each data set's provenance and rows, by name.",
                "additionalProperties": {
                    "type": "object",
                    "required": ["provenance", "rows"],
                    "properties": {
                        "provenance": {"type": "object"},
                        "rows": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
        "additionalProperties": False,
    }


def json_schemas() -> dict[str, str]:
    """JSON Schema text for every file type and export, by file name (deterministic)."""
    models: dict[str, type[BaseModel]] = {**MODELS, "kb": KbMeta, "vocabulary": Vocabulary}
    models["checklist"] = ChecklistExport  # the checklist export format, not a KB file
    models["studies"] = StudiesFile
    models["dataset"] = DatasetProvenance  # kb/data/NAME.yaml
    schemas = {kind: model.model_json_schema() for kind, model in models.items()}
    schemas["graph-export"] = _graph_export_schema()
    schemas["kb-export"] = _kb_export_schema()
    out = {}
    for kind, schema in sorted(schemas.items()):
        name = f"{kind}.schema.json"
        out[name] = _dumps({"$schema": JSON_SCHEMA_DIALECT, "$id": schema_id(name), **schema})
    return out
