"""Select checklist items for a query: pure functions over the schema-checked KB.

This module decides *which* items a checklist holds and in which order;
:mod:`generator.checklist` turns them into a composed checklist. It imports
no pipeline or rendering code, so the validation rules can ask it whether a
scenario's essential items are really selected.

A :class:`Query` (a scenario, ad-hoc filters, or both) is resolved into a
:class:`Selection`: the scenario's values, each replaced by the query's where
the query gives one. Then (the site's builder page implements the same in
JavaScript; a test compares the two on every scenario):

1. A practice is a candidate when it is not deprecated and its paradigms
   overlap the selection's, its stage is one of the selection's stages and
   its tags meet the selection's tags (each only when the selection gives
   them). The scenario's ``include`` adds practices, ``exclude`` removes
   them: they override these three filters, never applicability.
2. An item is kept when its effective applicability (the practice's
   ``applies_when`` narrowed by the item's) does not exclude the selection:
   for each key both sides state, a yes/no key must be equal, and a list
   must contain the selection's framework or share a hardware, precision or
   model family value with it. A key either side leaves open never excludes. So a
   scenario never receives an item whose applicability excludes it.
3. ``importance``: ``essential`` keeps exactly the scenario's ``essential``
   list (intersected with the kept items). Without a scenario essential list
   (an ad-hoc query, or a scenario that has none yet) the essential items
   are a short list of at most :data:`SHORT_LIST` kept items, ranked by
   :func:`short_list`. Lower levels keep the items of practices of at least
   that importance, and the essential items.
4. Items are ordered by the scenario's stage ``order`` (default: the
   workflow order), then practice id, then their order in the practice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any, get_args
from urllib.parse import parse_qsl, urlencode

from generator.graph import stages_in_order
from generator.ids import suggestion
from generator.kb import KnowledgeBase
from generator.models import (
    ESSENTIAL_MAX,
    Applicability,
    ChecklistItem,
    Importance,
    Practice,
    Precision,
    Scenario,
    Severity,
)

#: Importance levels from most to least important; ``--importance X`` keeps X and above.
IMPORTANCE_LEVELS: tuple[str, ...] = get_args(Importance)
#: Target precisions a query or scenario may name.
PRECISIONS: tuple[str, ...] = get_args(Precision)
#: Most items an ad-hoc short list holds: the bound on a scenario's own essential list.
SHORT_LIST = ESSENTIAL_MAX
#: Item severities from the most to the least costly to skip; an item without one ranks last.
SEVERITY_LEVELS: tuple[str, ...] = get_args(Severity)

#: Query fields that hold several values, and the singular name used on the CLI and in query strings.
_MULTI = {
    "paradigms": "paradigm",
    "stages": "stage",
    "hardware": "hardware",
    "tags": "tag",
    "precision": "precision",
    "model_family": "model_family",
}
_SINGLE = {"scenario": "scenario", "source": "source", "target": "target", "importance": "importance"}
#: Yes/no query fields (``true``/``false`` in query strings).
_FLAGS = ("trains", "reference_code", "reference_weights", "multi_device")
_FLAG_TEXT = {True: "true", False: "false"}
#: Most values an applicability list names and still stands for one kind of port (:func:`ports_own`).
#: Rule of thumb, measured: 2, 3 and 4 rank the ad-hoc reference sets' short lists alike, 1 worse, and the
#: seven-framework lists of the porting practices (any training framework) are a class, not a port.
PORTS_OWN_VALUES = 3
#: Topics whose checks count as every port's own (:func:`short_list`): a check that keeps untrusted weights
#: and code off the machine does not depend on the kind of port, so it keeps its severity's rank.
EVERY_PORTS_OWN = frozenset({"security"})
#: Applicability lists against the selection's single source and target, and against its lists.
_ONE_OF = ("source", "target")
_SOME_OF = ("hardware", "precision", "model_family")
#: Applicability keys that say when a ``situational`` practice's situation holds (see :func:`short_list`).
SITUATIONS = ("multi_device", "model_family")


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


def _flag(text: str | None) -> bool | None:
    return {"true": True, "false": False}.get((text or "").strip().lower())


@dataclass(frozen=True)
class Query:
    """What a checklist is asked for: a scenario, ad-hoc filters, or both.

    Multi-valued filters are kept sorted and de-duplicated, so equal queries
    compare (and serialise) equal. Yes/no filters are ``None`` when not given.
    """

    scenario: str | None = None
    paradigms: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    source: str | None = None
    target: str | None = None
    hardware: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    importance: str | None = None
    trains: bool | None = None
    reference_code: bool | None = None
    reference_weights: bool | None = None
    multi_device: bool | None = None
    precision: tuple[str, ...] = ()
    model_family: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in _MULTI:
            object.__setattr__(self, name, _canonical(getattr(self, name)))

    def to_string(self) -> str:
        """Canonical query string, e.g. ``scenario=x&stage=a&trains=false`` (``""`` when empty)."""
        pairs: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _MULTI:
                pairs += [(_MULTI[f.name], v) for v in value]
            elif f.name in _FLAGS:
                if value is not None:
                    pairs.append((f.name, _FLAG_TEXT[value]))
            elif value is not None:
                pairs.append((_SINGLE[f.name], value))
        return urlencode(pairs)

    @classmethod
    def from_string(cls, text: str) -> Query:
        """Parse :meth:`to_string` output back (unknown keys and values are ignored)."""
        single: dict[str, str] = {}
        multi: dict[str, list[str]] = {name: [] for name in _MULTI}
        flags: dict[str, bool | None] = {}
        by_key = {v: k for k, v in _MULTI.items()}
        for key, value in parse_qsl(text.strip()):
            if key in by_key:
                multi[by_key[key]].append(value)
            elif key in _SINGLE:
                single[key] = value
            elif key in _FLAGS:
                flags[key] = _flag(value)
        return cls(
            scenario=single.get("scenario"),
            source=single.get("source"),
            target=single.get("target"),
            importance=single.get("importance"),
            trains=flags.get("trains"),
            reference_code=flags.get("reference_code"),
            reference_weights=flags.get("reference_weights"),
            multi_device=flags.get("multi_device"),
            **{name: tuple(values) for name, values in multi.items()},
        )

    @staticmethod
    def unread(text: str) -> tuple[str, ...]:
        """The ``key=value`` pairs of ``text`` that :meth:`from_string` ignores.

        An unknown key, or a yes/no filter whose value is not ``true`` or
        ``false``; a caller that reads a query from a file says which were
        left out rather than compare against a different query unannounced.
        """
        keys = set(_MULTI.values()) | set(_SINGLE)
        return tuple(
            f"{key}={value}"
            for key, value in parse_qsl(text.strip())
            if not (key in keys or (key in _FLAGS and _flag(value) is not None))
        )

    def as_dict(self) -> dict[str, Any]:
        """The query as JSON-ready data (lists, ``None`` for unset single values)."""
        return {
            f.name: list(getattr(self, f.name)) if f.name in _MULTI else getattr(self, f.name) for f in fields(self)
        }

    def describe(self) -> str:
        """The filters in words, e.g. ``stage testing; target onnx-runtime; inference only``."""
        parts = [
            f"{_MULTI[name]} {', '.join(getattr(self, name))}"
            for name in ("paradigms", "stages", "hardware", "tags")
            if getattr(self, name)
        ]
        parts += [f"{name} {getattr(self, name)}" for name in ("source", "target") if getattr(self, name)]
        parts += Applicability(
            trains=self.trains,
            reference_code=self.reference_code,
            reference_weights=self.reference_weights,
            multi_device=self.multi_device,
        ).conditions()
        if self.precision:
            parts.append(f"precision {', '.join(self.precision)}")
        if self.model_family:
            parts.append(f"model family {', '.join(self.model_family)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Selection:
    """The effective filters and context after merging a scenario and the query.

    Attributes:
        essential: The scenario's essential item uids (empty: none declared).
        order: The scenario's stage order (empty: the workflow order).
    """

    paradigms: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    source: str | None = None
    target: str | None = None
    hardware: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    importance: str | None = None
    trains: bool | None = None
    reference_code: bool | None = None
    reference_weights: bool | None = None
    multi_device: bool | None = None
    precision: tuple[str, ...] = ()
    model_family: tuple[str, ...] = ()
    essential: tuple[str, ...] = ()
    order: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The selection as JSON-ready data."""
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}


