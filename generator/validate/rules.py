"""Validate stage, part two: rules that look across entities.

Each rule is a small class with a per-entry check and a final whole-KB check
(pySigma's validator shape). :data:`RULES` lists them explicitly, in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pydantic import BaseModel

from generator.findings import Finding, Location, Severity, error, warning
from generator.graph import build_graph, coverage
from generator.ids import is_placeholder, suggestion
from generator.kb import Entry, KnowledgeBase, Source
from generator.models import Defect, Entity, Practice, Scenario, Stage, references


@dataclass
class Context:
    """What the rules share: the KB and indexes built once.

    The same context serves the validation rules (:data:`RULES`) and the
    review lint (:data:`generator.validate.lint.LINT_RULES`); ``today`` is
    the date the lint compares review dates with (``YYYY-MM-DD``).
    """

    kb: KnowledgeBase
    ids: dict[str, Entity] = field(init=False)
    by_kind: dict[str, dict[str, Entity]] = field(init=False)
    renamed: dict[str, Entity] = field(init=False)
    cited: set[str] = field(default_factory=set)
    today: str = ""

    def __post_init__(self) -> None:
        self.ids = self.kb.entities
        self.by_kind = {}
        self.renamed = {}
        for entry in self.kb.entries:
            self.by_kind.setdefault(entry.entity.kind, {}).setdefault(entry.entity.id, entry.entity)
            for alias in entry.entity.aliases:
                self.renamed.setdefault(alias, entry.entity)

    def ids_of(self, kind: str) -> list[str]:
        """All ids of one entity type."""
        return sorted(self.by_kind.get(kind, ()))

    def is_broken(self, entity_id: str, kind: str) -> bool:
        """Tell whether ``entity_id`` names a file of ``kind`` that failed to load."""
        return self.kb.broken.get(entity_id) == kind


class Rule:
    """A rule: a per-entry :meth:`check` and a whole-KB :meth:`finish` (pySigma's validator shape).

    Validation rules and lint checks are both rules; :func:`apply` runs either list.
    """

    #: Run only when nothing else found an error (gap reports on a broken KB mislead).
    needs_clean_kb = False

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        """Check one entry."""
        return iter(())

    def finish(self, ctx: Context) -> Iterator[Finding]:
        """Check the whole KB once every entry has been seen."""
        return iter(())


def walk_strings(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield every string in a model, with its key path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walk_strings(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_strings(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_strings(item, (*path, key))


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
        first: dict[str, Source] = {}
        for entry in ctx.kb.entries:
            names = [(entry.entity.id, ("id",))] + [(a, ("aliases", i)) for i, a in enumerate(entry.entity.aliases)]
            for name, key in names:
                if name in first:
                    other = first[name]
                    yield error(
                        "duplicate-id",
                        f"id '{name}' is already used by {other.path}:{other.doc.mark(('id',)).line}; "
                        "ids are unique across the KB.",
                        entry.source.location(key),
                    )
                else:
                    first[name] = entry.source


class ReferencesResolve(Rule):
    """Every relation points to an existing entity of the right type."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        for ref_field, index, target in references(entry.entity):
            if is_placeholder(target):
                continue  # reported once, as a TODO marker, by SafeText
            key = (ref_field.name,) if index is None else (ref_field.name, index)
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
        for path, value in walk_strings(entry.entity):
            if not path or path[-1] != "cite":
                continue
            ctx.cited.add(value)
            if value not in keys and keys and not is_placeholder(value):
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
    """Tags, frameworks and hardware come from kb/vocabulary.yaml."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        vocab = ctx.kb.vocabulary
        if vocab is None:
            return
        entity = entry.entity
        checks: list[tuple[tuple[str | int, ...], str, dict[str, Any], str]] = [
            (("tags", i), tag, vocab.all_terms(), "vocabulary term") for i, tag in enumerate(entity.tags)
        ]
        if isinstance(entity, Practice):
            checks += [
                (("applies_to", "frameworks", i), t, vocab.frameworks, "framework")
                for i, t in enumerate(entity.applies_to.frameworks)
            ]
            checks += [
                (("applies_to", "hardware", i), t, vocab.hardware, "hardware term")
                for i, t in enumerate(entity.applies_to.hardware)
            ]
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
        for key, term, allowed, label in checks:
            if term not in allowed and not is_placeholder(term):
                hint = suggestion(term, allowed) or " Add it to kb/vocabulary.yaml if it is a new term."
                yield error("unknown-term", f"unknown {label} '{term}'.{hint}", entry.source.location(key))


_LINK_RE = re.compile(
    r"\]\(\s*<?([^)\s>]*)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>|\b((?:javascript|data|vbscript|file):)", re.I
)
_SAFE_SCHEME_RE = re.compile(r"^(?:https?:|mailto:|#|/|\.|[^:]*$)", re.I)


class SafeText(Rule):
    """No TODO markers and no links with unsafe schemes in any text."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        for path, value in walk_strings(entry.entity):
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
    ReferencesResolve,
    CitationsExist,
    VocabularyTerms,
    SafeText,
    ChecklistItemsUnique,
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
        for rule in rules:
            findings.extend(rule.check(entry, ctx))
    for rule in rules:
        findings.extend(rule.finish(ctx))
    return findings
