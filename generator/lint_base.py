"""What every lint check shares: the context and the rule base class.

Kept apart from :mod:`generator.lint` so that groups of checks can live in
their own modules (:mod:`generator.lint_evidence`) and still be listed in
:data:`generator.lint.LINT_RULES`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from generator.checklist_select import text_key
from generator.findings import Finding
from generator.models import Practice
from generator.schema import Entry, KnowledgeBase


@dataclass(frozen=True)
class LintContext:
    """What the checks share: the KB, today's date (ISO) and whether lint runs strict.

    Some checks (an entry's review date) only report under ``--strict``, so
    that day-to-day lint output stays short while content is migrated.
    """

    kb: KnowledgeBase
    today: str
    strict: bool = False

    @cached_property
    def item_texts(self) -> dict[str, list[str]]:
        """Item uids by normalised item text, over every practice."""
        out: dict[str, list[str]] = {}
        for p in sorted(self.kb.of_type("practice"), key=lambda e: e.id):
            if isinstance(p, Practice):
                for ci in p.checklist:
                    out.setdefault(text_key(ci.text), []).append(f"{p.id}/{ci.id}")
        return out


class LintRule:
    """A review-quality check of one entry."""

    def check(self, entry: Entry, ctx: LintContext) -> Iterator[Finding]:
        """Yield warnings about one entry."""
        return iter(())
