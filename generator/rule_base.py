"""What the cross-entity rules share: the context and the rule base class.

Kept apart from :mod:`generator.rules` so that groups of rules can live in
their own modules (:mod:`generator.rules_evidence`) and still be listed in
:data:`generator.rules.RULES`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.findings import Finding
from generator.models import Entity
from generator.schema import Entry, KnowledgeBase


@dataclass
class Context:
    """What the rules share: the KB and indexes built once."""

    kb: KnowledgeBase
    ids: dict[str, Entity] = field(init=False)
    by_kind: dict[str, dict[str, Entity]] = field(init=False)
    renamed: dict[str, Entity] = field(init=False)
    cited: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.ids = self.kb.entities
        self.by_kind = {}
        self.renamed = {}
        for entry in self.kb.entries:
            self.by_kind.setdefault(entry.entity.kind, {}).setdefault(entry.entity.id, entry.entity)
            for alias in entry.entity.aliases:
                self.renamed.setdefault(alias, entry.entity)

    def ids_of(self, kind: str) -> list[str]:
        """All ids of one entity type."""
        return sorted(self.by_kind.get(kind, ()))

    def is_broken(self, entity_id: str, kind: str) -> bool:
        """Tell whether ``entity_id`` names a file of ``kind`` that failed to load."""
        return self.kb.broken.get(entity_id) == kind


class Rule:
    """A cross-entity rule. Override :meth:`check` and/or :meth:`finish`."""

    #: Run only when nothing else found an error (gap reports on a broken KB mislead).
    needs_clean_kb = False

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        """Check one entry."""
        return iter(())

    def finish(self, ctx: Context) -> Iterator[Finding]:
        """Check the whole KB once every entry has been seen."""
        return iter(())
