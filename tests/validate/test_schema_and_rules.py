"""Unit tests of the schema stage and the cross-entity rules (no disk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.findings import Finding, Location, Severity
from generator.load.files import raw_kb_from_mapping
from generator.models import MODELS, Practice, ref_fields
from generator.pipeline import check
from tests.conftest import BASE_KB


def base_files() -> dict[str, str | bytes]:
    return {p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()}


def findings_for(edits: dict[str, str | None]) -> list[Finding]:
    files = base_files()
    for rel, text in edits.items():
        if text is None:
            files.pop(rel)
        else:
            files[rel] = text
    return check(raw_kb_from_mapping(files)).findings


def read(rel: str) -> str:
    return (BASE_KB / rel).read_text()


PRACTICE = "practices/read-the-reference-code.yaml"
CHALLENGE = "challenges/under-documented-reference-model.yaml"


def test_base_fixture_is_clean() -> None:
    assert findings_for({}) == []


def test_reference_fields_come_from_the_models() -> None:
    fields = {f.name: (f.ref.target, f.ref.edge, f.many) for f in ref_fields(Practice)}
    assert fields == {
        "stage": ("stage", "in-stage", False),
        "paradigms": ("paradigm", "in-paradigm", True),
        "addresses": ("challenge", "addresses", True),
        "prevents": ("defect", "prevents", True),
        "detects": ("defect", "detects", True),
    }
    assert set(MODELS) == {"paradigm", "stage", "challenge", "practice", "defect", "scenario"}


def test_wrong_nested_type_points_at_the_item() -> None:
    text = read(PRACTICE).replace("  - id: list-hidden-settings\n", "  - id: 42\n")
    assert findings_for({PRACTICE: text}) == [
        Finding(
            "invalid-type",
            Severity.ERROR,
            "'checklist[0].id': input should be a valid string; found 42.",
            Location("kb/" + PRACTICE, 15, 5),
        )
    ]


def test_unknown_nested_key_suggests_the_right_one() -> None:
    text = read(PRACTICE).replace("    kind: interview-study", "    kind: interview-study\n    locatr: p. 3")
    (finding,) = findings_for({PRACTICE: text})
    assert finding.code == "unknown-key"
    assert "Did you mean 'locator'?" in finding.message
    assert finding.location.key_path == ("evidence", 0, "locatr")


def test_enum_value_lists_the_choices() -> None:
    text = read(PRACTICE).replace("kind: interview-study", "kind: interviews")
    (finding,) = findings_for({PRACTICE: text})
    assert finding.code == "invalid-value"
    assert "'mining-study'" in finding.message and 'found "interviews"' in finding.message


def test_yes_is_not_a_bool_and_numbers_are_not_strings() -> None:
    text = read(CHALLENGE).replace("title: Under-documented reference model", "title: 123")
    (finding,) = findings_for({CHALLENGE: text})
    assert finding.message == "'title': input should be a valid string; found 123."


def test_replaced_by_requires_deprecated() -> None:
    text = read(CHALLENGE) + "replaced_by: under-documented-reference-model\n"
    (finding,) = findings_for({CHALLENGE: text})
    assert finding.code == "invalid-value"
    assert "'replaced_by' is only allowed with 'status: deprecated'" in finding.message


def test_deprecated_reference_warns_with_the_replacement() -> None:
    text = read(CHALLENGE) + "status: deprecated\n"
    found = findings_for({CHALLENGE: text})
    assert [(f.code, f.severity) for f in found] == [("deprecated-reference", Severity.WARNING)]


def test_duplicate_checklist_item_and_todo_markers() -> None:
    text = read(PRACTICE).replace(
        "checklist:\n", 'checklist:\n  - id: list-hidden-settings\n    text: "TODO: write the item text."\n'
    )
    codes = sorted(f.code for f in findings_for({PRACTICE: text}))
    assert codes == ["duplicate-item-id", "todo-marker"]


def test_a_duplicate_of_an_alias_points_at_the_alias_line() -> None:
    """The message named the other file's 'id' line even when the name was taken by one of its aliases."""
    challenge = read(CHALLENGE) + "aliases: [old-practice-name]\n"
    alias_line = challenge.splitlines().index("aliases: [old-practice-name]") + 1
    practice = read(PRACTICE).replace("id: read-the-reference-code", "id: old-practice-name")
    found = findings_for({CHALLENGE: challenge, "practices/old-practice-name.yaml": practice, PRACTICE: None})
    dupes = [f for f in found if f.code == "duplicate-id"]
    assert len(dupes) == 1, found
    assert dupes[0].location.path.endswith("practices/old-practice-name.yaml")
    other = dupes[0].location.path.replace("practices/old-practice-name.yaml", CHALLENGE)
    assert dupes[0].message == (
        f"id 'old-practice-name' is already used, as an alias, by {other}:{alias_line}; ids are unique across the KB."
    )


