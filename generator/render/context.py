"""What every renderer needs to know about the checked KB, computed once.

:class:`Site` wraps a :class:`~generator.pipeline.Checked` knowledge base
with the lookups pages share: entity links from any page, tag labels,
formatted references and edit URLs. Values are plain text; templates escape.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup, escape

from generator import urls as paths
from generator.graph import cite_node
from generator.kb import Checked
from generator.load.studies import Scope, scopes
from generator.markup import plain
from generator.models import Entity
from generator.render.bibformat import Reference, disambiguate, format_reference
from generator.render.paging import chunks, part_path

#: Display name of each entity type, singular and plural.
KIND_LABELS: dict[str, str] = {
    "paradigm": "Reuse paradigm",
    "stage": "Workflow stage",
    "challenge": "Challenge",
    "practice": "Practice",
    "defect": "Defect type",
    "scenario": "Scenario",
}
KIND_PLURALS: dict[str, str] = {
    "paradigm": "Reuse paradigms",
    "stage": "Workflow stages",
    "challenge": "Challenges",
    "practice": "Practices",
    "defect": "Defect types",
    "scenario": "Scenarios",
}


@dataclass(frozen=True)
class Link:
    """A link as templates print it: ``<a href=href title=hint>text</a>``."""

    href: str
    text: str
    kind: str = ""
    hint: str = ""

    @cached_property
    def html(self) -> Markup:
        """The link as a relations list shows it, escaped (a page's links recur on every page of its folder)."""
        kind, href, hint, text = escape(self.kind), escape(self.href), escape(self.hint), escape(self.text)
        return Markup(f'<a class="kb-link kb-link--{kind}" href="{href}" title="{hint}">{text}</a>')


#: Above this many (entry, tag) pairs the tags page is split into parts of at most this many
#: (today's KB has ~600): each part lists some tags, every tag is on one part.
TAGS_PART_ENTRIES = 2500


class Site:
    """Shared lookups over one checked knowledge base."""

    def __init__(self, checked: Checked) -> None:
        """Wrap ``checked``; lookups are computed lazily and cached."""
        self.checked = checked
        self.kb = checked.kb
        self.graph = checked.graph
        self._links: dict[tuple[str, str], Link] = {}
        self._plain: dict[str, tuple[str, str]] = {}
        self.ranks: dict[str, tuple[float, ...]] = {}
        """Sort keys by entity id (:func:`generator.render.relations.evidence_rank`), computed once each."""

    @cached_property
    def entities(self) -> dict[str, Entity]:
        """Entities by id."""
        return self.kb.entities

    @cached_property
    def references(self) -> dict[str, Reference]:
        """Formatted bibliography entries by key."""
        return disambiguate({key: format_reference(entry) for key, entry in self.kb.bibliography.entries.items()})

    @cached_property
    def scopes(self) -> dict[str, Scope]:
        """Scope of each study with a record in kb/studies.yaml, by BibTeX key."""
        return scopes(self.kb.studies, self.kb.datasets)

    @cached_property
    def terms(self) -> dict[str, str]:
        """Vocabulary labels by term id."""
        vocabulary = self.kb.vocabulary
        return {tid: plain(term.label) for tid, term in vocabulary.all_terms().items()} if vocabulary else {}

    def tag_names(self, entity: Entity) -> list[str]:
        """Tag names of an entity for the tags plugin: its type, then its terms."""
        return [KIND_LABELS[entity.kind], *(self.label(tag) for tag in entity.tags)]

    @cached_property
    def tag_parts(self) -> list[list[str]]:
        """The tags page's parts: tag names in the listing's order, in runs of at most ``TAGS_PART_ENTRIES`` entries.

        One part unless the KB is large; a tag listing more entries than that has a part of its own.
        """
        counts = Counter(name for e in self.kb.entities.values() for name in self.tag_names(e))
        names = sorted(counts)  # the tags plugin sorts its listing by name
        if sum(counts.values()) <= TAGS_PART_ENTRIES:
            return [names]
        return chunks(names, TAGS_PART_ENTRIES, counts.__getitem__)

    @cached_property
    def tag_pages(self) -> dict[str, str]:
        """The docs path of the tags page (or part of it) that lists each tag name."""
        return {name: part_path(paths.TAGS_PAGE, n) for n, part in enumerate(self.tag_parts, 1) for name in part}

    def of_type(self, kind: str) -> list[Entity]:
        """Entities of one type sorted by title (then id), as lists show them."""
        return sorted(self.kb.of_type(kind), key=lambda e: (plain(e.title).casefold(), e.id))

    def label(self, term: str) -> str:
        """Display label of a vocabulary term (the id when unknown)."""
        return self.terms.get(term, term)

    def link(self, from_doc: str, entity_id: str, anchor: str = "") -> Link:
        """A link from page ``from_doc`` to an entity's page (text only if unknown)."""
        if anchor:
            return self._link(from_doc, entity_id, anchor)
        # Without an anchor the link is the same from every page of a folder: made once per folder.
        key = (from_doc.rpartition("/")[0], entity_id)
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = self._link(from_doc, entity_id, "")
        return link

    def _link(self, from_doc: str, entity_id: str, anchor: str) -> Link:
        entity = self.entities.get(entity_id)
        if entity is None:
            return Link("", entity_id)
        target = paths.page_path(entity.kind, entity.id)
        title, summary = self._names(entity_id)
        return Link(paths.href(from_doc, target, anchor), title, entity.kind, summary)

    def _names(self, entity_id: str) -> tuple[str, str]:
        """An entity's title and summary as plain text (made once: links to it are made once per folder)."""
        names = self._plain.get(entity_id)
        if names is None:
            entity = self.entities[entity_id]
            names = self._plain[entity_id] = (plain(entity.title), plain(entity.summary))
        return names

    def links(self, from_doc: str, entity_ids: list[str]) -> list[Link]:
        """Links to several entities, sorted by title."""
        return sorted((self.link(from_doc, eid) for eid in entity_ids), key=lambda ln: ln.text.casefold())

    def cite_href(self, from_doc: str, key: str) -> str:
        """URL of a reference's entry on the references page, or on the part of it that lists the key."""
        return paths.href(from_doc, self.kb.reference_page(key), paths.reference_anchor(key))

    def citing(self, key: str) -> list[str]:
        """Ids of the entities that cite a BibTeX key."""
        node = cite_node(key)
        if node not in self.graph:
            return []
        return sorted({s for s, _, d in self.graph.in_edges(node, data=True) if d["relation"] == "cites"})

    def source_rel(self, entity_id: str) -> str | None:
        """Path of an entity's YAML file inside ``kb/``."""
        source = self.kb.sources.get(entity_id)
        return source.rel if source else None

    def edit_url(self, entity_id: str) -> str | None:
        """Web-editor URL of an entity's YAML file (None without KB metadata)."""
        rel = self.source_rel(entity_id)
        meta = self.kb.meta
        if rel is None or meta is None:
            return None
        return paths.edit_url(meta.repo_url, meta.edit_branch, rel)
