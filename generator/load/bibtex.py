"""Read ``kb/references.bib`` strictly, with 1-based line numbers.

bibtexparser 2 never raises on bad input: it returns the blocks it could not
parse in ``library.failed_blocks``. Each becomes a finding here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from bibtexparser import model as bibmodel
from bibtexparser.entrypoint import parse_string

from generator.findings import Finding, Location, error, warning
from generator.ids import CITE_KEY_RE
from generator.load.files import MAX_FILE_BYTES

#: Fields each entry type must have (``author`` may be replaced by ``editor``).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "incollection": ("author", "title", "booktitle", "year"),
    "book": ("author", "title", "publisher", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "misc": ("author", "title", "year"),
}
URL_FIELDS = ("url",)
_URL_RE = re.compile(r"^https?://\S+$")
_YEAR_RE = re.compile(r"^\d{4}$")
#: A DOI: the directory indicator 10, a registrant code of digits, '/', a suffix without spaces.
DOI_RE = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
_MACRO_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_:.+'-]*")
#: The month macros every BibTeX style defines.
MONTHS = {
    m[:3].lower(): m
    for m in (
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    )
}
MAX_FIELD = 5_000
#: The largest bibliography read. One file holds every reference, so it grows
#: with the KB: 291 entries are 116 KB today, and the KB the project is built
#: for (30 times today's, README "Size") would hold about 3.5 MB. A YAML entry
#: keeps its own 256 KiB limit; this is the limit of any file read from the KB.
MAX_BIB_BYTES = MAX_FILE_BYTES


class MacroError(ValueError):
    """A field value that uses an undefined or self-referencing macro, or cannot be read."""


def _split_concatenation(raw: str) -> list[str]:
    """Split a raw BibTeX value on ``#`` outside braces and quotes."""
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for i, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return parts


def resolve_value(raw: str, macros: dict[str, str], defining: str | None = None) -> str:
    """The text of a raw BibTeX value: literals joined, macros replaced.

    Args:
        raw: The value as written: ``{...}``, ``"..."``, a number, a macro
            name, or parts of these joined with ``#``.
        macros: The ``@string`` macros defined so far, by lower-case name.
        defining: The macro whose definition this is (to name a self-reference).

    Raises:
        MacroError: for an undefined or self-referencing macro, or a part that is none of the above.
    """
    out = []
    for part in _split_concatenation(raw.strip()):
        token = part.strip()
        if len(token) >= 2 and (token[0], token[-1]) in {("{", "}"), ('"', '"')}:
            out.append(token[1:-1])
        elif token.isdigit() and token.isascii():
            out.append(token)
        elif _MACRO_NAME_RE.fullmatch(token):
            name = token.lower()
            if defining is not None and name == defining.lower():
                raise MacroError(f"macro '{token}' refers to itself")
            if name in macros:
                out.append(macros[name])
            elif name in MONTHS:
                out.append(MONTHS[name])
            else:
                raise MacroError(f"undefined macro '{token}'; define it with @string or write the value in braces")
        else:
            raise MacroError(f"cannot read the value {token[:40]!r}; write it in braces")
    return "".join(out)