def test_practice_must_target_something() -> None:
    text = (
        read(PRACTICE)
        .replace("addresses: [under-documented-reference-model]\n", "")
        .replace("detects: [missing-hyperparameter]\n", "")
    )
    assert [f.code for f in findings_for({PRACTICE: text})] == ["practice-without-target"]


def test_back_edge_must_point_backwards() -> None:
    analysis = read("stages/analysis.yaml") + "feeds_back_to: [testing]\n"
    (finding,) = findings_for({"stages/analysis.yaml": analysis})
    assert finding.code == "invalid-back-edge"


def test_unused_reference_warns_at_its_line() -> None:
    bib = read("references.bib") + "\n@misc{roe2020x,\n  author={R},\n  title={T},\n  year={2020},\n  eprint={1}\n}\n"
    assert [(f.code, f.location.line) for f in findings_for({"references.bib": bib})] == [("unused-reference", 9)]


def test_a_bibliography_larger_than_a_yaml_entry_may_be_is_read() -> None:
    # One file holds every reference, so it grows with the KB: the 256 KiB limit
    # of a YAML entry would refuse the bibliography of a KB about twice today's.
    padding = "% a comment line standing in for many more references\n" * 6_000
    bib = read("references.bib") + padding
    assert len(bib.encode()) > 256 * 1024
    assert findings_for({"references.bib": bib}) == []


def test_unguarded_defect_leaf_warns_but_parent_does_not() -> None:
    text = read(PRACTICE).replace("detects: [missing-hyperparameter]\n", "")
    found = findings_for({PRACTICE: text})
    assert [(f.code, f.location.path) for f in found] == [
        ("unguarded-defect", "kb/defects/missing-hyperparameter.yaml")
    ]


def test_missing_metadata_files_are_reported() -> None:
    codes = sorted(f.code for f in findings_for({"kb.yaml": None, "vocabulary.yaml": None}))
    assert codes == ["missing-file", "missing-file"]


@pytest.mark.parametrize(
    ("rel", "code"),
    [("practice/x.yaml", "unknown-folder"), ("practices/x.yml", "wrong-extension"), ("stray.json", "unexpected-file")],
)
def test_files_in_wrong_places(rel: str, code: str) -> None:
    assert [f.code for f in findings_for({rel: "a: 1\n"})] == [code]


def test_modeline_is_expected() -> None:
    text = read(CHALLENGE).split("\n", 1)[1]
    (finding,) = findings_for({CHALLENGE: text})
    assert (finding.code, finding.severity, finding.location.line) == ("missing-modeline", Severity.WARNING, 1)
    assert "../../schemas/challenge.schema.json" in finding.message


def test_markdown_links_with_unsafe_schemes(tmp_path: Path) -> None:
    for body in ["[x](data:text/html,hi)", "<vbscript:msgbox>", "[x]( JAVASCRIPT:alert(1))"]:
        text = read(CHALLENGE) + f"body: {body!r}\n"
        assert [f.code for f in findings_for({CHALLENGE: text})] == ["unsafe-url"], body
    for body in ["[x](https://example.org)", "[x](../practices/a/)", "[x](#top)", "see: a colon"]:
        text = read(CHALLENGE) + f"body: {body!r}\n"
        assert findings_for({CHALLENGE: text}) == [], body


def test_reference_to_a_renamed_id_names_the_new_one() -> None:
    challenge = read(CHALLENGE) + "aliases: [undocumented-reference]\n"
    practice = read(PRACTICE).replace(
        "addresses: [under-documented-reference-model]", "addresses: [undocumented-reference]"
    )
    (finding,) = findings_for({CHALLENGE: challenge, PRACTICE: practice})
    assert (finding.code, finding.message) == (
        "renamed-reference",
        "challenge 'undocumented-reference' was renamed to 'under-documented-reference-model'; update the reference.",
    )
