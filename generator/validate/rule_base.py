"""What the rules share: the context and the rule base class.

Kept apart from :mod:`generator.validate.rules` so that groups of rules live
in their own modules (:mod:`generator.validate.rules_evidence`,
:mod:`generator.validate.lint_evidence`) and are still listed in
:data:`generator.validate.rules.RULES` without an import cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from generator.findings import Finding
from generator.kb import Entry, KnowledgeBase
from generator.models import Entity

KeyPath = tuple[str | int, ...]
"""Where a value sits in an entry: field names and list indexes."""


def walk_strings(value: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Yield every string in a model, with its key path: depth first, in field, item and key order.

    Walks with a list as its stack: a recursive generator passes every string
    up through one generator frame per level.
    """
    stack: list[tuple[KeyPath, Any]] = [(path, value)]
    pop, push = stack.pop, stack.append
    while stack:
        at, item = pop()
        if isinstance(item, str):
            yield at, item
        elif isinstance(item, BaseModel):
            for name in reversed(type(item).model_fields):
                push(((*at, name), getattr(item, name)))
        elif isinstance(item, list):
            for i in range(len(item) - 1, -1, -1):
                push(((*at, i), item[i]))
        elif isinstance(item, dict):
            for key in reversed(item):
                push(((*at, key), item[key]))


@dataclass
class Context:
    """What the rules share: the KB and indexes built once.

    The same context serves the validation rules (:data:`RULES`) and the
    review lint (:data:`generator.validate.lint.LINT_RULES`); ``today`` is
    the date the lint compares review dates with (``YYYY-MM-DD``).
    """

    kb: KnowledgeBase
    ids: dict[str, Entity] = field(init=False)
    by_kind: dict[str, dict[str, Entity]] = field(init=False)
    renamed: dict[str, Entity] = field(init=False)
    cited: set[str] = field(default_factory=set)
    today: str = ""
    #: Lint only: also run the checks that report under ``lint --strict`` (review dates).
    strict: bool = False
    #: The entry :meth:`strings_of` walked last, and its strings.
    _strings: tuple[Entry | None, list[tuple[KeyPath, str]]] = field(default=(None, []), repr=False)

    def __post_init__(self) -> None:
        self.ids = self.kb.entities
        self.by_kind = {}
        self.renamed = {}
        for entry in self.kb.entries:
            self.by_kind.setdefault(entry.entity.kind, {}).setdefault(entry.entity.id, entry.entity)
            for alias in entry.entity.aliases:
                self.renamed.setdefault(alias, entry.entity)

    def strings_of(self, entry: Entry) -> list[tuple[KeyPath, str]]:
        """Every string of ``entry`` with its key path (:func:`walk_strings`).

        Several rules read every string of an entry; :func:`~generator.validate.rules.apply`
        runs all rules on one entry before the next, so the last walk is kept.
        """
        last, strings = self._strings
        if last is not entry:
            strings = list(walk_strings(entry.entity))
            self._strings = (entry, strings)
        return strings

    def ids_of(self, kind: str) -> list[str]:
        """All ids of one entity type."""
        return sorted(self.by_kind.get(kind, ()))

    def is_broken(self, entity_id: str, kind: str) -> bool:
        """Tell whether ``entity_id`` names a file of ``kind`` that failed to load."""
        return self.kb.broken.get(entity_id) == kind


class Rule:
    """A rule: a per-entry :meth:`check` and a whole-KB :meth:`finish` (pySigma's validator shape).

    Validation rules and lint checks are both rules; :func:`apply` runs either list.
    """

    #: Run only when nothing else found an error (gap reports on a broken KB mislead).
    needs_clean_kb = False

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        """Check one entry."""
        return iter(())

    def finish(self, ctx: Context) -> Iterator[Finding]:
        """Check the whole KB once every entry has been seen."""
        return iter(())
