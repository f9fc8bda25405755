"""Problems are data: every finding has a code, a severity and a location.

The pipeline never prints or exits; it returns :class:`Finding` objects. The
CLI sorts them, formats them (text, GitHub annotations, JSON) and decides the
exit code.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import StrEnum

#: Characters shown as escapes in one-line output: they would break the line,
#: reorder it (bidirectional controls), hide in it (zero-width) or not encode
#: (lone surrogates). Every other character of categories Cc, Cf, Cs, Zl, Zp
#: is escaped too (see :func:`visible`).
_ALWAYS_ESCAPED = frozenset("\u2028\u2029\x85")


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str) -> str:
    r"""Text safe to print on one line: controls, separators, bidi and zero-width marks, surrogates escaped.

    ``"a\\nb"`` becomes ``a\\x0ab``; a lone surrogate ``\\ud800`` is shown as
    that escape instead of failing to encode. Printable text is unchanged.
    """
    if text.isprintable():
        return text
    return "".join(
        _escape_char(ch)
        if ch in _ALWAYS_ESCAPED or unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
        else ch
        for ch in text
    )


def visible_lines(text: str) -> str:
    """:func:`visible` on each line of ``text`` (its line breaks are kept)."""
    return "\n".join(visible(line) for line in text.split("\n"))


_CURRENT: list[str] = [""]


@contextmanager
def processing(path: str) -> Iterator[None]:
    """Mark ``path`` as the file being processed (named if an internal error escapes).

    The mark is kept when an exception leaves the block, so the last-resort
    handler can say which file it happened in.
    """
    previous = _CURRENT[0]
    _CURRENT[0] = path
    yield
    _CURRENT[0] = previous


def current_file() -> str:
    """The file most recently marked by :func:`processing` and not finished ("" if none)."""
    return _CURRENT[0]


class Severity(StrEnum):
    """How bad a finding is. Warnings fail the build only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding is: a file, 1-based line and column, and a key path.

    Line and column are 0 when the finding concerns a whole file.
    """

    path: str
    line: int = 0
    col: int = 0
    key_path: tuple[str | int, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        if self.line:
            return f"{visible(self.path)}:{self.line}:{self.col}"
        return visible(self.path)


@dataclass(frozen=True)
class Finding:
    """One problem found in the knowledge base.

    Attributes:
        code: A stable, readable code such as ``unknown-reference``.
        severity: Error or warning.
        message: What was expected, what was found, and how to fix it.
        location: Where it is.
    """

    code: str
    severity: Severity
    message: str
    location: Location

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order by file, line, column, then code and message."""
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code, self.message)


def error(code: str, message: str, location: Location) -> Finding:
    """Build an error finding."""
    return Finding(code, Severity.ERROR, message, location)


def warning(code: str, message: str, location: Location) -> Finding:
    """Build a warning finding."""
    return Finding(code, Severity.WARNING, message, location)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sort findings by location, dropping exact duplicates."""
    return sorted(set(findings), key=Finding.sort_key)


def has_failures(findings: Sequence[Finding], strict: bool) -> bool:
    """Tell whether the findings fail the run (errors, or any under strict)."""
    return any(f.severity is Severity.ERROR or strict for f in findings)


def summary_line(findings: Sequence[Finding], files_checked: int) -> str:
    """Return the closing line of a report, e.g. ``2 errors, 1 warning in 40 files``."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files_checked, 'file')}"


def format_text(finding: Finding) -> str:
    """Format as ``path:line:col: error[code] message`` (compilers' convention)."""
    return f"{finding.location}: {finding.severity.value}[{finding.code}] {visible(finding.message)}"


def _github_escape(text: str, *, prop: bool) -> str:
    # Workflow commands use %-escapes; properties also escape ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(finding: Finding) -> str:
    """Format as a GitHub Actions annotation so it shows on the changed line."""
    loc = finding.location
    props = [f"file={_github_escape(visible(loc.path), prop=True)}"]
    if loc.line:
        props += [f"line={loc.line}", f"col={loc.col}"]
    props.append(f"title={_github_escape(finding.code, prop=True)}")
    message = _github_escape(visible(finding.message), prop=False)
    return f"::{finding.severity.value} {','.join(props)}::{message}"


def to_json(findings: Sequence[Finding], files_checked: int) -> str:
    """Serialise a whole report as JSON (stable key order, no NaN)."""
    items = []
    for finding in findings:
        item = asdict(finding)
        item["severity"] = finding.severity.value
        item["location"]["key_path"] = list(finding.location.key_path)
        items.append(item)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    report = {
        "findings": items,
        "summary": {"errors": errors, "warnings": len(findings) - errors, "files": files_checked},
    }
    return json.dumps(report, indent=2, sort_keys=True, allow_nan=False)
