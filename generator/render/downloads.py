"""The downloads page and the files it offers, all produced by the build.

The whole KB as JSON, the graph as networkx node-link JSON and GraphML,
flat CSV tables with their Frictionless ``datapackage.json``, the
bibliography as BibTeX, and the JSON Schemas of every file type and export. Sizes and SHA-256 digests are shown so a
download can be checked; everything is deterministic.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from markupsafe import Markup

from generator import urls as paths
from generator.contrib.references import Reference, format_entry
from generator.kb import Checked
from generator.markup import export_text, front_matter
from generator.pipeline import no_collector_pauses
from generator.render.exports import graph_graphml, graph_json, json_schemas, kb_json
from generator.render.incremental import same_as_last
from generator.render.tables import table_files
from generator.render.templating import render


@dataclass(frozen=True)
class Download:
    """One downloadable file as the page lists it."""

    name: str
    href: str
    description: str
    size: str
    sha256: str


def human_size(size: int) -> str:
    """Bytes as '812 B', '14.2 KB' or '1.3 MB'."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def download_files(checked: Checked) -> dict[str, str]:
    """Every downloadable file by docs-relative path."""
    graph = checked.graph
    # A pure function of the graph's nodes and edges: most edits (a summary,
    # a step) change neither, and make serve then keeps the last export.
    shape = (
        [(n, sorted(graph.nodes[n].items())) for n in sorted(graph.nodes)],
        sorted((s, t, d["relation"]) for s, t, d in graph.edges(data=True)),
    )
    graph_text, graphml_text = same_as_last(
        "graph exports", shape, lambda: (graph_json(graph, compact=True), graph_graphml(graph, compact=True))
    )
    files = {
        paths.download_path("kb.json"): kb_json(checked.kb),
        paths.download_path("graph.json"): graph_text,
        paths.download_path("graph.graphml"): graphml_text,
        paths.download_path("references.bib"): references_bib(checked),
    }
    for name, text in table_files(checked).items():
        files[paths.download_path(name)] = text
    for name, text in json_schemas().items():
        files[paths.download_path(f"schemas/{name}")] = text
    return files


def references_bib(checked: Checked) -> str:
    """The bibliography as BibTeX, in the canonical form, sorted by key.

    Field values are export text (:func:`~generator.markup.export_text`), as in
    every other download: no control, bidi or zero-width character of the
    source file reaches a reader's terminal or reference manager.
    """
    entries = sorted(checked.kb.bibliography.entries.items())
    return (
        "\n\n".join(
            format_entry(Reference(key, e.entry_type, {name: export_text(v) for name, v in e.fields.items()}))
            for key, e in entries
        )
        + "\n"
    )


DESCRIPTIONS = {
    "kb.json": "The whole knowledge base: metadata, vocabulary, every entity by type, and the bibliography "
    "(schema: kb-export.schema.json).",
    "graph.json": "The knowledge graph as networkx node-link JSON, a directed multigraph: typed nodes (entities, "
    'references) and typed edges. Load it with networkx.node_link_graph(data, edges="edges") '
    "(schema: graph-export.schema.json).",
    "graph.graphml": "The same graph as GraphML with node labels, for Gephi, yEd, Cytoscape or networkx.",
    "references.bib": "The bibliography as BibTeX.",
    "datapackage.json": "Frictionless Data Package describing the CSV tables: fields, types and keys.",
    "relations.csv": "Every typed relation: source, relation, target.",
    "references.csv": "The bibliography as a table.",
}
TABLE_DESCRIPTION = "One row per entry of this type, one column per field (lists and mappings as JSON)."


def _entry(path: str, text: str, description: str) -> Download:
    data = text.encode("utf-8")
    return Download(
        path.removeprefix(paths.DOWNLOADS_DIR + "/"),
        paths.href(paths.DOWNLOADS_PAGE, path),
        description,
        human_size(len(data)),
        hashlib.sha256(data).hexdigest(),
    )


@no_collector_pauses()
def render_downloads(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the downloads page and the downloadable files."""
    files = download_files(checked)
    data, schemas = [], []
    for path, text in files.items():
        name = path.rsplit("/", 1)[-1]
        if name.endswith(".schema.json"):
            kind = name.removesuffix(".schema.json")
            schemas.append(_entry(path, text, f"JSON Schema of {kind} files."))
        else:
            data.append(_entry(path, text, DESCRIPTIONS.get(name, TABLE_DESCRIPTION if "/tables/" in path else "")))
    version = checked.kb.meta.version if checked.kb.meta else "unknown"
    page = render(
        "downloads.md.j2",
        front=Markup(front_matter({"title": "Downloads", "hide": ["navigation"]})),  # escaped by front_matter
        data=data,
        schemas=sorted(schemas, key=lambda d: d.name),
        version=version,
        entities=len(checked.kb.entities),
    )
    out: dict[str, str | bytes] = dict(files)
    out[paths.DOWNLOADS_PAGE] = page
    return out
