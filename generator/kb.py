"""The knowledge-base types every stage after validation shares.

:class:`KnowledgeBase` is what the schema stage builds from the raw files;
:class:`Checked` is what the whole pipeline (:func:`generator.pipeline.check`)
returns: the knowledge base, its graph and every finding. Renderers,
checklists and the history take these types from here, never from the
stage that builds them, so no module has to import the orchestrator for a type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

import networkx as nx

from generator.findings import Finding, Location
from generator.load.bibtex import Bibliography
from generator.load.datasets import StudyData
from generator.load.studies import Study
from generator.load.yamlstrict import KeyPath, YamlDocument
from generator.models import Entity, KbMeta, Vocabulary

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

    @property
    def entities(self) -> dict[str, Entity]:
        """Entities by id (first definition wins)."""
        out: dict[str, Entity] = {}
        for entry in self.entries:
            out.setdefault(entry.entity.id, entry.entity)
        return out

    @property
    def sources(self) -> dict[str, Source]:
        """Sources by entity id (first definition wins)."""
        out: dict[str, Source] = {}
        for entry in self.entries:
            out.setdefault(entry.entity.id, entry.source)
        return out

    def of_type(self, kind: str) -> list[Entity]:
        """Entities of one type, sorted by id."""
        return sorted((e for e in self.entities.values() if e.kind == kind), key=lambda e: e.id)


@dataclass(frozen=True)
class Checked:
    """A validated, linked knowledge base and everything found on the way."""

    kb: KnowledgeBase
    graph: Graph
    findings: list[Finding]
