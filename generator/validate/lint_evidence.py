"""Lint checks of graded evidence, so an engineer can rely on what an entry says.

* every evidence item says where in the source (``evidence-without-locator``);
* every claimed effect and importance has a basis (``effect-without-basis``,
  ``importance-without-basis``);
* every number a practice asks an engineer to use is sourced or labelled a
  rule of thumb (``unsourced-number``);
* efficacy words ("prevents", "catches", "guarantees") appear only where the
  practice's relations of that kind have evidence (``efficacy-claim``);
* under ``--strict``, every entry was reviewed in the last 18 months
  (``not-reviewed``);
* every cited study (cited by a figure or by evidence that is not documentation)
  has a scope record (``study-without-scope``).

The text scanners are single-pass regular expressions without nested
quantifiers, so their time is linear in the text.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import Counter
from collections.abc import Collection, Iterator

from generator.findings import Finding, Location, warning
from generator.kb import Entry
from generator.models import EFFECT_RELATIONS, Defect, Entity, Practice
from generator.validate.rule_base import Context, Rule
from generator.validate.rules import dotted

#: How long a review stays fresh.
REVIEW_MONTHS = 18

#: The label that marks a number as a rule of thumb (followed by its reason).
RULE_OF_THUMB = "rule of thumb:"

# A number: digits, optional grouping or decimals, optional exponent, not glued to a
# letter, digit, underscore, dot or '#' on the left (nor to a word by a hyphen, as in
# "top-1"), nor to a letter, digit or underscore on the right. int8, fp16, float32,
# onnx2tf and opset_version are words; the 17 of opset_version=17 is a number.
_NUMBER_RE = re.compile(r"(?<![\w.#])(?<![A-Za-z]-)\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?(?!\w|[.,]\d)")
# Spans whose digits are addresses, not quantities: URLs and Markdown link targets.
_ADDRESS_RE = re.compile(r"https?://\S+|\]\([^()\[\]\s]*\)")  # no bracket inside: linear on "](](](..."
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9_:-]+")
_CODE_RE = re.compile(r"`[^`\n]*`")

#: Efficacy words, by the relation whose evidence would back them ("any": any effect relation).
_EFFICACY: dict[str, str] = {
    "prevent": "prevents",
    "prevents": "prevents",
    "prevented": "prevents",
    "preventing": "prevents",
    "eliminate": "prevents",
    "eliminates": "prevents",
    "eliminated": "prevents",
    "eliminating": "prevents",
    "catch": "detects",
    "catches": "detects",
    "caught": "detects",
    "catching": "detects",
    "guarantee": "any",
    "guarantees": "any",
    "guaranteed": "any",
    "ensures": "any",
    "ensured": "any",
}
# "ensure" and "ensuring" are left out: in steps they are instructions ("Ensure the
# model is in eval mode"), not claims of an effect.
_EFFICACY_RE = re.compile(r"\b(" + "|".join(sorted(_EFFICACY, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# A negation just before the word turns a claim into a caveat ("does not guarantee").
_NEGATION_RE = re.compile(
    r"\b(?:not|no|never|nothing|cannot|can't|doesn't|don't|won't|nor|without|neither)\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
# "weak guarantees", "no guarantee": the noun names a property, it claims nothing.
_NOUN_BEFORE_RE = re.compile(r"\b(?:a|an|the|any|some|few|weak|strong|formal|such)\s+$", re.IGNORECASE)
_EFFICACY_FIELDS = ("summary", "body", "rationale", "steps")


def unsourced_numbers(text: str, keys: Collection[str]) -> list[str]:
    """The numbers in ``text`` that need a source, or ``[]`` when the text has one.

    A text is sourced when it names a BibTeX key of ``keys`` or carries the
    label ``rule of thumb:``. Digits in URLs and link targets are not numbers.
    """
    if RULE_OF_THUMB in text.casefold():
        return []
    if any(word in keys for word in _WORD_RE.findall(text)):
        return []
    scrubbed = _ADDRESS_RE.sub(" ", text)
    return [m.group(0) for m in _NUMBER_RE.finditer(scrubbed)]


def efficacy_words(text: str) -> list[str]:
    """Efficacy words in ``text`` outside code spans and not negated, lower-cased, in order."""
    scrubbed = _CODE_RE.sub(lambda m: " " * len(m.group(0)), text)
    found = []
    for match in _EFFICACY_RE.finditer(scrubbed):
        word = match.group(1).lower()
        before = scrubbed[max(0, match.start() - 40) : match.start()]
        if _NEGATION_RE.search(before):
            continue
        if word.startswith("guarantee") and _NOUN_BEFORE_RE.search(before):
            continue
        found.append(word)
    return found


def months_before(today: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier (clamped to the month's end)."""
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return datetime.date(year, month + 1, day)


