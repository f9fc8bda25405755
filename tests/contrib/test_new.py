"""new TYPE "Title" and new reference: scaffolds, suggestions, canonical BibTeX."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest

from generator.contrib.fmt import format_entity
from generator.contrib.references import from_bibtex, make_key, normalise_names
from generator.contrib.scaffold import related_entries, scaffold
from generator.load.bibtex import parse_bibtex
from generator.models import FOLDERS
from tests.conftest import run_cli

NEXT = (
    "Next: replace every TODO in kb/practices/read-the-model-code-twice.yaml, then run 'make kb-check' "
    "(or: python -m generator validate && python -m generator fmt kb/practices/read-the-model-code-twice.yaml).\n"
)


def test_new_practice_prints_the_path_and_suggests_related_entries(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    result = run_cli(["new", "practice", "Read the model code twice"], cwd=cwd)
    assert result.exit_code == 0
    assert result.stdout == "kb/practices/read-the-model-code-twice.yaml\n"
    assert result.stderr == (
        "Related entries you may want to link:\n"
        "  practice read-the-reference-code: Read the reference code\n"
        "  challenge under-documented-reference-model: Under-documented reference model"
        " (link it in 'addresses')\n" + NEXT
    )
    text = (cwd / "kb/practices/read-the-model-code-twice.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/practice.schema.json\n")


def test_new_refuses_an_existing_id(kb_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["new", "practice", "Read the reference code"], cwd=kb_copy())
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: id 'read-the-reference-code' already exists in kb/practices/read-the-reference-code.yaml; "
        "choose another title.\n"
    )


def test_new_rejects_a_title_without_words(kb_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["new", "challenge", "!!"], cwd=kb_copy())
    assert result.exit_code == 2
    assert "cannot derive an id from the title '!!'" in result.stderr


@pytest.mark.parametrize("kind", list(FOLDERS))
def test_scaffolds_are_in_canonical_form(kind: str) -> None:
    _, text = scaffold(kind, f"A brand new {kind}")
    assert format_entity(text, kind) == text


def test_related_entries_rank_by_shared_words() -> None:
    entries = [
        ("challenge", "converter-failures", "Model converter failures"),
        ("practice", "check-converted-model-equivalence", "Check converted models for behavioural equivalence"),
        ("stage", "release", "Final training and release"),
    ]
    assert related_entries("Test converted models on many inputs", entries) == [
        ("practice", "check-converted-model-equivalence", "Check converted models for behavioural equivalence"),
        ("challenge", "converter-failures", "Model converter failures"),
    ]


# ------------------------------------------------------------- references

PAPER = """\
@Conference{Whatever:2024,
  Title = "Fine-Tuning   with {Small} Batches",
  AUTHOR = {Jane Doe and van der Berg, Jan},
  year = 2024,
  booktitle = {Proceedings of Examples},
  pages = {10-20},
  doi = {https://doi.org/10.1000/example.2},
  abstract = {Copied text that must not be kept.},
  keywords = {a, b}
}
"""

CANONICAL_PAPER = """\
@inproceedings{doe2024finetuning,
  author        = {Doe, Jane and van der Berg, Jan},
  title         = {Fine-Tuning with {Small} Batches},
  booktitle     = {Proceedings of Examples},
  year          = {2024},
  pages         = {10--20},
  doi           = {10.1000/example.2}
}"""


def test_new_reference_from_a_file_is_canonical_and_sorted(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy({"references.bib": "% header\n\n" + _BIB})
    (cwd / "paper.bib").write_text(PAPER)
    result = run_cli(["new", "reference", "paper.bib"], cwd=cwd)
    assert result.exit_code == 0
    assert result.stdout == "doe2024finetuning\n"
    assert result.stderr == (
        "note: left out abstract, keywords (not kept in the bibliography).\n"
        "added @inproceedings{doe2024finetuning} to kb/references.bib:3; cite it as 'cite: doe2024finetuning'\n"
    )
    text = (cwd / "kb/references.bib").read_text()
    assert text == "% header\n\n" + CANONICAL_PAPER + "\n\n" + _BIB
    bib, findings = parse_bibtex(text, "kb/references.bib")
    assert list(bib.entries) == ["doe2024finetuning", "doe2024study"]
    assert [f for f in findings if f.severity.value == "error"] == []


_BIB = """\
@article{doe2024study,
  author = {Doe, Jane and Roe, Richard},
  title  = {A Study of Model Reengineering},
  journal = {Journal of Examples},
  year   = {2024},
  doi    = {10.1000/example.1}
}
"""


def test_new_reference_refuses_duplicates(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    same_doi = "@article{other, author={X, Y}, title={Other}, journal={J}, year={2020}, doi={10.1000/EXAMPLE.1}}"
    result = run_cli(["new", "reference", same_doi], cwd=cwd)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: DOI 10.1000/EXAMPLE.1 is already in the bibliography as 'doe2024study' (line 1); "
        "cite the existing entry, or choose another key with --key.\n"
    )
    same_key = run_cli(["new", "reference", "-", "--dry-run"], cwd=cwd)
    assert same_key.exit_code == 1  # empty stdin: no entry
    same_title = (
        "@misc{x2020, author={X, Y}, title={A study of model {REENGINEERING}}, year={2020}, eprint={2101.00001}}"
    )
    result = run_cli(["new", "reference", same_title], cwd=cwd)
    assert result.exit_code == 1
    assert "a work with the same title is already in the bibliography as 'doe2024study' (line 1)" in result.stderr
    assert (cwd / "kb/references.bib").read_text() == _BIB


def test_new_reference_from_stdin_and_key_collision(kb_copy) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from generator.cli.main import main

    cwd = kb_copy()
    entry = "@article{k, author={Doe, Jane}, title={Study of Things}, journal={J}, year={2024}, doi={10.1000/x.9}}"
    import contextlib

    with contextlib.chdir(cwd):
        result = CliRunner().invoke(main, ["new", "reference", "-"], input=entry)
    assert result.exit_code == 1
    assert "key 'doe2024study' is already used by 'doe2024study' (line 1)" in result.stderr
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(main, ["new", "reference", "-", "--key", "doe2024things"], input=entry)
    assert result.exit_code == 0 and result.stdout == "doe2024things\n"


class _Endless(io.RawIOBase):
    """Standard input that never ends (``< /dev/zero``): counts what is read."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        buffer[:] = b"@" * len(buffer)
        self.served += len(buffer)
        return len(buffer)


def test_new_reference_reads_standard_input_bounded(kb_copy) -> None:  # type: ignore[no-untyped-def]
    """'-' read all of standard input: '< /dev/zero' grew to 15 GB in 30 s. It is bounded like a file."""
    from click.testing import CliRunner

    from generator.cli.main import main
    from generator.load.yamlstrict import MAX_BYTES

    stdin = _Endless()
    with contextlib.chdir(kb_copy()):
        result = CliRunner().invoke(main, ["new", "reference", "-", "--dry-run"], input=io.BufferedReader(stdin))
        assert result.exit_code == 1
        assert f"error: 'standard input' is larger than {MAX_BYTES:,} bytes" in result.stderr
        assert stdin.served <= 2 * MAX_BYTES
        result = CliRunner().invoke(main, ["new", "reference", "-", "--dry-run"], input=b"@misc{\xff")
        assert result.exit_code == 1
        assert "error: 'standard input' is not UTF-8 text" in result.stderr


def test_a_bare_doi_needs_the_metadata(kb_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["new", "reference", "https://doi.org/10.1145/3650212.3680374"], cwd=kb_copy())
    assert result.exit_code == 2
    assert "cannot look up DOI 10.1145/3650212.3680374 here: the generator works offline" in result.stderr
    assert "https://doi.org/10.1145/3650212.3680374" in result.stderr


def test_a_doi_with_fields_is_added(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    args = ["new", "reference", "doi:10.1000/example.7", "--title", "On Porting Models", "--author", "Roe, Richard"]
    result = run_cli([*args, "--year", "2023", "--journal", "Journal of Examples"], cwd=cwd)
    assert result.exit_code == 0 and result.stdout == "roe2023porting\n"
    text = (cwd / "kb/references.bib").read_text()
    assert text.endswith(
        "\n\n@article{roe2023porting,\n"
        "  author        = {Roe, Richard},\n"
        "  title         = {On Porting Models},\n"
        "  journal       = {Journal of Examples},\n"
        "  year          = {2023},\n"
        "  doi           = {10.1000/example.7}\n"
        "}\n"
    )


def test_unpaired_braces_in_a_field_are_removed_and_said(kb_copy) -> None:  # type: ignore[no-untyped-def]
    args = ["new", "reference", "10.1000/example.8", "--author", "Roe, Richard", "--year", "2023", "--dry-run"]
    unpaired = run_cli([*args, "--title", "Sets {x} and }y{ in {TF"], cwd=kb_copy())
    assert unpaired.exit_code == 0
    assert "  title         = {Sets x and y in TF},\n" in unpaired.stdout
    assert "note: removed the braces from title: BibTeX needs them in pairs" in unpaired.stderr
    paired = run_cli([*args, "--title", "Why {BERT} Works"], cwd=kb_copy())
    assert "  title         = {Why {BERT} Works},\n" in paired.stdout
    assert "braces" not in paired.stderr


def test_an_arxiv_id_becomes_an_eprint(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    result = run_cli(
        [
            "new",
            "reference",
            "arXiv:2303.07476v2",
            "--title",
            "T",
            "--author",
            "Jiang, W",
            "--year",
            "2023",
            "--dry-run",
        ],
        cwd=cwd,
    )
    assert result.exit_code == 0
    assert result.stdout == (
        "@misc{jiang2023t,\n  author        = {Jiang, W},\n  title         = {T},\n  year          = {2023},\n"
        "  eprint        = {2303.07476v2},\n  archiveprefix = {arXiv}\n}\n"
    )
    assert (cwd / "kb/references.bib").read_text() == _BIB


def test_missing_required_fields_are_refused(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy()
    result = run_cli(
        ["new", "reference", "@article{a, author={A, B}, title={Tt}, year={2020}, doi={10.1000/q.1}}"], cwd=cwd
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "error: @article{a2020tt} lacks the required field 'journal'.\n"
        "Nothing was written; add the missing fields and run the command again.\n"
    )


def test_key_convention_and_names() -> None:
    assert make_key({"author": 'M{\\"u}ller, Hans', "year": "2021", "title": "The {ONNX} Way"}) == "muller2021onnx"
    assert make_key({"title": "On the 1 thing"}) == "anonymousndthing"
    assert (
        normalise_names("George K. Thiruvathukal and {Google Brain}") == "Thiruvathukal, George K. and {Google Brain}"
    )
    (ref,) = from_bibtex(PAPER)
    assert ref.dropped == ("abstract", "keywords")
