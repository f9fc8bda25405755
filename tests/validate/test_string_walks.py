"""The rules' quick walks over an entry's strings give what the plain recursive walks gave."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from generator.pipeline import check_folder
from generator.validate.rule_base import Context, walk_strings
from generator.validate.rules_values import _any_repeat, _string_lists
from tests.conftest import BASE_KB, ROOT


def reference_walk(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The recursive walk the rules used before (the specification)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from reference_walk(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from reference_walk(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from reference_walk(item, (*path, key))


@pytest.fixture(scope="module", params=["fixture", "real"])
def entries(request: pytest.FixtureRequest) -> list[Any]:
    return check_folder(BASE_KB if request.param == "fixture" else ROOT / "kb").kb.entries


def test_every_string_in_the_same_order_with_the_same_path(entries: list[Any]) -> None:
    assert entries
    for entry in entries:
        assert list(walk_strings(entry.entity)) == list(reference_walk(entry.entity))


def test_nested_values_and_a_starting_path() -> None:
    value = {"a": ["x", {"b": "y", "c": [1, None, "z"]}], "d": "w"}
    assert list(walk_strings(value, ("top",))) == list(reference_walk(value, ("top",)))
    assert [p for p, _ in walk_strings(value)] == [("a", 0), ("a", 1, "b"), ("a", 1, "c", 2), ("d",)]


def test_the_context_walks_each_entry_once(entries: list[Any]) -> None:
    ctx = Context(check_folder(BASE_KB).kb)
    first, second = entries[0], entries[1]
    strings = ctx.strings_of(first)
    assert ctx.strings_of(first) is strings  # the same walk, not a new one
    assert ctx.strings_of(second) == list(reference_walk(second.entity))
    assert ctx.strings_of(first) == strings and ctx.strings_of(first) is not strings  # walked again


def test_the_quick_repeat_check_agrees_with_the_lists(entries: list[Any]) -> None:
    for entry in entries:
        expected = any(len(set(items)) < len(items) for _, items in _string_lists(entry.entity))
        assert _any_repeat(entry.entity) is expected


def test_the_quick_repeat_check_finds_a_repeat_at_any_depth() -> None:
    assert _any_repeat({"a": [{"b": ["x", "y", "x"]}]})
    assert not _any_repeat({"a": [{"b": ["x", "y"]}, ["x"]], "c": "x"})
    assert not _any_repeat({"a": [1, 1]})  # not a list of strings
