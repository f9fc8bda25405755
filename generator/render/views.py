"""Small view models the page templates format, and helpers to build them.

A page is a list of :class:`Section` objects; each names the partial
template that formats its data, so templates hold no data logic.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from pymdownx.slugs import slugify  # type: ignore[import-untyped]

from generator.models import Entity, Evidence
from generator.render import paths
from generator.render.context import KIND_LABELS, Link, Site
from generator.render.markup import markdown_inline

_TAG_SLUG = slugify(case="lower")

#: Reader-facing names of the evidence kinds.
EVIDENCE_KINDS: dict[str, str] = {
    "mining-study": "Mining study",
    "interview-study": "Interview study",
    "survey": "Survey",
    "experiment": "Experiment",
    "experience-report": "Experience report",
    "literature-review": "Literature review",
    "position-paper": "Position paper",
}


@dataclass(frozen=True)
class Section:
    """One ``## heading`` of a page and the partial that formats its data."""

    heading: str
    part: str
    data: Any
    intro: str = ""


@dataclass(frozen=True)
class Chip:
    """A value in a card row: a link, or plain text when ``href`` is empty."""

    text: str
    href: str = ""
    kind: str = ""
    hint: str = ""


@dataclass(frozen=True)
class CardRow:
    """One labelled row of an entity's field card."""

    label: str
    chips: list[Chip]


@dataclass(frozen=True)
class Citation:
    """A numbered reference on one page."""

    number: int
    key: str
    href: str
    short: str
    title: str
    venue: str


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence: what kind, what it shows, which reference."""

    kind: str
    shows: Markup
    locator: str
    citation: Citation


@dataclass
class Citations:
    """Numbers references in order of first use on one page."""

    site: Site
    from_doc: str
    order: dict[str, Citation] = field(default_factory=dict)

    def cite(self, key: str) -> Citation:
        """The page's citation for ``key``, numbering it on first use."""
        if key not in self.order:
            ref = self.site.references.get(key)
            self.order[key] = Citation(
                number=len(self.order) + 1,
                key=key,
                href=self.site.cite_href(self.from_doc, key),
                short=ref.short if ref else key,
                title=ref.title if ref else key,
                venue=ref.venue if ref else "",
            )
        return self.order[key]

    def evidence(self, items: list[Evidence]) -> list[EvidenceItem]:
        """Evidence items with their citation numbers."""
        return [
            EvidenceItem(
                EVIDENCE_KINDS.get(ev.kind, ev.kind), markdown_inline(ev.shows), ev.locator or "", self.cite(ev.cite)
            )
            for ev in items
        ]

    @property
    def listed(self) -> list[Citation]:
        """All citations of the page, by number."""
        return sorted(self.order.values(), key=lambda c: c.number)


def chip(link: Link) -> Chip:
    """A card chip from an entity link."""
    return Chip(link.text, link.href, link.kind, link.hint)


def chips(site: Site, from_doc: str, ids: list[str]) -> list[Chip]:
    """Card chips linking to entities, sorted by title."""
    return [chip(link) for link in site.links(from_doc, ids)]


def tag_names(site: Site, entity: Entity) -> list[str]:
    """Tag names of an entity for the tags plugin: its type, then its terms."""
    return [KIND_LABELS[entity.kind], *(site.label(tag) for tag in entity.tags)]


def tag_anchor(name: str) -> str:
    """Anchor of a tag on the tags page (the tags plugin's slug format)."""
    slug: str = _TAG_SLUG(html.escape(name, quote=True), "-")
    return "tag:" + slug


def tag_chips(site: Site, from_doc: str, entity: Entity) -> list[Chip]:
    """Card chips for an entity's vocabulary tags, linking to the tags page."""
    out = []
    for tag in entity.tags:
        name = site.label(tag)
        out.append(Chip(name, paths.href(from_doc, paths.TAGS_PAGE, tag_anchor(name)), "tag"))
    return out
