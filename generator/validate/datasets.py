"""Validate stage: turn ``kb/data/`` files into :class:`~generator.load.datasets.StudyData`.

The CSV parsing lives in :mod:`generator.load.datasets`; building the
provenance model uses the schema stage's helpers, so the assembly is here.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pydantic import ValidationError

from generator.findings import Finding, Location, error, visible
from generator.ids import suggestion, url_problem
from generator.load.datasets import (
    DATASET_NAME_RE,
    URL_COLUMN,
    DatasetProvenance,
    StudyData,
    normalise,
    parse_csv,
)
from generator.load.files import RawFile
from generator.validate.documents import parse_source, schema_findings

#: A web URL as the schema's HttpUrl accepts it (no spaces, quotes, angle brackets or backslashes).
WEB_URL_RE = re.compile(r"""https?://[^\s<>"'\\]+""")


def load_dataset(csv_file: RawFile, provenance_file: RawFile | None) -> tuple[StudyData | None, list[Finding]]:
    """Build a :class:`StudyData` from its CSV and provenance files.

    Returns None (and the findings) when either file is unusable.
    """
    name = PurePosixPath(csv_file.rel).stem
    if not DATASET_NAME_RE.match(name):
        return None, [
            error(
                "invalid-value",
                f"data set name '{name}' must be lower-case words joined by hyphens.",
                Location(csv_file.path),
            )
        ]
    yaml_path = csv_file.path.removesuffix(".csv") + ".yaml"
    if provenance_file is None:
        return None, [
            error(
                "missing-provenance",
                f"data set '{name}' has no provenance file; add {yaml_path} (source repository, commit, licence, "
                "citation, columns).",
                Location(csv_file.path),
            )
        ]
    source, findings = parse_source(provenance_file)
    if source is None:
        return None, findings
    try:
        provenance = DatasetProvenance.model_validate(source.doc.data)
    except ValidationError as exc:
        return None, schema_findings(exc, DatasetProvenance, source, f"provenance of data set '{name}'")
    header, rows, lines, problems = parse_csv(csv_file)
    findings += problems
    if header:
        declared = tuple(provenance.columns)
        if header != declared:
            findings.append(
                error(
                    "data-columns-differ",
                    f"the CSV header {list(header)} differs from the columns in {yaml_path} {list(declared)}; "
                    "describe every column, in the CSV's order.",
                    source.location(("columns",)),
                )
            )
        for role in ("framework", "reporter", "symptom"):
            column = getattr(provenance.roles, role)
            if column is not None and column not in declared:
                findings.append(
                    error(
                        "unknown-data-column",
                        f"'roles.{role}' names column '{column}', which {yaml_path} does not describe."
                        f"{suggestion(column, declared)}",
                        source.location(("roles", role)),
                    )
                )
        if URL_COLUMN in header:
            findings += url_findings(csv_file, rows, lines)
        for key in provenance.labels:
            if key != normalise(key):
                findings.append(
                    error(
                        "invalid-value",
                        f"label key '{visible(key)}' is matched against values in lower case with single spaces, so it "
                        f"never applies; write it as '{visible(normalise(key))}'.",
                        source.location(("labels", key)),
                    )
                )
        if len(rows) != provenance.rows and not problems:
            findings.append(
                error(
                    "data-row-count",
                    f"{yaml_path} says {provenance.rows} rows, but {csv_file.path} has {len(rows)}.",
                    source.location(("rows",)),
                )
            )
    if findings:
        return None, findings
    return StudyData(name, csv_file.path, provenance, header, tuple(rows), tuple(lines)), []


def url_findings(csv_file: RawFile, rows: list[dict[str, str]], lines: list[int]) -> list[Finding]:
    """Every value of the URL column is empty or a plain http(s) URL: it becomes a link on defect pages."""
    out: list[Finding] = []
    text_lines: list[str] = []
    for row, line in zip(rows, lines, strict=True):
        url = row[URL_COLUMN]
        problem = url_problem(url) if url.strip() else None
        if problem is None and url.strip() and not WEB_URL_RE.fullmatch(url):
            problem = "is not a plain http(s) URL (spaces, quotes, '<' and '>' are not allowed)"
        if problem is not None:
            text_lines = text_lines or csv_file.data.decode("utf-8").split("\n")
            column = text_lines[line - 1].find(url) + 1 if line <= len(text_lines) else 0
            shown = visible(url if len(url) <= 80 else url[:77] + "...")
            out.append(
                error(
                    "invalid-value",
                    f"'{URL_COLUMN}' value '{shown}' {problem}; the cases tables link to it.",
                    Location(csv_file.path, line, column or 1),
                )
            )
            if len(out) >= 20:
                break
    return out


def load_datasets(files: list[RawFile]) -> tuple[dict[str, StudyData], set[str], list[Finding]]:
    """Load every data set under ``kb/data/`` (files given with KB-relative paths).

    Returns:
        The data sets by name, the names of those that failed to load (so
        queries naming them are not reported again), and the findings.
    """
    by_rel = {f.rel: f for f in files}
    datasets: dict[str, StudyData] = {}
    broken: set[str] = set()
    findings: list[Finding] = []
    for file in files:
        rel = PurePosixPath(file.rel)
        if rel.suffix == ".csv":
            dataset, problems = load_dataset(file, by_rel.get(str(rel.with_suffix(".yaml"))))
            findings += problems
            if dataset is not None:
                datasets[dataset.name] = dataset
            else:
                broken.add(rel.stem)
        elif rel.suffix == ".yaml":
            if str(rel.with_suffix(".csv")) not in by_rel:
                findings.append(
                    error(
                        "missing-data",
                        f"provenance file without data: {file.path.removesuffix('.yaml')}.csv is missing.",
                        Location(file.path),
                    )
                )
        elif rel.suffix.lower() not in {".md", ".txt"}:
            findings.append(
                error("unexpected-file", "kb/data/ holds NAME.csv with NAME.yaml only.", Location(file.path))
            )
    return datasets, broken, findings
