"""Add a reference to ``kb/references.bib`` in the canonical form.

The canonical entry (what ``new reference`` writes):

* entry type and field names in lower case; ``@conference`` becomes
  ``@inproceedings``;
* only bibliographic fields, in :data:`FIELD_ORDER`; abstracts, keywords,
  file links and the like are dropped (they are not evidence and are often
  copied text);
* every value in braces, white space collapsed, authors as
  ``von Last, Jr, First`` joined by ``and``, DOIs without their resolver
  prefix, arXiv ids without ``arXiv:``;
* the key ``<first author's last name><year><first significant title word>``,
  e.g. ``jiang2024challenges``, in lower-case ASCII;
* entries sorted by key; everything else in the file is left as it is.

Nothing here touches the disk or the network: the CLI reads the input and
writes the file. A DOI or an arXiv id alone cannot be resolved offline, so
the caller must also give the fields (see :func:`from_fields`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from generator.findings import Severity
from generator.ids import CITE_KEY_RE
from generator.load.bibtex import BibEntry, parse_bibtex

#: The fields kept, in the order they are written.
FIELD_ORDER = (
    "author",
    "editor",
    "title",
    "journal",
    "booktitle",
    "year",
    "volume",
    "number",
    "pages",
    "publisher",
    "institution",
    "school",
    "organization",
    "howpublished",
    "doi",
    "eprint",
    "archiveprefix",
    "primaryclass",
    "url",
    "note",
)
_TYPE_ALIASES = {"conference": "inproceedings", "online": "misc", "electronic": "misc", "www": "misc"}
_NAME_WIDTH = max(len(name) for name in FIELD_ORDER)
_STOPWORD_TEXT = (
    "a an the and or of on in at to for from by with without via into onto over under towards "
    "toward is are be do does can how what when where which who why we our you your its it this "
    "that these those not no vs versus"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
DOI_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.I)
ARXIV_RE = re.compile(
    r"^(?:https?://arxiv\.org/(?:abs|pdf)/|arxiv:\s*)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?(?:\.pdf)?$",
    re.I,
)


class BadReference(Exception):
    """A reference that cannot be added: bad input, missing fields or a duplicate."""


@dataclass(frozen=True)
class Reference:
    """A normalised bibliography entry, ready to be written."""

    key: str
    entry_type: str
    fields: dict[str, str]
    dropped: tuple[str, ...] = ()


# ------------------------------------------------------------ normalising


def _collapse(value: str) -> str:
    return " ".join(value.split())


def normalise_doi(value: str) -> str:
    """Strip a resolver prefix (``https://doi.org/``, ``doi:``) from a DOI."""
    match = DOI_RE.match(value.strip())
    return match.group(1) if match else value.strip()


def normalise_eprint(value: str) -> str:
    """Strip ``arXiv:`` and URL prefixes from an arXiv id (the version is kept)."""
    match = ARXIV_RE.match(value.strip())
    return match.group(1) + (match.group(2) or "") if match else value.strip()


def _eprint_identity(value: str) -> str:
    match = ARXIV_RE.match(value.strip())
    return match.group(1).lower() if match else value.strip().lower()


def normalise_names(value: str) -> str:
    """Write every name as ``von Last, Jr, First`` and join them with ``and``."""
    out = []
    for raw in split_multiple_persons_names(_collapse(value)):
        parts = parse_single_name_into_parts(raw, strict=False)
        last = " ".join([*parts.von, *parts.last])
        tail = [" ".join(parts.jr)] if parts.jr else []
        first = [" ".join(parts.first)] if parts.first else []
        out.append(", ".join([last, *tail, *first]) if (tail or first) else last)
    return " and ".join(out)


def _normalise_value(name: str, value: str) -> str:
    value = _collapse(value)
    if name in ("author", "editor"):
        return normalise_names(value)
    if name == "doi":
        return normalise_doi(value)
    if name == "eprint":
        return normalise_eprint(value)
    if name == "pages":
        return re.sub(r"\s*-+\s*", "--", value)
    return value


def _ascii_words(text: str) -> list[str]:
    """Words of a BibTeX value, LaTeX commands and braces removed, in ASCII."""
    text = re.sub(r"\\[A-Za-z]+\s*|\\.", "", text).replace("{", "").replace("}", "")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def make_key(fields: Mapping[str, str]) -> str:
    """Build the conventional key ``<lastname><year><firstsignificantword>``."""
    people = fields.get("author") or fields.get("editor") or ""
    last = ""
    if people:
        first_person = split_multiple_persons_names(people)[0]
        last = "".join(_ascii_words(" ".join(parse_single_name_into_parts(first_person, strict=False).last)))
    year = fields.get("year", "").strip()
    words = _ascii_words(fields.get("title", "").replace("-", ""))  # "Fine-Tuning" -> "finetuning"
    word = next((w for w in words if w not in _STOPWORDS and not w.isdigit()), words[0] if words else "")
    year = year if re.fullmatch(r"\d{4}", year) else "nd"
    return f"{last or 'anonymous'}{year}{word}"


def normalise(entry_type: str, fields: Mapping[str, str], key: str | None = None) -> Reference:
    """Normalise an entry: type, field names and values, key (unless given).

    Raises:
        BadReference: if an explicit key is not a valid citation key.
    """
    kind = entry_type.strip().lower()
    kind = _TYPE_ALIASES.get(kind, kind)
    lowered = {name.strip().lower(): value for name, value in fields.items()}
    kept = {name: _normalise_value(name, lowered[name]) for name in FIELD_ORDER if lowered.get(name, "").strip()}
    if "eprint" in kept and "archiveprefix" not in kept and ARXIV_RE.match(kept["eprint"]):
        kept["archiveprefix"] = "arXiv"
    kept = {name: kept[name] for name in FIELD_ORDER if name in kept}
    dropped = tuple(sorted(name for name in lowered if name not in kept and name not in FIELD_ORDER))
    final_key = key if key is not None else make_key(kept)
    if not CITE_KEY_RE.match(final_key):
        raise BadReference(f"key '{final_key}' is not a valid citation key (it must match {CITE_KEY_RE.pattern}).")
    return Reference(final_key, kind, kept, dropped)


def from_bibtex(text: str, key: str | None = None) -> list[Reference]:
    """Read one or more BibTeX entries and normalise them.

    Raises:
        BadReference: if the text has no entry or does not parse.
    """
    bib, findings = parse_bibtex(text, "<input>")
    syntax = [f for f in findings if f.code in ("bibtex-syntax", "duplicate-cite-key", "bibtex-macro")]
    if syntax:
        raise BadReference("; ".join(f"line {f.location.line}: {f.message}" for f in syntax))
    if not bib.entries:
        raise BadReference("no BibTeX entry found in the input; it should look like '@article{key, ...}'.")
    if key is not None and len(bib.entries) > 1:
        raise BadReference("--key can only be used with a single entry.")
    return [normalise(entry.entry_type, entry.fields, key) for entry in bib.entries.values()]


def from_fields(entry_type: str | None, fields: Mapping[str, str], key: str | None = None) -> Reference:
    """Build an entry from given fields (for a DOI or arXiv id given offline).

    Without ``entry_type`` the type follows the fields: ``article`` with a
    journal, ``inproceedings`` with a booktitle, ``misc`` otherwise.
    """
    if entry_type is None:
        entry_type = "article" if fields.get("journal") else "inproceedings" if fields.get("booktitle") else "misc"
    return normalise(entry_type, fields, key)


# -------------------------------------------------------------- writing


def _balanced(value: str) -> bool:
    depth = 0
    for ch in value:
        depth += 1 if ch == "{" else -1 if ch == "}" else 0
        if depth < 0:
            return False
    return depth == 0


def _escape_value(value: str) -> str:
    """Keep braces balanced so the value cannot close its entry early (unpaired ones are all removed)."""
    return value if _balanced(value) else value.replace("{", "").replace("}", "")


def unpaired_brace_fields(ref: Reference) -> list[str]:
    """Fields whose braces :func:`format_entry` removes because they are not paired."""
    return [name for name, value in ref.fields.items() if not _balanced(value)]


def format_entry(ref: Reference) -> str:
    """Write an entry in the canonical form (no trailing newline)."""
    lines = [f"  {name:<{_NAME_WIDTH}} = {{{_escape_value(value)}}}" for name, value in ref.fields.items()]
    return f"@{ref.entry_type}{{{ref.key},\n" + ",\n".join(lines) + "\n}"


def check_entry(ref: Reference) -> tuple[list[str], list[str]]:
    """Check an entry alone with the bibliography's rules: (errors, warnings)."""
    _, findings = parse_bibtex(format_entry(ref) + "\n", "<new>")
    errors = [f.message for f in findings if f.severity is Severity.ERROR]
    warnings = [f.message for f in findings if f.severity is Severity.WARNING]
    return errors, warnings


def _title_identity(title: str) -> str:
    return " ".join(_ascii_words(title))


def find_duplicate(ref: Reference, entries: Mapping[str, BibEntry]) -> str | None:
    """Explain why ``ref`` is already in ``entries``, or return None."""
    doi = ref.fields.get("doi", "").lower()
    eprint = _eprint_identity(ref.fields["eprint"]) if "eprint" in ref.fields else ""
    title = _title_identity(ref.fields.get("title", ""))
    for key, entry in entries.items():
        where = f"'{key}' (line {entry.line})"
        if key.casefold() == ref.key.casefold():
            return f"key '{ref.key}' is already used by {where}"
        if doi and normalise_doi(entry.fields.get("doi", "")).lower() == doi:
            return f"DOI {ref.fields['doi']} is already in the bibliography as {where}"
        if eprint and _eprint_identity(entry.fields.get("eprint", "") or "-") == eprint:
            return f"arXiv id {ref.fields['eprint']} is already in the bibliography as {where}"
        if title and _title_identity(entry.fields.get("title", "")) == title:
            return f"a work with the same title is already in the bibliography as {where}"
    return None


def insert(bib_text: str, ref: Reference, path: str = "kb/references.bib") -> tuple[str, int]:
    """Insert ``ref`` at its sorted place; return the new text and its line.

    Comment lines directly above the following entry stay with that entry.

    Raises:
        BadReference: if the entry is a duplicate, or the file would not
            parse afterwards.
    """
    bib, before = parse_bibtex(bib_text, path)
    duplicate = find_duplicate(ref, bib.entries)
    if duplicate:
        raise BadReference(duplicate)
    lines = bib_text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    following = min((e.line for e in bib.entries.values() if e.key.casefold() > ref.key.casefold()), default=None)
    block = format_entry(ref).split("\n")
    if following is None:
        while lines and not lines[-1].strip():
            lines.pop()
        at = len(lines) + 2 if lines else 1
        lines += ([""] if lines else []) + block
    else:
        index = following - 1
        while index > 0 and lines[index - 1].lstrip().startswith("%"):
            index -= 1
        at = index + 1
        lines[index:index] = [*block, ""]
    text = "\n".join(lines) + "\n"
    after_bib, after = parse_bibtex(text, path)
    new_errors = {(f.code, f.message) for f in after if f.severity is Severity.ERROR} - {
        (f.code, f.message) for f in before if f.severity is Severity.ERROR
    }
    if ref.key not in after_bib.entries or any(code == "bibtex-syntax" for code, _ in new_errors):
        raise BadReference("the bibliography would not parse after adding the entry; nothing was written.")
    return text, at
