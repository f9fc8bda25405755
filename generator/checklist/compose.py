"""Compose checklists from the knowledge base: pure functions, no I/O.

A checklist answers "I am about to port model X from A to B: what must I
check?". It is selected by a :class:`Query` (a scenario from
``kb/scenarios/``, ad-hoc filters, or both), resolved into a
:class:`Selection`, and composed into a :class:`Checklist`: the checklist
items of the practices that apply, ordered by workflow stage, then practice
id, then item order, each carrying its practice, the challenges and defect
types it guards against and its evidence keys.

Selection semantics (the site's builder page implements the same in
JavaScript, and a browser test compares the two): a practice applies when

* its paradigms overlap the selection's (when given),
* its stage is one of the selection's stages (when given),
* its ``applies_to.frameworks`` is empty or contains the source or the
  target framework (when either is given),
* its ``applies_to.hardware`` is empty or intersects the target hardware
  (when given),
* its tags intersect the selection's tags (when given),
* and it is not deprecated;

then the scenario's ``include`` adds practices and ``exclude`` removes them.
Filters given in the query replace the scenario's value for the same field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, get_args
from urllib.parse import parse_qsl, urlencode

from generator.graph import stages_in_order
from generator.ids import suggestion
from generator.kb import Checked, KnowledgeBase
from generator.load.gitinfo import UNKNOWN_COMMIT
from generator.models import Importance, Practice, Scenario
from generator.urls import BIBLIOGRAPHY_PAGE, page_url, reference_anchor, url_of

#: Query fields that hold several values, and the singular name used on the CLI and in query strings.
_MULTI = {"paradigms": "paradigm", "stages": "stage", "hardware": "hardware", "tags": "tag"}
_SINGLE = {"scenario": "scenario", "source": "source", "target": "target", "importance": "importance"}

#: Importance levels from most to least important; ``--importance X`` keeps X and above.
IMPORTANCE_LEVELS: tuple[str, ...] = get_args(Importance)


class UnknownName(ValueError):
    """A query names a scenario, stage, paradigm or vocabulary term that does not exist.

    Attributes:
        what: What was looked up, e.g. ``"scenario"`` or ``"framework"``.
        value: The name given.
        choices: Every name that exists, sorted.
    """

    def __init__(self, what: str, value: str, choices: Iterable[str]) -> None:
        self.what = what
        self.value = value
        self.choices = sorted(set(choices))
        known = ", ".join(self.choices) if self.choices else "(none)"
        super().__init__(f"unknown {what} '{value}'.{suggestion(value, self.choices)} Known: {known}.")


def _canonical(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


@dataclass(frozen=True)
class Query:
    """What a checklist is asked for: a scenario, ad-hoc filters, or both.

    Multi-valued filters are kept sorted and de-duplicated, so equal queries
    compare (and serialise) equal.
    """

    scenario: str | None = None
    paradigms: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    source: str | None = None
    target: str | None = None
    hardware: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    importance: str | None = None

    def __post_init__(self) -> None:
        for name in _MULTI:
            object.__setattr__(self, name, _canonical(getattr(self, name)))

    def to_string(self) -> str:
        """Canonical query string, e.g. ``scenario=x&stage=a&stage=b`` (``""`` when empty)."""
        pairs: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _MULTI:
                pairs += [(_MULTI[f.name], v) for v in value]
            elif value is not None:
                pairs.append((_SINGLE[f.name], value))
        return urlencode(pairs)

    @classmethod
    def from_string(cls, text: str) -> Query:
        """Parse :meth:`to_string` output back (unknown keys are ignored)."""
        single: dict[str, str] = {}
        multi: dict[str, list[str]] = {name: [] for name in _MULTI}
        by_key = {v: k for k, v in _MULTI.items()}
        for key, value in parse_qsl(text.strip()):
            if key in by_key:
                multi[by_key[key]].append(value)
            elif key in _SINGLE:
                single[key] = value
        return cls(
            scenario=single.get("scenario"),
            source=single.get("source"),
            target=single.get("target"),
            importance=single.get("importance"),
            **{name: tuple(values) for name, values in multi.items()},
        )

    def as_dict(self) -> dict[str, Any]:
        """The query as JSON-ready data (lists, ``None`` for unset single values)."""
        return {
            f.name: list(getattr(self, f.name)) if f.name in _MULTI else getattr(self, f.name) for f in fields(self)
        }


@dataclass(frozen=True)
class Selection:
    """The effective filters after merging a scenario and the query."""

    paradigms: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    source: str | None = None
    target: str | None = None
    hardware: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    importance: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The selection as JSON-ready data."""
        return {f.name: _json_value(getattr(self, f.name)) for f in fields(self)}


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class Item:
    """One checklist item, with what it guards against and its evidence.

    Attributes:
        uid: Stable id across exports: ``<practice-id>/<item-id>``.
        also: Ids of items of other practices with the same text, merged into this one.
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
    also: tuple[str, ...] = ()


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
        out: list[tuple[StageInfo, list[tuple[PracticeInfo, list[Item]]]]] = []
        for stage in self.stages:
            groups: list[tuple[PracticeInfo, list[Item]]] = []
            for item in (i for i in self.items if i.stage == stage.id):
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


# ---------------------------------------------------------------- resolution


def _check(what: str, values: Iterable[str | None], choices: Iterable[str]) -> None:
    known = set(choices)
    for value in values:
        if value is not None and value not in known:
            raise UnknownName(what, value, known)


def _ids(kb: KnowledgeBase, kind: str) -> list[str]:
    return [e.id for e in kb.of_type(kind)]


def validate_query(kb: KnowledgeBase, query: Query) -> None:
    """Check that every name in ``query`` exists.

    Raises:
        UnknownName: for the first unknown scenario, paradigm, stage, framework, hardware or tag.
    """
    vocab = kb.vocabulary
    _check("scenario", [query.scenario], _ids(kb, "scenario"))
    _check("paradigm", query.paradigms, _ids(kb, "paradigm"))
    _check("stage", query.stages, _ids(kb, "stage"))
    _check("framework", [query.source, query.target], vocab.frameworks if vocab else [])
    _check("hardware", query.hardware, vocab.hardware if vocab else [])
    _check("tag", query.tags, vocab.all_terms() if vocab else [])
    _check("importance", [query.importance], IMPORTANCE_LEVELS)


def resolve(kb: KnowledgeBase, query: Query) -> Selection:
    """Merge the query's scenario and filters into the effective :class:`Selection`.

    Raises:
        UnknownName: if the query names something that does not exist.
    """
    validate_query(kb, query)
    scenario = kb.entities.get(query.scenario) if query.scenario else None
    base = Selection()
    if isinstance(scenario, Scenario):
        base = Selection(
            paradigms=_canonical(scenario.paradigms),
            stages=_canonical(scenario.stages),
            source=scenario.source.framework,
            target=scenario.target.framework,
            hardware=_canonical(scenario.target.hardware),
            tags=_canonical(scenario.select_tags),
            include=_canonical(scenario.include),
            exclude=_canonical(scenario.exclude),
        )
    return Selection(
        paradigms=query.paradigms or base.paradigms,
        stages=query.stages or base.stages,
        source=query.source or base.source,
        target=query.target or base.target,
        hardware=query.hardware or base.hardware,
        tags=query.tags or base.tags,
        include=base.include,
        exclude=base.exclude,
        importance=query.importance,
    )


def applies(practice: Practice, sel: Selection) -> bool:
    """Tell whether a practice passes the selection's filters (before include/exclude)."""
    if practice.status == "deprecated":
        return False
    if sel.paradigms and not set(practice.paradigms) & set(sel.paradigms):
        return False
    if sel.stages and practice.stage not in sel.stages:
        return False
    frameworks = {f for f in (sel.source, sel.target) if f}
    if frameworks and practice.applies_to.frameworks and not frameworks & set(practice.applies_to.frameworks):
        return False
    if sel.hardware and practice.applies_to.hardware and not set(sel.hardware) & set(practice.applies_to.hardware):
        return False
    return not (sel.tags and not set(sel.tags) & set(practice.tags))


