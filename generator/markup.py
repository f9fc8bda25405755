"""Escaping of untrusted entry text: one escaper per sink, all of them here.

========================  =========================================
sink                      escaper
========================  =========================================
HTML (rendered Markdown)  :func:`markdown_block`, :func:`markdown_inline`
HTML attribute            :func:`attr` (Jinja autoescape for the rest)
MkDocs front matter       :func:`front_matter_text`, :func:`front_matter`
Markdown of a site page   :func:`markdown_text`
GitHub Markdown export    :func:`gfm_text`
CSV export                :func:`csv_cell` (reversed by :func:`csv_uncell`)
Graphviz DOT              :func:`dot_quote`
========================  =========================================

JSON is written with :func:`json.dumps`, exports with :func:`export_json`
(the same text, scrubbed, faster); file names are ids, which the schema
restricts to :data:`generator.ids.ID_PATTERN`.

Entry text comes from untrusted contributors. It never reaches
Python-Markdown as Markdown: it is rendered here to HTML by markdown-it with
raw HTML off, images off and a link allow-list (http, https, mailto and
relative links), and pages embed the result in raw HTML blocks, where
Python-Markdown extensions such as ``attr_list`` do not apply. Titles go into
front matter HTML-escaped and JSON-quoted, because Material prints
``page.title`` unescaped.
"""

from __future__ import annotations

import csv
import functools
import html
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring  # the C encoder when _json is built (CPython)
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink as _default_validate_link
from markupsafe import Markup, escape

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
HEADING_SHIFT = 2  # entry headings start at h3: the page title is h1, sections are h2


def safe_link(url: str) -> bool:
    """Whether a link target from an entry may appear on the site.

    Allowed: http(s) and mailto URLs, and relative links (no scheme, not
    protocol-relative ``//host``). Everything else (``javascript:``,
    ``data:``, ``vbscript:``, ``file:``...) is dropped.
    """
    if not _default_validate_link(url):
        return False
    stripped = url.strip()
    if stripped.startswith(("//", "\\\\", "/\\", "\\/")):
        return False
    scheme = urlsplit(stripped).scheme.lower()
    return not scheme or scheme in ALLOWED_SCHEMES


def _make_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.disable("image")  # an image would load an external asset
    parser.validateLink = safe_link  # type: ignore[method-assign]
    return parser


_PARSER = _make_parser()


def clean_text(text: str) -> str:
    """Drop control and format characters (keeps newlines and tabs as spaces)."""
    # Fast path: ``isprintable`` is False for every category-C character (and
    # for separators other than the space), so most texts skip the per-character scan.
    if text.replace("\n", "").isprintable():
        return text
    return "".join(ch if ch == "\n" or unicodedata.category(ch)[0] != "C" else " " for ch in text)


# Both are pure functions of the text, and the same texts come back many
# times in a build (an item on every checklist that selects it, in each
# export format): remembered, not re-parsed.
@functools.lru_cache(maxsize=1 << 16)
def markdown_block(text: str | None) -> Markup:
    """Render entry Markdown (a body, a rationale) to safe HTML.

    Headings are shifted down so an entry cannot add a page title.
    """
    if not text:
        return Markup("")
    tokens = _PARSER.parse(clean_text(text))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
            token.tag = f"h{level}"
    return Markup(_PARSER.renderer.render(tokens, _PARSER.options, {}))  # sanitised by markdown-it


@functools.lru_cache(maxsize=1 << 16)
def markdown_inline(text: str | None) -> Markup:
    """Render one line of entry Markdown (a step, a symptom) to safe inline HTML."""
    if not text:
        return Markup("")
    return Markup(_PARSER.renderInline(clean_text(text)))  # sanitised by markdown-it


def plain(text: str) -> str:
    """One-line plain text: control characters dropped, whitespace collapsed."""
    return " ".join(clean_text(text).split())


