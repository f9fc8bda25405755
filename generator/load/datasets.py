"""Study data in the repository: ``kb/data/NAME.csv`` with its provenance ``NAME.yaml``.

Figures on defect pages are recomputed from these files on every build, and
defect-type pages list their real cases from them. The CSV is read strictly:
UTF-8, a header of unique names that equals the provenance's ``columns``,
every row with exactly as many fields, bounded sizes. Every problem is a
finding with the file, line and column; nothing here raises or touches the
disk (the loader has already read the bytes).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated

from pydantic import Field, StringConstraints

from generator.findings import Finding, Location, error
from generator.load.files import RawFile
from generator.load.yamlstrict import YamlProblem, decode
from generator.markup import csv_field_limit
from generator.models import CiteKey, Description, HttpUrl, Strict, Title

#: Folder of the data sets, relative to the KB root.
DATA_DIR = "data"
#: Limits that keep a malformed or hostile file from exhausting memory or time.
MAX_BYTES = 5_000_000
MAX_ROWS = 50_000
MAX_COLUMNS = 60
MAX_FIELD = 1_000

DATASET_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Characters no data cell may hold: C0 and C1 controls (tab and line ends aside), DEL, bidi
#: controls and line/paragraph separators. Cells reach pages and exports as they are.
HIDDEN_CHARACTER_RE = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
#: The column whose values link each case to its issue (see the cases tables on defect pages).
URL_COLUMN = "URL"


class DataSource(Strict):
    """Where the data came from: a public repository, a file in it, and the exact commit."""

    repository: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")] = Field(
        description="GitHub repository as owner/name."
    )
    url: HttpUrl = Field(description="URL of the repository.")
    path: Annotated[str, StringConstraints(min_length=1, max_length=300)] = Field(
        description="Path of the source file in the repository."
    )
    commit: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{40}$")] = Field(
        description="Full commit hash the file was taken from."
    )
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="SHA-256 of the source file at that commit."
    )


class DataLicence(Strict):
    """The licence status of the source, and what we store because of it."""

    spdx: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.+-]+$")] | None = Field(
        description="SPDX id of the source's licence, or null when it has none."
    )
    note: Annotated[str, StringConstraints(min_length=10, max_length=800)] = Field(
        description="What the licence status means for what is stored here."
    )


class ColumnRoles(Strict):
    """Which columns the cases table on defect pages shows (the repository comes from 'URL')."""

    framework: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = Field(
        default=None, description="Column naming the framework or converter."
    )
    reporter: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = Field(
        default=None, description="Column naming the reporter's role."
    )
    symptom: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = Field(
        default=None, description="Column naming the symptom."
    )


class DatasetProvenance(Strict):
    """The provenance file beside a data set (``kb/data/NAME.yaml``)."""

    title: Title = Field(description="What the data set holds.")
    cite: CiteKey = Field(description="BibTeX key of the study whose data this is.")
    source: DataSource = Field(description="Where the data came from.")
    licence: DataLicence = Field(description="Licence status of the source.")
    derivation: Annotated[str, StringConstraints(min_length=10, max_length=2000)] = Field(
        description="How this file was derived from the source: rows and columns kept, values changed."
    )
    rows: Annotated[int, Field(ge=1, le=MAX_ROWS)] = Field(description="Number of data rows (checked).")
    columns: dict[Annotated[str, StringConstraints(min_length=1, max_length=60)], Description] = Field(
        description="Every column of the CSV, in order, with what it holds."
    )
    roles: ColumnRoles = Field(default_factory=ColumnRoles, description="Columns shown in cases tables.")
    labels: dict[Annotated[str, StringConstraints(min_length=1, max_length=60)], Description] = Field(
        default_factory=dict,
        description="How to write a value on pages, by its lower-case form (e.g. pytorch: PyTorch); "
        "other values show their most frequent spelling.",
    )


@dataclass(frozen=True)
class StudyData:
    """A data set: its rows (with their line numbers) and provenance."""

    name: str
    path: str
    provenance: DatasetProvenance
    columns: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]
    lines: tuple[int, ...]
    """1-based line in the CSV where each row starts."""

    def column(self, name: str) -> list[str]:
        """Every value of one column, in row order."""
        return [row[name] for row in self.rows]

    def label(self, value: str) -> str:
        """How a value is written on pages: its label, else its most frequent spelling in the data."""
        key = normalise(value)
        if key in self.provenance.labels:
            return self.provenance.labels[key]
        return self._spellings.get(key, value.strip())

    def index(self, column: str) -> dict[str, list[int]]:
        """Row indexes by normalised value of one column (built once per column).

        Raises:
            KeyError: for a column the data set does not have.
        """
        indexes = self._indexes
        if column not in indexes:
            by_value: dict[str, list[int]] = {}
            for i, row in enumerate(self.rows):
                by_value.setdefault(normalise(row[column]), []).append(i)
            indexes[column] = by_value
        return indexes[column]

    @cached_property
    def _indexes(self) -> dict[str, dict[str, list[int]]]:
        return {}

    @cached_property
    def _spellings(self) -> dict[str, str]:
        counts: Counter[tuple[str, str]] = Counter()
        for row in self.rows:
            for value in row.values():
                counts[(normalise(value), value.strip())] += 1
        best: dict[str, str] = {}
        for (key, spelling), _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1])):
            best.setdefault(key, spelling)
        return best


def normalise(value: str) -> str:
    """How data values compare: case-insensitive, whitespace collapsed."""
    return " ".join(value.split()).casefold()


def select(dataset: StudyData, where: Mapping[str, str]) -> list[int]:
    """Indexes of the rows whose columns equal ``where`` (normalised); all rows for ``{}``.

    A column the data set does not have matches no row: a query is evaluated
    for other entries (a parent type gathers its sub-types' cases) before or
    without the check that reports the column at its own line.
    """
    if not where:
        return list(range(len(dataset.rows)))
    found: set[int] | None = None
    for column, value in where.items():
        if column not in dataset.columns:
            return []
        rows = dataset.index(column).get(normalise(value), ())
        found = set(rows) if found is None else found.intersection(rows)
    return sorted(found or ())


def parse_csv(raw: RawFile) -> tuple[tuple[str, ...], list[dict[str, str]], list[int], list[Finding]]:
    """Parse a CSV strictly; return header, rows, their start lines and the problems."""
    where = Location(raw.path, 1, 1)
    if len(raw.data) > MAX_BYTES:
        return (
            (),
            [],
            [],
            [error("data-too-large", f"data file is {len(raw.data)} bytes; the limit is {MAX_BYTES}.", where)],
        )
    try:
        text = decode(raw.data)
    except YamlProblem as problem:
        return (), [], [], [error(problem.code, problem.message, Location(raw.path, problem.line, problem.col))]
    if "\x00" in text:
        return (), [], [], [error("malformed-data", "data file contains a NUL byte.", where)]
    hidden = HIDDEN_CHARACTER_RE.search(text)
    if hidden is not None:
        at = hidden.start()
        line_start = text.rfind("\n", 0, at) + 1
        return (
            (),
            [],
            [],
            [
                error(
                    "malformed-data",
                    f"data file contains the invisible or control character U+{ord(hidden.group()):04X}; "
                    "cells are shown on pages as they are, so remove it.",
                    Location(raw.path, text.count("\n", 0, at) + 1, at - line_start + 1),
                )
            ],
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    findings: list[Finding] = []
    header: tuple[str, ...] = ()
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    line = 1
    try:
        with csv_field_limit():
            for record in reader:
                start, line = line, reader.line_num + 1
                if not header:
                    header = tuple(record)
                    findings += check_header(header, raw.path)
                    if findings:
                        return (), [], [], findings
                    continue
                if len(rows) >= MAX_ROWS:
                    findings.append(
                        error("data-too-large", f"more than {MAX_ROWS} rows.", Location(raw.path, start, 1))
                    )
                    break
                if len(record) != len(header):
                    findings.append(
                        error(
                            "malformed-row",
                            f"row has {len(record)} fields; the header has {len(header)}.",
                            Location(raw.path, start, 1),
                        )
                    )
                    continue
                long = next((i for i, value in enumerate(record) if len(value) > MAX_FIELD), None)
                if long is not None:
                    findings.append(
                        error(
                            "malformed-row",
                            f"field '{header[long]}' is {len(record[long])} characters; the limit is {MAX_FIELD}.",
                            Location(raw.path, start, 1),
                        )
                    )
                    continue
                rows.append(dict(zip(header, record, strict=True)))
                lines.append(start)
    except csv.Error as exc:
        findings.append(error("malformed-data", f"not valid CSV: {exc}.", Location(raw.path, reader.line_num, 1)))
    if not header and not findings:
        findings.append(error("malformed-data", "data file is empty; it needs a header row.", where))
    return header, rows, lines, findings


def check_header(header: tuple[str, ...], path: str) -> list[Finding]:
    """Check a data file's header: bounded width, names that are present and unique."""
    where = Location(path, 1, 1)
    if len(header) > MAX_COLUMNS:
        return [error("malformed-data", f"header has {len(header)} columns; the limit is {MAX_COLUMNS}.", where)]
    if any(not name.strip() for name in header):
        return [error("malformed-data", "header has an empty column name.", where)]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            return [error("malformed-data", f"header names column '{name}' twice.", where)]
        seen.add(name)
    return []
