"""fmt: canonical, idempotent, meaning- and comment-preserving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from yamllint import linter
from yamllint.config import YamlLintConfig

from generator.contrib.fmt import field_order, format_entity, kind_of
from generator.contrib.yamlfmt import FormatError, find_comments
from generator.load.yamlstrict import parse
from generator.models import Practice
from tests.conftest import BASE_KB, ROOT, run_cli

REAL_ENTRIES = sorted(p for p in (ROOT / "kb").glob("*/*.yaml") if kind_of(f"{p.parent.name}/{p.name}"))
YAMLLINT = YamlLintConfig(file=str(ROOT / ".yamllint"))


def _comments(text: str) -> list[str]:
    return sorted(c.text for c in find_comments(text) if not c.text.startswith("# yaml-language-server:"))


@pytest.mark.parametrize("path", REAL_ENTRIES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_real_entry_keeps_its_meaning_and_is_a_fixed_point(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    kind = kind_of(f"{path.parent.name}/{path.name}")
    assert kind is not None
    once = format_entity(text, kind)
    assert parse(once.encode()).data == parse(text.encode()).data
    assert _comments(once) == _comments(text)
    assert format_entity(once, kind) == once
    assert not list(linter.run(once, YAMLLINT))


MESSY = """\
# a note about this entry
title: "T: with colon"   # eol title
id: x-y
# before tags
tags: [a, b]  # eol tags
summary: >-  # header comment
  Long text that goes on and on and on and on and on and on and on and on and on and on and end.
checklist:
  # before item 0
  - text: "no"
    id: c1  # eol id
  - id: c2
    # before text of c2
    text: |
      line one
        indented

      after blank
evidence: []
unknown_b: 2
weird: "tab\\there \\u2028 sep # not a comment"
nums: ['1.10', 0755, yes, ~]
unknown_a: 1
# trailing comment
"""

CANONICAL = """\
# yaml-language-server: $schema=../../schemas/practice.schema.json
# a note about this entry
id: x-y
title: "T: with colon"  # eol title
summary: >-  # header comment
  Long text that goes on and on and on and on and on and on and on and on and on and on
  and end.
checklist:
  # before item 0
  - id: c1  # eol id
    text: "no"
  - id: c2
    # before text of c2
    text: |
      line one
        indented

      after blank
# before tags
tags: [a, b]  # eol tags
evidence: []
unknown_b: 2
weird: "tab\\there \\u2028 sep # not a comment"
nums:
  - "1.10"
  - "0755"
  - "yes"
  - null
