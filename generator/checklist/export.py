"""Export a composed checklist: Markdown task list, CSV, JSON (pure functions).

Every export is first built as a :data:`Template`: text with a :class:`Slot`
where each item's status goes. :func:`fill` turns a template and the set of
done item ids into the file. The site's checklist pages embed the same
templates, so their download buttons produce exactly what the CLI produces
for the same ticks. Output is deterministic: no dates, sorted JSON keys.

Every string from an entry is escaped for its sink: Markdown (no markup,
links or HTML can be injected; pipes escaped, newlines collapsed), CSV
(formula-looking cells are neutralised with a leading apostrophe,
reversibly) and JSON (:func:`generator.markup.export_json`: standard indented JSON).
The printable HTML export is in :mod:`generator.checklist.html`.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from generator.checklist.compose import Checklist, Item, PracticeInfo, item_facts
from generator.checklist.html import to_html
from generator.checklist.schema import (
    FORMAT,
    FORMAT_VERSION,
    ChecklistExport,
    EntityModel,
    ItemModel,
    KbStamp,
    QueryModel,
    SelectionModel,
    StageModel,
)
from generator.load.gitinfo import short_commit
from generator.markup import counted, csv_cell, export_json, export_text, failure_label, gfm_text, md_url
from generator.pipeline import no_collector_pauses

FORMATS = ("md", "csv", "json", "html")
CSV_COLUMNS = (
    "id",
    "stage",
    "practice",
    "item",
    "status",
    "essential",
    "severity",
    "effort",
    "how",
    "done_when",
    "checked_with",
    "docs",
    "failures",
    "importance",
    "guards_against",
    "evidence",
    "rationale",
    "url",
    "query",
)
#: The columns of ``--compact`` CSV: only the boxes (and the query, so ``checklist status`` can compare).
CSV_COMPACT_COLUMNS = ("id", "stage", "item", "status", "query")
#: The comment that opens a Markdown export and carries its query back to ``checklist status``.
MD_HEADER = "reengineering-kb checklist"
CSV_BOM = "\ufeff"  # spreadsheets read UTF-8 correctly only with it


@dataclass(frozen=True)
class Slot:
    """Where an item's status goes in a template."""

    uid: str


Part = str | Slot
Template = tuple[Part, ...]

#: What a slot becomes, per format: (open, done).
TOKENS: dict[str, tuple[str, str]] = {"md": (" ", "x"), "csv": ("open", "done"), "json": ('"open"', '"done"')}


def fill(template: Template, fmt: str, done: Collection[str] = ()) -> str:
    """Join a template, writing each slot's status token for format ``fmt``."""
    open_token, done_token = TOKENS[fmt]
    return "".join(
        part if isinstance(part, str) else (done_token if part.uid in done else open_token) for part in template
    )


def _compact(parts: list[Part]) -> Template:
    """Merge adjacent strings (smaller templates to embed in pages)."""
    out: list[Part] = []
    for part in parts:
        if isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + part
        elif part != "":
            out.append(part)
    return tuple(out)


def _link(text: str, url: str) -> str:
    return f"[{gfm_text(text)}]({url})" if url else gfm_text(text)


def _guards_md(cl: Checklist, item: Item) -> str:
    seen: list[str] = []
    for _, eid in cl.guards(item):
        if eid not in seen:
            seen.append(eid)
    return ", ".join(_link(cl.names.get(e, e), cl.urls.get(e, "")) for e in seen)


def md_details(item: Item, *, facts: bool = True) -> list[str]:
    """The indented lines under an item's box: how, done when, versions, links (and ``facts``)."""
    lines = []
    if item.how:
        lines.append(f"How: {gfm_text(item.how)}")
    if item.done_when:
        lines.append(f"Done when: {gfm_text(item.done_when)}")
    if item.checked_with:
        lines.append(f"Checked with: {gfm_text(item.checked_with)}")
    if item.docs:
        lines.append("Docs: " + "; ".join(f"[{gfm_text(d.title)}]({md_url(d.url)})" for d in item.docs))
    if item.failures:
        lines.append(
            "Real failures: " + ", ".join(f"[{gfm_text(failure_label(u))}]({md_url(u)})" for u in item.failures)
        )
    if facts and item_facts(item):
        lines.append(md_facts(item_facts(item)))
    return [f"    - {line}\n" for line in lines]


def md_facts(facts: list[str]) -> str:
    """``Essential; severity: blocker; effort: hours.`` (the builder page writes the same in JavaScript)."""
    return gfm_text("; ".join(facts).capitalize()) + "."


