"""Rules on values that look valid but are not: reserved names, repeats, self-replacement.

Each is a :class:`~generator.validate.rule_base.Rule`, listed in
:data:`generator.validate.rules.RULES`.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from generator.findings import Finding, error
from generator.ids import is_device_name
from generator.kb import Entry
from generator.models import reference_key_path, references
from generator.urls import RESERVED_NAMES
from generator.validate.rule_base import Context, Rule


class ReservedIds(Rule):
    """Ids and aliases are neither device names (``con``, ``nul``...) nor names of generated pages."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        entity = entry.entity
        names = [(entity.id, ("id",), "id")] + [(a, ("aliases", i), "alias") for i, a in enumerate(entity.aliases)]
        for name, key, what in names:
            if is_device_name(name):
                yield error(
                    "reserved-id",
                    f"{what} '{name}' is a reserved device name on Windows (a file '{name}.yaml' or "
                    f"'{name}.html' cannot exist there); choose another {what}.",
                    entry.source.location(key),
                )
            elif name in RESERVED_NAMES:
                yield error(
                    "reserved-id",
                    f"{what} '{name}' is the name of a page or folder the site generates "
                    f"({RESERVED_NAMES[name]}); its page would collide with it. Choose another {what}.",
                    entry.source.location(key),
                )


def _string_lists(value: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], list[str]]]:
    """Every list of strings in a model, with its key path."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _string_lists(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        if value and all(isinstance(item, str) for item in value):
            yield path, value
        for i, item in enumerate(value):
            yield from _string_lists(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_lists(item, (*path, key))


def _any_repeat(value: object) -> bool:
    """Whether any list of strings in a model names one string twice (no key paths: the quick pass)."""
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, BaseModel):
            stack.extend(getattr(item, name) for name in type(item).model_fields)
        elif isinstance(item, list):
            if item and all(isinstance(x, str) for x in item) and len(set(item)) < len(item):
                return True
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


#: Lists whose repeats another rule already reports, with its own message.
_CHECKED_ELSEWHERE = {"essential", "order", "evidence"}


class NoRepeats(Rule):
    """No list names the same thing twice: relation targets, tags, aliases, URLs, steps."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        entity = entry.entity
        seen: dict[tuple[str, str], int | None] = {}
        for ref_field, index, target in references(entity):
            if index is None:
                continue
            key = (ref_field.name, target)
            if key in seen:
                yield error(
                    "duplicate-reference",
                    f"'{target}' is listed twice in '{ref_field.name}' (first at item {seen[key]}); list it once.",
                    entry.source.location(reference_key_path(entity, ref_field, index)),
                )
            else:
                seen[key] = index
        if not _any_repeat(entity):  # nearly every entry: skip the walk with key paths
            return
        ref_names = {f.name for f, _, _ in references(entity)}
        for path, items in _string_lists(entity):
            if (len(path) == 1 and path[0] in ref_names) or path[-1] in _CHECKED_ELSEWHERE:
                continue  # reported above, or by its own rule
            first: dict[str, int] = {}
            for i, item in enumerate(items):
                if item in first:
                    field_name = ".".join(str(p) for p in path)
                    yield error(
                        "duplicate-item",
                        f"'{item[:60]}' appears twice in '{field_name}' (first at item {first[item]}); keep one.",
                        entry.source.location((*path, i)),
                    )
                else:
                    first[item] = i


class NoSelfReplacement(Rule):
    """``replaced_by`` names another entity, and following it never comes back."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        entity = entry.entity
        if entity.replaced_by is None:
            return
        if entity.replaced_by == entity.id:
            yield error(
                "self-replacement",
                f"'{entity.id}' is replaced by itself; name the entry that replaces it, or drop 'replaced_by'.",
                entry.source.location(("replaced_by",)),
            )
            return
        chain = [entity.id]
        current = ctx.ids.get(entity.replaced_by)
        while current is not None and current.replaced_by is not None and len(chain) <= len(ctx.ids):
            chain.append(current.id)
            if current.replaced_by == entity.id:
                loop = " -> ".join([*chain, entity.id])
                yield error(
                    "replacement-cycle",
                    f"'replaced_by' goes round in a circle ({loop}); one of them must be the current entry.",
                    entry.source.location(("replaced_by",)),
                )
                return
            current = ctx.ids.get(current.replaced_by)
