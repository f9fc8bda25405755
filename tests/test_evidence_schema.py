"""Graded evidence in the schema: effect relations with a basis, importance basis, review dates.

Inline YAML edits of the base fixture; every finding is compared whole.
"""

from __future__ import annotations

import pytest

from generator.findings import Finding, Location, Severity
from generator.graph import related
from generator.load.files import raw_kb_from_mapping
from generator.models import STRENGTH_BY_KIND, Evidence, Practice, references, strength_of
from generator.pipeline import check
from tests.conftest import BASE_KB

PRACTICE = "practices/read-the-reference-code.yaml"
BARE = "addresses: [under-documented-reference-model]\n"


def _files(text: str) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()
    }
    files[PRACTICE] = text
    return files


def _practice(addresses: str, extra: str = "") -> str:
    text = (BASE_KB / PRACTICE).read_text()
    assert BARE in text
    return text.replace(BARE, addresses) + extra


def _findings(text: str) -> list[Finding]:
    return check(raw_kb_from_mapping(_files(text))).findings


def _at(line: int, col: int) -> Location:
    return Location("kb/" + PRACTICE, line, col)


MAPPING = """\
addresses:
  - id: under-documented-reference-model
    why: Reading the code finds the settings the paper leaves out.
    evidence: [doe2024study]
"""


def test_mapping_form_is_valid_and_links_like_a_bare_id() -> None:
    checked = check(raw_kb_from_mapping(_files(_practice(MAPPING))))
    assert checked.findings == []
    practice = checked.kb.entities["read-the-reference-code"]
    assert isinstance(practice, Practice)
    (effect,) = practice.effects("addresses")
    assert (effect.target, effect.evidence, effect.judgement, effect.has_basis) == (
        "under-documented-reference-model",
        ("doe2024study",),
        False,
        True,
    )
    assert "under-documented-reference-model" in [t for _, _, t in references(practice)]
    assert related(checked.graph, "under-documented-reference-model", "addresses", incoming=True) == [
        "read-the-reference-code"
    ]


def test_judgement_mark_is_a_basis() -> None:
    text = _practice(MAPPING.replace("    evidence: [doe2024study]\n", "    judgement: true\n"))
    assert _findings(text) == []


def test_bare_id_still_validates_without_a_basis() -> None:
    checked = check(raw_kb_from_mapping(_files(_practice(BARE))))
    assert checked.findings == []
    practice = checked.kb.entities["read-the-reference-code"]
    assert isinstance(practice, Practice)
    assert [e.has_basis for e in practice.all_effects()] == [False, False]


def test_both_evidence_and_judgement_is_an_error() -> None:
    (finding,) = _findings(_practice(MAPPING + "    judgement: true\n"))
    assert finding.code == "invalid-value"
    assert finding.message.startswith("'addresses[0]': give either 'evidence' or 'judgement: true', not both;")
    assert finding.location == _at(8, 5)


def test_neither_evidence_nor_judgement_is_an_error() -> None:
    text = _practice(MAPPING.replace("    evidence: [doe2024study]\n", ""))
    (finding,) = _findings(text)
    assert finding.code == "invalid-value"
    assert finding.message.startswith(
        "'addresses[0]': give 'evidence' (keys from this entry's evidence list) or 'judgement: true';"
    )
    assert finding.location == _at(8, 5)


def test_relation_evidence_must_be_listed_in_the_entry() -> None:
    text = _practice(MAPPING.replace("[doe2024study]", "[doe2024stdy]"))
    assert _findings(text) == [
        Finding(
            "basis-not-in-evidence",
            Severity.ERROR,
            "addresses 'under-documented-reference-model' cites 'doe2024stdy', which is not in this entry's "
            "'evidence' list; add an evidence item for it or use a listed key. Did you mean 'doe2024study'?",
            _at(10, 16),
        )
    ]


def test_unknown_target_in_mapping_points_at_its_id() -> None:
    text = _practice(MAPPING.replace("id: under-documented-reference-model", "id: under-documented-reference"))
    (finding,) = _findings(text)
    assert finding.code == "unknown-reference"
    assert "Did you mean 'under-documented-reference-model'?" in finding.message
    assert finding.location == _at(8, 5)
    assert finding.location.key_path == ("addresses", 0, "id")


def test_misspelt_key_in_mapping_suggests_the_right_one() -> None:
    text = _practice(MAPPING.replace("    why:", "    wyh:"))
    (finding,) = _findings(text)
    assert finding == Finding(
        "unknown-key",
        Severity.ERROR,
        "unknown key 'addresses[0].wyh' in practice 'read-the-reference-code'. Did you mean 'why'?",
        _at(9, 5),
    )


def test_an_item_that_is_neither_id_nor_mapping() -> None:
    assert _findings(_practice("addresses: [42]\n")) == [
        Finding(
            "invalid-type",
            Severity.ERROR,
            "'addresses[0]': expected an id, or a mapping with 'id', 'why' and either 'evidence' or "
            "'judgement: true'; found 42.",
            _at(7, 13),
        )
    ]


def test_importance_basis_keys_are_checked() -> None:
    extra = "importance_basis:\n  why: Every port in the study needed it.\n  evidence: [roe2020]\n"
    (finding,) = _findings(_practice(BARE, extra))
    assert finding.code == "basis-not-in-evidence"
    assert finding.message.startswith("importance_basis cites 'roe2020'")
    assert finding.location.key_path == ("importance_basis", "evidence", 0)


@pytest.mark.parametrize(("value", "message"), [
    ("2026-02-30", "'reviewed': '2026-02-30' is not a calendar date (YYYY-MM-DD); found \"2026-02-30\"."),
    ("'26-11-27'", "'reviewed': string should match pattern '^\\d{4}-\\d{2}-\\d{2}$'; found \"26-11-27\"."),
])  # fmt: skip
def test_reviewed_is_a_real_date(value: str, message: str) -> None:
    (finding,) = _findings(_practice(BARE, f"reviewed: {value}\n"))
    assert (finding.code, finding.message) == ("invalid-value", message)


def test_reviewed_date_is_accepted() -> None:
    assert _findings(_practice(BARE, "reviewed: 2026-11-27\n")) == []


def test_documentation_is_an_evidence_kind_and_strength_is_derived_in_one_place() -> None:
    ev = Evidence(
        cite="doe2024study", kind="documentation", shows="The docs say the default is builtins only.", locator="Usage"
    )
    assert ev.strength == "documented"
    assert strength_of("experiment") == "measured"
    assert strength_of("mining-study") == "counted"
    assert {strength_of(k) for k in ("survey", "interview-study", "experience-report", "literature-review")} == {
        "reported"
    }
    assert strength_of("position-paper") == "judgement"
    assert set(STRENGTH_BY_KIND) == set(Evidence.model_fields["kind"].annotation.__args__)  # type: ignore[union-attr]


def test_fmt_orders_a_link_mapping_like_the_model() -> None:
    from generator.contrib.fmt import format_entity

    text = _practice(
        "addresses:\n  - judgement: true\n    why: Reading the code finds the settings.\n"
        "    id: under-documented-reference-model\n",
        "importance_basis:\n  judgement: true\n  why: Every port needs it.\n",
    )
    formatted = format_entity(text, "practice")
    assert (
        "addresses:\n  - id: under-documented-reference-model\n    why: Reading the code finds the settings.\n"
        "    judgement: true\n"
    ) in formatted
    assert "importance_basis:\n  why: Every port needs it.\n  judgement: true\n" in formatted
    assert _findings(formatted) == []
