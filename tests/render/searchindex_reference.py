"""The search index's other spellings, written the straightforward way (the code before issue 15's speed-up).

Every synonym pattern is searched in every text, every word is split out by
one regular expression: slow at scale, plainly right. The tests compare
:mod:`generator.render.searchindex` with it, word for word and byte for byte.
Only the data (the patterns, prefixes, stems and which sections go) comes
from the module under test.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from generator.render import searchindex as si

_WORD_SPLIT = re.compile(rf"(?:{si.SEPARATOR}|[^\w\u2011.])+")
_BRITISH = re.compile(r"\b(\w{3,})(is|iz)(e|es|ed|ing|ation|ations|er|ers)\b", re.I)
_OUR = re.compile(r"\b(behavio|colo|flavo|labo|favo)(ur|r)(s|al|ed|ing|ite|ites)?\b", re.I)
_TAGS = re.compile(r"<[^>]+>")
_GROUPS = [(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.I), words) for pattern, words in si.SYNONYMS]
_COMPOUND = re.compile(r"\b[A-Za-z][\w]*(?:[-\u2011][A-Za-z0-9]\w*)+")
_PREFIXED = re.compile(rf"\b({'|'.join(sorted(si.BOUND_PREFIXES))})-(?=[A-Za-z])", re.I)
_BOOKKEEPING = [pattern for _, pattern in si._BOOKKEEPING]


def other_spellings(text: str) -> list[str]:
    words: list[str] = []
    for match in _BRITISH.finditer(text):
        stem = match.group(1).lower()
        if stem in si._IZE_STEMS:
            words.extend(f"{stem}i{s}{end}" for s in "sz" for end in ("ed", "ation", "ing", "er"))
    for match in _OUR.finditer(text):
        other = "r" if match.group(2).lower() == "ur" else "ur"
        words.append(f"{match.group(1).lower()}{other}{(match.group(3) or '').lower()}")
    return words


def compound_forms(text: str, *, prefixes: bool) -> list[str]:
    words: list[str] = []
    for match in _COMPOUND.finditer(text):
        word = match.group(0).lower()
        parts = re.split(r"[-\u2011]", word)
        if "\u2011" in word:
            words.extend(part for part in parts if prefixes or part not in si.BOUND_PREFIXES)
        words.extend(a + b for a, b in itertools.pairwise(parts))
        if len(parts) > 2:
            words.append("".join(parts))
    return words


def groups(text: str) -> list[int]:
    """The synonym groups whose pattern occurs in ``text`` (tags and all)."""
    return [number for number, (pattern, _) in enumerate(_GROUPS) if pattern.search(text)]


def new_words(words: str, text: str) -> str:
    have = {word.strip(".") for word in _WORD_SPLIT.split(_TAGS.sub(" ", text).lower())}
    return " ".join(word for word in dict.fromkeys(words.split()) if word not in have)


def extra_words(text: str, *, prefixes: bool = True) -> str:
    plain = _TAGS.sub(" ", text)
    words = compound_forms(plain, prefixes=prefixes)
    for pattern, group in _GROUPS:
        if pattern.search(plain):
            words.extend(group.split())
    words.extend(other_spellings(plain))
    return " ".join(dict.fromkeys(words))


def bind_prefixes(text: str) -> str:
    return _PREFIXED.sub(lambda m: f"{m.group(1)}\u2011", text)


def slug_words(location: str) -> str:
    if "#" in location or not location.startswith(si._ENTITY_FOLDERS) or location.endswith("/index.html"):
        return ""
    return bind_prefixes(location.rsplit("/", 1)[-1].removesuffix(".html")).replace("-", " ")


def alt_words(title: str, location: str, tags: list[str]) -> str:
    """An entry's ``alt`` from its compacted title and tags."""
    slug = slug_words(location)
    words = f"{slug} {extra_words(' '.join([title, slug, *tags]), prefixes=False)}".split()
    title_words = {word.strip(".") for word in _WORD_SPLIT.split(_TAGS.sub(" ", title).lower()) if word}
    return " ".join(w for w in dict.fromkeys(words) if not any(t.startswith(w.lower()) for t in title_words))


