"""One test per real KB entity, named by its id, plus freshness of generated files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.kb import Checked
from generator.load.yamlstrict import parse
from generator.models import FOLDERS
from generator.pipeline import check_folder
from generator.render.exports import json_schemas
from generator.validate.schema import modeline
from tests.conftest import ROOT

KB = ROOT / "kb"
ENTRY_FILES = sorted(p for folder in FOLDERS.values() for p in (KB / folder).glob("*.yaml"))


@pytest.fixture(scope="module")
def checked() -> Checked:
    return check_folder(KB)


@pytest.mark.parametrize("path", ENTRY_FILES, ids=[p.stem for p in ENTRY_FILES])
def test_entity(path: Path, checked: Checked) -> None:
    rel = path.relative_to(ROOT).as_posix()
    problems = [f for f in checked.findings if f.location.path.endswith(rel)]
    assert problems == [], "\n".join(map(str, problems))
    entity = checked.kb.entities[path.stem]
    assert FOLDERS[entity.kind] == path.parent.name
    assert path.read_text(encoding="utf-8").startswith(modeline(entity.kind, 2) + "\n")
    assert checked.graph.nodes[entity.id]["kind"] == entity.kind


@pytest.mark.parametrize("path", ENTRY_FILES, ids=[p.stem for p in ENTRY_FILES])
def test_entity_matches_the_editor_json_schema(path: Path) -> None:
    """What editors check while typing (JSON Schema) agrees with the validator."""
    import jsonschema

    kind = next(k for k, folder in FOLDERS.items() if folder == path.parent.name)
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(parse(path.read_bytes()).data)


def test_whole_kb_is_clean_under_strict(checked: Checked) -> None:
    assert [str(f.location) + " " + f.message for f in checked.findings] == []


def test_json_schemas_in_repo_are_fresh() -> None:
    for name, text in json_schemas().items():
        path = ROOT / "schemas" / name
        assert path.exists(), f"{path} missing: run 'python -m generator schema'"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run 'python -m generator schema'"