def select_practices(kb: KnowledgeBase, sel: Selection) -> list[Practice]:
    """The practices a selection picks, include/exclude applied, sorted by id."""
    practices = {p.id: p for p in kb.of_type("practice") if isinstance(p, Practice)}
    chosen = {pid for pid, p in practices.items() if applies(p, sel)}
    chosen |= {pid for pid in sel.include if pid in practices}
    chosen -= set(sel.exclude)
    if sel.importance is not None:  # a minimum: applies to included practices too
        keep = set(IMPORTANCE_LEVELS[: IMPORTANCE_LEVELS.index(sel.importance) + 1])
        chosen = {pid for pid in chosen if practices[pid].importance in keep}
    return [practices[pid] for pid in sorted(chosen)]


# ---------------------------------------------------------------- composition

_SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")


def text_key(text: str) -> str:
    """The key under which item texts count as duplicates (whitespace collapsed)."""
    return _SPACE_RE.sub(" ", text).strip(" ")


def site_link(site_url: str, path: str) -> str:
    """An absolute link into the published site (relative when no site URL is known)."""
    return f"{site_url.rstrip('/')}/{path}" if site_url else path


def _describe(query: Query) -> str:
    parts = [f"{_MULTI[name]} {', '.join(getattr(query, name))}" for name in _MULTI if getattr(query, name)]
    parts += [f"{name} {getattr(query, name)}" for name in ("source", "target") if getattr(query, name)]
    return "; ".join(parts)


