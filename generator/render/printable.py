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
from generator.kb import Checked, KnowledgeBase
from generator.markup import front_matter, markdown_block, markdown_inline, plain
from generator.models import FOLDERS, Entity, Practice
from generator.pipeline import no_collector_pauses
from generator.render.context import KIND_PLURALS
from generator.render.paging import chunks, pagers, part_path
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


#: Above this many characters of entry HTML (as :func:`_weight` estimates them) the printable KB
#: is split into parts of at most this many, cut between entries. Today's KB is about 550,000, on
#: one page of about 530 KB; a full part stays well under the 1 MB a page may weigh.
PRINT_PART_CHARS = 750_000
#: Markup around an entry, an evidence unit and a list item (step or checklist item), in characters:
#: fitted on the KB of 2026-11-29, where each entry's printed HTML is 0.83-0.96 of the estimate.
ENTRY_MARKUP, EVIDENCE_MARKUP, ITEM_MARKUP = 300, 60, 10


def _weight(entry: PrintedEntry) -> int:
    """Characters of HTML an entry adds to the page: its texts and links plus the markup around them.

    The evidence's keys, links and locators count too: an entry rich in
    evidence printed a fifth longer than an estimate of its texts alone, and
    parts came out uneven.
    """
    texts = [entry.title, entry.href, entry.summary, entry.body, *entry.steps, *entry.checklist]
    evidence = sum(len(ev.key) + len(ev.href) + len(ev.locator) + len(ev.shows) for ev in entry.evidence)
    items = len(entry.steps) + len(entry.checklist)
    return (
        ENTRY_MARKUP
        + sum(len(t) for t in texts)
        + evidence
        + EVIDENCE_MARKUP * len(entry.evidence)
        + ITEM_MARKUP * items
    )


def _entry(entity: Entity, doc: str, kb: KnowledgeBase) -> PrintedEntry:
    practice = entity if isinstance(entity, Practice) else None
    return PrintedEntry(
        anchor=f"{entity.kind}-{entity.id}",
        href=paths.href(doc, paths.page_path(entity.kind, entity.id)),
        title=plain(entity.title),
        summary=markdown_inline(entity.summary),
        body=markdown_block(entity.body) if entity.body else Markup(""),
        steps=[markdown_inline(step) for step in practice.steps] if practice else [],
        checklist=[markdown_inline(item.text) for item in practice.checklist] if practice else [],
        evidence=[
            PrintedEvidence(
                ev.cite,
                paths.href(doc, kb.reference_page(ev.cite), paths.reference_anchor(ev.cite)),
                plain(ev.locator or ""),
                markdown_inline(ev.shows),
            )
            for ev in entity.evidence
        ],
    )


def _label(part: list[Entity]) -> str:
    """A part's label: each type it prints, with the first letters of its first and last ids (``Practices a-f``)."""
    spans = []
    for kind in dict.fromkeys(e.kind for e in part):
        ids = [e.id for e in part if e.kind == kind]
        first, last = ids[0][0], ids[-1][0]
        spans.append(f"{KIND_PLURALS[kind]} {first}" + (f"-{last}" if last != first else ""))
    return ", ".join(spans) or "no entries"


@no_collector_pauses()
def render_printable(checked: Checked, part_chars: int | None = None) -> dict[str, str | bytes]:
    """Renderer: ``{"print.md": page}`` with every entry of the KB; above ``part_chars`` characters, in parts."""
    part_chars = PRINT_PART_CHARS if part_chars is None else part_chars
    ordered = sorted(checked.kb.entities.values(), key=lambda e: (list(FOLDERS).index(e.kind), e.id))
    weights = {e.id: _weight(_entry(e, paths.PRINT_PAGE, checked.kb)) for e in ordered}
    total = sum(weights.values())
    parts = chunks(ordered, part_chars, lambda e: weights[e.id]) if total > part_chars else [ordered]
    labels = [_label(part) for part in parts]
    out: dict[str, str | bytes] = {}
    for number, (part, pager) in enumerate(zip(parts, pagers(paths.PRINT_PAGE, labels), strict=True), 1):
        doc = part_path(paths.PRINT_PAGE, number)
        groups = [
            {"label": KIND_PLURALS[kind], "entries": [_entry(e, doc, checked.kb) for e in part if e.kind == kind]}
            for kind in dict.fromkeys(e.kind for e in part)
        ]
        title = "The whole knowledge base"
        out[doc] = render(
            "print.md.j2",
            front=Markup(
                front_matter(
                    {
                        "title": title if number == 1 else f"{title} (part {number}: {labels[number - 1]})",
                        "hide": ["navigation", "toc"],
                    }
                )
            ),
            version=checked.kb.meta.version if checked.kb.meta else "unknown",
            count=len(checked.kb.entities),
            on_page=len(part),
            pager=pager,
            groups=groups,
        )
    return out