def front_matter_text(text: str) -> str:
    """A value for MkDocs front matter that Material may print raw.

    HTML-escaped (the theme does not escape ``page.title``), then JSON-quoted
    (a valid YAML double-quoted scalar that no quote or backslash escapes).
    """
    return json.dumps(html.escape(plain(text), quote=True), ensure_ascii=False)


def front_matter(fields: dict[str, Any]) -> str:
    """A front matter block; string values via :func:`front_matter_text`.

    Lists hold strings (escaped the same way); dicts are dumped as JSON flow
    mappings (their values must be trusted, e.g. numbers).
    """
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, str):
            lines.append(f"{key}: {front_matter_text(value)}")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {front_matter_text(item)}" for item in value)
        else:
            lines.append(f"{key}: {json.dumps(value, sort_keys=True)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def attr(text: str) -> Markup:
    """Escape text for an HTML attribute value (quotes included)."""
    return escape(plain(text))


def counted(n: int, noun: str) -> str:
    """``"1 item"``, ``"3 items"``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


_MARKDOWN_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")


def markdown_text(text: str) -> str:
    """Entry text inside a generated Markdown page (Python-Markdown): one line, no markup.

    HTML-escaped, then every Markdown special character backslash-escaped, so a
    title becomes literal text in a heading, a list item or a link label.
    """
    escaped = _MARKDOWN_SPECIAL_RE.sub(r"\\\1", html.escape(plain(text), quote=False))
    # ':smile:' would become an emoji image (pymdownx.emoji) loaded from a CDN.
    return _SHORTCODE_RE.sub("&#58;", escaped)


#: The colon that opens an emoji shortcode; each look-ahead stops at the next colon.
_SHORTCODE_RE = re.compile(r":(?=[\w+\\-]+:)")


_MD_ESCAPE_RE = re.compile(r"([\\*_\[\]<>&~#$`|])")
_CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


# A pure function of the text, called for the same texts on every checklist that selects an item.
@functools.lru_cache(maxsize=1 << 18)
def gfm_text(text: str) -> str:
    """Escape entry text for GitHub Markdown (the checklist export): one line, no markup but code spans.

    Newlines and control characters are collapsed, so an entry cannot start a
    new list item, heading or table row; emphasis, links, images, raw HTML,
    entities, math and pipes are backslash-escaped. Code spans are kept: their
    content is shown literally anyway.
    """
    line = plain(text)
    out: list[str] = []
    pos = 0
    for match in _CODE_SPAN_RE.finditer(line):
        out.append(_MD_ESCAPE_RE.sub(r"\\\1", line[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_MD_ESCAPE_RE.sub(r"\\\1", line[pos:]))
    return "".join(out)


#: Leading characters that make a spreadsheet cell a formula (or a DDE call), with the
#: fullwidth and small forms some spreadsheets normalise to them, and the minus sign.
FORMULA_STARTS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\ufe6b\u2212"
_FORMULA_RE = re.compile(rf"^'*[{re.escape(FORMULA_STARTS)}]")


def export_text(text: str) -> str:
    """Entry text for a machine-readable export (CSV, JSON, GraphML): legal and visible everywhere.

    Drops control characters but tab, newline and carriage return (NUL, ESC...),
    format characters (bidirectional overrides and isolates, zero-width
    spaces and joiners, byte-order marks), lone surrogates and the
    non-characters U+FFFE and U+FFFF. What is left is valid XML 1.0 text, and
    a CSV cell without NUL.
    """
    # Fast path: ``isprintable`` is False for every character dropped here (categories Cc, Cf,
    # Cs and the non-characters), so a text that is printable but for tab, newline and
    # carriage return keeps every character (whole pages and templates skip the per-character scan).
    if text.isprintable() or text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable():
        return text
    return "".join(ch for ch in text if ch in "\t\n\r" or _export_keeps(ch))


def _export_keeps(ch: str) -> bool:
    return unicodedata.category(ch) not in {"Cc", "Cf", "Cs"} and ch not in "\ufffe\uffff"


def csv_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (reversible: see :func:`csv_uncell`).

    Pass text through :func:`export_text` first, so no invisible character hides the formula sign.
    """
    return "'" + value if _FORMULA_RE.match(value) else value


def scrub(value: Any) -> Any:
    """:func:`export_text` on every string (keys too) of JSON-ready data."""
    if isinstance(value, str):
        return export_text(value)
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {export_text(str(k)): scrub(v) for k, v in value.items()}
    return value


def export_json(value: Any, *, allow_nan: bool = True) -> str:
    """``json.dumps(scrub(value), indent=2, sort_keys=True, ensure_ascii=False)``, the same text, faster.

    The standard library writes indented JSON in pure Python, through a chain
    of generators per value; this writes JSON-ready data (dicts, lists, str,
    int, float, bool, None) straight into one list, strings through the C
    string encoder, and scrubs every string as it goes (no scrubbed copy).
    Tuples are written as lists.
    """
    out: list[str] = []
    _json_into(value, "\n", out, allow_nan)
    return "".join(out)


def _json_str(text: str) -> str:
    return encode_basestring(export_text(text))


def _json_into(value: Any, newline: str, out: list[str], allow_nan: bool) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(export_text(value)))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(json.dumps(value, allow_nan=allow_nan))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        # As scrub() then sort_keys: keys scrubbed first (the last value wins a clash), sorted after.
        pairs = sorted({export_text(str(k)): v for k, v in value.items()}.items())
        out.append("{")
        comma = ""
        for key, item in pairs:
            head = f"{comma}{inner}{encode_basestring(key)}: "
            comma = ","
            if type(item) is str:  # most values: written here, one call fewer each
                out.append(head + encode_basestring(export_text(item)))
            elif item is None:
                out.append(head + "null")
            else:
                out.append(head)
                _json_into(item, inner, out, allow_nan)
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        if all(isinstance(v, str) for v in value):  # the common case: ids, keys, URLs
            out.append(f"[{inner}{(',' + inner).join(map(_json_str, value))}{newline}]")
            return
        out.append("[")
        for n, item in enumerate(value):
            out.append("," + inner if n else inner)
            _json_into(item, inner, out, allow_nan)
        out.append(newline + "]")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def csv_uncell(value: str) -> str:
    """Undo :func:`csv_cell`."""
    return value[1:] if value.startswith("'") and _FORMULA_RE.match(value[1:]) else value


