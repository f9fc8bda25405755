"""The bibliography page: every reference, formatted, with "cited by" links.

Entries are sorted by first author, year and title; each has the anchor
:func:`~generator.urls.reference_anchor` that entity pages link to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from generator import urls as paths
from generator.kb import Checked
from generator.markup import front_matter
from generator.render.bibformat import Reference, sort_key
from generator.render.context import Site
from generator.render.templating import render
from generator.render.views import Chip, chips


@dataclass(frozen=True)
class BibItem:
    """One formatted reference and the entities that cite it."""

    anchor: str
    ref: Reference
    cited_by: list[Chip]
    scope: list[tuple[str, str]] = field(default_factory=list)
    """The study's scope (label, text), when kb/studies.yaml has a record for it."""


def render_bibliography(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the references page."""
    site = Site(checked)
    doc = paths.BIBLIOGRAPHY_PAGE
    refs = sorted(site.references.values(), key=sort_key)
    items = [
        BibItem(
            paths.reference_anchor(r.key),
            r,
            chips(site, doc, site.citing(r.key)),
            site.scopes[r.key].parts if r.key in site.scopes else [],
        )
        for r in refs
    ]
    page = render(
        "references.md.j2",
        front=Markup(
            front_matter({"title": "References", "hide": ["navigation"], "search": {"boost": 0.5}})
        ),  # escaped by front_matter
        items=items,
    )
    return {doc: page}
