"""Read a filled checklist back and compare it with the current KB (pure functions).

``checklist status FILE`` reads a Markdown task list, a CSV (as edited in a
spreadsheet) or a JSON export, by the stable item ids each export carries,
and reports which items are done or open, which no longer exist in the
checklist (removed from the KB or no longer selected) and which were added
since the export. The export's query is read from the file, so the same
checklist can be composed again from the current KB.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from generator.checklist.compose import Checklist, Query
from generator.checklist.export import CSV_COLUMNS, MD_HEADER
from generator.checklist.schema import FORMAT
from generator.ids import ITEM_UID_PATTERN, ITEM_UID_WORDS
from generator.load.gitinfo import short_commit
from generator.markup import csv_field_limit, csv_uncell

# Untrusted text: every pattern works within one line ([ \t], never \s, which crosses
# newlines) and has no nested or overlapping quantifiers, so matching stays linear.
_HEADER_RE = re.compile(
    rf"<!--[ \t]*{re.escape(MD_HEADER)}[ \t]*\|[ \t]*query:(?P<query>[^|\n]*)\|[ \t]*kb:[ \t]*(?P<kb>[^|\s]*)[ \t]*"
    r"\|[ \t]*commit:[ \t]*(?P<commit>[^|\s]*)[ \t]*-->"
)
_MD_BOX_RE = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[(?P<mark>[ xX])\][ \t]")
_MD_ID_RE = re.compile(rf"<!--[ \t]*item:[ \t]*(?P<uid>{ITEM_UID_WORDS})[ \t]*-->[ \t\r]*")
#: Limits on a filled checklist: far above any export, low enough to answer at once.
MAX_BYTES = 8 * 1024 * 1024
MAX_LINES = 50_000
MAX_CELL = 20_000
MAX_DEPTH = 64
#: Matched with fullmatch: ``$`` alone also matches before a final newline.
_UID_RE = re.compile(ITEM_UID_PATTERN)
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")
#: Values of a CSV status cell that count as done (case-insensitive); anything else is open.
DONE_VALUES = frozenset(
    {"done", "x", "[x]", "yes", "y", "true", "1", "ok", "✓", "✔", "closed", "complete", "completed"}
)


class NotAChecklist(ValueError):
    """The file is not a checklist exported by this tool (or lost its item ids)."""


@dataclass(frozen=True)
class Filled:
    """A checklist read back from a file.

    Attributes:
        fmt: ``md``, ``csv`` or ``json``.
        query: The query it was exported with, when the file still says.
        status: Item id -> done, in file order.
        unread: ``key=value`` pairs of the file's query this version cannot read
            (unknown keys, yes/no filters that are neither true nor false).
    """

    fmt: str
    query: Query | None
    kb_version: str | None
    commit: str | None
    status: dict[str, bool] = field(default_factory=dict)
    unread: tuple[str, ...] = ()


def _add(status: dict[str, bool], uid: str, done: bool) -> None:
    status.setdefault(uid, done)  # a repeated id: the first row wins


def parse_markdown(text: str) -> Filled:
    """Read a Markdown export: task-list lines that still carry their ``<!-- item: id -->`` comment."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # any line ends, as the CSV reader accepts
    status: dict[str, bool] = {}
    for line in text.split("\n"):
        box = _MD_BOX_RE.match(line)
        if box is None:
            continue
        comment = line.rfind("<!--")
        found = _MD_ID_RE.fullmatch(line, comment) if comment > box.end() - 1 else None
        if found is not None:
            _add(status, found["uid"], box["mark"] in "xX")
    first = next((line for line in text.split("\n", 20)[:20] if line.lstrip().startswith("<!--")), "")
    header = _HEADER_RE.search(first[:MAX_CELL])
    if not status:
        raise NotAChecklist("no checklist items found: task-list lines must keep their '<!-- item: ... -->' comment")
    if header is None:
        return Filled("md", None, None, None, status)
    query = header["query"].strip()
    return Filled(
        "md", Query.from_string(query), header["kb"] or None, header["commit"] or None, status, Query.unread(query)
    )


