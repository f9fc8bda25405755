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
from generator.markup import front_matter, plain
from generator.models import Practice
from generator.pipeline import no_collector_pauses
from generator.render.context import Link, Site
from generator.render.paging import chunks, even_chunks, pagers, part_path
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
    id: str = ""


def _practices_in_order(site: Site) -> list[Practice]:
    order = {s.id: s.order for s in stages_in_order(site.kb)}
    practices = [p for p in site.kb.of_type("practice") if isinstance(p, Practice)]
    return sorted(practices, key=lambda p: (order.get(p.stage, 99), p.title.casefold(), p.id))


def defect_rows(
    site: Site, doc: str, gaps: Collection[str] = (), only: Collection[int] | None = None
) -> list[DefectRow]:
    """Every defect type in taxonomy order (depth-first), with its guards; ``gaps`` are marked.

    ``only``: just the rows at these positions of that order (a part of the page).
    """
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

    order: list[tuple[str, int]] = []

    def visit(node: str, depth: int) -> None:
        order.append((node, depth))
        for child in children.get(node, []):
            visit(child, depth + 1)

    for root in children.get(None, []):
        visit(root, 0)
    return [
        DefectRow(
            site.link(doc, node),
            depth,
            site.links(doc, related(graph, node, "detects", incoming=True)),
            site.links(doc, related(graph, node, "prevents", incoming=True)),
            detected(node),
            node in gaps,
            node,
        )
        for n, (node, depth) in enumerate(order)
        if only is None or n in only
    ]


#: In its list form, above this many challenges or defect types the page is split into parts
#: of at most this many rows of each (the statistics and gaps stay on the first).
PART_ROWS = 200


def _trees(rows: list[DefectRow]) -> list[list[int]]:
    """Row numbers of each root type's tree (a root and the rows below it, depth-first)."""
    out: list[list[int]] = []
    for n, row in enumerate(rows):
        if row.depth == 0 or not out:
            out.append([])
        out[-1].append(n)
    return out


@no_collector_pauses()
def render_coverage(checked: Checked, part_rows: int | None = None) -> dict[str, str | bytes]:
    """Renderer: the coverage page (in parts, for a large KB)."""
    part_rows = PART_ROWS if part_rows is None else part_rows
    site = Site(checked)
    first = paths.COVERAGE_PAGE
    cov = coverage(site.kb, site.graph)
    counted = set(cov.challenges)
    challenges = sorted((c for c in site.kb.of_type("challenge") if c.id in counted), key=lambda c: c.title.casefold())
    practices = _practices_in_order(site)
    matrix = len(challenges) <= MATRIX_MAX_COLUMNS
    listed = defect_rows(site, first, cov.unguarded_defects)
    ids = [row.id for row in listed]
    trees = _trees(listed)
    rows_count = sum(len(t) for t in trees)
    if matrix or max(len(challenges), rows_count) <= part_rows:
        challenge_parts, tree_parts = [challenges], [trees]
    else:
        challenge_parts, tree_parts = even_chunks(challenges, part_rows), chunks(trees, part_rows, len)
    count = max(len(challenge_parts), len(tree_parts))
    challenge_parts += [[]] * (count - len(challenge_parts))
    tree_parts += [[]] * (count - len(tree_parts))

    def label(number: int) -> str:
        spans = [
            f"{noun} {plain(part[0].title)[:1].upper()}-{plain(part[-1].title)[:1].upper()}"
            for noun, part in (
                ("challenges", challenge_parts[number]),
                ("defect types", [site.entities[ids[t[0]]] for t in tree_parts[number]]),
            )
            if part
        ]
        return "; ".join(spans)

    out: dict[str, str | bytes] = {}
    for number, pager in enumerate(pagers(first, [label(n) for n in range(count)]), 1):
        doc = part_path(first, number)
        rows: list[MatrixRow] = []
        by_challenge: list[ChallengeRow] = []
        part = challenge_parts[number - 1]
        if matrix:
            addressed_by = {c.id: set(cov.matrix.get(c.id, [])) for c in part}
            rows = [
                MatrixRow(
                    site.link(doc, p.id),
                    site.link(doc, p.stage).text,
                    [p.id in addressed_by[c.id] for c in part],
                )
                for p in practices
            ]
        else:
            by_challenge = [ChallengeRow(site.link(doc, c.id), site.links(doc, cov.matrix.get(c.id, []))) for c in part]
        # Only this part's rows: each part building every row made the parts quadratic in the KB.
        defects = defect_rows(site, doc, cov.unguarded_defects, {n for tree in tree_parts[number - 1] for n in tree})
        addressed = len(cov.challenges) - len(cov.uncovered_challenges)
        out[doc] = render(
            "coverage.md.j2",
            front=Markup(
                front_matter(
                    {
                        "title": "Coverage" if number == 1 else f"Coverage (part {number})",
                        "hide": ["navigation", "toc"],
                    }
                )
            ),  # escaped
            columns=[site.link(doc, c.id) for c in part],
            counts=[len(cov.matrix.get(c.id, [])) for c in part],
            rows=rows,
            by_challenge=by_challenge,
            uncovered=site.links(doc, cov.uncovered_challenges),
            unguarded=site.links(doc, cov.unguarded_defects),
            defects=defects,
            pager=pager,
            stats={
                "challenges": len(challenges),
                "addressed": addressed,
                "defects": len(cov.leaf_defects),
                "guarded": len(cov.leaf_defects) - len(cov.unguarded_defects),
                "practices": len(practices),
            },
        )
    return out
