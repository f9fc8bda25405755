"""What every lint check shares: the context and the rule base class.

Kept apart from :mod:`generator.lint` so that groups of checks can live in
their own modules (:mod:`generator.lint_evidence`) and still be listed in
:data:`generator.lint.LINT_RULES`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.findings import Finding
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


class LintRule:
    """A review-quality check of one entry."""

    def check(self, entry: Entry, ctx: LintContext) -> Iterator[Finding]:
        """Yield warnings about one entry."""
        return iter(())
