"""Every download loads in its standard tool: networkx, an XML parser, csv, bibtexparser, jsonschema, frictionless."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import networkx as nx
import pytest
import yaml
from frictionless import Package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.kb import Checked
from generator.markup import csv_uncell, scrub
from generator.models import FOLDERS, MODELS
from generator.pipeline import check_folder
from generator.render.downloads import download_files
from generator.render.exports import _dumps, graph_graphml, graph_json
from generator.urls import SCHEMA_BASE_URL, SITE_URL
from tests.conftest import ROOT, run_cli
from tests.site_fixtures import HOSTILE_TITLE, hostile_kb

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def checked() -> Checked:
    return check_folder(ROOT / "kb")


@pytest.fixture(scope="module")
def files(checked: Checked) -> dict[str, str]:
    return {path.removeprefix("downloads/"): text for path, text in download_files(checked).items()}


def _schema(files: dict[str, str], name: str) -> dict[str, object]:
    schema = json.loads(files[f"schemas/{name}"])
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_graph_json_round_trips_through_networkx(checked: Checked, files: dict[str, str]) -> None:
    data = json.loads(files["graph.json"])
    graph = nx.node_link_graph(data, edges="edges")
    assert graph.is_directed() and graph.is_multigraph()
    assert sorted(graph.nodes) == sorted(checked.graph.nodes)
    assert sorted(graph.edges(keys=True)) == sorted(checked.graph.edges(keys=True))
    for node, attrs in checked.graph.nodes(data=True):
        assert graph.nodes[node] == {"label": attrs["title"], **attrs}
    assert json.loads(json.dumps(nx.node_link_data(graph, edges="edges"))) == data  # and back
    jsonschema.validate(data, _schema(files, "graph-export.schema.json"))


def test_graphml_loads_with_labels(checked: Checked, files: dict[str, str]) -> None:
    root = ET.fromstring(files["graph.graphml"])
    keys = {k.get("attr.name"): k.get("id") for k in root.iter(f"{GRAPHML}key") if k.get("for") == "node"}
    assert "label" in keys
    graph = nx.read_graphml(io.BytesIO(files["graph.graphml"].encode()))
    assert graph.is_directed()
    assert graph.number_of_edges() == checked.graph.number_of_edges()
    for node, attrs in checked.graph.nodes(data=True):
        assert graph.nodes[node]["label"] == attrs["title"]


def test_machine_downloads_are_compact_and_the_cli_graph_is_indented(checked: Checked, files: dict[str, str]) -> None:
    for name in ("kb.json", "graph.json"):
        text = files[name]
        assert text.startswith('{"') and text.endswith("}\n") and text.count("\n") == 1, name
    assert json.loads(files["graph.json"]) == json.loads(graph_json(checked.graph))
    assert "\n  " in graph_json(checked.graph) and "\n  " in graph_graphml(checked.graph)
    assert "\n  " not in files["graph.graphml"]
    assert files["schemas/kb-export.schema.json"].startswith('{\n  "$')  # read by people


def test_kb_json_matches_its_schema_and_entity_schemas(checked: Checked, files: dict[str, str]) -> None:
    data = json.loads(files["kb.json"])
    jsonschema.validate(data, _schema(files, "kb-export.schema.json"))
    for kind, items in data["entities"].items():
        schema = _schema(files, f"{kind}.schema.json")
        # one checked validator per kind (jsonschema.validate re-checks the schema on every call)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validator = cls(schema)
        for item in items:
            validator.validate({k: v for k, v in item.items() if k != "type"})
    assert sum(len(v) for v in data["entities"].values()) == len(checked.kb.entities)


def test_checklist_json_matches_its_schema(files: dict[str, str]) -> None:
    result = run_cli(["checklist", "pytorch-to-onnx-runtime", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    jsonschema.validate(json.loads(result.stdout), _schema(files, "checklist.schema.json"))


def test_schema_ids_are_absolute_under_the_site_url(files: dict[str, str]) -> None:
    site_url = yaml.safe_load((ROOT / "kb" / "kb.yaml").read_text(encoding="utf-8"))["site_url"]
    assert site_url == SITE_URL
    for name, text in files.items():
        if name.startswith("schemas/"):
            assert json.loads(text)["$id"] == f"{SCHEMA_BASE_URL}{name.removeprefix('schemas/')}"
            assert json.loads(text)["$id"].startswith(f"{site_url}downloads/schemas/")


def test_csv_tables_hold_every_entity(checked: Checked, files: dict[str, str]) -> None:
    for kind, model in MODELS.items():
        rows = list(csv.DictReader(io.StringIO(files[f"tables/{FOLDERS[kind]}.csv"], newline="")))
        assert list(rows[0]) == list(model.model_json_schema()["properties"]) if rows else True
        assert sorted(r["id"] for r in rows) == sorted(e.id for e in checked.kb.entities.values() if e.kind == kind)
    relations = list(csv.DictReader(io.StringIO(files["tables/relations.csv"], newline="")))
    assert len(relations) == checked.graph.number_of_edges()


def test_datapackage_is_valid_frictionless(files: dict[str, str], tmp_path: Path) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {r["name"] for r in json.loads(files["datapackage.json"])["resources"]}
    assert names == {*FOLDERS.values(), "relations", "references"}


def test_references_bib_parses_with_every_key(checked: Checked, files: dict[str, str]) -> None:
    library = bibtexparser.parse_string(files["references.bib"])
    assert not library.failed_blocks
    assert sorted(e.key for e in library.entries) == sorted(checked.kb.bibliography.entries)


def test_references_bib_download_drops_control_and_bidi_characters(tmp_path: Path) -> None:
    """A BibTeX field with ESC or U+202E reached the downloadable references.bib as it was."""
    kb = hostile_kb(tmp_path / "kb")
    bib = kb / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("title", "note = {a\x1b[31m \u202ehidden\u200b},\n  title", 1)
    )
    checked = check_folder(kb)
    assert "\x1b" in checked.kb.bibliography.entries[sorted(checked.kb.bibliography.entries)[0]].fields["note"]
    text = {p.removeprefix("downloads/"): t for p, t in download_files(checked).items()}["references.bib"]
    assert "a[31m hidden" in text
    assert not {"\x1b", "\u202e", "\u200b"} & set(text)


def test_hostile_text_stays_data_in_every_export(tmp_path: Path) -> None:
    checked = check_folder(hostile_kb(tmp_path / "kb"))
    files = {path.removeprefix("downloads/"): text for path, text in download_files(checked).items()}
    rows = list(csv.DictReader(io.StringIO(files["tables/practices.csv"], newline="")))
    titles = {r["id"]: csv_uncell(r["title"]) for r in rows}
    assert titles["read-the-reference-code"] == HOSTILE_TITLE
    for name, text in files.items():
        if name.endswith(".csv"):
            for row in csv.reader(io.StringIO(text, newline="")):
                assert not any(cell[:1] in {"=", "+", "-", "@"} for cell in row), (name, row)
    graph = nx.read_graphml(io.BytesIO(files["graph.graphml"].encode()))
    assert graph.nodes["read-the-reference-code"]["label"] == HOSTILE_TITLE
    data = nx.node_link_graph(json.loads(files["graph.json"]), edges="edges")
    assert data.nodes["read-the-reference-code"]["label"] == HOSTILE_TITLE
    library = bibtexparser.parse_string(files["references.bib"])
    assert not library.failed_blocks


# ------------------------------------------------ JSON written first as it is, scrubbed only when needed

NASTY = "\x00\x07\x08\x0c\x1b\x7f\x85\u2028\u202e\u200b\ufeff\ufffe\ud800\r\n\t&<>\"'\\bfu00é"
TEXT = st.text(alphabet=st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY)), max_size=30)
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSON_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=25,
)


@FEW
@given(JSON_DATA, st.booleans())
def test_json_downloads_are_the_json_of_the_scrubbed_data(data: object, compact: bool) -> None:
    layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 2}
    expected = json.dumps(scrub(data), sort_keys=True, ensure_ascii=False, allow_nan=False, **layout) + "\n"
    assert _dumps(data, compact=compact) == expected


def test_json_downloads_tell_an_escaped_control_character_from_an_escaped_backslash() -> None:
    assert _dumps({"a": "x\x08y\x0cz\x1b"}, compact=True) == '{"a":"xyz"}\n'
    assert _dumps({"a": "\\b \\f \\u0000"}, compact=True) == '{"a":"\\\\b \\\\f \\\\u0000"}\n'
    assert _dumps({"a": "\\\x08"}, compact=True) == '{"a":"\\\\"}\n'