unknown_a: 1
# trailing comment
"""


def test_messy_file_gets_the_canonical_form_with_every_comment() -> None:
    assert format_entity(MESSY, "practice") == CANONICAL
    assert format_entity(CANONICAL, "practice") == CANONICAL
    assert parse(CANONICAL.encode()).data == parse(MESSY.encode()).data


def test_key_order_follows_the_model() -> None:
    order = field_order(Practice)
    assert order[:5] == ["id", "title", "summary", "stage", "paradigms"]
    assert order[-8:] == ["body", "tags", "evidence", "aliases", "status", "replaced_by", "review_by", "reviewed"]


def test_folded_line_breaks_are_kept_and_long_lines_wrapped() -> None:
    text = (
        "id: x-y\nsummary: >-\n  Short first line\n"
        "  then a second line that the author chose to break here and which is far too long to stay on one line.\n"
    )
    out = format_entity(text, "challenge")
    assert out.splitlines()[2:] == [
        "summary: >-",
        "  Short first line",
        "  then a second line that the author chose to break here and which is far too long to",
        "  stay on one line.",
    ]


def _folded(para: list[str]) -> str:
    """A challenge whose summary is a ``>-`` block with these lines."""
    return "id: x-y\nsummary: >-\n" + "".join(f"  {line}\n" for line in para)


def test_overflow_is_carried_into_the_next_line_not_left_as_an_orphan() -> None:
    para = [
        "The first line stays exactly as the author wrote it, even though it is short.",
        "An edit added several words to this line, so that it now runs well past the right margin",
        "and the rest of the paragraph is filled again from here, as an editor would",
        "do it.",
    ]
    text = _folded(para)
    out = format_entity(text, "challenge").splitlines()[3:]
    assert out == [
        "  The first line stays exactly as the author wrote it, even though it is short.",
        "  An edit added several words to this line, so that it now runs well past the right",
        "  margin and the rest of the paragraph is filled again from here, as an editor would",
        "  do it.",
    ]
    assert all(len(line) <= 88 for line in out)
    assert parse(format_entity(text, "challenge").encode()).data["summary"] == " ".join(para)
    assert format_entity(format_entity(text, "challenge"), "challenge") == format_entity(text, "challenge")


def test_the_carry_stops_at_the_first_line_it_fits_on() -> None:
    para = [
        "This line was lengthened by an edit and now ends with words past the margin: one two three",
        "short line.",
        "A later line that the carry never reaches keeps its break.",
        "End.",
    ]
    assert format_entity(_folded(para), "challenge").splitlines()[3:] == [
        "  This line was lengthened by an edit and now ends with words past the margin: one two",
        "  three short line.",
        "  A later line that the carry never reaches keeps its break.",
        "  End.",
    ]


@pytest.mark.parametrize(
    "value",
    [
        "no",
        "1.10",
        "0755",
        "~",
        "",
        " leading",
        "trailing ",
        "a: b",
        "#x",
        "x #y",
        "- x",
        "tab\there",
        "é and ü",
        'quote " and \\ backslash',
        "@at",
        "`tick",
        "%percent",
        "!bang",
        "&amp",
        "*star",
        "|pipe",
        ">gt",
        "'single",
        "{brace}",
        "[bracket]",
        "x, y",
        "?q",
        ": colon",
        "null",
        "True",
        "2024-01-01",
        "word " * 40,
        "two  spaces  between " * 8,
        "x" * 200,
        "line\nbreak\n",
        "trailing\nspaces  \n",
        "  indented first\nline\n",
        "keep\n\n\n",
        "\n\nleading blank lines",
        "nel\x85 and ls\u2028",
        "re- implementation re-\nimplementation",
    ],
)
def test_tricky_strings_read_back_unchanged(value: str) -> None:
    text = "id: x-y\ntitle: short\nsummary: " + _json(value) + "\nsteps:\n  - " + _json(value) + "\n"
    once = format_entity(text, "practice")
    assert parse(once.encode()).data == parse(text.encode()).data
    assert format_entity(once, "practice") == once


@pytest.mark.parametrize(
    "value",
    [
        "bidi \u202eoverride",
        "zero\u200bwidth",
        "iso\u2066late\u2069",
        "\U0001f468\u200d\U0001f469 family",
        "private \ue000 use",
        "soft\u00adhyphen and word\u2060joiner",
        "line one \u202e\nline two\n",
        "long " * 30 + "\u200b",
    ],
)
def test_hidden_characters_are_written_as_escapes(value: str) -> None:
    """fmt wrote a visible '\\u202e' escape back as the raw, invisible character."""
    quoted = json.dumps(value, ensure_ascii=False)  # the characters themselves, raw in the source
    text = "id: x-y\ntitle: " + quoted + "\nsummary: short\nsteps:\n  - " + quoted + "\n"
    once = format_entity(text, "practice")
    assert once.isascii() or not any(ch in once for ch in "\u202e\u200b\u2066\u2069\u200d\ue000\u00ad\u2060")
    assert parse(once.encode()).data == parse(text.encode()).data
    assert format_entity(once, "practice") == once


def _json(value: str) -> str:
    import json

    return json.dumps(value)


def test_not_a_mapping_is_refused() -> None:
    with pytest.raises(FormatError, match="must be a mapping"):
        format_entity("- a\n- b\n", "practice")


# ------------------------------------------------------------------ CLI

UNFORMATTED = """\
# yaml-language-server: $schema=../../schemas/challenge.schema.json
id: under-documented-reference-model
summary: The paper leaves out details that only the reference code contains.
title: "Under-documented reference model"
paradigms: [conceptual-reuse]
stages: [analysis]
"""


def _canonical_base(**edits: str) -> dict[str, str | bytes | None]:
    """Edits that put every entry of the base fixture KB in canonical form, plus ``edits``."""
    out: dict[str, str | bytes | None] = {}
    for path in sorted(BASE_KB.glob("*/*.yaml")):
        rel = f"{path.parent.name}/{path.name}"
        kind = kind_of(rel)
        assert kind is not None
        out[rel] = format_entity(path.read_text(encoding="utf-8"), kind)
    out.update(edits)
    return out


def test_fmt_check_lists_files_that_would_change(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy(_canonical_base(**{"challenges/under-documented-reference-model.yaml": UNFORMATTED}))
    result = run_cli(["fmt", "--check"], cwd=cwd)
    assert result.exit_code == 1
    assert result.stdout == (
        "kb/challenges/under-documented-reference-model.yaml:3:1: error[not-canonical] file is not in canonical "
        "form (first difference here); run 'python -m generator fmt "
        "kb/challenges/under-documented-reference-model.yaml'.\n"
    )
    assert result.stderr == "1 file would be reformatted, 7 unchanged\n"
    github = run_cli(["fmt", "--check", "--format", "github"], cwd=cwd)
    assert github.stdout.startswith(
        "::error file=kb/challenges/under-documented-reference-model.yaml,line=3,col=1,title=not-canonical::"
    )


def test_fmt_rewrites_then_is_clean(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy(_canonical_base(**{"challenges/under-documented-reference-model.yaml": UNFORMATTED}))
    result = run_cli(["fmt"], cwd=cwd)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "reformatted kb/challenges/under-documented-reference-model.yaml\n1 file reformatted, 7 unchanged\n"
    )
    assert (cwd / "kb/challenges/under-documented-reference-model.yaml").read_text().splitlines()[1:4] == [
        "id: under-documented-reference-model",
        "title: Under-documented reference model",
        "summary: The paper leaves out details that only the reference code contains.",
    ]
    again = run_cli(["fmt", "--check"], cwd=cwd)
    assert again.exit_code == 0 and again.stderr == "0 files would be reformatted, 8 unchanged\n"
    assert run_cli(["validate"], cwd=cwd).exit_code == 0


def test_fmt_takes_files_and_skips_what_is_not_an_entry(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy(_canonical_base(**{"challenges/under-documented-reference-model.yaml": UNFORMATTED}))
    result = run_cli(["fmt", "--check", "kb/kb.yaml", "kb/challenges/under-documented-reference-model.yaml"], cwd=cwd)
    assert result.exit_code == 1
    assert result.stderr == "1 file would be reformatted, 0 unchanged\n"


def test_fmt_reports_a_file_it_cannot_read_and_leaves_it(kb_copy) -> None:  # type: ignore[no-untyped-def]
    broken = "id: x\ntitle: [unclosed\n"
    cwd = kb_copy(_canonical_base(**{"practices/broken.yaml": broken}))
    result = run_cli(["fmt"], cwd=cwd)
    assert result.exit_code == 1
    assert result.stdout.startswith("kb/practices/broken.yaml:3:1: error[yaml-syntax] ")
    assert result.stdout.rstrip().endswith("(file not formatted)")
    assert (cwd / "kb/practices/broken.yaml").read_text() == broken


def test_fmt_diff_shows_the_change(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy(_canonical_base(**{"challenges/under-documented-reference-model.yaml": UNFORMATTED}))
    result = run_cli(["fmt", "--check", "--diff"], cwd=cwd)
    assert "+title: Under-documented reference model\n" in result.stdout
    assert '-title: "Under-documented reference model"\n' in result.stdout


def test_fmt_diff_escapes_hidden_characters_on_both_sides(kb_copy) -> None:  # type: ignore[no-untyped-def]
    """The '-' lines are the file's raw text: a bidi override printed raw would reorder the diff on screen."""
    raw = UNFORMATTED.replace("Under-documented", "Under\u202e-documented\u200b")
    cwd = kb_copy(_canonical_base(**{"challenges/under-documented-reference-model.yaml": raw}))
    result = run_cli(["fmt", "--check", "--diff"], cwd=cwd)
    assert result.exit_code == 1
    assert "\u202e" not in result.stdout and "\u200b" not in result.stdout
    assert '-title: "Under\\u202e-documented\\u200b' in result.stdout


def test_fmt_never_rewrites_a_file_that_is_not_utf8(kb_copy) -> None:  # type: ignore[no-untyped-def]
    raw = b"id: x\ntitle: caf\xe9\n"
    cwd = kb_copy(_canonical_base(**{"practices/latin1.yaml": raw}))  # type: ignore[arg-type]
    result = run_cli(["fmt"], cwd=cwd)
    assert result.exit_code == 1
    assert result.stdout.startswith("kb/practices/latin1.yaml:2:11: error[encoding] byte 0xe9 is not valid UTF-8")
    assert (cwd / "kb/practices/latin1.yaml").read_bytes() == raw
