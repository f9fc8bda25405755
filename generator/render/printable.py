"""The whole knowledge base on one printable page (``print.md``).

Every entry, grouped by type in the order of the navigation: title (linked
to its page), summary, body, and for practices the steps and checklist
items, then the evidence with links into the bibliography. Every text goes
through the same escaping renderers as the entry pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator import urls as paths
from generator.kb import Checked
from generator.markup import front_matter, markdown_block, markdown_inline, plain
from generator.models import FOLDERS, Entity, Practice
from generator.render.context import KIND_PLURALS
from generator.render.templating import render


@dataclass(frozen=True)
class PrintedEvidence:
    """One evidence item as printed."""

    key: str
    href: str
    locator: str
    shows: Markup


@dataclass(frozen=True)
class PrintedEntry:
    """One entry as printed."""

    anchor: str
    href: str
    title: str
    summary: Markup
    body: Markup
    steps: list[Markup]
    checklist: list[Markup]
    evidence: list[PrintedEvidence]


def _entry(entity: Entity) -> PrintedEntry:
    practice = entity if isinstance(entity, Practice) else None
    return PrintedEntry(
        anchor=f"{entity.kind}-{entity.id}",
        href=paths.href(paths.PRINT_PAGE, paths.page_path(entity.kind, entity.id)),
        title=plain(entity.title),
        summary=markdown_inline(entity.summary),
        body=markdown_block(entity.body) if entity.body else Markup(""),
        steps=[markdown_inline(step) for step in practice.steps] if practice else [],
        checklist=[markdown_inline(item.text) for item in practice.checklist] if practice else [],
        evidence=[
            PrintedEvidence(
                ev.cite,
                paths.href(paths.PRINT_PAGE, paths.BIBLIOGRAPHY_PAGE, paths.reference_anchor(ev.cite)),
                ev.locator or "",
                markdown_inline(ev.shows),
            )
            for ev in entity.evidence
        ],
    )


def render_printable(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: ``{"print.md": page}`` with every entry of the KB."""
    entities = checked.kb.entities.values()
    groups = [
        {
            "label": KIND_PLURALS[kind],
            "entries": [_entry(e) for e in sorted(entities, key=lambda e: e.id) if e.kind == kind],
        }
        for kind in FOLDERS
    ]
    page = render(
        "print.md.j2",
        front=Markup(front_matter({"title": "The whole knowledge base", "hide": ["navigation", "toc"]})),
        version=checked.kb.meta.version if checked.kb.meta else "unknown",
        count=len(checked.kb.entities),
        groups=[g for g in groups if g["entries"]],
    )
    return {paths.PRINT_PAGE: page}
