"""Validate stage, part two: rules that look across entities.

Each rule is a small class with a per-entry check and a final whole-KB check
(pySigma's validator shape). :data:`RULES` lists them explicitly, in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import networkx as nx

from generator.findings import Finding, Location, Severity, error, processing, warning
from generator.graph import build_graph, coverage
from generator.ids import is_placeholder, suggestion
from generator.kb import Entry, KnowledgeBase, Source
from generator.models import (
    Applicability,
    Defect,
    Practice,
    Scenario,
    Stage,
    Vocabulary,
    reference_key_path,
    references,
)
from generator.validate.rule_base import Context, Rule
from generator.validate.rules_evidence import BasisCitesEvidence, CasesMatchData, FiguresMatchData, StudiesValid
from generator.validate.rules_values import NoRepeats, NoSelfReplacement, ReservedIds
from generator.validate.selection import (
    Selection,
    candidate,
    contradiction,
    exclusion,
    narrow,
    scenario_selection,
    select_items,
)

# ------------------------------------------------------------------- rules


class IdMatchesFileName(Rule):
    """The id is the file name: ``kb/practices/x.yaml`` holds ``id: x``."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        stem = entry.source.rel.rsplit("/", 1)[-1].removesuffix(".yaml")
        if entry.entity.id != stem:
            yield error(
                "id-mismatch",
                f"id '{entry.entity.id}' differs from the file name '{stem}.yaml'; rename the file or change the id.",
                entry.source.location(("id",)),
            )


class UniqueIds(Rule):
    """Ids and aliases are unique across the whole KB."""

    def finish(self, ctx: Context) -> Iterator[Finding]:
        # Where each name was first used: the 'id' line, or the line of the alias that holds it.
        first: dict[str, tuple[Source, tuple[str | int, ...]]] = {}
        for entry in ctx.kb.entries:
            names = [(entry.entity.id, ("id",))] + [(a, ("aliases", i)) for i, a in enumerate(entry.entity.aliases)]
            for name, key in names:
                if name in first:
                    other, other_key = first[name]
                    used_as = "an alias" if other_key[0] == "aliases" else "the id"
                    yield error(
                        "duplicate-id",
                        f"id '{name}' is already used, as {used_as}, by {other.path}:{other.doc.mark(other_key).line}; "
                        "ids are unique across the KB.",
                        entry.source.location(key),
                    )
                else:
                    first[name] = (entry.source, key)


