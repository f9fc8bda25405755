"""Flat CSV tables of the KB and the Frictionless data package that describes them.

One table per entity type (one row per entity, one column per field of its
model), plus ``relations.csv`` (every typed edge of the graph) and
``references.csv`` (the bibliography). Nested values (lists, mappings) are
JSON text in their cell, typed ``array`` or ``object`` as the Frictionless
Table Schema defines them; a cell a spreadsheet would run as a formula gets
a leading apostrophe (:func:`generator.markup.csv_cell`).
``datapackage.json`` (Data Package v2) names each table, its fields and
types, and its primary key, so ``frictionless validate`` or any Data
Package reader loads them as typed tables.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pydantic import BaseModel

from generator.kb import Checked
from generator.markup import csv_cell, export_text, plain, scrub
from generator.models import FOLDERS, MODELS
from generator.render.exports import entity_data

TABLES_DIR = "tables"
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
CONTENT_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
_JSON_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean", "array": "array", "object": "object"}


def _field_type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    """The Table Schema type of one JSON Schema property."""
    if "$ref" in prop:
        return _field_type(defs[prop["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in prop:
        kinds = {_field_type(p, defs) for p in prop["anyOf"] if p.get("type") != "null"}
        return kinds.pop() if len(kinds) == 1 else "any"
    kind = prop.get("type")
    if kind == "string" or (kind is None and all(isinstance(v, str) for v in prop.get("enum", [None]))):
        return "date" if prop.get("format") == "date" else "string"
    if isinstance(kind, str) and kind in _JSON_TYPES:
        return _JSON_TYPES[kind]
    return "object" if "properties" in prop else "any"


def _columns(model: type[BaseModel]) -> list[dict[str, str]]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    out = []
    for name, prop in schema["properties"].items():
        column = {"name": name, "type": _field_type(prop, defs)}
        if prop.get("description"):
            column["description"] = prop["description"]
        out.append(column)
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(scrub(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return csv_cell(export_text(str(value)))  # hidden characters first: none may hide a formula sign


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _resource(name: str, title: str, fields: list[dict[str, str]], key: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "title": title,
        "path": f"{TABLES_DIR}/{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": key},
    }


def entity_tables(checked: Checked) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """One CSV per entity type: ``({file name: text}, [resource descriptors])``."""
    files, resources = {}, []
    dumped = entity_data(checked.kb)
    for kind, model in sorted(MODELS.items()):
        columns = _columns(model)
        names = [c["name"] for c in columns]
        entities = sorted((e for e in checked.kb.entities.values() if e.kind == kind), key=lambda e: e.id)
        rows = [[dumped[e.id].get(n) for n in names] for e in entities]
        name = FOLDERS[kind]
        files[f"{name}.csv"] = _csv(names, rows)
        resources.append(_resource(name, f"{name.capitalize()}: one row per {kind}", columns, ["id"]))
    return files, resources


def relation_table(checked: Checked) -> tuple[str, dict[str, Any]]:
    """Every typed edge of the graph: source, relation, target (references as ``cite:KEY``)."""
    rows = sorted([s, d["relation"], t] for s, t, d in checked.graph.edges(data=True))
    fields = [
        {"name": "source", "type": "string", "description": "Entity id."},
        {"name": "relation", "type": "string", "description": "Edge type, e.g. addresses, in-stage, cites."},
        {"name": "target", "type": "string", "description": "Entity id, or cite:KEY for a reference."},
    ]
    resource = _resource("relations", "Relations: one row per typed edge", fields, ["source", "relation", "target"])
    return _csv(["source", "relation", "target"], rows), resource


def reference_table(checked: Checked) -> tuple[str, dict[str, Any]]:
    """The bibliography: key, entry type and every BibTeX field used."""
    entries = checked.kb.bibliography.entries
    field_names = sorted({name for entry in entries.values() for name in entry.fields})
    header = ["key", "entry_type", *field_names]
    rows = [[key, e.entry_type, *(e.fields.get(n) for n in field_names)] for key, e in sorted(entries.items())]
    fields = [{"name": name, "type": "string"} for name in header]
    return _csv(header, rows), _resource("references", "References: the bibliography", fields, ["key"])


def table_files(checked: Checked) -> dict[str, str]:
    """``{path under the downloads folder: text}``: the CSV tables and ``datapackage.json``."""
    files, resources = entity_tables(checked)
    for name, (text, resource) in {
        "relations.csv": relation_table(checked),
        "references.csv": reference_table(checked),
    }.items():
        files[name] = text
        resources.append(resource)
    meta = checked.kb.meta
    package: dict[str, Any] = {
        "$schema": PACKAGE_PROFILE,
        "name": "reengineering-kb",
        "title": plain(meta.name) if meta else "Knowledge base",
        "description": "The knowledge base as flat tables. Lists and mappings are JSON text in their cell; "
        "a cell starting with = + - @ has a leading apostrophe so spreadsheets do not run it.",
        "licenses": [CONTENT_LICENCE],
        "resources": resources,
    }
    if meta:
        package |= {"version": meta.version, "homepage": meta.site_url}
    out = {f"{TABLES_DIR}/{name}": text for name, text in sorted(files.items())}
    out["datapackage.json"] = json.dumps(package, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out