@dataclass(frozen=True)
class BibEntry:
    """One bibliography entry, fields as written (LaTeX not yet decoded)."""

    key: str
    entry_type: str
    fields: dict[str, str]
    line: int
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Bibliography:
    """All entries of the bibliography, by key."""

    path: str
    entries: dict[str, BibEntry]
    loaded: bool = True
    """False when the file is missing or unreadable (its own error is reported; citations are not checked)."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured_parser_log() -> Iterator[_Collect]:
    """Bibtexparser explains failures only in log records: keep them, print nothing."""
    logger = logging.getLogger("bibtexparser")
    handler = _Collect()
    saved = logger.handlers, logger.propagate
    logger.handlers, logger.propagate = [handler], False
    try:
        yield handler
    finally:
        logger.handlers, logger.propagate = saved


_LOG_LINE_RE = re.compile(r"block \(line (\d+)\) aborted on line \d+ due to [^:]*:\s*(.*)", re.S)


def _first_line(text: str) -> str:
    return " ".join(text.strip().split())[:200]


def parse_bibtex(text: str, path: str) -> tuple[Bibliography, list[Finding]]:
    """Parse BibTeX text; report syntax errors, duplicates and missing fields.

    Args:
        text: The file content.
        path: Path shown in findings.

    Returns:
        The entries that parsed, and the findings.
    """
    findings: list[Finding] = []
    with _captured_parser_log() as log:
        library = parse_string(text, parse_stack=[])  # raw values: macros are resolved here
    reasons: dict[int, str] = {}
    for message in log.messages:
        match = _LOG_LINE_RE.search(message)
        if match:
            reasons[int(match.group(1)) + 1] = match.group(2)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bibmodel.DuplicateBlockKeyBlock):
            findings.append(
                error(
                    "duplicate-cite-key",
                    f"BibTeX key '{block.key}' is defined twice; rename or remove one entry.",
                    Location(path, line, 1),
                )
            )
        elif isinstance(block, bibmodel.DuplicateFieldKeyBlock):
            dup = ", ".join(sorted(block.duplicate_keys))
            findings.append(
                error("bibtex-syntax", f"field(s) {dup} given twice in one entry; keep one.", Location(path, line, 1))
            )
        else:
            reason = reasons.get(line) or str(getattr(block, "error", "") or "")
            detail = _first_line(reason).rstrip(".") if reason else "the block could not be parsed"
            findings.append(
                error(
                    "bibtex-syntax",
                    f"cannot parse this BibTeX block: {detail}. Check braces, quotes and commas.",
                    Location(path, line, 1),
                )
            )
    macros: dict[str, str] = {}
    for string in library.strings:
        line = (string.start_line or 0) + 1
        try:
            macros[string.key.lower()] = resolve_value(str(string.value), macros, defining=string.key)
        except MacroError as exc:
            findings.append(error("bibtex-macro", f"@string{{{string.key}}}: {exc}.", Location(path, line, 1)))
    entries: dict[str, BibEntry] = {}
    first_by_folded: dict[str, BibEntry] = {}
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        lines = {f.key.lower(): (f.start_line + 1 if f.start_line is not None else line) for f in entry.fields}
        fields = {}
        for f in entry.fields:
            name = f.key.lower()
            try:
                fields[name] = resolve_value(str(f.value), macros)
            except MacroError as exc:
                findings.append(
                    error(
                        "bibtex-macro",
                        f"field '{name}' of '{entry.key}': {exc}.",
                        Location(path, lines.get(name, line), 1),
                    )
                )
        bib = BibEntry(entry.key, entry.entry_type.lower(), fields, line, lines)
        folded = entry.key.lower()
        if folded in first_by_folded and entry.key in entries:
            continue  # an exact duplicate: bibtexparser reports it as a failed block
        if folded in first_by_folded:
            other = first_by_folded[folded]
            findings.append(
                error(
                    "duplicate-cite-key",
                    f"BibTeX key '{entry.key}' differs only in case from '{other.key}' (line {other.line}); "
                    "BibTeX keys ignore case. Rename or remove one entry.",
                    Location(path, line, 1),
                )
            )
            continue
        first_by_folded[folded] = bib
        findings.extend(_check_entry(bib, path))
        entries[entry.key] = bib
    return Bibliography(path, entries), findings


def _check_entry(entry: BibEntry, path: str) -> list[Finding]:
    out: list[Finding] = []
    where = Location(path, entry.line, 1, ("references", entry.key))
    if not CITE_KEY_RE.match(entry.key):
        out.append(error("invalid-cite-key", f"BibTeX key '{entry.key}' must match {CITE_KEY_RE.pattern}.", where))
    required = REQUIRED_FIELDS.get(entry.entry_type)
    if required is None:
        known = ", ".join(sorted(REQUIRED_FIELDS))
        out.append(
            error("bibtex-entry-type", f"entry type '@{entry.entry_type}' is not supported; use one of {known}.", where)
        )
        return out
    for name in required:
        present = entry.fields.get(name, "").strip()
        if not present and not (name == "author" and entry.fields.get("editor", "").strip()):
            out.append(
                error(
                    "bibtex-missing-field",
                    f"@{entry.entry_type}{{{entry.key}}} lacks the required field '{name}'.",
                    where,
                )
            )
    for name, text in entry.fields.items():
        if len(text) > MAX_FIELD:
            out.append(
                error(
                    "bibtex-invalid-field",
                    f"field '{name}' of '{entry.key}' has {len(text):,} characters; the limit is {MAX_FIELD:,}.",
                    Location(path, entry.field_lines.get(name, entry.line), 1),
                )
            )
    doi = entry.fields.get("doi")
    if doi is not None and not DOI_RE.match(doi.strip()):
        out.append(
            error(
                "bibtex-invalid-field",
                f"doi '{doi[:80]}' of '{entry.key}' is not a DOI; write it as 10.NNNN/suffix (no 'https://doi.org/').",
                Location(path, entry.field_lines.get("doi", entry.line), 1),
            )
        )
    year = entry.fields.get("year", "").strip()
    if year and not _YEAR_RE.match(year):
        out.append(error("bibtex-invalid-field", f"year '{year}' of '{entry.key}' should be four digits.", where))
    for name in URL_FIELDS:
        value = entry.fields.get(name)
        if value is not None and not _URL_RE.match(value.strip()):
            line = entry.field_lines.get(name, entry.line)
            out.append(
                error(
                    "unsafe-url",
                    f"field '{name}' of '{entry.key}' must be an http(s) URL, found '{value[:80]}'.",
                    Location(path, line, 1),
                )
            )
    # A documentation page has no DOI: its (safe) URL is how readers find it.
    url = entry.fields.get("url", "").strip()
    if not entry.fields.get("doi") and not entry.fields.get("eprint") and not _URL_RE.match(url):
        out.append(
            warning(
                "reference-without-identifier",
                f"'{entry.key}' has no 'doi', 'eprint' (arXiv id) or 'url'; add one so readers can find it.",
                where,
            )
        )
    return out