def compact_entry(doc: dict[str, Any]) -> dict[str, Any] | None:
    location = doc.get("location", "")
    if si._repeats(location):
        return None
    text = doc.get("text", "")
    if location in si.LISTING_PAGES:
        first = si._FIRST_PARAGRAPH.search(text)
        text = first.group(0) if first else ""
    elif location.startswith(si._ENTITY_FOLDERS) or location == si._BIBLIOGRAPHY:
        for pattern in _BOOKKEEPING:
            text = pattern.sub("", text)
    elif location.partition("#")[0] in si.EXAMPLE_PAGES:
        text = si._EXAMPLE.sub("", text)
    how = ""
    if location.startswith(si._ENTITY_FOLDERS) and location not in si.LISTING_PAGES:
        how = bind_prefixes(" ".join(re.findall(r"<p>How: (.*?)</p>", text, re.S)))
        text = re.sub(r"<p>How: .*?</p>", " ", text, flags=re.S)
    elif location == si._BIBLIOGRAPHY and (opening := re.search(r"<p>.*?</p>", text, re.S)):
        how = bind_prefixes(" ".join(re.split(r"<p>.*?</p>", text, maxsplit=1, flags=re.S)))
        text = opening.group(0)
    text = re.sub(" {2,}", " ", si._BLOCK_TAGS.sub(" ", text)).strip()
    if "#" in location and not text:
        return None
    title = doc.get("title", "")
    new = {key: value for key, value in doc.items() if key not in ("text", "title", "tags")}
    new["title"] = title = bind_prefixes(title)
    new["text"] = text = bind_prefixes(text)
    tags = [bind_prefixes(tag) for tag in doc.get("tags", [])] if "#" not in location else []
    if tags:
        new["tags"] = tags
    syn = new_words(extra_words(f"{text} {how}" if how.strip() else text), text)
    how_words = [w.strip(".") for w in _WORD_SPLIT.split(_TAGS.sub(" ", how).lower()) if w.strip(".")]
    how_words = [
        w for w in how_words if w not in si.LUNR_STOP_WORDS and not re.fullmatch(r"(?:19|20)\d\d[a-z]{1,2}", w)
    ]
    if syn:
        new["syn"] = syn
    how = new_words(" ".join(how_words), f"{text} {syn}")
    if how:
        new["more"] = how
        new["boost"] = doc.get("boost", 1) * si.SHORTENED_WEIGHT
    alt = alt_words(title, location, tags)
    if alt:
        new["alt"] = alt
    return new


def index_words(text: str) -> set[str]:
    """The words of ``text`` (HTML) as the index splits them."""
    return {word.strip(".") for word in _WORD_SPLIT.split(_TAGS.sub(" ", text).lower()) if word.strip(".")}


def drop_page_words(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry's ``more`` without the words any entry of its page has in its title, text, tags, syn or alt,
    and without the words that many pages have in any of these or in ``more``."""
    pages = {doc["location"].partition("#")[0] for doc in docs}

    def words_of(page: str, *, with_more: bool) -> set[str]:
        have: set[str] = set()
        for other in docs:
            if other["location"].partition("#")[0] == page:
                have |= index_words(" ".join([other["title"], other["text"], *other.get("tags", [])]))
                have |= set(other.get("syn", "").split()) | set(other.get("alt", "").split())
                if with_more:
                    have |= set(other.get("more", "").split())
        return have

    everywhere = {page: words_of(page, with_more=True) for page in pages}
    floor = max(si.COMMON_PAGES, si.COMMON_SHARE * len(pages))
    out = []
    for doc in docs:
        have = words_of(doc["location"].partition("#")[0], with_more=False)
        new = dict(doc)
        if "more" in new:
            words = new.pop("more").split()
            more = " ".join(w for w in words if w not in have and sum(w in e for e in everywhere.values()) < floor)
            if more:
                new["more"] = more
        out.append(new)
    return out
