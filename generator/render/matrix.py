"""The matrix: workflow stages as columns, their practices and challenges as cells.

A way into the knowledge base in the spirit of threat-knowledge matrices:
one column per stage (workflow order), in each the practices filed under
it and the challenges that show up there, best-supported first (importance,
evidence). Every cell carries the paradigms and scenarios it belongs to, so
the page filters in the browser (``assets/javascripts/tables.js``) by
paradigm and by scenario; the filter is kept in the URL. Without JavaScript
the full matrix shows. On a narrow screen the columns stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator import urls as paths
from generator.checklist.compose import Query, compose
from generator.graph import practices_by_stage, related, stages_in_order
from generator.kb import Checked
from generator.markup import front_matter, plain
from generator.models import Challenge, Scenario
from generator.render.context import Link, Site
from generator.render.entities import IMPORTANCE
from generator.render.relations import evidence_rank
from generator.render.templating import render


@dataclass(frozen=True)
class Cell:
    """One practice or challenge in a stage's column."""

    link: Link
    kind: str
    note: str
    essential: bool
    paradigms: str
    scenarios: str


@dataclass(frozen=True)
class Column:
    """One workflow stage and its cells."""

    number: int
    link: Link
    practices: list[Cell]
    challenges: list[Cell]
    more_practices: int = 0
    """Practices left out of a long column (the stage's page lists them all)."""
    more_challenges: int = 0
    """Challenges left out of a long column."""


def scenario_practices(checked: Checked) -> dict[str, set[str]]:
    """Per scenario, the practices its checklist includes (the checklist's own selection)."""
    out = {}
    for scenario in checked.kb.of_type("scenario"):
        checklist = compose(checked, Query(scenario=scenario.id))
        out[scenario.id] = {item.practice for item in checklist.items}
    return out


#: A column lists at most this many practices and as many challenges, best-supported first, then
#: "+N more" linking to the stage's page: a cap that only applies at scale (today's longest has ~15).
MAX_CELLS = 60


def columns(site: Site, doc: str, max_cells: int | None = None) -> list[Column]:
    """The matrix's columns, in workflow order (at most ``max_cells`` practices and challenges each)."""
    max_cells = MAX_CELLS if max_cells is None else max_cells
    chosen = scenario_practices(site.checked)
    grouped = practices_by_stage(site.kb)
    challenges = [c for c in site.kb.of_type("challenge") if isinstance(c, Challenge) and c.status != "deprecated"]
    out = []
    for stage in stages_in_order(site.kb):
        practices = []
        for p in sorted(grouped.get(stage.id, []), key=lambda p: (*evidence_rank(site, p.id), plain(p.title))):
            if p.status == "deprecated":
                continue
            scenarios = " ".join(s for s, ids in sorted(chosen.items()) if p.id in ids)
            practices.append(
                Cell(
                    site.link(doc, p.id),
                    "practice",
                    IMPORTANCE[p.importance],
                    p.importance == "essential",
                    " ".join(p.paradigms),
                    scenarios,
                )
            )
        here = sorted(
            (c for c in challenges if stage.id in c.stages),
            key=lambda c: (*evidence_rank(site, c.id), plain(c.title)),
        )
        cells = []
        for c in here:
            fixers = set(related(site.graph, c.id, "addresses", incoming=True))
            scenarios = " ".join(s for s, ids in sorted(chosen.items()) if ids & fixers)
            note = f"{len(fixers)} practice{'' if len(fixers) == 1 else 's'}"
            cells.append(Cell(site.link(doc, c.id), "challenge", note, False, " ".join(c.paradigms), scenarios))
        out.append(
            Column(
                stage.order,
                site.link(doc, stage.id),
                practices[:max_cells],
                cells[:max_cells],
                max(len(practices) - max_cells, 0),
                max(len(cells) - max_cells, 0),
            )
        )
    return out


def render_matrix(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the matrix page."""
    site = Site(checked)
    doc = paths.MATRIX_PAGE
    paradigms = [(p.id, plain(p.title)) for p in sorted(site.kb.of_type("paradigm"), key=lambda p: p.id)]
    scenarios = [
        (s.id, plain(s.title))
        for s in sorted(site.kb.of_type("scenario"), key=lambda s: plain(s.title).casefold())
        if isinstance(s, Scenario)
    ]
    meta = front_matter({"title": "Matrix", "hide": ["navigation", "toc"]})
    page = render(
        "matrix.md.j2",
        front=Markup(meta),  # escaped by front_matter
        columns=columns(site, doc),
        paradigms=paradigms,
        scenarios=scenarios,
        workflow=paths.href(doc, paths.WORKFLOW_PAGE),
    )
    return {doc: page}
