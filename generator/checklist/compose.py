"""Compose checklists from the knowledge base: pure functions, no I/O.

A checklist answers "I am about to port model X from A to B: what must I
check?". It is selected by a :class:`Query` (a scenario from
``kb/scenarios/``, ad-hoc filters, or both), resolved into a
:class:`Selection`, and composed into a :class:`Checklist`: the items that
apply (selection and order are defined in :mod:`generator.validate.selection`),
each carrying how and when it is done, its documentation and failure links,
severity and effort, its practice, the challenges and defect types it guards
against and its evidence keys.

Two practices may hold items with the same text: both are kept (``lint``
flags them as ``duplicate-item-text``), so every item id a filled checklist
carries stays valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.graph import stages_in_order
from generator.kb import Checked, KnowledgeBase
from generator.load.gitinfo import UNKNOWN_COMMIT
from generator.markup import plain
from generator.models import Applicability, DocLink, Effort, Importance, Practice, Severity
from generator.pipeline import no_collector_pauses
from generator.urls import page_url, reference_anchor, url_of
from generator.validate.selection import (
    IMPORTANCE_LEVELS,
    PRECISIONS,
    Query,
    Selected,
    Selection,
    UnknownName,
    applies,
    resolve,
    select_items,
    select_practices,
    stage_rank,
    text_key,
    validate_query,
)

__all__ = [
    "IMPORTANCE_LEVELS",
    "PRECISIONS",
    "UNKNOWN_COMMIT",
    "Checklist",
    "Item",
    "PracticeInfo",
    "Query",
    "Selection",
    "StageInfo",
    "UnknownName",
    "all_item_ids",
    "applies",
    "compose",
    "compose_selection",
    "resolve",
    "scenario_ids",
    "select_practices",
    "site_link",
    "text_key",
    "validate_query",
]


@dataclass(frozen=True)
class Item:
    """One checklist item, with what it guards against and its evidence.

    Attributes:
        uid: Stable id across exports: ``<practice-id>/<item-id>``.
        essential: On the scenario's essential list (without one: the practice is essential).
        applies_when: The effective applicability (the practice's narrowed by the item's).
    """

    uid: str
    item_id: str
    text: str
    practice: str
    stage: str
    importance: Importance
    addresses: tuple[str, ...]
    prevents: tuple[str, ...]
    detects: tuple[str, ...]
    evidence: tuple[str, ...]
    how: str | None = None
    done_when: str | None = None
    checked_with: str | None = None
    docs: tuple[DocLink, ...] = ()
    failures: tuple[str, ...] = ()
    severity: Severity | None = None
    effort: Effort | None = None
    essential: bool = False
    applies_when: Applicability = field(default_factory=Applicability)


@dataclass(frozen=True)
class StageInfo:
    """A workflow stage as a checklist shows it."""

    id: str
    title: str
    order: int


@dataclass(frozen=True)
class PracticeInfo:
    """A practice as a checklist shows it."""

    id: str
    title: str
    importance: Importance
    rationale: str
    url: str


@dataclass(frozen=True)
class Checklist:
    """A composed checklist and everything the exports need to show it.

    Attributes:
        scope: The scenario id, or ``"custom"``: names files and browser storage.
        names: Titles of every entity an item refers to (stages, practices, challenges, defects).
        urls: Absolute site URLs of those entities and of cited references (``cite:KEY``).
    """

    title: str
    summary: str
    scope: str
    query: Query
    selection: Selection
    stages: tuple[StageInfo, ...]
    items: tuple[Item, ...]
    practices: dict[str, PracticeInfo]
    names: dict[str, str]
    urls: dict[str, str]
    kb_name: str
    kb_version: str
    site_url: str
    commit: str = UNKNOWN_COMMIT
    kinds: dict[str, str] = field(default_factory=dict)

    def grouped(self) -> list[tuple[StageInfo, list[tuple[PracticeInfo, list[Item]]]]]:
        """Items grouped by stage, then by practice, in checklist order."""
        by_stage: dict[str, list[Item]] = {}
        for item in self.items:  # one pass, not one per stage
            by_stage.setdefault(item.stage, []).append(item)
        out: list[tuple[StageInfo, list[tuple[PracticeInfo, list[Item]]]]] = []
        for stage in self.stages:
            groups: list[tuple[PracticeInfo, list[Item]]] = []
            for item in by_stage.get(stage.id, []):
                if not groups or groups[-1][0].id != item.practice:
                    groups.append((self.practices[item.practice], []))
                groups[-1][1].append(item)
            out.append((stage, groups))
        return out

    def guards(self, item: Item) -> list[tuple[str, str]]:
        """What an item guards against: ``(relation, entity id)`` pairs."""
        return (
            [("addresses", c) for c in item.addresses]
            + [("prevents", d) for d in item.prevents]
            + [("detects", d) for d in item.detects]
        )


# ---------------------------------------------------------------- composition


def site_link(site_url: str, path: str) -> str:
    """An absolute link into the published site (relative when no site URL is known)."""
    return f"{site_url.rstrip('/')}/{path}" if site_url else path


def compose(checked: Checked, query: Query, *, commit: str = UNKNOWN_COMMIT) -> Checklist:
    """Compose the checklist for ``query`` from a checked knowledge base.

    Args:
        checked: The validated, linked knowledge base.
        query: A scenario, ad-hoc filters, or both.
        commit: The git commit to stamp exports with (see ``generator.load.gitinfo``).

    Raises:
        UnknownName: if the query names something that does not exist.
    """
    # Composed once per query and KB: a build asks for each scenario's checklist
    # three times (its checklist page, its scenario page, the matrix).
    return checked.kb.memo(
        f"compose {query!r} {commit}",
        lambda: compose_selection(checked, query, resolve(checked.kb, query), commit=commit),
    )


@no_collector_pauses()
def compose_selection(checked: Checked, query: Query, sel: Selection, *, commit: str = UNKNOWN_COMMIT) -> Checklist:
    """Compose the checklist of an already resolved selection (``query`` names and titles it)."""
    kb = checked.kb
    site_url = kb.meta.site_url if kb.meta else ""
    items = [_item(s) for s in select_items(kb, sel)]
    practices = {i.practice: kb.entities[i.practice] for i in items}

    rank = stage_rank(kb, sel)
    used_stages = {i.stage for i in items}
    stage_list = sorted((s for s in stages_in_order(kb) if s.id in used_stages), key=lambda s: rank.get(s.id, 0))
    # Numbered along the scenario's path (its own stage order), so "Stage 4" is the fourth step of this port.
    stages = tuple(StageInfo(s.id, s.title, rank.get(s.id, 0) + 1) for s in stage_list)
    infos = {
        p.id: PracticeInfo(p.id, p.title, p.importance, p.rationale, site_link(site_url, page_url("practice", p.id)))
        for p in practices.values()
        if isinstance(p, Practice)
    }
    entities = kb.entities
    referenced = {s.id for s in stages} | set(infos)
    referenced |= {eid for i in items for eid in (*i.addresses, *i.prevents, *i.detects)}
    names = {eid: entities[eid].title for eid in sorted(referenced) if eid in entities}
    kinds = {eid: entities[eid].kind for eid in names}
    urls = {eid: site_link(site_url, page_url(kinds[eid], eid)) for eid in names}
    urls |= {
        f"cite:{key}": site_link(site_url, _ref_url(kb, key)) for key in sorted({k for i in items for k in i.evidence})
    }

    scenario = entities.get(query.scenario) if query.scenario else None
    if scenario is not None:
        title, summary = scenario.title, scenario.summary
        extra = Query(**{**query.__dict__, "scenario": None}).describe()
        title = f"{title} ({extra})" if extra else title
    else:
        extra = query.describe()
        title = f"Custom checklist ({extra})" if extra else "Every practice"
        summary = "Checklist items of the practices that match these filters, by workflow stage."
    return Checklist(
        title=title,
        summary=summary,
        scope=query.scenario or "custom",
        query=query,
        selection=sel,
        stages=stages,
        items=tuple(items),
        practices=infos,
        names=names,
        urls=urls,
        kb_name=plain(kb.meta.name) if kb.meta else "Knowledge base",
        kb_version=kb.meta.version if kb.meta else "0.0.0",
        site_url=site_url,
        commit=commit,
        kinds=kinds,
    )


def _item(selected: Selected) -> Item:
    ci, practice = selected.item, selected.practice
    return Item(
        uid=selected.uid,
        item_id=ci.id,
        text=ci.text,
        practice=practice.id,
        stage=practice.stage,
        importance=practice.importance,
        addresses=tuple(practice.targets("addresses")),
        prevents=tuple(practice.targets("prevents")),
        detects=tuple(practice.targets("detects")),
        evidence=tuple(sorted({ev.cite for ev in practice.evidence})),
        how=ci.how,
        done_when=ci.done_when,
        checked_with=ci.checked_with,
        docs=tuple(ci.docs),
        failures=tuple(ci.failures),
        severity=ci.severity,
        effort=ci.effort,
        essential=selected.essential,
        applies_when=selected.applies_when,
    )


def _ref_url(kb: KnowledgeBase, key: str) -> str:
    return f"{url_of(kb.reference_page(key))}#{reference_anchor(key)}"


def all_item_ids(kb: KnowledgeBase) -> set[str]:
    """Stable ids of every checklist item in the knowledge base."""
    return {f"{p.id}/{ci.id}" for p in kb.of_type("practice") if isinstance(p, Practice) for ci in p.checklist}


def scenario_ids(kb: KnowledgeBase) -> Sequence[str]:
    """Ids of every scenario, sorted."""
    return sorted(e.id for e in kb.of_type("scenario"))


def item_facts(item: Item) -> list[str]:
    """The essential mark, severity and effort in words: ``["essential", "severity: blocker", "effort: hours"]``."""
    facts = ["essential"] if item.essential else []
    if item.severity:
        facts.append(f"severity: {item.severity}")
    if item.effort:
        facts.append(f"effort: {item.effort}")
    return facts
