"""Scaffold a new entry with TODO markers that validation flags until filled.

Text fields start as ``TODO: ...`` and relations as the placeholder id
``todo``; both are reported as ``todo-marker`` errors, so a scaffold cannot
be merged unfinished.
"""

from __future__ import annotations

import json

from generator.ids import slugify
from generator.models import FOLDERS
from generator.schema import modeline

TODO_ID = "todo"


def is_placeholder(value: str) -> bool:
    """Tell whether a value is an unfilled scaffold marker."""
    return "TODO" in value or value == TODO_ID


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
addresses: [todo]
prevents: []
detects: []
importance: recommended
rationale: >-
  TODO: why this works, with the evidence in mind.
steps:
  - "TODO: a concrete step (a command, a tolerance, what to compare)."
not_applicable_when:
  - "TODO: when this practice does not apply."
checklist:
  - id: todo-first-item
    text: "TODO: an action someone can tick off."
  - id: todo-second-item
    text: "TODO: another action someone can tick off."
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
    text = _COMMON_HEAD.format(modeline=modeline(kind, 2), id=eid, title=_yaml_string(title.strip()))
    text += _BODIES[kind] + _EVIDENCE
    return f"{FOLDERS[kind]}/{eid}.yaml", text
