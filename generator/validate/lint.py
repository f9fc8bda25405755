"""Review-quality checks: what a reviewer would point out beyond the schema.

``validate`` says whether the KB is *correct*; ``lint`` says whether an
entry is *good*: summaries of a useful length, practices that give readers
something to tick off, evidence that the text actually uses, entries due for
review. Every finding is a warning (``lint --strict`` fails on them).

Each check is a :class:`generator.validate.rules.Rule` (the same small
classes as validation, run by the same :func:`~generator.validate.rules.apply`);
:data:`LINT_RULES` lists them in order. The checks of graded evidence (bases,
locators, sourced numbers, efficacy wording, review dates) are in
:mod:`generator.validate.lint_evidence`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.findings import Finding, sort_findings, warning
from generator.graph import cited_keys
from generator.kb import Entry, KnowledgeBase
from generator.models import Challenge, Defect, Practice, Scenario
from generator.validate.lint_evidence import EVIDENCE_LINT_RULES
from generator.validate.rule_base import Context, Rule
from generator.validate.rules import apply, dotted
from generator.validate.selection import text_key

SUMMARY_MIN = 60
SUMMARY_MAX = 300

# "re- implementation": a folded YAML line broken right after a hyphen (in a
# Markdown body the line break itself renders as a space).
_SPLIT_WORD_RE = re.compile(r"\b([A-Za-z]+)-(?: +|[ \t]*\n[ \t]*)([a-z]+)\b")
# Words that may end a hyphenated prefix before a space ("pre- and post-training").
_SUSPENDED_OK = {"and", "or", "to", "nor"}
_SENTENCE_END_RE = re.compile(r"[.!?](?:\s|$)")


class SummaryLength(Rule):
    """Summaries are one or two sentences of 60 to 300 characters."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        summary = entry.entity.summary.strip()
        where = entry.source.location(("summary",))
        if len(summary) < SUMMARY_MIN:
            yield warning(
                "summary-too-short",
                f"summary is {len(summary)} characters; say what this is and why it matters "
                f"in one or two sentences ({SUMMARY_MIN}-{SUMMARY_MAX} characters).",
                where,
            )
        elif len(summary) > SUMMARY_MAX or len(_SENTENCE_END_RE.findall(summary)) > 2:
            yield warning(
                "summary-too-long",
                f"summary is {len(summary)} characters in {len(_SENTENCE_END_RE.findall(summary))} sentences; "
                f"keep it to two sentences and at most {SUMMARY_MAX} characters, and move details to 'body'.",
                where,
            )


class PracticeHasChecklist(Rule):
    """A practice gives at least one checklist item, or it never reaches a checklist."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        if isinstance(entry.entity, Practice) and not entry.entity.checklist:
            yield warning(
                "practice-without-checklist",
                "practice has no checklist item, so exported checklists leave it out; "
                "add one under 'checklist' (an action someone can tick off).",
                entry.source.location(("id",)),
            )


class ItemsSayHowAndWhenDone(Rule):
    """Every checklist item says how it is done (tool, API, command) and when it is done."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        if not isinstance(entry.entity, Practice):
            return
        for i, item in enumerate(entry.entity.checklist):
            if item.how is None:
                yield warning(
                    "item-without-how",
                    f"checklist item '{item.id}' has no 'how'; name the tool, API or command "
                    "(code in backticks) someone uses to do it.",
                    entry.source.location(("checklist", i)),
                )
            if item.done_when is None:
                yield warning(
                    "item-without-done-when",
                    f"checklist item '{item.id}' has no 'done_when'; say which artefact or threshold "
                    "(with its source or 'rule of thumb:') shows it is done.",
                    entry.source.location(("checklist", i)),
                )


class ItemTextsDiffer(Rule):
    """Two practices do not hold items with the same text (both would reach a checklist)."""

    def __init__(self) -> None:
        self._texts: dict[str, list[str]] | None = None

    def _item_texts(self, kb: KnowledgeBase) -> dict[str, list[str]]:
        """Item uids by normalised item text, over every practice (built once per run)."""
        if self._texts is None:
            self._texts = {}
            for p in sorted(kb.of_type("practice"), key=lambda e: e.id):
                if isinstance(p, Practice):
                    for ci in p.checklist:
                        self._texts.setdefault(text_key(ci.text), []).append(f"{p.id}/{ci.id}")
        return self._texts

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        if not isinstance(entry.entity, Practice):
            return
        for i, item in enumerate(entry.entity.checklist):
            owners = self._item_texts(ctx.kb).get(text_key(item.text), [])
            others = [uid for uid in owners if not uid.startswith(f"{entry.entity.id}/")]
            if others:
                yield warning(
                    "duplicate-item-text",
                    f"checklist item '{item.id}' has the same text as {', '.join(others)}; both reach "
                    "checklists, so reword one to say what differs, or drop one.",
                    entry.source.location(("checklist", i, "text")),
                )