class EvidenceHasLocator(Rule):
    """Every evidence item says where in the source its claim is."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        for index, ev in enumerate(entry.entity.evidence):
            if not ev.locator:
                yield warning(
                    "evidence-without-locator",
                    f"evidence '{ev.cite}' has no 'locator'; say where in the source it is (section, table, "
                    "figure or transcript line; 'data set, recomputed' for a number recomputed from study data).",
                    entry.source.location(("evidence", index)),
                )


class EffectsHaveBasis(Rule):
    """Every addresses/prevents/detects item says why, with evidence or a judgement mark."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        practice = entry.entity
        if not isinstance(practice, Practice):
            return
        for relation in EFFECT_RELATIONS:
            for index, effect in enumerate(practice.effects(relation)):
                if not effect.has_basis:
                    yield warning(
                        "effect-without-basis",
                        f"'{relation}' lists '{effect.target}' as a bare id; write it as a mapping with "
                        f"'id: {effect.target}', 'why' (one line) and 'evidence: [key]' or 'judgement: true'.",
                        entry.source.location((relation, index)),
                    )


class ImportanceHasBasis(Rule):
    """A practice's importance says why, with evidence or a judgement mark."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        practice = entry.entity
        if isinstance(practice, Practice) and practice.importance_basis is None:
            raw = entry.source.doc.data
            key = ("importance",) if isinstance(raw, dict) and "importance" in raw else ("id",)
            yield warning(
                "importance-without-basis",
                f"importance '{practice.importance}' has no 'importance_basis'; add one with 'why' (one line) "
                "and 'evidence: [key]' or 'judgement: true'.",
                entry.source.location(key),
            )


class NumbersAreSourced(Rule):
    """Numbers in practice steps and checklist items cite a source or are labelled rules of thumb."""

    #: Checklist item fields that may ask an engineer to use a number.
    ITEM_FIELDS = ("text", "how", "done_when")

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        practice = entry.entity
        if not isinstance(practice, Practice):
            return
        keys = ctx.kb.bibliography.entries
        texts: list[tuple[tuple[str | int, ...], str]] = [(("steps", i), s) for i, s in enumerate(practice.steps)]
        for i, item in enumerate(practice.checklist):
            for name in self.ITEM_FIELDS:
                value = getattr(item, name, None)
                if isinstance(value, str):
                    texts.append((("checklist", i, name), value))
        for key_path, text in texts:
            numbers = unsourced_numbers(text, keys)
            if numbers:
                shown = ", ".join(dict.fromkeys(numbers))
                yield warning(
                    "unsourced-number",
                    f"'{dotted(key_path)}' asks for {shown} without a source; name a BibTeX key in the same text, "
                    f"e.g. '(key, Table 3)', or label it '({RULE_OF_THUMB} <why this value>)'.",
                    entry.source.location(key_path),
                )


class EfficacyNeedsEvidence(Rule):
    """Words that claim an effect need evidence on the practice's relations of that kind.

    "prevents"/"eliminates" need a ``prevents`` item with evidence, "catches" a
    ``detects`` item with evidence, "guarantees"/"ensures" any effect item with
    evidence. Negated uses ("does not guarantee") and code spans are ignored.
    """

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        practice = entry.entity
        if not isinstance(practice, Practice):
            return
        backed = {e.relation for e in practice.all_effects() if e.evidence}
        texts: list[tuple[tuple[str | int, ...], str]] = []
        for name in _EFFICACY_FIELDS:
            value = getattr(practice, name)
            if isinstance(value, str):
                texts.append(((name,), value))
            elif isinstance(value, list):
                texts += [((name, i), v) for i, v in enumerate(value)]
        for key_path, text in texts:
            for word in dict.fromkeys(efficacy_words(text)):
                needed = _EFFICACY[word]
                if (needed == "any" and backed) or needed in backed:
                    continue
                relation = "effect relation" if needed == "any" else f"'{needed}' item"
                yield warning(
                    "efficacy-claim",
                    f"'{dotted(key_path)}' says '{word}', but no {relation} of this practice has evidence; "
                    "add evidence to the relation or say what the practice does without claiming the effect.",
                    entry.source.location(key_path),
                )


class ReviewedRecently(Rule):
    """Under ``--strict``: every entry was checked against its sources in the last 18 months."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        if not ctx.strict:
            return
        reviewed = entry.entity.reviewed
        if reviewed is None:
            yield warning(
                "not-reviewed",
                f"entry has no 'reviewed' date; check it against its sources, then add 'reviewed: {ctx.today}'.",
                entry.source.location(("id",)),
            )
            return
        cutoff = months_before(datetime.date.fromisoformat(ctx.today), REVIEW_MONTHS)
        if datetime.date.fromisoformat(reviewed) < cutoff:
            yield warning(
                "not-reviewed",
                f"last reviewed on {reviewed}, more than {REVIEW_MONTHS} months before {ctx.today}; "
                "check it against its sources, then update 'reviewed'.",
                entry.source.location(("reviewed",)),
            )