def dot_quote(text: str) -> str:
    r"""Quote ``text`` as a DOT string literal that nothing can break out of.

    Backslashes are doubled (so no Graphviz escape such as ``\\N`` or a final
    ``\\"`` survives), quotes are escaped and newlines become ``\\n``.
    """
    text = clean_text(text)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def md_url(url: str) -> str:
    """A URL safe inside a Markdown link's parentheses (contributor URLs are http(s) without spaces)."""
    return url.replace("(", "%28").replace(")", "%29")


def failure_label(url: str) -> str:
    """A short label for a failure link: ``owner/repo#123`` for GitHub issues and pulls, else host and path."""
    match = _GITHUB_ISSUE_RE.match(url)
    if match:
        return f"{match['repo']}#{match['number']}"
    return re.sub(r"^https?://(?:www\.)?", "", url).rstrip("/")


_GITHUB_ISSUE_RE = re.compile(r"^https?://github\.com/(?P<repo>[^/]+/[^/]+)/(?:issues|pull)/(?P<number>\d+)")


#: The longest CSV field the readers accept: Python's default, set explicitly
#: because libraries may raise the process-wide limit (frictionless does).
CSV_FIELD_LIMIT = 131_072


@contextmanager
def csv_field_limit(limit: int = CSV_FIELD_LIMIT) -> Iterator[None]:
    """Read CSV with a known field-size limit, whatever another library set, then restore it."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
