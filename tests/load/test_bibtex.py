"""Unit tests of the BibTeX reader."""

from __future__ import annotations

from generator.findings import Location, Severity
from generator.load.bibtex import parse_bibtex

GOOD = """@article{doe2024study,
  author = {Doe, Jane},
  title = {A Study},
  journal = {J},
  year = {2024},
  doi = {10.1000/x}
}
"""


def codes(text: str) -> list[tuple[str, int]]:
    _, findings = parse_bibtex(text, "refs.bib")
    return [(f.code, f.location.line) for f in findings]


def test_good_entry_parses_with_one_based_line() -> None:
    bib, findings = parse_bibtex("\n\n" + GOOD, "refs.bib")
    assert findings == []
    assert bib.entries["doe2024study"].line == 3
    assert bib.entries["doe2024study"].fields["title"] == "A Study"


def test_failed_block_is_an_error_with_its_line_and_reason() -> None:
    text = GOOD + "\n@article{bad2024,\n  title = {unclosed,\n  year = {2024}\n"
    bib, findings = parse_bibtex(text, "refs.bib")
    assert list(bib.entries) == ["doe2024study"]
    assert [(f.code, f.location, f.severity) for f in findings] == [
        ("bibtex-syntax", Location("refs.bib", 9, 1), Severity.ERROR)
    ]
    assert "end of file" in findings[0].message


def test_missing_comma_after_key() -> None:
    assert codes("@article{key2020 title={x}}") == [("bibtex-syntax", 1)]


def test_duplicate_key_and_duplicate_field() -> None:
    assert ("duplicate-cite-key", 8) in codes(GOOD + GOOD)
    dup_field = "@misc{roe2020x, author={R}, title={a}, title={b}, year={2020}, eprint={1}}"
    assert codes(dup_field) == [("bibtex-syntax", 1)]


def test_required_fields_per_type_and_year_format() -> None:
    found = codes("@inproceedings{roe2020x,\n  title = {T},\n  year = {20x},\n  doi = {10.1000/1}\n}")
    assert found == [
        ("bibtex-missing-field", 1),
        ("bibtex-missing-field", 1),
        ("bibtex-invalid-field", 1),
    ]


def test_editor_replaces_author_and_unknown_type_is_refused() -> None:
    assert codes("@book{roe2020x, editor={R}, title={T}, publisher={P}, year={2020}, doi={10.1000/1}}") == []
    assert codes("@webpage{roe2020x, title={T}}") == [("bibtex-entry-type", 1)]


def test_url_must_be_http_and_identifier_warns() -> None:
    text = "@misc{roe2020x,\n  author={R},\n  title={T},\n  year={2020},\n  url={javascript:alert(1)}\n}"
    _, findings = parse_bibtex(text, "refs.bib")
    assert [(f.code, f.location.line, f.severity.value) for f in findings] == [
        ("unsafe-url", 5, "error"),
        ("reference-without-identifier", 1, "warning"),
    ]


def test_garbage_never_raises() -> None:
    for text in ["@", "@{", "}}}}", "@article{", "@comment{x", "\x00\x01", "@string{a = {b}}"]:
        parse_bibtex(text, "refs.bib")