def study_keys(entity: Entity) -> set[str]:
    """The BibTeX keys an entity cites as a study: by a figure, or by evidence of a kind other than documentation.

    A documentation page has no sample, method or years of data, so a key cited
    only as ``documentation`` needs no scope record.
    """
    keys = {ev.cite for ev in entity.evidence if ev.kind != "documentation"}
    if isinstance(entity, Defect):
        keys.update(fig.cite for fig in entity.figures)
    return keys


class CitedStudyHasScope(Rule):
    """Every study an entry cites has a scope record in ``kb/studies.yaml``.

    A key counts as a study when a figure cites it or an evidence item of a kind
    other than ``documentation`` does; official documentation pages need no record.
    """

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        bib = ctx.kb.bibliography
        for key in sorted(study_keys(entry.entity)):
            if key in bib.entries and key not in ctx.kb.studies:
                yield warning(
                    "study-without-scope",
                    f"'{key}' is cited but has no scope record; add it to {ctx.kb.root}/studies.yaml with its "
                    "domain, method, years, frameworks and sample (or the data set to compute them from).",
                    Location(bib.path, bib.entries[key].line, 1),
                )


def grading_summary(entities: list[Entity]) -> dict[str, dict[str, int]]:
    """How graded the KB is: evidence items by strength, effect relations by basis."""
    strengths: Counter[str] = Counter()
    bases: Counter[str] = Counter()
    for entity in entities:
        strengths.update(ev.strength for ev in entity.evidence)
        if isinstance(entity, Practice):
            for effect in entity.all_effects():
                bases["evidence" if effect.evidence else "judgement" if effect.judgement else "no basis"] += 1
    return {
        "evidence_by_strength": dict(sorted(strengths.items())),
        "effects_by_basis": {k: bases[k] for k in ("evidence", "judgement", "no basis")},
    }


#: The evidence checks, in the order they run (appended to :data:`generator.validate.lint.LINT_RULES`).
EVIDENCE_LINT_RULES: tuple[type[Rule], ...] = (
    EvidenceHasLocator,
    EffectsHaveBasis,
    ImportanceHasBasis,
    NumbersAreSourced,
    EfficacyNeedsEvidence,
    ReviewedRecently,
    CitedStudyHasScope,
)
