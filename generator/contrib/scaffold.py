"""Scaffold a new entry with TODO markers that validation flags until filled.

Text fields start as ``TODO: ...`` and relations as the placeholder id
``todo``; both are reported as ``todo-marker`` errors, so a scaffold cannot
be merged unfinished. The scaffold is written in the canonical form of
``fmt``, and :func:`related_entries` finds existing entries worth linking.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable

from generator.contrib.fmt import format_entity
from generator.ids import is_device_name, slugify
from generator.models import FOLDERS
from generator.urls import RESERVED_NAMES
from generator.validate.schema import modeline

_COMMON_HEAD = """\
{modeline}
id: {id}
title: {title}
summary: >-
  TODO: one or two plain sentences saying what this is and why it matters.
"""

_EVIDENCE = """\
evidence:
  - cite: TODO-bibtex-key
    kind: mining-study
    shows: >-
      TODO: what the source shows (a figure, a count), in your own words.
    locator: "TODO: section, table, figure or transcript line"
"""

_BODIES: dict[str, str] = {
    "paradigm": """\
activities: [reusing]
""",
    "stage": """\
order: 99
next: []
""",
    "challenge": """\
paradigms: [todo]
stages: [todo]
symptoms:
  - "TODO: how engineers notice this challenge."
""",
    "practice": """\
stage: todo
paradigms: [todo]
addresses:
  - id: todo
    why: "TODO: one line on why this practice helps with that challenge."
    evidence: [TODO-bibtex-key]
prevents: []
detects: []
importance: recommended
importance_basis:
  why: "TODO: one line on why it deserves this importance."
  evidence: [TODO-bibtex-key]
rationale: >-
  TODO: why this works, with the evidence in mind.
steps:
  - "TODO: a concrete step (a command, a tolerance, what to compare)."
not_applicable_when:
  - "TODO: when this practice does not apply."
checklist:
  - id: todo-first-item
    text: "TODO: an action someone can tick off."
    how: "TODO: the tool, API or command, code in backticks."
    done_when: "TODO: the artefact or threshold (with its source or 'rule of thumb:') that shows it is done."
    severity: major
    effort: hours
  - id: todo-second-item
    text: "TODO: another action someone can tick off."
    how: "TODO: the tool, API or command, code in backticks."
    done_when: "TODO: the artefact or threshold that shows it is done."
""",
    "defect": """\
parent: todo
component: environment
symptoms:
  - "TODO: how the defect shows itself."
examples:
  - url: https://github.com/OWNER/REPO/issues/1
    note: "TODO: one line on what went wrong."
""",
    "scenario": """\
source:
  framework: todo
target:
  framework: todo
  hardware: []
paradigms: [todo]
include: []
exclude: []
context:
  trains: false
  reference_code: true
  reference_weights: true
  multi_device: false
  precision: [fp32]
  model_family: []
""",
}


def _yaml_string(text: str) -> str:
    """Quote text as a YAML double-quoted scalar (JSON escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def scaffold(kind: str, title: str) -> tuple[str, str]:
    """Return ``(relative path, file text)`` for a new entry of ``kind``.

    Raises:
        ValueError: if the type is unknown or the title has no usable words.
    """
    if kind not in FOLDERS:
        raise ValueError(f"unknown type '{kind}'; choose one of {', '.join(FOLDERS)}")
    eid = slugify(title)
    if len(eid) < 3:
        raise ValueError(f"cannot derive an id from the title {title!r}; use at least one word of three letters")
    if is_device_name(eid) or eid in RESERVED_NAMES:
        raise ValueError(f"the title gives the id '{eid}', a reserved name (a device or a generated page); reword it")
    text = _COMMON_HEAD.format(modeline=modeline(kind, 2), id=eid, title=_yaml_string(title.strip()))
    text += _BODIES[kind] + _EVIDENCE
    return f"{FOLDERS[kind]}/{eid}.yaml", format_entity(text, kind)


#: For a new entry of one type: the field that links it to an entry of another type.
LINK_FIELDS: dict[str, dict[str, str]] = {
    "practice": {
        "challenge": "addresses",
        "defect": "prevents/detects",
        "stage": "stage",
        "paradigm": "paradigms",
    },
    "challenge": {"paradigm": "paradigms", "stage": "stages"},
    "defect": {"defect": "parent"},
    "scenario": {"practice": "include", "paradigm": "paradigms", "stage": "stages"},
    "stage": {"stage": "next"},
}

#: For a new entry of one type: the field of an entry of another type that links to it.
REVERSE_LINK_FIELDS: dict[str, dict[str, str]] = {
    "practice": {"scenario": "include"},
    "challenge": {"practice": "addresses"},
    "defect": {"practice": "prevents/detects"},
}


def link_hint(new_kind: str, other_kind: str) -> str:
    """How a new entry and an existing one are linked, e.g. " (link it in 'addresses')"."""
    forward = LINK_FIELDS.get(new_kind, {}).get(other_kind)
    if forward:
        return f" (link it in '{forward}')"
    reverse = REVERSE_LINK_FIELDS.get(new_kind, {}).get(other_kind)
    return f" (add yours to its '{reverse}')" if reverse else ""


_STOPWORD_TEXT = (
    "a an the and or of on in at to for from by with without via into is are be do your its it "
    "this that when what how new use using"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _stem(word: str) -> str:
    """A crude stem, enough to match 'tuning' with 'tune' and 'batches' with 'batch'."""
    for suffix in ("ing", "es", "ed", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> set[str]:
    """Significant words of a title or id, stemmed."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {_stem(w) for w in words if len(w) > 2 and w not in _STOPWORDS}


def related_entries(title: str, entries: Iterable[tuple[str, str, str]], limit: int = 5) -> list[tuple[str, str, str]]:
    """Existing entries whose title or id shares words with ``title``.

    Shared words count by how rare they are among the entries (a word in
    one title weighs more than one in twenty), so "batch" beats "small".

    Args:
        title: The new entry's title.
        entries: ``(type, id, title)`` of every existing entry.
        limit: At most this many are returned.

    Returns:
        ``(type, id, title)`` sorted by score, then by type and id.
    """
    wanted = _words(title)
    candidates = [(kind, eid, other, _words(other) | _words(eid.replace("-", " "))) for kind, eid, other in entries]
    frequency: dict[str, int] = {}
    for *_, words in candidates:
        for word in words & wanted:
            frequency[word] = frequency.get(word, 0) + 1
    scored = []
    for kind, eid, other, words in candidates:
        shared = words & wanted
        if shared:
            score = sum(math.log((1 + len(candidates)) / frequency[w]) for w in shared)
            rank = list(FOLDERS).index(kind) if kind in FOLDERS else len(FOLDERS)
            scored.append((-round(score, 6), rank, eid, kind, other))
    return [(kind, eid, other) for _, _, eid, kind, other in sorted(scored)[:limit]]
