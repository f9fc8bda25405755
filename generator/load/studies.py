"""The scope of each cited study (``kb/studies.yaml``), computed from its data where it has some.

A reader weighing a figure needs to know what the study looked at: which
domain, which years, which frameworks, how large a sample, by what method.
Each record is keyed by the study's BibTeX key. What the study's data in
``kb/data/`` can tell (years, framework shares, sample size) is computed
from it rather than typed, so it cannot drift; the rest is typed.

Why a YAML file and not extra fields in ``references.bib``: BibTeX fields
are untyped strings (no lists, no nesting) that citation managers drop or
mangle, while a YAML file gets a model, located errors and a JSON Schema
like every other KB file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, StringConstraints

from generator.load.datasets import StudyData, normalise
from generator.markup import plain
from generator.models import CiteKey, Dataset, Description, Strict

#: The studies file, relative to the KB root.
STUDIES_FILE = "studies.yaml"

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=120)]
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})")
_REPO_RE = re.compile(r"^https?://github\.com/([^/\s]+/[^/\s]+)/")


class DataScope(Strict):
    """How to compute a study's scope from its data set."""

    dataset: Dataset = Field(description="The study's data set in kb/data/.")
    unit: ShortText = Field(description="What one row is, in the plural, e.g. 'coded defects'.")
    date_column: ShortText | None = Field(
        default=None, description="Column with an ISO date per row; gives the years of the data."
    )
    split_year: Annotated[int, Field(ge=1990, le=2100)] | None = Field(
        default=None, description="Also show the share of rows dated before this year."
    )
    framework_column: ShortText | None = Field(
        default=None, description="Column naming each row's framework; gives the framework shares."
    )
    framework_groups: dict[ShortText, list[ShortText]] = Field(
        default_factory=dict,
        description="Label shown -> the column's values it groups (compared case-insensitively).",
    )


class Study(Strict):
    """The scope of one cited study."""

    domain: Description = Field(description="What the study looked at, e.g. 'computer-vision model reengineering'.")
    method: Description = Field(description="How: mined issues, interviews, survey, controlled experiment ...")
    years: ShortText | None = Field(
        default=None, description="Years the data covers, when no data set gives them, e.g. '2019-2022'."
    )
    frameworks: list[ShortText] = Field(
        default_factory=list, description="Frameworks covered, when no data set gives their shares."
    )
    sample: Description | None = Field(
        default=None, description="Sample size and kind, e.g. '92 survey responses' (added to what data gives)."
    )
    data: DataScope | None = Field(default=None, description="Compute years, frameworks and sample from this data.")


class StudiesFile(Strict):
    """``kb/studies.yaml``: the scope record of each cited study, by BibTeX key."""

    studies: dict[CiteKey, Study] = Field(description="Scope records by BibTeX key of kb/references.bib.")


@dataclass(frozen=True)
class Scope:
    """A study's scope ready to show: every part is plain text (possibly empty)."""

    key: str
    domain: str
    method: str
    years: str
    frameworks: str
    sample: str

    @property
    def parts(self) -> list[tuple[str, str]]:
        """(label, text) of the non-empty parts, in reading order."""
        labelled = [
            ("Domain", self.domain),
            ("Period", self.years),
            ("Frameworks", self.frameworks),
            ("Sample", self.sample),
            ("Method", self.method),
        ]
        return [(label, text) for label, text in labelled if text]

    @property
    def line(self) -> str:
        """One line, e.g. 'Domain: ...; Period: 2015-09 to 2021-09; Frameworks: PyTorch 47%, ...'."""
        return "; ".join(f"{label}: {text}" for label, text in self.parts)


def _percent(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%"


def date_span(data: StudyData, column: str, split_year: int | None) -> str:
    """'2015-09 to 2021-09 (78% before 2020)' from a date column (months of the rows)."""
    months = sorted(f"{m.group(1)}-{m.group(2)}" for v in data.column(column) if (m := _MONTH_RE.match(v.strip())))
    if not months:
        return ""
    text = f"{months[0]} to {months[-1]}"
    if split_year is not None:
        before = sum(1 for m in months if int(m[:4]) < split_year)
        text += f" ({_percent(before, len(data.rows))} before {split_year})"
    return text


def framework_shares(data: StudyData, column: str, groups: Mapping[str, list[str]]) -> list[tuple[str, int]]:
    """(label, rows) per framework group, largest first; values outside every group keep their own name."""
    label_of = {normalise(value): label for label, values in groups.items() for value in values}
    counts: Counter[str] = Counter()
    for value in data.column(column):
        counts[label_of.get(normalise(value), value.strip())] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def ungrouped_values(data: StudyData, column: str, groups: Mapping[str, list[str]]) -> list[str]:
    """Values of the framework column that no group names (when groups are given)."""
    if not groups:
        return []
    known = {normalise(value) for values in groups.values() for value in values}
    return sorted({v for v in data.column(column) if normalise(v) not in known})


def sample_text(data: StudyData, unit: str) -> str:
    """'348 coded defects from 334 issues in 27 repositories' (issues and repositories from 'URL')."""
    text = f"{len(data.rows)} {unit}"
    if "URL" in data.columns:
        urls = {v.strip() for v in data.column("URL") if v.strip()}
        repos = {m.group(1) for u in urls if (m := _REPO_RE.match(u))}
        text += f" from {len(urls)} issues"
        if repos:
            text += f" in {len(repos)} repositor{'y' if len(repos) == 1 else 'ies'}"
    return text


def scope_of(key: str, study: Study, datasets: Mapping[str, StudyData]) -> Scope:
    """The scope of one study, computed from its data where it has some."""
    years = study.years or ""
    frameworks = ", ".join(study.frameworks)
    samples = [study.sample] if study.sample else []
    data = datasets.get(study.data.dataset) if study.data else None
    if study.data is not None and data is not None:
        scope = study.data
        if scope.date_column in data.columns:
            years = date_span(data, scope.date_column, scope.split_year) or years
        if scope.framework_column in data.columns:
            shares = framework_shares(data, scope.framework_column, scope.framework_groups)
            frameworks = ", ".join(f"{label} {_percent(n, len(data.rows))}" for label, n in shares)
        samples.insert(0, sample_text(data, scope.unit))
    # YAML escapes can spell any character: the parts are made plain here, as the Scope promises.
    parts = (study.domain, study.method, years, frameworks, "; ".join(samples))
    return Scope(key, *(plain(part) for part in parts))


def scopes(studies: Mapping[str, Study], datasets: Mapping[str, StudyData]) -> dict[str, Scope]:
    """Every study's scope, by BibTeX key."""
    return {key: scope_of(key, study, datasets) for key, study in sorted(studies.items())}
