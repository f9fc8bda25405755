"""Validate-stage rules for graded evidence and the study data.

* :class:`BasisCitesEvidence`: the keys behind an effect or importance
  claim are in the entry's own evidence list;
* :class:`FiguresMatchData`: every figure with a ``recompute`` query is
  recomputed from ``kb/data/`` on every build; a figure that drifts from the
  data is an error at the figure, with expected and found;
* :class:`CasesMatchData`: a defect type's ``cases`` query names real
  columns and values and selects at least one row;
* :class:`StudiesValid`: scope records in ``kb/studies.yaml`` name studies
  of the bibliography and data that can give their scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date

from generator.findings import Finding, Location, error, visible
from generator.ids import is_placeholder, suggestion
from generator.kb import Entry
from generator.load.datasets import StudyData, normalise, select
from generator.load.studies import ungrouped_values
from generator.models import EFFECT_RELATIONS, Defect, Practice
from generator.validate.cases import defect_cases, own_cases, subtypes_of
from generator.validate.rule_base import Context, Rule

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?![0-9])")

KeyPath = tuple[str | int, ...]


class BasisCitesEvidence(Rule):
    """The keys behind an effect or importance claim are in the entry's own evidence list.

    The page numbers a relation's evidence by its place in that list, so a
    key that is only in the relation would have nothing to point to.
    """

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        entity = entry.entity
        if not isinstance(entity, Practice):
            return
        listed = sorted({ev.cite for ev in entity.evidence})
        claims: list[tuple[KeyPath, str, list[str]]] = []
        for relation in EFFECT_RELATIONS:
            for index, effect in enumerate(entity.effects(relation)):
                claims.append(((relation, index), f"{relation} '{effect.target}'", list(effect.evidence)))
        if entity.importance_basis is not None:
            claims.append((("importance_basis",), "importance_basis", entity.importance_basis.evidence))
        for key_path, what, keys in claims:
            for i, key in enumerate(keys):
                if key in listed or is_placeholder(key):
                    continue
                hint = suggestion(key, listed) or (
                    f" Listed keys: {', '.join(listed)}." if listed else " The entry lists no evidence yet."
                )
                yield error(
                    "basis-not-in-evidence",
                    f"{what} cites '{key}', which is not in this entry's 'evidence' list; "
                    f"add an evidence item for it or use a listed key.{hint}",
                    entry.source.location((*key_path, "evidence", i)),
                )


def _dataset(name: str, entry: Entry, key_path: KeyPath, ctx: Context) -> tuple[StudyData | None, list[Finding]]:
    """The data set a query names, or the finding saying it is missing."""
    found = ctx.kb.datasets.get(name)
    if found is not None or ctx.is_broken(name, "dataset"):
        return found, []
    return None, [
        error(
            "unknown-dataset",
            f"data set '{name}' is not in {ctx.kb.root}/data/; add {name}.csv with its provenance {name}.yaml.",
            entry.source.location((*key_path, "dataset")),
        )
    ]


def query_problems(data: StudyData, conditions: Mapping[str, str], entry: Entry, key_path: KeyPath) -> list[Finding]:
    """Unknown columns, and values that no row has, in one block of conditions."""
    out: list[Finding] = []
    for column, value in conditions.items():
        where = entry.source.location((*key_path, column))
        if column not in data.columns:
            hint = suggestion(column, data.columns) or f" Columns: {', '.join(data.columns)}."
            out.append(error("unknown-data-column", f"'{data.name}' has no column '{column}'.{hint}", where))
            continue
        key = normalise(value)
        if key and key in data.index(column):
            continue
        values = sorted({v for v in data.column(column) if v.strip()}, key=normalise)
        if key not in {normalise(v) for v in values}:
            hint = suggestion(value, values) or (
                f" Values: {', '.join(values)}." if len(values) <= 20 else f" It has {len(values)} distinct values."
            )
            out.append(
                error(
                    "unknown-data-value",
                    f"no row of '{data.name}' has '{column}' = '{value}'.{hint}",
                    where,
                )
            )
    return out


class FiguresMatchData(Rule):
    """Every figure with a ``recompute`` query equals what the data gives."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        defect = entry.entity
        if not isinstance(defect, Defect):
            return
        for index, figure in enumerate(defect.figures):
            query = figure.recompute
            if query is None:
                continue
            key_path: KeyPath = ("figures", index, "recompute")
            data, problems = _dataset(query.dataset, entry, key_path, ctx)
            yield from problems
            if data is None:
                continue
            problems = query_problems(data, query.where, entry, (*key_path, "where"))
            problems += query_problems(data, query.within, entry, (*key_path, "within"))
            if problems:
                yield from problems
                continue
            if figure.cite != data.provenance.cite:
                yield error(
                    "figure-cite-mismatch",
                    f"figure cites '{figure.cite}' but its data set '{data.name}' comes from "
                    f"'{data.provenance.cite}'; cite the study whose data it is.",
                    entry.source.location(("figures", index, "cite")),
                )
            count = len(select(data, query.where))
            total = len(select(data, query.within))
            if (figure.count, figure.total) != (count, total):
                yield error(
                    "figure-drift",
                    f"figure '{figure.label}' says {figure.count} of {figure.total}, but {data.path} gives "
                    f"{count} of {total} for its recompute query; correct 'count' and 'total', or the query.",
                    entry.source.location(("figures", index)),
                )


