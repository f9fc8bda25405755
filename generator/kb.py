"""The knowledge-base types every stage after validation shares.

:class:`KnowledgeBase` is what the schema stage builds from the raw files;
:class:`Checked` is what the whole pipeline (:func:`generator.pipeline.check`)
returns: the knowledge base, its graph and every finding. Renderers,
checklists and the history take these types from here, never from the
stage that builds them, so no module has to import the orchestrator for a type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar, cast

import networkx as nx

from generator import urls
from generator.findings import Finding, Location
from generator.load.bibtex import Bibliography
from generator.load.datasets import StudyData
from generator.load.studies import Study
from generator.load.yamlstrict import KeyPath, YamlDocument
from generator.models import Entity, KbMeta, Vocabulary

T = TypeVar("T")

Graph: TypeAlias = nx.MultiDiGraph
"""The typed knowledge graph built by :func:`generator.graph.build_graph`."""


@dataclass(frozen=True)
class Source:
    """Where an entity came from: its file and the positions of its keys."""

    path: str
    rel: str
    doc: YamlDocument
    text: str

    def location(self, key_path: KeyPath = ()) -> Location:
        """Location of ``key_path`` in this file (nearest known ancestor)."""
        mark = self.doc.mark(key_path)
        return Location(self.path, mark.line, mark.col, key_path)


@dataclass(frozen=True)
class Entry:
    """A schema-valid entity and its source."""

    entity: Entity
    source: Source


@dataclass
class KnowledgeBase:
    """The typed knowledge base after the schema stage.

    ``entries`` keeps every valid entity, even duplicates (the rules report
    them); ``entities`` maps each id to its first definition.
    """

    root: str
    meta: KbMeta | None
    vocabulary: Vocabulary | None
    bibliography: Bibliography
    entries: list[Entry] = field(default_factory=list)
    files_checked: int = 0
    datasets: dict[str, StudyData] = field(default_factory=dict)
    """Study data sets from ``kb/data/``, by name."""
    studies: dict[str, Study] = field(default_factory=dict)
    """Scope records of cited studies (``kb/studies.yaml``), by BibTeX key."""
    studies_source: Source | None = None
    """Where the scope records came from (for located findings)."""
    broken: dict[str, str] = field(default_factory=dict)
    """Ids (file stems) of entity files that failed to parse or validate, by type.

    Rules skip follow-on findings about them (a reference to a broken file is
    not "unknown"), so each mistake is reported once.
    """

    _index: tuple[int, int, dict[str, Entity], dict[str, Source], dict[str, list[Entity]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """``entities``, ``sources`` and ``of_type`` computed once per state of ``entries``.

    Every rule and renderer asks for them, many once per entity: rebuilt on
    each call, they made validation and rendering quadratic. ``entries`` is
    only ever appended to (by the schema stage), so its identity and length
    say whether the index is current.
    """

    _memo: dict[str, tuple[int, int, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, name: str, build: Callable[[], T]) -> T:
        """``build()``, computed once per state of ``entries`` (for derived data several stages ask for)."""
        state = (id(self.entries), len(self.entries))
        cached = self._memo.get(name)
        if cached is not None and cached[:2] == state:
            return cast(T, cached[2])
        value = build()
        self._memo[name] = (*state, value)
        return value

    def reference_page(self, key: str) -> str:
        """Docs path of the references page, or of its part, that lists BibTeX ``key``."""
        entries, limit = self.bibliography.entries, urls.REFERENCES_PART
        state = f"{id(entries)} {len(entries)} {limit}"
        pages = self.memo(f"reference pages {state}", lambda: urls.reference_pages(entries, limit))
        return pages.get(key, urls.BIBLIOGRAPHY_PAGE)

    def _indexed(self) -> tuple[int, int, dict[str, Entity], dict[str, Source], dict[str, list[Entity]]]:
        index = self._index
        if index is not None and index[0] == id(self.entries) and index[1] == len(self.entries):
            return index
        entities: dict[str, Entity] = {}
        sources: dict[str, Source] = {}
        for entry in self.entries:
            if entry.entity.id not in entities:
                entities[entry.entity.id] = entry.entity
                sources[entry.entity.id] = entry.source
        by_kind: dict[str, list[Entity]] = {}
        for entity in sorted(entities.values(), key=lambda e: e.id):
            by_kind.setdefault(entity.kind, []).append(entity)
        self._index = (id(self.entries), len(self.entries), entities, sources, by_kind)
        return self._index

    @property
    def entities(self) -> dict[str, Entity]:
        """Entities by id (first definition wins). Shared: do not modify."""
        return self._indexed()[2]

    @property
    def sources(self) -> dict[str, Source]:
        """Sources by entity id (first definition wins). Shared: do not modify."""
        return self._indexed()[3]

    def of_type(self, kind: str) -> list[Entity]:
        """Entities of one type, sorted by id (a new list each call)."""
        return list(self._indexed()[4].get(kind, ()))


@dataclass(frozen=True)
class Checked:
    """A validated, linked knowledge base and everything found on the way."""

    kb: KnowledgeBase
    graph: Graph
    findings: list[Finding]
