"""Re-render only the entity pages an edit can change (``make serve``).

An entity page reads more than its own entry: the titles and summaries of
the entries it links to, the neighbours of a linked challenge (a challenge
ranks by how many practices address it), a defect type's sub-types at every
level and their neighbours, the previous and next entry of its type, and the
files that are not entries (vocabulary, bibliography, studies, study data,
``kb.yaml``). :func:`page_inputs` lists those entries from the graph;
:func:`page_key` hashes them by the digest of the files they come from. A
page whose key is the one of the previous build is taken from
:class:`PageMemo` instead of being rendered again. Stage, paradigm and
scenario pages are hubs: their own neighbours are read, never expanded
through (a stage's three hundred practices do not make every practice page
depend on each other). A stage page also reads every stage ("3 of 6"), and a
scenario page every practice (what its checklist includes), so scenario
pages are always rendered.

``tests/render/test_incremental.py`` checks that pages rendered through the
memo are the pages a full render gives, for edits of every kind of entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from generator.render.context import Site

T = TypeVar("T")

#: Kinds whose pages are read through but never expanded from (see the module docstring).
HUBS = frozenset({"stage", "paradigm", "scenario"})
#: Kinds whose pages read the whole KB: rendered on every build.
ALWAYS = frozenset({"scenario"})


@dataclass
class PageMemo:
    """Pages of earlier builds: entity pages by ``{page path: (key, text)}``, and the checklist pages."""

    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    """Page paths the last build rendered (the others came from the memo)."""
    checklists: tuple[object, dict[str, str | bytes]] | None = None
    """The checklist pages of the last build and the values they were made from."""


def _neighbours(site: Site, node: str) -> set[str]:
    graph = site.graph
    found = {t for _, t in graph.out_edges(node)} | {s for s, _ in graph.in_edges(node)}
    return {n for n in found if n in site.entities and n != node}


def _subtypes(site: Site, defect_id: str) -> set[str]:
    """A defect type's sub-types, all levels down."""
    out: set[str] = set()
    level = [defect_id]
    while level:
        below = [
            s
            for node in level
            for s, _, relation in site.graph.in_edges(node, data="relation")
            if relation == "parent" and s not in out and s != defect_id
        ]
        out.update(below)
        level = below
    return out


def page_inputs(site: Site, entity_id: str) -> set[str]:
    """The entries whose text an entity's page can show or sort by (itself included)."""
    entity = site.entities[entity_id]
    first = _neighbours(site, entity_id)
    out = {entity_id} | first
    for node in first:
        if site.entities[node].kind not in HUBS:
            out |= _neighbours(site, node)
    if entity.kind == "defect":
        for sub in _subtypes(site, entity_id):
            out.add(sub)
            out |= _neighbours(site, sub)
    if entity.kind == "stage":
        out.update(e.id for e in site.kb.of_type("stage"))
    return out


def shared_digest(site: Site, digests: Mapping[str, str]) -> str:
    """A digest of every input file that is not an entry (and of the KB's root)."""
    entries = {source.rel for source in site.kb.sources.values()}
    parts = [site.kb.root, *(f"{rel}:{d}" for rel, d in sorted(digests.items()) if rel not in entries)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def page_key(
    site: Site,
    entity_id: str,
    digests: Mapping[str, str],
    shared: str,
    walk: tuple[str | None, str | None],
    changed: str | None,
) -> str | None:
    """What an entity's page is a function of, hashed; None when it must be rendered anyway.

    Args:
        site: The site being rendered.
        entity_id: The page's entity.
        digests: Digest of each KB file's bytes, by path inside the KB folder.
        shared: :func:`shared_digest` of this build.
        walk: The previous and next entry in reading order.
        changed: When the entity's file last changed in git.
    """
    entity = site.entities[entity_id]
    if entity.kind in ALWAYS:
        return None
    inputs = page_inputs(site, entity_id) | {n for n in walk if n is not None}
    parts = [shared, entity_id, str(walk), changed or ""]
    for node in sorted(inputs):
        rel = site.source_rel(node)
        digest = digests.get(rel) if rel else None
        if digest is None:
            return None
        parts.append(f"{node}:{rel}:{digest}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


_last: dict[str, tuple[object, object]] = {}


def same_as_last(name: str, inputs: object, build: Callable[[], T]) -> T:
    """``build()``, or its result of the previous call under ``name`` if ``inputs`` equal that call's.

    For outputs that are a pure function of ``inputs`` (compared by value): one
    result per name is kept for the life of the process.
    """
    last = _last.get(name)
    if last is not None and last[0] == inputs:
        return last[1]  # type: ignore[return-value]
    value = build()
    _last[name] = (inputs, value)
    return value
