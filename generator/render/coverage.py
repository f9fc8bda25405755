"""The coverage page: which practices address which challenges, and the gaps.

The matrix has a row per practice (in workflow order) and a column per
challenge that counts (not deprecated); an empty column is a challenge no
practice addresses. A matrix grows with the square of the KB, so above
:data:`MATRIX_MAX_COLUMNS` challenges the page lists each challenge with the
practices that address it instead (as many links as relations). The gaps are :func:`generator.graph.coverage`'s, the
same that ``validate`` warns about and ``stats`` lists: those challenges and
the leaf defect types that no practice prevents or detects.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import networkx as nx
from markupsafe import Markup

from generator import urls as paths
from generator.graph import coverage, related, stages_in_order
from generator.kb import Checked
from generator.markup import front_matter
from generator.models import Practice
from generator.render.context import Link, Site
from generator.render.templating import render

MATRIX_MAX_COLUMNS = 40
"""Above this many challenges, a list per challenge replaces the matrix."""


@dataclass(frozen=True)
class ChallengeRow:
    """A challenge and the practices that address it (the list form of a matrix column)."""

    challenge: Link
    practices: list[Link]


@dataclass(frozen=True)
class MatrixRow:
    """A practice and, per challenge column, whether it addresses it."""

    practice: Link
    stage: str
    cells: list[bool]


@dataclass(frozen=True)
class DefectRow:
    """A defect type with the practices that detect and prevent it."""

    defect: Link
    depth: int
    detected_by: list[Link]
    prevented_by: list[Link]
    detected_below: bool
    gap: bool


def _practices_in_order(site: Site) -> list[Practice]:
    order = {s.id: s.order for s in stages_in_order(site.kb)}
    practices = [p for p in site.kb.of_type("practice") if isinstance(p, Practice)]
    return sorted(practices, key=lambda p: (order.get(p.stage, 99), p.title.casefold(), p.id))


def defect_rows(site: Site, doc: str, gaps: Collection[str] = ()) -> list[DefectRow]:
    """Every defect type in taxonomy order (depth-first), with its guards; ``gaps`` are marked."""
    graph = site.graph
    defects = {d.id: d for d in site.kb.of_type("defect")}
    children: dict[str | None, list[str]] = {}
    for d in sorted(defects.values(), key=lambda d: d.title.casefold()):
        parent = getattr(d, "parent", None)
        children.setdefault(parent if parent in defects else None, []).append(d.id)
    tree = nx.DiGraph([(p, c) for p, cs in children.items() if p for c in cs])

    def detected(node: str) -> bool:
        below = nx.descendants(tree, node) if node in tree else set()
        return any(related(graph, n, "detects", incoming=True) for n in {node, *below})

    rows: list[DefectRow] = []

    def visit(node: str, depth: int) -> None:
        rows.append(
            DefectRow(
                site.link(doc, node),
                depth,
                site.links(doc, related(graph, node, "detects", incoming=True)),
                site.links(doc, related(graph, node, "prevents", incoming=True)),
                detected(node),
                node in gaps,
            )
        )
        for child in children.get(node, []):
            visit(child, depth + 1)

    for root in children.get(None, []):
        visit(root, 0)
    return rows


def render_coverage(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the coverage page."""
    site = Site(checked)
    doc = paths.COVERAGE_PAGE
    cov = coverage(site.kb, site.graph)
    counted = set(cov.challenges)
    challenges = sorted((c for c in site.kb.of_type("challenge") if c.id in counted), key=lambda c: c.title.casefold())
    practices = _practices_in_order(site)
    rows: list[MatrixRow] = []
    by_challenge: list[ChallengeRow] = []
    if len(challenges) <= MATRIX_MAX_COLUMNS:
        addressed_by = {c.id: set(cov.matrix.get(c.id, [])) for c in challenges}
        rows = [
            MatrixRow(
                site.link(doc, p.id),
                site.link(doc, p.stage).text,
                [p.id in addressed_by[c.id] for c in challenges],
            )
            for p in practices
        ]
    else:
        by_challenge = [
            ChallengeRow(site.link(doc, c.id), site.links(doc, cov.matrix.get(c.id, []))) for c in challenges
        ]
    defects = defect_rows(site, doc, cov.unguarded_defects)
    addressed = len(cov.challenges) - len(cov.uncovered_challenges)
    page = render(
        "coverage.md.j2",
        front=Markup(front_matter({"title": "Coverage", "hide": ["navigation", "toc"]})),  # escaped
        columns=[site.link(doc, c.id) for c in challenges],
        counts=[len(cov.matrix.get(c.id, [])) for c in challenges],
        rows=rows,
        by_challenge=by_challenge,
        uncovered=site.links(doc, cov.uncovered_challenges),
        unguarded=site.links(doc, cov.unguarded_defects),
        defects=defects,
        stats={
            "challenges": len(challenges),
            "addressed": addressed,
            "defects": len(cov.leaf_defects),
            "guarded": len(cov.leaf_defects) - len(cov.unguarded_defects),
            "practices": len(practices),
        },
    )
    return {doc: page}