def _dialect(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def parse_csv(text: str) -> Filled:
    """Read a CSV export, as saved by a spreadsheet (BOM, ``;`` or tab delimiters accepted)."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text.split("\n", 1)[0]))
    try:
        with csv_field_limit():
            rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise NotAChecklist(f"not a readable CSV file (line {reader.line_num}): {exc}") from None
    for number, row in enumerate(rows, start=1):
        if len(row) > 100:
            raise NotAChecklist(f"CSV row {number} has {len(row):,} cells; an export has {len(CSV_COLUMNS)}")
        for cell in row:
            if len(cell) > MAX_CELL:
                raise NotAChecklist(
                    f"CSV row {number} has a cell of {len(cell):,} characters; the limit is {MAX_CELL:,}"
                )
    if not rows:
        raise NotAChecklist("the CSV file is empty")
    header = [csv_uncell(cell).strip().lower() for cell in rows[0]]
    if "id" not in header or "status" not in header:
        raise NotAChecklist(f"the CSV header needs 'id' and 'status' columns; found: {', '.join(header)}")
    at_id, at_status = header.index("id"), header.index("status")
    at_query = header.index("query") if "query" in header else None
    status: dict[str, bool] = {}
    query: Query | None = None
    unread: tuple[str, ...] = ()
    for row in rows[1:]:
        cells = [csv_uncell(cell) for cell in row] + [""] * len(header)
        uid = cells[at_id].strip()
        if not _UID_RE.fullmatch(uid):
            continue
        _add(status, uid, cells[at_status].strip().lower() in DONE_VALUES)
        if query is None and at_query is not None:
            query, unread = Query.from_string(cells[at_query]), Query.unread(cells[at_query])
    if not status:
        raise NotAChecklist("no rows with an item id ('practice/item') in the 'id' column")
    return Filled("csv", query, None, None, status, unread)


def _has_surrogate(data: Any) -> bool:
    """Whether any string (key or value) in parsed JSON holds a surrogate code point (iterative: no depth limit)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if any("\ud800" <= ch <= "\udfff" for ch in value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def parse_json(text: str) -> Filled:
    """Read a JSON export (as written by ``--format json``; a BOM, as some editors save, is dropped)."""
    text = text.removeprefix("\ufeff")
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise NotAChecklist(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise NotAChecklist(f"JSON nested too deeply; an export is at most {MAX_DEPTH} levels deep") from None
    # JSON escapes can spell lone surrogates (\ud800), which no UTF-8 export holds and no output can encode.
    if _SURROGATE_ESCAPE_RE.search(text) and _has_surrogate(data):
        raise NotAChecklist("the JSON holds an escaped lone surrogate (such as \\ud800), which is not text")
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("items"), list):
        raise NotAChecklist(f'not a checklist export (expected "format": "{FORMAT}" and an \'items\' list)')
    status: dict[str, bool] = {}
    for item in data["items"]:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and _UID_RE.fullmatch(item["id"]):
            _add(status, item["id"], item.get("status") == "done")
    if not status:
        raise NotAChecklist("no items with an item id ('practice/item') in the 'items' list")
    kb: dict[str, Any] = data["kb"] if isinstance(data.get("kb"), dict) else {}
    query_string = data.get("query_string")
    query: Query | None = None
    unread: tuple[str, ...] = ()
    if isinstance(query_string, str):
        query, unread = Query.from_string(query_string), Query.unread(query_string)
    return Filled("json", query, _text(kb.get("version")), _text(kb.get("commit")), status, unread)


def _text(value: Any) -> str | None:
    """A JSON metadata value if it is a string, else None (an export writes strings only)."""
    return value if isinstance(value, str) and value else None


def parse_checklist(text: str, name: str = "") -> Filled:
    """Read a filled checklist; the format comes from the file name, else from the content.

    Raises:
        NotAChecklist: if no item ids can be read, or the file is beyond the limits
            (:data:`MAX_BYTES`, :data:`MAX_LINES`, :data:`MAX_CELL`, :data:`MAX_DEPTH`).
    """
    if len(text) > MAX_BYTES:
        raise NotAChecklist(f"the file has {len(text):,} characters; the limit is {MAX_BYTES:,}")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise NotAChecklist(
            f"the file has {lines:,} lines; the limit is {MAX_LINES:,} (an export has a few lines per item)"
        )
    if "\x00" in text:
        raise NotAChecklist("the file holds a NUL character; an export is plain text")
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    stripped = text.lstrip("\ufeff \t\r\n")
    if suffix == "json" or (suffix not in ("md", "csv") and stripped.startswith("{")):
        return parse_json(text)
    if suffix == "csv" or (suffix != "md" and re.match(r"^\"?id\"?[,;\t]", stripped)):
        return parse_csv(text)
    return parse_markdown(text)


@dataclass(frozen=True)
class StatusReport:
    """A filled checklist compared with the current one.

    Attributes:
        gone: Items of the file missing from the current checklist, with the reason.
        new: Items of the current checklist missing from the file (None: the file has no query).
    """

    filled: Filled
    done: list[str]
    open: list[str]
    gone: list[tuple[str, str]]
    new: list[str] | None


def compare(filled: Filled, current: Checklist | None, every_item: set[str]) -> StatusReport:
    """Compare a filled checklist with ``current`` (composed from the file's query, if it has one).

    Args:
        filled: The checklist read back.
        current: The same query composed from the current KB, or None when unknown.
        every_item: Ids of every checklist item in the current KB.
    """
    present = {i.uid for i in current.items} if current else every_item
    done = [uid for uid, ok in filled.status.items() if ok and uid in present]
    still_open = [uid for uid, ok in filled.status.items() if not ok and uid in present]
    gone = []
    for uid in filled.status:
        if uid in present:
            continue
        reason = "no longer selected by this query" if uid in every_item else "removed from the knowledge base"
        gone.append((uid, reason))
    new = [i.uid for i in current.items if i.uid not in filled.status] if current else None
    return StatusReport(filled, done, still_open, gone, new)


def report_text(report: StatusReport, current: Checklist | None, name: str) -> str:
    """A human summary of a status report."""
    f = report.filled
    texts = {i.uid: i.text for i in current.items} if current else {}
    origin = f"query '{f.query.to_string() or 'all practices'}'" if f.query is not None else "no query in the file"
    if f.kb_version or f.commit:
        origin += f", exported from KB {f.kb_version or '?'} at commit {short_commit(f.commit or 'unknown')}"
    if current is not None:
        origin += f"; current KB {current.kb_version} at commit {short_commit(current.commit)}"
    tracked = len(report.done) + len(report.open)
    share = f" ({100 * len(report.done) // tracked}%)" if tracked else ""
    lines = [f"{name}: {origin}", f"done: {len(report.done)} of {tracked}{share}"]

    def section(title: str, rows: list[str]) -> None:
        lines.append(f"{title} ({len(rows)}):" if rows else f"{title}: none")
        lines.extend(f"  {row}" for row in rows)

    section("open", [f"[ ] {uid}  {texts.get(uid, '')}".rstrip() for uid in report.open])
    mark = {True: "[x]", False: "[ ]"}
    section("no longer in the checklist", [f"{mark[f.status[uid]]} {uid}  ({why})" for uid, why in report.gone])
    if report.new is None:
        lines.append("new since export: unknown (the file does not say which query it was exported with)")
    else:
        section("new since export", [f"[ ] {uid}  {texts.get(uid, '')}".rstrip() for uid in report.new])
    return "\n".join(lines) + "\n"


def report_json(report: StatusReport) -> str:
    """A status report as JSON."""
    f = report.filled
    data = {
        "format": f.fmt,
        "query": f.query.to_string() if f.query is not None else None,
        "query_unread": list(f.unread),
        "exported_kb_version": f.kb_version,
        "exported_commit": f.commit,
        "done": report.done,
        "open": report.open,
        "gone": [{"id": uid, "reason": why, "done": f.status[uid]} for uid, why in report.gone],
        "new": report.new,
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