class ReferencesResolve(Rule):
    """Every relation points to an existing entity of the right type."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        for ref_field, index, target in references(entry.entity):
            if is_placeholder(target):
                continue  # reported once, as a TODO marker, by SafeText
            key = reference_key_path(entry.entity, ref_field, index)
            wanted = ref_field.ref.target
            if ctx.is_broken(target, wanted):
                continue  # its own file's error is reported; don't echo it here
            # With duplicate ids, the definition of the wanted type is the one meant.
            found = ctx.by_kind.get(wanted, {}).get(target) or ctx.ids.get(target)
            renamed = ctx.renamed.get(target)
            if found is None and renamed is not None and renamed.kind == wanted:
                yield error(
                    "renamed-reference",
                    f"{wanted} '{target}' was renamed to '{renamed.id}'; update the reference.",
                    entry.source.location(key),
                )
            elif found is None:
                hint = suggestion(target, ctx.ids_of(wanted))
                yield error(
                    "unknown-reference",
                    f"unknown {wanted} '{target}' in '{ref_field.name}'.{hint}",
                    entry.source.location(key),
                )
            elif found.kind != wanted:
                yield error(
                    "wrong-reference-type",
                    f"'{target}' is a {found.kind}, but '{ref_field.name}' expects a {wanted}.",
                    entry.source.location(key),
                )
            elif found.status == "deprecated":
                instead = f" Use '{found.replaced_by}' instead." if found.replaced_by else ""
                yield warning(
                    "deprecated-reference",
                    f"{wanted} '{target}' is deprecated.{instead}",
                    entry.source.location(key),
                )
        replaced_by = entry.entity.replaced_by
        if replaced_by is not None:
            target_entity = ctx.ids.get(replaced_by)
            if target_entity is None or target_entity.kind != entry.entity.kind:
                hint = suggestion(replaced_by, ctx.ids_of(entry.entity.kind))
                yield error(
                    "unknown-reference",
                    f"unknown {entry.entity.kind} '{replaced_by}' in 'replaced_by'.{hint}",
                    entry.source.location(("replaced_by",)),
                )


class CitationsExist(Rule):
    """Every cited key is in references.bib; unused entries warn."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        keys = ctx.kb.bibliography.entries
        for path, value in ctx.strings_of(entry):
            if not path or path[-1] != "cite":
                continue
            ctx.cited.add(value)
            if value not in keys and ctx.kb.bibliography.loaded and not is_placeholder(value):
                yield error(
                    "unknown-citation",
                    f"BibTeX key '{value}' is not in {ctx.kb.bibliography.path}.{suggestion(value, keys)}",
                    entry.source.location(path),
                )

    def finish(self, ctx: Context) -> Iterator[Finding]:
        for key, bib in sorted(ctx.kb.bibliography.entries.items()):
            if key not in ctx.cited:
                yield warning(
                    "unused-reference",
                    f"BibTeX entry '{key}' is not cited by any entry; cite it or remove it.",
                    Location(ctx.kb.bibliography.path, bib.line, 1),
                )


class VocabularyTerms(Rule):
    """Tags, frameworks, hardware and model families come from kb/vocabulary.yaml."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        vocab = ctx.kb.vocabulary
        if vocab is None:
            return
        entity = entry.entity
        checks: list[tuple[tuple[str | int, ...], str, dict[str, Any], str]] = [
            (("tags", i), tag, vocab.all_terms(), "vocabulary term") for i, tag in enumerate(entity.tags)
        ]
        if isinstance(entity, Practice):
            checks += _applicability_terms(("applies_when",), entity.applies_when, vocab)
            for i, item in enumerate(entity.checklist):
                checks += _applicability_terms(("checklist", i, "applies_when"), item.applies_when, vocab)
        if isinstance(entity, Scenario):
            checks += [
                (("select_tags", i), t, vocab.all_terms(), "vocabulary term") for i, t in enumerate(entity.select_tags)
            ]
            for side in ("source", "target"):
                endpoint = getattr(entity, side)
                if endpoint.framework is not None:
                    checks.append(((side, "framework"), endpoint.framework, vocab.frameworks, "framework"))
                checks += [
                    ((side, "hardware", i), t, vocab.hardware, "hardware term") for i, t in enumerate(endpoint.hardware)
                ]
            checks += [
                (("context", "model_family", i), t, vocab.model_families, "model family")
                for i, t in enumerate(entity.context.model_family)
            ]
        for key, term, allowed, label in checks:
            if term not in allowed and not is_placeholder(term):
                hint = suggestion(term, allowed) or " Add it to kb/vocabulary.yaml if it is a new term."
                yield error("unknown-term", f"unknown {label} '{term}'.{hint}", entry.source.location(key))


def _applicability_terms(
    at: tuple[str | int, ...], aw: Applicability, vocab: Vocabulary
) -> list[tuple[tuple[str | int, ...], str, dict[str, Any], str]]:
    """The vocabulary terms an ``applies_when`` names, with their key paths."""
    out: list[tuple[tuple[str | int, ...], str, dict[str, Any], str]] = []
    for key, allowed, label in (
        ("source", vocab.frameworks, "framework"),
        ("target", vocab.frameworks, "framework"),
        ("hardware", vocab.hardware, "hardware term"),
        ("model_family", vocab.model_families, "model family"),
    ):
        out += [((*at, key, i), t, allowed, label) for i, t in enumerate(getattr(aw, key))]
    return out


_LINK_RE = re.compile(  # each part stops at the next '<' or bracket: linear on long hostile text
    r"\]\(\s*<?([^)\s>]*)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*)>|\b((?:javascript|data|vbscript|file):)", re.I
)
_SAFE_SCHEME_RE = re.compile(r"^(?:https?:|mailto:|#|/|\.|[^:]*$)", re.I)


class SafeText(Rule):
    """No TODO markers and no links with unsafe schemes in any text."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        for path, value in ctx.strings_of(entry):
            if is_placeholder(value):
                yield error(
                    "todo-marker",
                    f"'{dotted(path)}' still contains a TODO marker; replace it with real content.",
                    entry.source.location(path),
                )
            for match in _LINK_RE.finditer(value):
                target = next(g for g in match.groups() if g is not None)
                if not _SAFE_SCHEME_RE.match(target):
                    scheme = target.split(":", 1)[0].lower()
                    yield error(
                        "unsafe-url",
                        f"a '{scheme}:' link in '{dotted(path)}' is not allowed; links must be http(s) or relative.",
                        entry.source.location(path),
                    )


