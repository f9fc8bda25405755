"""The id patterns of the knowledge base, declared once, and what works on ids.

Schema fields, link checks, the checklist formats, the scaffolder and the
tests all import the patterns from here. Also here: making an id from a
title (:func:`slugify`), the did-you-mean hints of messages, and the scaffold
placeholder that validation flags (:func:`is_placeholder`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

#: The words of an id without anchors, for building other patterns.
ID_WORDS = r"[a-z0-9]+(?:-[a-z0-9]+)*"

#: An entity id: lower-case words joined by single hyphens, 3 to 80 characters.
ID_PATTERN = rf"^{ID_WORDS}$"
ID_MIN_LENGTH = 3
ID_MAX_LENGTH = 80

#: A BibTeX citation key, as the bibliography uses them (``jiang2024reengineering``).
CITE_KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_:-]{1,79}$"
CITE_KEY_RE = re.compile(CITE_KEY_PATTERN)

#: A checklist item id, unique within its practice (``compare-layer-outputs``).
ITEM_ID_PATTERN = ID_PATTERN

#: A checklist item's uid across the KB, ``<practice-id>/<item-id>``, without anchors.
ITEM_UID_WORDS = rf"{ID_WORDS}/{ID_WORDS}"

#: A checklist item's uid across the KB (``check-converted-model-equivalence/compare-outputs``).
ITEM_UID_PATTERN = rf"^{ITEM_UID_WORDS}$"


def slugify(title: str, max_length: int = 60) -> str:
    """Turn a title into an id: ASCII, lower case, hyphen-separated.

    Args:
        title: Free text such as ``"Pin & record versions"``.
        max_length: The slug is cut at a word boundary below this length.

    Returns:
        A string that matches :data:`ID_PATTERN`, or ``""`` if the title has
        no letters or digits.
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """Return the closest of ``choices`` to ``value``, if any is close enough."""
    options = sorted(set(choices))
    matches = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    # Ids are long: a word-level overlap catches "undocumented-model" for
    # "under-documented-reference-model" where characters alone do not.
    words = set(value.split("-"))
    scored = [(len(words & set(option.split("-"))), option) for option in options]
    best = max(scored, default=(0, ""))
    return best[1] if best[0] >= max(1, len(words) // 2) else None


def suggestion(value: str, choices: Iterable[str]) -> str:
    """Format a " Did you mean 'x'?" suffix, or ``""`` when nothing is close."""
    match = did_you_mean(value, choices)
    return f" Did you mean '{match}'?" if match else ""


#: The placeholder id a scaffold puts in relations (see :func:`is_placeholder`).
TODO_ID = "todo"


def is_placeholder(value: str) -> bool:
    """Tell whether a value is an unfilled scaffold marker."""
    return "TODO" in value or value == TODO_ID
