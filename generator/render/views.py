"""Small view models the page templates format, and helpers to build them.

A page is a list of :class:`Section` objects; each names the partial
template that formats its data, so templates hold no data logic.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from markupsafe import Markup, escape
from pymdownx.slugs import slugify  # type: ignore[import-untyped]

from generator import urls as paths
from generator.markup import markdown_inline, plain
from generator.models import STRENGTH_MEANING, Entity, Evidence
from generator.render.context import Link, Site

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
    "documentation": "Documentation",
}


@dataclass(frozen=True)
class Section:
    """One ``## heading`` of a page and the partial that formats its data."""

    heading: str
    part: str
    data: Any
    intro: str = ""
    notes: tuple[Any, ...] = ()
    """Scope lines shown under the section (:class:`generator.render.evidence.ScopeNote`)."""


@dataclass(frozen=True)
class Chip:
    """A value in a card row: a link, or plain text when ``href`` is empty."""

    text: str
    href: str = ""
    kind: str = ""
    hint: str = ""

    @cached_property
    def html(self) -> Markup:
        """The chip's markup, escaped (``parts/chip.html.j2`` prints this)."""
        text = escape(self.text)
        if not self.href:
            return Markup(f'<span class="kb-chip kb-chip--{escape(self.kind or "text")}">{text}</span>')
        title = f' title="{escape(self.hint)}"' if self.hint else ""
        return Markup(
            f'<a class="kb-chip kb-chip--{escape(self.kind or "link")}" href="{escape(self.href)}"{title}>{text}</a>'
        )


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
    strength: str = ""
    strength_hint: str = ""


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
                EVIDENCE_KINDS.get(ev.kind, ev.kind),
                markdown_inline(ev.shows),
                plain(ev.locator or ""),
                self.cite(ev.cite),
                ev.strength,
                STRENGTH_MEANING[ev.strength],
            )
            for ev in items
        ]

    @property
    def listed(self) -> list[Citation]:
        """All citations of the page, by number."""
        return sorted(self.order.values(), key=lambda c: c.number)


@lru_cache(maxsize=65536)
def chip(link: Link) -> Chip:
    """A card chip from an entity link (the same chip, and its markup, for the same link)."""
    return Chip(link.text, link.href, link.kind, link.hint)


def chips(site: Site, from_doc: str, ids: list[str]) -> list[Chip]:
    """Card chips linking to entities, sorted by title."""
    return [chip(link) for link in site.links(from_doc, ids)]


def ordered_chips(site: Site, from_doc: str, ids: list[str]) -> list[Chip]:
    """Card chips linking to entities, in the order given (a scenario's stage order)."""
    return [chip(site.link(from_doc, eid)) for eid in ids]


def tag_names(site: Site, entity: Entity) -> list[str]:
    """Tag names of an entity for the tags plugin: its type, then its terms."""
    return site.tag_names(entity)


def tag_anchor(name: str) -> str:
    """Anchor of a tag on the tags page (the tags plugin's slug format)."""
    slug: str = _TAG_SLUG(html.escape(name, quote=True), "-")
    return "tag:" + slug


def tag_chips(site: Site, from_doc: str, entity: Entity) -> list[Chip]:
    """Card chips for an entity's vocabulary tags, linking to the tags page (or the part that lists the tag)."""
    out = []
    for tag in entity.tags:
        name = site.label(tag)
        out.append(Chip(name, paths.href(from_doc, site.tag_pages[name], tag_anchor(name)), "tag"))
    return out


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_KEY_RE = re.compile(r"\b[a-z][a-z0-9]*\d{4}[a-z0-9]*\b")


def link_citations(rendered: Markup, cites: Citations) -> Markup:
    """Turn BibTeX keys cited in entry text into numbered links to the page's references.

    Only text between tags is touched, and only words that are keys of the
    bibliography; the link text is the escaped short citation.
    """
    keys = cites.site.references
    if not any(key in keys for key in _KEY_RE.findall(str(rendered))):
        return Markup(rendered)  # most text cites nothing: no need to split it

    def replace(match: re.Match[str]) -> str:
        key = match.group(0)
        if key not in keys:
            return key
        cite = cites.cite(key)
        return f'<a class="kb-cite" href="#cite-{cite.number}" title="{escape(cite.title)}">{escape(cite.short)}</a>'

    parts = _TAG_OR_TEXT.split(str(rendered))
    inside_code = False
    for i, part in enumerate(parts):
        if part.startswith("<"):
            inside_code = part.startswith("<code") or (inside_code and not part.startswith("</code"))
        elif not inside_code:
            parts[i] = _KEY_RE.sub(replace, part)
    return Markup("".join(parts))  # text was already escaped; only trusted links were added
