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


#: Names no file may have on Windows, with or without an extension (``con.yaml`` cannot be checked out).
DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{stem}{n}" for stem in ("com", "lpt") for n in [*"0123456789", "\u00b9", "\u00b2", "\u00b3"]}
)


def is_device_name(value: str) -> bool:
    """Tell whether ``value`` (a file stem, with or without extension) is a reserved device name."""
    return value.lower().split(".", 1)[0].rstrip(" ") in DEVICE_NAMES


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


def _script(ch: str) -> str:
    """The script of a letter, from its Unicode name (``LATIN``, ``CYRILLIC``, ``GREEK``...)."""
    try:
        return unicodedata.name(ch).split()[0]
    except ValueError:
        return "UNKNOWN"


_HOST_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?$")


def url_problem(url: str) -> str | None:
    """What is wrong with a web URL from an entry, or None if it is a plain http(s) URL.

    Refused: other schemes, URLs that do not parse (bad port, bad IPv6
    brackets), credentials (``user:password@``), backslashes, hosts with
    characters no domain name has, and hosts that mix scripts in one label
    (a look-alike domain such as Cyrillic 'а' in 'pаypal.com').
    """
    from urllib.parse import urlsplit

    if "\\" in url:
        return "contains a backslash"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"does not parse ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return "is not an http(s) URL"
    if "@" in parts.netloc:
        return "carries credentials (user:password@host); remove them"
    host = parts.hostname or ""
    if not host:
        return "has no host"
    if parts.netloc.startswith("[") or re.fullmatch(r"[0-9.]+", host):
        return None  # an IP literal
    labels = host.rstrip(".").split(".")
    decoded = []
    for label in labels:
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except (UnicodeError, ValueError):
                return f"has a host label '{label}' that is not valid punycode"
        decoded.append(label)
    for label in decoded:
        scripts = {_script(ch) for ch in label if ch.isalpha()}
        if len(scripts) > 1:
            return f"mixes scripts ({', '.join(sorted(scripts))}) in its host, as look-alike domains do"
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return "has a host that is not a valid domain name"
    if not _HOST_RE.match(ascii_host):
        return "has a host with characters a domain name cannot have"
    return None
