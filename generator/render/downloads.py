"""The downloads page and the files it offers, all produced by the build.

The whole KB as JSON, the graph as node-link JSON and GraphML, and the JSON
Schemas of every file type. Sizes and SHA-256 digests are shown so a
download can be checked; everything is deterministic.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from markupsafe import Markup

from generator import urls as paths
from generator.kb import Checked
from generator.markup import front_matter
from generator.render.exports import graph_graphml, graph_json, json_schemas, kb_json
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
    files = {
        paths.download_path("kb.json"): kb_json(checked.kb),
        paths.download_path("graph.json"): graph_json(checked.graph),
        paths.download_path("graph.graphml"): graph_graphml(checked.graph),
    }
    for name, text in json_schemas().items():
        files[paths.download_path(f"schemas/{name}")] = text
    return files


DESCRIPTIONS = {
    "kb.json": "The whole knowledge base: metadata, vocabulary, every entity by type, and the bibliography.",
    "graph.json": "The knowledge graph as node-link JSON: typed nodes (entities, references) and typed edges.",
    "graph.graphml": "The same graph as GraphML, for Gephi, yEd, Cytoscape or networkx.",
}


def _entry(path: str, text: str, description: str) -> Download:
    data = text.encode("utf-8")
    return Download(
        path.removeprefix(paths.DOWNLOADS_DIR + "/"),
        paths.href(paths.DOWNLOADS_PAGE, path),
        description,
        human_size(len(data)),
        hashlib.sha256(data).hexdigest(),
    )


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
            data.append(_entry(path, text, DESCRIPTIONS.get(name, "")))
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
