"""An entity's relations in both directions, grouped and named for readers.

The graph names an edge from its source's side (a practice *addresses* a
challenge). A page shows each group under a heading that reads from the
page's own side: a challenge lists "Practices that address it", a defect
type its "Sub-types" and the "Practices that detect it".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from generator import urls as paths
from generator.models import FOLDERS
from generator.render.context import KIND_PLURALS, Link, Site

#: Headings of outgoing relations (the page's entity is the edge's source).
OUTGOING: dict[str, str] = {
    "addresses": "Addresses challenges",
    "prevents": "Prevents defect types",
    "detects": "Detects defect types",
    "in-stage": "Workflow stages",
    "in-paradigm": "Reuse paradigms",
    "next": "Next stages",
    "feeds-back-to": "Feeds back to",
    "parent": "Parent type",
    "includes": "Always includes",
    "excludes": "Always excludes",
    "replaced-by": "Replaced by",
}
#: Headings of incoming relations; ``{kinds}`` is the other side's plural.
INCOMING: dict[str, str] = {
    "addresses": "Practices that address it",
    "prevents": "Practices that prevent it",
    "detects": "Practices that detect it",
    "in-stage": "{kinds} in this stage",
    "in-paradigm": "{kinds} in this paradigm",
    "next": "Previous stages",
    "feeds-back-to": "Receives feedback from",
    "parent": "Sub-types",
    "includes": "Scenarios that always include it",
    "excludes": "Scenarios that exclude it",
    "replaced-by": "Replaces",
}
#: Display order of the groups: the reverse links readers come for first.
ORDER = [
    ("addresses", False),
    ("detects", False),
    ("prevents", False),
    ("parent", False),
    ("parent", True),
    ("in-stage", False),
    ("in-paradigm", False),
    ("addresses", True),
    ("detects", True),
    ("prevents", True),
    ("in-stage", True),
    ("in-paradigm", True),
    ("next", False),
    ("next", True),
    ("feeds-back-to", True),
    ("feeds-back-to", False),
    ("includes", True),
    ("excludes", True),
    ("includes", False),
    ("excludes", False),
    ("replaced-by", True),
    ("replaced-by", False),
]


def _stage_order(site: Site, entity_id: str) -> tuple[int]:
    entity = site.entities.get(entity_id)
    return (int(getattr(entity, "order", 0)) if entity is not None and entity.kind == "stage" else 0,)


_KIND_ORDER = ["practice", "challenge", "defect", "stage", "paradigm", "scenario"]


_IMPORTANCE_RANK = {"essential": 0, "recommended": 1, "situational": 2}


def evidence_rank(site: Site, entity_id: str) -> tuple[float, ...]:
    """Sort key that puts the best-supported entries first (then the title breaks ties).

    Practices by importance, then by how much evidence they cite; defect types
    by the largest share a study reports for them; challenges by their
    evidence, then by how many practices address them.
    """
    rank = site.ranks.get(entity_id)
    if rank is None:
        rank = site.ranks[entity_id] = _evidence_rank(site, entity_id)
    return rank


def _evidence_rank(site: Site, entity_id: str) -> tuple[float, ...]:
    entity = site.entities.get(entity_id)
    if entity is None:
        return (0.0,)
    evidence = float(len(getattr(entity, "evidence", []) or []))
    kind = entity.kind
    if kind == "practice":
        return (float(_IMPORTANCE_RANK.get(getattr(entity, "importance", ""), 3)), -evidence)
    if kind == "defect":
        figures = getattr(entity, "figures", []) or []
        share = max((f.count / f.total for f in figures), default=-1.0)
        return (-share, -evidence)
    if kind == "challenge":
        addressed = len({s for s, _, d in site.graph.in_edges(entity_id, data=True) if d["relation"] == "addresses"})
        return (-evidence, -float(addressed))
    return (0.0,)


@dataclass(frozen=True)
class RelationGroup:
    """Entities linked to the page's entity by one relation, one direction."""

    heading: str
    relation: str
    outgoing: bool
    links: list[Link]
    notes: tuple[Any, ...] = ()
    """Per link (same order), the basis of a claimed effect or None."""
    more: int = 0
    """Links left out of a long group (best-supported are kept); its type's index page lists them."""
    more_href: str = ""
    """The index page of the left-out links' type."""


#: A relation group lists at most this many links, best-supported first, then "and N more"
#: pointing to the type's index (which filters by stage and paradigm): only at scale, as
#: today's largest group (a paradigm's practices) has ~50.
MAX_LINKS = 200


def relation_groups(
    site: Site,
    entity_id: str,
    from_doc: str,
    bases: dict[tuple[str, bool, str], Any] | None = None,
    max_links: int | None = None,
) -> list[RelationGroup]:
    """Every relation of an entity except citations, grouped and ordered.

    ``bases`` maps (relation, outgoing, other id) to the basis shown beside
    that link (see :func:`generator.render.evidence.effect_notes`); a group
    keeps its first ``max_links`` links (default :data:`MAX_LINKS`).
    """
    max_links = MAX_LINKS if max_links is None else max_links
    graph = site.graph
    found: dict[tuple[str, bool, str], set[str]] = defaultdict(set)
    for _, target, data in graph.out_edges(entity_id, data=True):
        if data["relation"] != "cites":
            found[(data["relation"], True, graph.nodes[target]["kind"])].add(target)
    for source, _, data in graph.in_edges(entity_id, data=True):
        found[(data["relation"], False, graph.nodes[source]["kind"])].add(source)
    rank = {key: i for i, key in enumerate(ORDER)}

    def order(key: tuple[str, bool, str]) -> tuple[int, int]:
        kind_rank = _KIND_ORDER.index(key[2]) if key[2] in _KIND_ORDER else len(_KIND_ORDER)
        return (rank.get((key[0], key[1]), len(rank)), kind_rank)

    groups = []
    for key in sorted(found, key=order):
        relation, outgoing, kind = key
        names = OUTGOING if outgoing else INCOMING
        heading = names.get(relation, relation).format(kinds=KIND_PLURALS.get(kind, kind))
        # ranked by evidence (importance, frequency), not by alphabet; stages keep workflow order
        pairs = sorted(
            ((site.link(from_doc, i), i) for i in sorted(found[key])),
            key=lambda p: (*_stage_order(site, p[1]), *evidence_rank(site, p[1]), p[0].text.casefold()),
        )
        notes = tuple((bases or {}).get((relation, outgoing, other)) for _, other in pairs)
        links = [link for link, _ in pairs]
        more = max(len(links) - max_links, 0)
        groups.append(
            RelationGroup(
                heading,
                relation,
                outgoing,
                links[:max_links],
                notes[:max_links] if any(notes) else (),
                more,
                paths.href(from_doc, paths.index_path(kind)) if more and kind in FOLDERS else "",
            )
        )
    return groups