def compose(checked: Checked, query: Query, *, commit: str = UNKNOWN_COMMIT) -> Checklist:
    """Compose the checklist for ``query`` from a checked knowledge base.

    Args:
        checked: The validated, linked knowledge base.
        query: A scenario, ad-hoc filters, or both.
        commit: The git commit to stamp exports with (see ``generator.load.gitinfo``).

    Raises:
        UnknownName: if the query names something that does not exist.
    """
    kb = checked.kb
    sel = resolve(kb, query)
    practices = select_practices(kb, sel)
    site_url = kb.meta.site_url if kb.meta else ""
    stage_list = stages_in_order(kb)
    rank = {s.id: n for n, s in enumerate(stage_list)}
    practices.sort(key=lambda p: (rank.get(p.stage, len(rank)), p.id))

    items: list[Item] = []
    first_by_text: dict[str, int] = {}
    for p in practices:
        for ci in p.checklist:
            item = Item(
                uid=f"{p.id}/{ci.id}",
                item_id=ci.id,
                text=ci.text,
                practice=p.id,
                stage=p.stage,
                importance=p.importance,
                addresses=tuple(p.addresses),
                prevents=tuple(p.prevents),
                detects=tuple(p.detects),
                evidence=tuple(sorted({ev.cite for ev in p.evidence})),
            )
            key = text_key(ci.text)
            if key in first_by_text:  # the same action twice: keep the first, remember the other
                n = first_by_text[key]
                items[n] = Item(**{**items[n].__dict__, "also": (*items[n].also, item.uid)})
                continue
            first_by_text[key] = len(items)
            items.append(item)

    used_stages = {i.stage for i in items}
    stages = tuple(StageInfo(s.id, s.title, s.order) for s in stage_list if s.id in used_stages)
    infos = {
        p.id: PracticeInfo(p.id, p.title, p.importance, p.rationale, site_link(site_url, page_url("practice", p.id)))
        for p in practices
        if any(i.practice == p.id for i in items)
    }
    entities = kb.entities
    referenced = {s.id for s in stages} | set(infos)
    referenced |= {eid for i in items for eid in (*i.addresses, *i.prevents, *i.detects)}
    names = {eid: entities[eid].title for eid in sorted(referenced) if eid in entities}
    kinds = {eid: entities[eid].kind for eid in names}
    urls = {eid: site_link(site_url, page_url(kinds[eid], eid)) for eid in names}
    urls |= {
        f"cite:{key}": site_link(site_url, _ref_url(key)) for key in sorted({k for i in items for k in i.evidence})
    }

    scenario = entities.get(query.scenario) if query.scenario else None
    if scenario is not None:
        title, summary = scenario.title, scenario.summary
        extra = _describe(Query(**{**query.__dict__, "scenario": None}))
        title = f"{title} ({extra})" if extra else title
    else:
        extra = _describe(query)
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
        kb_name=kb.meta.name if kb.meta else "Knowledge base",
        kb_version=kb.meta.version if kb.meta else "0.0.0",
        site_url=site_url,
        commit=commit,
        kinds=kinds,
    )


def _ref_url(key: str) -> str:
    return f"{url_of(BIBLIOGRAPHY_PAGE)}#{reference_anchor(key)}"


def all_item_ids(kb: KnowledgeBase) -> set[str]:
    """Stable ids of every checklist item in the knowledge base."""
    return {f"{p.id}/{ci.id}" for p in kb.of_type("practice") if isinstance(p, Practice) for ci in p.checklist}


def scenario_ids(kb: KnowledgeBase) -> Sequence[str]:
    """Ids of every scenario, sorted."""
    return sorted(_ids(kb, "scenario"))