class ScenarioHasEssentialList(Rule):
    """A scenario names its own short list (otherwise one is ranked from severity and importance)."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        if isinstance(entry.entity, Scenario) and not entry.entity.essential:
            yield warning(
                "scenario-without-essential",
                "scenario has no 'essential' list, so its short list is ranked from item severity and practice "
                "importance; list the item ids ('practice/item') behind this kind of port's most common failures.",
                entry.source.location(("id",)),
            )


class ClaimsHaveEvidence(Rule):
    """Challenges, practices and defect types cite at least one source."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        if isinstance(entry.entity, (Challenge, Practice, Defect)) and not entry.entity.evidence:
            yield warning(
                "no-evidence",
                f"this {entry.entity.kind} cites no source; add an 'evidence' item with a BibTeX key "
                "and what the source shows.",
                entry.source.location(("id",)),
            )


class EvidenceUsedInText(Rule):
    """The body names the sources it rests on, and only sources listed in evidence.

    Bodies cite in parentheses, e.g. ``(jiang2024reengineering)``. An evidence
    key never named in the body leaves the reader guessing which claim it
    supports; a key named in the body but missing from ``evidence`` is not
    shown in the page's references.
    """

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        entity = entry.entity
        if not entity.body:
            return
        keys = ctx.kb.bibliography.entries
        named = {word for word in re.findall(r"[A-Za-z][A-Za-z0-9_:-]+", entity.body) if word in keys}
        listed = cited_keys(entity)
        reported: set[str] = set()
        for index, ev in enumerate(entity.evidence):
            if ev.cite not in named and ev.cite in keys and ev.cite not in reported:
                reported.add(ev.cite)
                yield warning(
                    "evidence-not-in-text",
                    f"evidence cites '{ev.cite}' but the body never names it; "
                    f"add '({ev.cite})' after the claim it supports.",
                    entry.source.location(("evidence", index, "cite")),
                )
        for key in sorted(named - listed):
            yield warning(
                "text-citation-not-in-evidence",
                f"the body cites '{key}', which is not in 'evidence', so the page's references leave it out; "
                "add an evidence item for it.",
                entry.source.location(("body",)),
            )


class NoSplitWords(Rule):
    """No word split by line wrapping (``re- implementation`` from a folded line)."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        for key_path, text in ctx.strings_of(entry):
            for match in _SPLIT_WORD_RE.finditer(text):
                if match.group(2) in _SUSPENDED_OK:
                    continue
                yield warning(
                    "split-word",
                    f"'{match.group(1)}- {match.group(2)}' in '{dotted(key_path)}' looks like a word split at "
                    f"a line break (YAML turns the break into a space); write '{match.group(1)}-{match.group(2)}'.",
                    entry.source.location(key_path),
                )


class FiguresHaveLocator(Rule):
    """Every figure says where in the source it is (a table or figure number)."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        if not isinstance(entry.entity, Defect):
            return
        for index, figure in enumerate(entry.entity.figures):
            if not figure.locator:
                yield warning(
                    "figure-without-locator",
                    f"figure '{figure.label[:40]}' has no 'locator'; add the table or figure of "
                    f"'{figure.cite}' it comes from, so reviewers can check it.",
                    entry.source.location(("figures", index)),
                )


class ReviewDue(Rule):
    """Entries past their ``review_by`` date are stale."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        due = entry.entity.review_by
        if due is not None and due < ctx.today:
            yield warning(
                "review-overdue",
                f"review was due on {due}; check the entry against its sources, then set 'review_by' to a new date.",
                entry.source.location(("review_by",)),
            )


class DeprecatedHasReplacement(Rule):
    """A deprecated entry points readers to what replaces it."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        if entry.entity.status == "deprecated" and entry.entity.replaced_by is None:
            yield warning(
                "deprecated-without-replacement",
                "deprecated entry has no 'replaced_by'; name the entry that replaces it, "
                "or say in 'body' why none does.",
                entry.source.location(("status",)),
            )


#: The review-quality checks, in the order they run.
LINT_RULES: tuple[type[Rule], ...] = (
    SummaryLength,
    PracticeHasChecklist,
    ItemsSayHowAndWhenDone,
    ItemTextsDiffer,
    ScenarioHasEssentialList,
    ClaimsHaveEvidence,
    EvidenceUsedInText,
    NoSplitWords,
    FiguresHaveLocator,
    ReviewDue,
    DeprecatedHasReplacement,
    *EVIDENCE_LINT_RULES,
)


def lint(kb: KnowledgeBase, today: str, *, strict: bool = False) -> list[Finding]:
    """Run every review-quality check over the schema-valid entries.

    Args:
        kb: The knowledge base after the schema stage.
        today: The date to compare ``review_by`` and ``reviewed`` with, as ``YYYY-MM-DD``.
        strict: Also run the checks that only report under ``lint --strict``.

    Returns:
        The warnings, sorted by location.
    """
    # A duplicate id is a validation error; lint the first definition only.
    firsts = kb.entities
    entries = [entry for entry in kb.entries if firsts[entry.entity.id] is entry.entity]
    ctx = Context(kb, today=today, strict=strict)
    return sort_findings(apply([rule() for rule in LINT_RULES], entries, ctx))
