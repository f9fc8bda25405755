"""Unit tests of the strict YAML reader."""

from __future__ import annotations

import random

import pytest

from generator.load.yamlstrict import MAX_BYTES, MAX_DEPTH, Mark, YamlProblem, parse


def problem(text: str | bytes) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        parse(text.encode() if isinstance(text, str) else text)
    return info.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: no", "no"),
        ("a: on", "on"),
        ("a: yes", "yes"),
        ("a: 1.10", "1.10"),
        ("a: 0755", "0755"),
        ("a: 2024-01-01", "2024-01-01"),
        ("a: 1e3", "1e3"),
        ("a: 0x1F", "0x1F"),
        ("a: 12", 12),
        ("a: -3", -3),
        ("a: true", True),
        ("a: false", False),
        ("a: null", None),
        ("a: ~", None),
        ("a: '12'", "12"),
        ('a: "true"', "true"),
        ("a: >-\n  folded\n  text\n", "folded text"),
    ],
)
def test_scalars_keep_what_the_author_wrote(text: str, expected: object) -> None:
    assert parse(text.encode()).data == {"a": expected}


def test_positions_of_keys_and_items() -> None:
    doc = parse(b"title: x\nlist:\n  - a\n  - b: 1\n    c: 2\n")
    assert doc.positions[("title",)] == Mark(1, 1)
    assert doc.positions[("list", 0)] == Mark(3, 5)
    assert doc.positions[("list", 1, "c")] == Mark(5, 5)
    assert doc.mark(("list", 1, "missing")) == Mark(4, 5)
    assert doc.mark(("nowhere", 3)) == Mark(1, 1)


@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate-key", 3, 1),
        ("a:\n  x: 1\n  x: 2\n", "duplicate-key", 3, 3),
        ("a: &x 1\n", "anchor", 1, 4),
        ("a: [1]\nb: *x\n", "alias", 2, 4),
        ("a: !!python/object:os.system x\n", "tag", 1, 4),
        ("a: !custom x\n", "tag", 1, 4),
        ("a: 1\n---\nb: 2\n", "multiple-documents", 2, 1),
        ("a:\n\t- b\n", "tab-indentation", 2, 1),
        ("a:\n  \t- b\n", "tab-indentation", 2, 3),
        ("? [a]\n: b\n", "complex-key", 1, 3),
        ("", "empty-file", 1, 1),
        ("# only a comment\n", "empty-file", 1, 1),
        ("a: [\n", "yaml-syntax", 2, 1),
        ('a: "x\x00"', "yaml-syntax", 1, 6),
    ],
)
def test_rejections_name_the_position(text: str, code: str, line: int, col: int) -> None:
    found = problem(text)
    assert (found.code, found.line, found.col) == (code, line, col)


def test_duplicate_key_names_both_lines() -> None:
    assert "first defined on line 1" in problem("a: 1\nb: 2\na: 3\n").message


def test_alias_is_rejected_even_without_anchor_first() -> None:
    # An alias to a defined anchor: the anchor is reported first.
    assert problem("a: &x [1]\nb: *x\n").code == "anchor"


def test_billion_laughs_is_rejected_at_the_first_anchor() -> None:
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: &c [*b,*b,*b]\n'
    assert problem(bomb).code == "anchor"


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_nesting_is_refused_not_crashed(opener: str) -> None:
    found = problem("a: " + opener * 20_000)
    assert found.code == "too-deep"
    assert str(MAX_DEPTH) in found.message


def test_nesting_at_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1  # the top-level mapping is one level
    assert parse(("a: " + "[" * depth + "]" * depth).encode()).data is not None


def test_encoding_problems() -> None:
    assert problem(b"\xef\xbb\xbfa: 1\n").code == "encoding"
    found = problem(b"a: 1\nb: caf\xe9\n")
    assert (found.code, found.line, found.col) == ("encoding", 2, 7)
    assert problem(b"\xff\xfea\x00").code == "encoding"


def test_size_cap() -> None:
    found = problem(b"a: " + b"x" * MAX_BYTES)
    assert found.code == "file-too-large"


def test_random_input_never_escapes_as_another_exception() -> None:
    """A seeded fuzz: whatever the bytes, the reader returns or raises YamlProblem."""
    rng = random.Random(20261122)
    alphabet = b"ab:-[]{}&*!|>'\"#?,%@` \t\n\r\x00\xc3\xa9\xff01."
    for _ in range(3000):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        try:
            parse(data)
        except YamlProblem as found:
            assert found.line >= 1 and found.col >= 1