def markdown_template(cl: Checklist, *, compact: bool = False) -> Template:
    """A GitHub task list grouped by stage, then practice; each item keeps its id in a comment.

    Under each box: how, done when, the versions checked, documentation and
    failure links, and severity, effort and the essential mark. ``compact``
    keeps only the boxes, under their stage headings.
    """
    query = cl.query.to_string()
    parts: list[Part] = [
        f"<!-- {MD_HEADER} | query: {query} | kb: {cl.kb_version} | commit: {cl.commit} -->\n",
        f"## Checklist: {gfm_text(cl.title)}\n\n{gfm_text(cl.summary)}\n\n",
        f"{counted(len(cl.items), 'item')} in {counted(len(cl.stages), 'stage')}, "
        f"from {_link(cl.kb_name, md_url(cl.site_url))} {cl.kb_version} (commit `{short_commit(cl.commit)}`), "
        f"query `{query or 'all practices'}`.\n",
    ]
    if not cl.items:
        parts.append("\n_No practice matches this query._\n")
    for stage, groups in cl.grouped():
        parts.append(f"\n### Stage {stage.order}: {gfm_text(stage.title)}\n\n")
        for practice, items in groups:
            indent = ""
            if not compact:
                indent = "  "
                parts.append(md_practice_line(cl, practice, items[0]))
            for item in items:
                parts += [f"{indent}- [", Slot(item.uid), f"] {gfm_text(item.text)} <!-- item: {item.uid} -->\n"]
                if not compact:
                    parts += md_details(item)
    return _compact([export_text(part) if isinstance(part, str) else part for part in parts])


def md_practice_line(cl: Checklist, practice: PracticeInfo, first: Item) -> str:
    """The line that heads a practice's boxes: title link, importance, what it guards against, evidence."""
    line = f"- **{_link(practice.title, practice.url)}** ({practice.importance})."
    guards = _guards_md(cl, first)
    if guards:
        line += f" Guards against: {guards}."
    if first.evidence:
        refs = ", ".join(_link(k, cl.urls.get(f"cite:{k}", "")) for k in first.evidence)
        line += f" Evidence: {refs}."
    return line + "\n"


def to_markdown(cl: Checklist, done: Collection[str] = (), *, compact: bool = False) -> str:
    """The checklist as a Markdown task list (paste into an issue)."""
    return fill(markdown_template(cl, compact=compact), "md", done)


# ----------------------------------------------------------------------- CSV