def scenario_selection(scenario: Scenario) -> Selection:
    """The selection a scenario makes on its own (no query, no checks)."""
    return Selection(
        paradigms=_canonical(scenario.paradigms),
        stages=_canonical(scenario.stages),
        source=scenario.source.framework,
        target=scenario.target.framework,
        hardware=_canonical(scenario.target.hardware),
        tags=_canonical(scenario.select_tags),
        include=_canonical(scenario.include),
        exclude=_canonical(scenario.exclude),
        trains=scenario.context.trains,
        reference_code=scenario.context.reference_code,
        reference_weights=scenario.context.reference_weights,
        multi_device=scenario.context.multi_device,
        precision=_canonical(scenario.context.precision),
        model_family=_canonical(scenario.context.model_family),
        essential=tuple(scenario.essential),
        order=tuple(scenario.order),
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
        UnknownName: for the first unknown scenario, paradigm, stage, framework, hardware, tag, precision
            or model family.
    """
    vocab = kb.vocabulary
    _check("scenario", [query.scenario], _ids(kb, "scenario"))
    _check("paradigm", query.paradigms, _ids(kb, "paradigm"))
    _check("stage", query.stages, _ids(kb, "stage"))
    _check("framework", [query.source, query.target], vocab.frameworks if vocab else [])
    _check("hardware", query.hardware, vocab.hardware if vocab else [])
    _check("tag", query.tags, vocab.all_terms() if vocab else [])
    _check("importance", [query.importance], IMPORTANCE_LEVELS)
    _check("precision", query.precision, PRECISIONS)
    _check("model family", query.model_family, vocab.model_families if vocab else [])


def resolve(kb: KnowledgeBase, query: Query) -> Selection:
    """Merge the query's scenario and filters into the effective :class:`Selection`.

    Raises:
        UnknownName: if the query names something that does not exist.
    """
    validate_query(kb, query)
    scenario = kb.entities.get(query.scenario) if query.scenario else None
    base = scenario_selection(scenario) if isinstance(scenario, Scenario) else Selection()

    def either(name: str) -> Any:
        given = getattr(query, name)
        return given if given not in (None, ()) else getattr(base, name)

    return Selection(
        paradigms=either("paradigms"),
        stages=either("stages"),
        source=either("source"),
        target=either("target"),
        hardware=either("hardware"),
        tags=either("tags"),
        include=base.include,
        exclude=base.exclude,
        importance=query.importance,
        trains=either("trains"),
        reference_code=either("reference_code"),
        reference_weights=either("reference_weights"),
        multi_device=either("multi_device"),
        precision=either("precision"),
        model_family=either("model_family"),
        essential=base.essential,
        order=base.order,
    )


# ------------------------------------------------------------- applicability


def narrow(outer: Applicability, inner: Applicability) -> Applicability:
    """The applicability of an item: its practice's (``outer``) narrowed by its own (``inner``).

    Yes/no keys: the item's value where it gives one. Lists: the common
    values where both give some (empty when they contradict: see :func:`contradiction`).
    """

    def both(a: list[str], b: list[str]) -> list[str]:
        return [v for v in a if v in b] if a and b else list(a or b)

    return Applicability(
        trains=inner.trains if inner.trains is not None else outer.trains,
        reference_code=inner.reference_code if inner.reference_code is not None else outer.reference_code,
        reference_weights=inner.reference_weights if inner.reference_weights is not None else outer.reference_weights,
        multi_device=inner.multi_device if inner.multi_device is not None else outer.multi_device,
        source=both(outer.source, inner.source),
        target=both(outer.target, inner.target),
        hardware=both(outer.hardware, inner.hardware),
        precision=both(outer.precision, inner.precision),  # type: ignore[arg-type]
        model_family=both(outer.model_family, inner.model_family),
    )


def contradiction(outer: Applicability, inner: Applicability) -> str | None:
    """Why an item's ``applies_when`` can never hold inside its practice's, or None."""
    for key in _FLAGS:
        a, b = getattr(outer, key), getattr(inner, key)
        if a is not None and b is not None and a != b:
            return f"'{key}' is {str(b).lower()} here but {str(a).lower()} on the practice"
    for key in _ONE_OF + _SOME_OF:
        a, b = getattr(outer, key), getattr(inner, key)
        if a and b and not set(a) & set(b):
            return f"'{key}' shares no value with the practice's {', '.join(a)}"
    return None


def exclusion(aw: Applicability, sel: Selection) -> str | None:
    """Why ``aw`` excludes the selection (e.g. ``"needs training"``), or None when it applies."""
    wording = {
        "trains": ("only when the port trains", "only for inference-only ports"),
        "reference_code": ("only with reference code", "only without reference code"),
        "reference_weights": ("only with reference weights", "only without reference weights"),
        "multi_device": ("only on several devices", "only on one device"),
    }
    for key, (yes, no) in wording.items():
        wanted, have = getattr(aw, key), getattr(sel, key)
        if wanted is not None and have is not None and wanted != have:
            return yes if wanted else no
    for key in _ONE_OF:
        allowed, have_one = getattr(aw, key), getattr(sel, key)
        if allowed and have_one and have_one not in allowed:
            return f"only for {key} {', '.join(allowed)}"
    for key in _SOME_OF:
        allowed, have = getattr(aw, key), getattr(sel, key)
        if allowed and have and not set(allowed) & set(have):
            return f"only for {key.replace('_', ' ')} {', '.join(allowed)}"
    return None


# ---------------------------------------------------------------- selection

_SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")


def text_key(text: str) -> str:
    """The key under which item texts count as duplicates: case, spacing and final punctuation ignored."""
    return _SPACE_RE.sub(" ", text).strip(" ").rstrip(".!;:").casefold()


def candidate(practice: Practice, sel: Selection) -> bool:
    """Tell whether a practice passes the paradigm, stage and tag filters (before include/exclude)."""
    if practice.status == "deprecated":
        return False
    if sel.paradigms and not set(practice.paradigms) & set(sel.paradigms):
        return False
    if sel.stages and practice.stage not in sel.stages:
        return False
    return not (sel.tags and not set(sel.tags) & set(practice.tags))


def applies(practice: Practice, sel: Selection) -> bool:
    """Tell whether a practice passes the filters and its own applicability (before include/exclude)."""
    return candidate(practice, sel) and exclusion(practice.applies_when, sel) is None


def select_practices(kb: KnowledgeBase, sel: Selection) -> list[Practice]:
    """The practices a selection picks (include/exclude applied, applicability kept), sorted by id."""
    practices = {p.id: p for p in kb.of_type("practice") if isinstance(p, Practice)}
    chosen = {pid for pid, p in practices.items() if candidate(p, sel)}
    chosen |= {pid for pid in sel.include if pid in practices}
    chosen -= set(sel.exclude)
    return [practices[pid] for pid in sorted(chosen) if exclusion(practices[pid].applies_when, sel) is None]


@dataclass(frozen=True)
class Selected:
    """An item a selection keeps, with its practice and effective applicability."""

    practice: Practice
    item: ChecklistItem
    applies_when: Applicability
    essential: bool

    @property
    def uid(self) -> str:
        """``<practice-id>/<item-id>``."""
        return f"{self.practice.id}/{self.item.id}"


def stage_rank(kb: KnowledgeBase, sel: Selection) -> dict[str, int]:
    """Position of each stage id: the scenario's order, else the workflow order."""
    ids = list(sel.order) or [s.id for s in stages_in_order(kb)]
    return {sid: n for n, sid in enumerate(ids)}


def select_items(kb: KnowledgeBase, sel: Selection) -> list[Selected]:
    """The items a selection keeps, in checklist order (see the module docstring)."""
    rank = stage_rank(kb, sel)
    practices = sorted(select_practices(kb, sel), key=lambda p: (rank.get(p.stage, len(rank)), p.id))
    applicable = [
        (p, ci, aw)
        for p in practices
        for ci in p.checklist
        if exclusion(aw := narrow(p.applies_when, ci.applies_when), sel) is None
    ]
    essential = set(sel.essential) or short_list(kb, sel, applicable)
    kept = [Selected(p, ci, aw, f"{p.id}/{ci.id}" in essential) for p, ci, aw in applicable]
    return [s for s in kept if _important_enough(s, sel)]


def short_list(
    kb: KnowledgeBase, sel: Selection, items: list[tuple[Practice, ChecklistItem, Applicability]]
) -> set[str]:
    """The uids of the essential items of a selection that has no essential list of its own.

    ``items`` are ``(practice, item, applicability)`` in checklist order, the
    applicability being the practice's narrowed by the item's. An item can be
    on the list when a scenario's curated essential list names it, or when
    its practice is ``essential``, its ``severity`` is ``blocker``, or it is a
    ``major`` item written for this kind of port: its applicability names a
    source, target, hardware, precision, model family or device count that
    the selection asks for. An item of a ``situational`` practice (needed
    only in a situation, such as training on several GPUs) is on it that way
    only when its situation is stated (:func:`situation_stated`): its
    applicability names ``multi_device`` or ``model_family`` and the
    selection (the query, or its scenario's context) gives every one of them
    it names, with a matching value; otherwise only a scenario's list can
    name it. At most :data:`SHORT_LIST` of those are, ranked by what
    skipping each risks (``severity``: blocker, major, minor, none), one
    level lower for an item that is not the port's own (:func:`ports_own`)
    unless its practice has a topic of :data:`EVERY_PORTS_OWN`,
    then by how many of the selection's source, target, hardware, precision,
    model family and device count the item is written for, then by the
    practice's ``importance``, then by how many scenarios' essential lists
    name it, then by checklist order.

    The ranking is a judgement: severity first, because the short list is
    for the checks whose omission breaks a port; a port's own major check
    level with a generic blocker and, through the second key, before it,
    because a list of 25 filled with the blockers every port shares (rerun
    the baseline, keep test data out of training) leaves out what this port
    breaks on, while security checks (safe weight formats, remote code) stay
    where their severity puts them, as every port's own; the
    scenarios' lists break ties, because each was chosen for a real kind of
    port. checklist.js (``shortList``) does the same. The port-specific
    rules were measured on the ad-hoc reference sets written after each was
    proposed, and the situation rule on its DDP and object detector sets
    (``benchmarks/checklist_reference_adhoc/README.md``).
    """
    named: dict[str, int] = {}
    for scenario in kb.of_type("scenario"):
        if isinstance(scenario, Scenario):
            for uid in scenario.essential:
                named[uid] = named.get(uid, 0) + 1
    worst = len(SEVERITY_LEVELS)

    def specific(n: int) -> int:
        aw = items[n][2]
        return sum(bool(wanted) for wanted in _asked(aw, sel)) + _device_count_stated(aw, sel)

    def rank(n: int) -> tuple[int, int, int, int, int]:
        p, ci, aw = items[n]
        severity = SEVERITY_LEVELS.index(ci.severity) if ci.severity else worst
        level = severity + (not ports_own(aw, sel) and not EVERY_PORTS_OWN.intersection(p.tags))
        return (level, -specific(n), IMPORTANCE_LEVELS.index(p.importance), -named.get(f"{p.id}/{ci.id}", 0), n)

    def eligible(n: int) -> bool:
        p, ci, _ = items[n]
        if f"{p.id}/{ci.id}" in named:
            return True
        if p.importance == "situational" and not situation_stated(items[n][2], sel):
            return False
        return p.importance == "essential" or ci.severity == "blocker" or (ci.severity == "major" and specific(n) > 0)

    chosen = sorted(filter(eligible, range(len(items))), key=rank)[:SHORT_LIST]
    return {f"{items[n][0].id}/{items[n][1].id}" for n in chosen}


def ports_own(aw: Applicability, sel: Selection) -> bool:
    """Tell whether an item with applicability ``aw`` is written for the selection's kind of port.

    True when the selection states a device count and ``aw`` names one, or
    when it states a source, target, hardware, precision or model family and
    ``aw`` names at most :data:`PORTS_OWN_VALUES` values for that key. A
    longer list stands for a broad class (every training framework is seven
    of them), which a port from PyTorch 1 to PyTorch 2 shares with a port
    from Caffe to Keras.
    """
    return _device_count_stated(aw, sel) or any(0 < len(wanted) <= PORTS_OWN_VALUES for wanted in _asked(aw, sel))


def _device_count_stated(aw: Applicability, sel: Selection) -> bool:
    """Whether the selection states a device count and ``aw`` names one."""
    return sel.multi_device is not None and aw.multi_device is not None


def _asked(aw: Applicability, sel: Selection) -> Iterator[list[str]]:
    """``aw``'s source, target, hardware, precision and model family lists, each where the selection states one."""
    return (getattr(aw, key) for key in _ONE_OF + _SOME_OF if getattr(sel, key))


def situation_stated(aw: Applicability, sel: Selection) -> bool:
    """Tell whether the selection states the situation ``aw`` is written for.

    True when ``aw`` names at least one of :data:`SITUATIONS` and the
    selection gives every one it names, with an equal yes/no value or a
    shared model family. A selection that leaves such a key open does not
    state the situation, although the item stays in the checklist.
    """
    named = False
    for key in SITUATIONS:
        wanted, have = getattr(aw, key), getattr(sel, key)
        if wanted is None or wanted == []:
            continue
        named = True
        if isinstance(wanted, bool):
            if have != wanted:
                return False
        elif not set(wanted) & set(have):
            return False
    return named


def _important_enough(s: Selected, sel: Selection) -> bool:
    if sel.importance is None:
        return True
    if sel.importance == "essential":
        return s.essential
    keep = IMPORTANCE_LEVELS[: IMPORTANCE_LEVELS.index(sel.importance) + 1]
    return s.practice.importance in keep or s.essential