class ChecklistItemsUnique(Rule):
    """Checklist item ids are unique within a practice."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        if not isinstance(entry.entity, Practice):
            return
        seen: set[str] = set()
        for i, item in enumerate(entry.entity.checklist):
            if item.id in seen:
                yield error(
                    "duplicate-item-id",
                    f"checklist item id '{item.id}' is used twice in this practice; item ids must be unique.",
                    entry.source.location(("checklist", i, "id")),
                )
            seen.add(item.id)


class ItemApplicability(Rule):
    """An item's ``applies_when`` narrows its practice's; it must not contradict it."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        p = entry.entity
        if not isinstance(p, Practice):
            return
        for i, item in enumerate(p.checklist):
            why = contradiction(p.applies_when, item.applies_when)
            if why:
                yield error(
                    "contradictory-applies-when",
                    f"item '{item.id}' can never apply: {why}; an item's 'applies_when' may only narrow "
                    "its practice's.",
                    entry.source.location(("checklist", i, "applies_when")),
                )


class ScenarioChecklist(Rule):
    """A scenario's stage order lists every stage once; its essential items exist and are selected."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        scenario = entry.entity
        if not isinstance(scenario, Scenario):
            return
        yield from self._order(entry, scenario, ctx)
        yield from self._essential(entry, scenario, ctx)
        included = set(scenario.include)
        for i, pid in enumerate(scenario.exclude):
            if pid in included:
                yield error(
                    "include-and-exclude",
                    f"practice '{pid}' is in both 'include' and 'exclude', so the include has no effect; "
                    "keep it in one of them.",
                    entry.source.location(("exclude", i)),
                )
        sel = scenario_selection(scenario)
        for i, pid in enumerate(scenario.include):
            practice = ctx.by_kind.get("practice", {}).get(pid)
            why = exclusion(practice.applies_when, sel) if isinstance(practice, Practice) else None
            if why:
                yield warning(
                    "inapplicable-include",
                    f"practice '{pid}' applies {why}, so this scenario never receives it although it is "
                    "included; drop it from 'include' or correct its 'applies_when'.",
                    entry.source.location(("include", i)),
                )

    def _order(self, entry: Entry, scenario: Scenario, ctx: Context) -> Iterator[Finding]:
        if not scenario.order:
            return
        stages = ctx.ids_of("stage")
        seen: set[str] = set()
        for i, sid in enumerate(scenario.order):
            if sid not in stages:
                yield error(
                    "unknown-reference",
                    f"'order' names stage '{sid}', which does not exist.{suggestion(sid, stages)}",
                    entry.source.location(("order", i)),
                )
            elif sid in seen:
                yield error(
                    "invalid-order",
                    f"'order' lists stage '{sid}' twice; list every stage exactly once.",
                    entry.source.location(("order", i)),
                )
            seen.add(sid)
        missing = [s for s in stages if s not in seen]
        if missing:
            yield error(
                "invalid-order",
                f"'order' must list every stage exactly once; missing: {', '.join(missing)}.",
                entry.source.location(("order",)),
            )

    def _essential(self, entry: Entry, scenario: Scenario, ctx: Context) -> Iterator[Finding]:
        if not scenario.essential:
            return
        practices = {pid: p for pid, p in ctx.by_kind.get("practice", {}).items() if isinstance(p, Practice)}
        every = sorted(f"{pid}/{ci.id}" for pid, p in practices.items() for ci in p.checklist)
        known = set(every)
        sel = scenario_selection(scenario)
        selected = {s.uid for s in select_items(ctx.kb, sel)}
        seen: set[str] = set()
        for i, uid in enumerate(scenario.essential):
            where = entry.source.location(("essential", i))
            pid = uid.split("/", 1)[0]
            if ctx.is_broken(pid, "practice"):
                continue
            if uid in seen:
                yield error("duplicate-essential", f"essential item '{uid}' is listed twice.", where)
            elif uid not in known:
                yield error(
                    "unknown-item",
                    f"essential item '{uid}' does not exist.{suggestion(uid, every)}",
                    where,
                )
            elif uid not in selected:
                yield error(
                    "essential-not-selected",
                    f"essential item '{uid}' is not in this scenario's checklist ({_why_not(uid, practices, sel)}); "
                    "drop it from 'essential' or change the scenario's filters.",
                    where,
                )
            seen.add(uid)


def _why_not(uid: str, practices: dict[str, Practice], sel: Selection) -> str:
    pid, iid = uid.split("/", 1)
    practice = practices[pid]
    if practice.status == "deprecated":  # selected only through include, with a warning
        instead = f"; list an item of '{practice.replaced_by}' instead" if practice.replaced_by else ""
        return f"practice '{pid}' is deprecated{instead}"
    if pid in sel.exclude:
        return f"the scenario excludes practice '{pid}'"
    why = exclusion(practice.applies_when, sel)
    if why:
        return f"practice '{pid}' applies {why}"
    item = next(ci for ci in practice.checklist if ci.id == iid)
    why = exclusion(narrow(practice.applies_when, item.applies_when), sel)
    if why:
        return f"the item applies {why}"
    if not candidate(practice, sel) and pid not in sel.include:
        return f"practice '{pid}' does not match the scenario's paradigms, stages or tags; add it to 'include'"
    return "not selected"


class PracticeHasTarget(Rule):
    """A practice addresses at least one challenge or defect type."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        p = entry.entity
        if isinstance(p, Practice) and not (p.addresses or p.prevents or p.detects):
            yield error(
                "practice-without-target",
                "a practice must address a challenge or prevent/detect a defect type; "
                "fill 'addresses', 'prevents' or 'detects'.",
                entry.source.location(("addresses",)),
            )