class _CsvLines:
    """Cells to CSV text a line at a time, through one writer (a writer and a buffer per line cost more)."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        # The writer quotes cells holding characters of its line terminator: keep CRLF, then cut it off.
        self._writer = csv.writer(self, lineterminator="\r\n")

    def write(self, line: str) -> None:
        self._lines.append(line)

    def __call__(self, cells: Sequence[str]) -> str:
        self._writer.writerow([csv_cell(export_text(c)) for c in cells])
        return self._lines.pop().removesuffix("\r\n")


def _csv_row(cl: Checklist, item: Item, stage: str, query: str) -> dict[str, str]:
    practice = cl.practices[item.practice]
    return {
        "id": item.uid,
        "stage": stage,
        "practice": practice.title,
        "item": item.text,
        "status": "",
        "essential": "yes" if item.essential else "no",
        "severity": item.severity or "",
        "effort": item.effort or "",
        "how": item.how or "",
        "done_when": item.done_when or "",
        "checked_with": item.checked_with or "",
        "docs": "; ".join(f"{d.title} <{d.url}>" for d in item.docs),
        "failures": "; ".join(item.failures),
        "importance": item.importance,
        "guards_against": "; ".join(dict.fromkeys(cl.names.get(e, e) for _, e in cl.guards(item))),
        "evidence": "; ".join(item.evidence),
        "rationale": practice.rationale,
        "url": practice.url,
        "query": query,
    }


def csv_template(cl: Checklist, *, compact: bool = False) -> Template:
    """One row per item; the status column holds ``open`` or ``done`` (``compact``: only the boxes)."""
    columns = CSV_COMPACT_COLUMNS if compact else CSV_COLUMNS
    status_at = columns.index("status")
    query = cl.query.to_string()
    stages = {s.id: s.title for s in cl.stages}
    line = _CsvLines()
    parts: list[Part] = [CSV_BOM, line(columns), "\r\n"]
    for item in cl.items:
        cells = _csv_row(cl, item, stages[item.stage], query)
        row = [cells[c] for c in columns]
        before, after = row[:status_at], row[status_at + 1 :]
        parts += [line(before) + ",", Slot(item.uid), "," + line(after) + "\r\n"]
    return _compact(parts)


def to_csv(cl: Checklist, done: Collection[str] = (), *, compact: bool = False) -> str:
    """The checklist as CSV (UTF-8 with BOM, CRLF rows), safe to open in a spreadsheet."""
    return fill(csv_template(cl, compact=compact), "csv", done)


# ---------------------------------------------------------------------- JSON


def export_model(cl: Checklist) -> ChecklistExport:
    """The checklist as the typed JSON export (every status ``open``)."""
    return ChecklistExport(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        title=cl.title,
        summary=cl.summary,
        scope=cl.scope,
        kb=KbStamp(name=cl.kb_name, version=cl.kb_version, commit=cl.commit, site_url=cl.site_url),
        query=QueryModel(**cl.query.as_dict()),
        query_string=cl.query.to_string(),
        selection=SelectionModel(**cl.selection.as_dict()),
        stages=[StageModel(id=s.id, title=s.title, order=s.order) for s in cl.stages],
        items=[ItemModel(**item_entry(cl, i), status="open", essential=i.essential) for i in cl.items],
        entities={
            eid: EntityModel(type=cl.kinds.get(eid, ""), title=title, url=cl.urls.get(eid, ""))
            for eid, title in sorted(cl.names.items())
        },
        references={k.removeprefix("cite:"): url for k, url in sorted(cl.urls.items()) if k.startswith("cite:")},
    )


def item_entry(cl: Checklist, item: Item) -> dict[str, Any]:
    """One item of the JSON export as JSON-ready data, but for its status and essential mark.

    What ``ItemModel.model_dump(mode="json")`` gives without those two keys
    (``tests/checklist/test_export.py`` checks every item of the KB): the
    builder's data carries it for every item, and validating thousands of
    models only to dump them again was most of the builder's time.
    """
    when = item.applies_when
    return {
        "id": item.uid,
        "practice": item.practice,
        "item": item.item_id,
        "text": item.text,
        "stage": item.stage,
        "importance": item.importance,
        "addresses": list(item.addresses),
        "prevents": list(item.prevents),
        "detects": list(item.detects),
        "evidence": list(item.evidence),
        "url": cl.practices[item.practice].url,
        "how": item.how,
        "done_when": item.done_when,
        "checked_with": item.checked_with,
        "docs": [{"title": d.title, "url": d.url} for d in item.docs],
        "failures": list(item.failures),
        "severity": item.severity,
        "effort": item.effort,
        "applies_when": {
            "trains": when.trains,
            "reference_code": when.reference_code,
            "reference_weights": when.reference_weights,
            "multi_device": when.multi_device,
            "source": list(when.source),
            "target": list(when.target),
            "hardware": list(when.hardware),
            "precision": list(when.precision),
            "model_family": list(when.model_family),
        },
    }


_STATUS = '"status": "open"'


def json_template(cl: Checklist) -> Template:
    """The JSON export with a slot at each item's ``status`` value.

    JSON escapes every quote inside a string, so ``"status": "open"`` can only
    be a key and its value; only items have a status (the count is checked).
    """
    text = export_json(export_model(cl).model_dump(mode="json"))
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"  # safe to embed in <script>
    pieces = text.split(_STATUS)
    if len(pieces) != len(cl.items) + 1:  # pragma: no cover - guarded by the schema: only items have a status
        raise AssertionError("JSON export: status keys do not match the items")
    parts: list[Part] = []
    for piece, item in zip(pieces, cl.items, strict=False):
        parts += [piece + '"status": ', Slot(item.uid)]
    parts.append(pieces[-1])
    return tuple(parts)


def to_json(cl: Checklist, done: Collection[str] = ()) -> str:
    """The checklist as JSON, stamped with the KB version, commit and query."""
    return fill(json_template(cl), "json", done)


@no_collector_pauses()
def templates(cl: Checklist, *, compact: bool = False) -> dict[str, Template]:
    """The Markdown, CSV and JSON templates (for pages that rebuild downloads in the browser)."""
    return {
        "md": markdown_template(cl, compact=compact),
        "csv": csv_template(cl, compact=compact),
        "json": json_template(cl),
    }


@no_collector_pauses()
def export(cl: Checklist, fmt: str, done: Collection[str] = (), *, compact: bool = False) -> str:
    """Export in ``fmt`` (one of :data:`FORMATS`); ``compact`` keeps only the boxes (md, csv, html).

    Raises:
        ValueError: for an unknown format.
    """
    if fmt == "html":
        return to_html(cl, done, compact=compact)
    if fmt not in TOKENS:
        raise ValueError(f"unknown checklist format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return fill(json_template(cl), fmt, done)
    if fmt == "csv":
        return fill(csv_template(cl, compact=compact), fmt, done)
    return fill(markdown_template(cl, compact=compact), fmt, done)