class CasesMatchData(Rule):
    """A defect type's ``cases`` query names real columns and values and selects rows."""

    def check(self, entry: Entry, ctx: Context) -> Iterator[Finding]:
        defect = entry.entity
        if not isinstance(defect, Defect) or defect.cases is None:
            return
        data, problems = _dataset(defect.cases.dataset, entry, ("cases",), ctx)
        yield from problems
        if data is None:
            return
        problems = query_problems(data, defect.cases.where, entry, ("cases", "where"))
        yield from problems
        if problems:
            return
        if not select(data, defect.cases.where):
            yield error(
                "cases-select-nothing",
                f"'cases' selects no row of '{data.name}'; the conditions together match nothing.",
                entry.source.location(("cases", "where")),
            )
            return
        # A parent's own query must cover its sub-types' cases, so its page aggregates them.
        own = set(own_cases(ctx.kb, defect))
        for child in subtypes_of(ctx.kb, defect.id):
            missing = [case for case in defect_cases(ctx.kb, child.id) if case not in own]
            if missing:
                yield error(
                    "cases-miss-subtype",
                    f"'cases' leaves out {len(missing)} case(s) of sub-type '{child.id}'; "
                    "a parent type's query must select every case of its sub-types.",
                    entry.source.location(("cases", "where")),
                )


class StudiesValid(Rule):
    """Scope records name cited studies of the bibliography and data that can give their scope."""

    def finish(self, ctx: Context) -> Iterator[Finding]:
        source = ctx.kb.studies_source
        if source is None:
            return
        keys = ctx.kb.bibliography.entries
        for key, study in sorted(ctx.kb.studies.items()):
            if ctx.kb.bibliography.loaded and key not in keys:
                yield error(
                    "unknown-citation",
                    f"scope record for '{key}', which is not in {ctx.kb.bibliography.path}.{suggestion(key, keys)}",
                    source.location(("studies", key)),
                )
            scope = study.data
            if scope is None:
                continue
            where: KeyPath = ("studies", key, "data")
            data = ctx.kb.datasets.get(scope.dataset)
            if data is None:
                if not ctx.is_broken(scope.dataset, "dataset"):
                    yield error(
                        "unknown-dataset",
                        f"data set '{scope.dataset}' is not in {ctx.kb.root}/data/.",
                        source.location((*where, "dataset")),
                    )
                continue
            if data.provenance.cite != key:
                yield error(
                    "study-data-mismatch",
                    f"data set '{data.name}' comes from '{data.provenance.cite}', not from '{key}'.",
                    source.location((*where, "dataset")),
                )
            for name in ("date_column", "framework_column"):
                column = getattr(scope, name)
                if column is not None and column not in data.columns:
                    hint = suggestion(column, data.columns) or f" Columns: {', '.join(data.columns)}."
                    yield error(
                        "unknown-data-column",
                        f"'{data.name}' has no column '{column}'.{hint}",
                        source.location((*where, name)),
                    )
            if scope.date_column in data.columns:
                yield from undated_rows(data, scope.date_column)
            if scope.framework_column in data.columns:
                loose = ungrouped_values(data, scope.framework_column, scope.framework_groups)
                if loose:
                    yield error(
                        "ungrouped-data-value",
                        f"framework values {loose} of '{data.name}' are in no group of 'framework_groups'; "
                        "add them to a group so the shares add up.",
                        source.location((*where, "framework_groups")),
                    )


def undated_rows(data: StudyData, column: str) -> Iterator[Finding]:
    """The first row whose date column does not start with a real date (YYYY-MM-DD).

    The study's period and its before/after share are computed from that column
    over every row: a row without a date, or with month 13, would skew or invent them.
    """
    for index, value in enumerate(data.column(column)):
        text = value.strip()
        try:
            ok = bool(_DATE_RE.match(text)) and date.fromisoformat(text[:10]).year >= 1900
        except ValueError:
            ok = False
        if not ok:
            yield error(
                "invalid-value",
                f"'{column}' is '{visible(text[:40])}', not a date (YYYY-MM-DD...); kb/studies.yaml computes the "
                "study's period from this column, so every row needs one.",
                Location(data.path, data.lines[index], 1),
            )
            return