class WorkflowIsDag(Rule):
    """Forward edges between stages form a DAG; back-edges go backwards."""

    def finish(self, ctx: Context) -> Iterator[Finding]:
        stages = {e.entity.id: e for e in ctx.kb.entries if isinstance(e.entity, Stage)}
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(stages)
        for sid, entry in stages.items():
            stage = entry.entity
            assert isinstance(stage, Stage)
            graph.add_edges_from((sid, n) for n in stage.next if n in stages)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            cycle = []
        if cycle:
            first = min(edge[0] for edge in cycle)
            loop = " -> ".join([edge[0] for edge in cycle] + [cycle[0][0]])
            yield error(
                "workflow-cycle",
                f"workflow stages form a cycle ({loop}); use 'feeds_back_to' for back-edges.",
                stages[first].source.location(("next",)),
            )
            return
        for sid, entry in sorted(stages.items()):
            stage = entry.entity
            assert isinstance(stage, Stage)
            for i, target in enumerate(stage.feeds_back_to):
                if target in stages and target not in nx.ancestors(graph, sid):
                    yield error(
                        "invalid-back-edge",
                        f"'{sid}' feeds back to '{target}', which does not come before it in the workflow.",
                        entry.source.location(("feeds_back_to", i)),
                    )


class TaxonomyIsTree(Rule):
    """Defect types form a tree: following 'parent' never loops."""

    def finish(self, ctx: Context) -> Iterator[Finding]:
        defects = {e.entity.id: e for e in ctx.kb.entries if isinstance(e.entity, Defect)}
        reported: set[str] = set()
        for did in sorted(defects):
            seen = [did]
            current = defects[did].entity
            while isinstance(current, Defect) and current.parent in defects:
                if current.parent in seen:
                    loop = seen[seen.index(current.parent) :]
                    if not reported & set(loop):
                        reported |= set(loop)
                        start = min(loop)
                        yield error(
                            "taxonomy-cycle",
                            f"defect types form a cycle through 'parent' ({' -> '.join([*loop, loop[0]])}); "
                            "the taxonomy must be a tree.",
                            defects[start].source.location(("parent",)),
                        )
                    break
                seen.append(current.parent)
                current = defects[current.parent].entity


class Coverage(Rule):
    """Warn on challenges no practice addresses and defect leaves nothing guards."""

    needs_clean_kb = True

    def finish(self, ctx: Context) -> Iterator[Finding]:
        cov = coverage(ctx.kb, build_graph(ctx.kb))
        sources = ctx.kb.sources
        for eid in cov.uncovered_challenges:
            yield warning(
                "uncovered-challenge",
                f"no practice addresses challenge '{eid}'; add it to a practice's 'addresses' (coverage gap).",
                sources[eid].location(("id",)),
            )
        for eid in cov.unguarded_defects:
            yield warning(
                "unguarded-defect",
                f"no practice prevents or detects defect type '{eid}'; "
                "add it to a practice's 'prevents' or 'detects' (coverage gap).",
                sources[eid].location(("id",)),
            )


def dotted(path: tuple[str | int, ...]) -> str:
    """Format a key path for messages, e.g. ``checklist[0].text``."""
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


#: The rules, in the order they run.
RULES: tuple[type[Rule], ...] = (
    IdMatchesFileName,
    UniqueIds,
    ReservedIds,
    NoRepeats,
    NoSelfReplacement,
    ReferencesResolve,
    CitationsExist,
    VocabularyTerms,
    SafeText,
    ChecklistItemsUnique,
    BasisCitesEvidence,
    ItemApplicability,
    ScenarioChecklist,
    FiguresMatchData,
    CasesMatchData,
    StudiesValid,
    PracticeHasTarget,
    WorkflowIsDag,
    TaxonomyIsTree,
    Coverage,
)


def run_rules(kb: KnowledgeBase, earlier: list[Finding] | None = None) -> list[Finding]:
    """Run every rule over the KB and return the new findings.

    Args:
        kb: The schema-checked knowledge base.
        earlier: Findings of the previous stages; if any is an error, rules
            marked ``needs_clean_kb`` are skipped.
    """
    ctx = Context(kb)
    findings = apply([rule() for rule in RULES if not rule.needs_clean_kb], kb.entries, ctx)
    if not any(f.severity is Severity.ERROR for f in [*(earlier or []), *findings]):
        findings += apply([rule() for rule in RULES if rule.needs_clean_kb], kb.entries, ctx)
    return findings


def apply(rules: Sequence[Rule], entries: Iterable[Entry], ctx: Context) -> list[Finding]:
    """Run ``rules``: each one's :meth:`Rule.check` on every entry, then each one's :meth:`Rule.finish`."""
    findings: list[Finding] = []
    for entry in entries:
        with processing(entry.source.path):
            for rule in rules:
                findings.extend(rule.check(entry, ctx))
    for rule in rules:
        findings.extend(rule.finish(ctx))
    return findings
