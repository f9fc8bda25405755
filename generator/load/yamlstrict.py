"""A strict YAML reader that remembers where every key and item came from.

PyYAML's defaults are too forgiving for contributor files: they accept
duplicate keys, turn ``no`` into ``False`` and ``1.10`` into ``1.1``, expand
aliases (billion laughs), and the C loader crashes on deep nesting. This
module reads PyYAML's *event stream* (an iterative parser, no recursion) and
builds plain Python values itself, so it can:

* reject duplicate keys (naming both lines), anchors, aliases, tags, complex
  keys and multiple documents;
* reject non-UTF-8 input, a byte-order mark, tabs in indentation, files over
  :data:`MAX_BYTES` and nesting deeper than :data:`MAX_DEPTH`;
* resolve plain scalars by a small YAML 1.2-like schema: ``true``/``false``,
  ``null``/``~``, and decimal integers; everything else (``no``, ``on``,
  ``1.10``, ``0755``, ``2024-01-01``) stays the string the author wrote.

Speed: a clean file is read from libyaml's event stream (PyYAML's C parser,
still event by event, so no recursion) by a tight loop, :func:`_build_fast`,
at about the cost of the C loader itself. Anything that loop does not
accept (a syntax error, a duplicate key, an anchor, a tag, a complex key,
too deep a nesting, a second document, an empty file) sends the file
through the pure-Python parser and :class:`_Builder`, which raise the
problem with its message and position, so every finding reads the same
whichever path found it. The two paths give equal values and positions for
every file they both accept (``tests/load/test_yamlstrict_fast.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_BYTES = 256 * 1024
MAX_DEPTH = 24
#: The longest string (a key or a value) a file may hold, in characters.
MAX_STRING = 20_000
#: The most items a list, or keys a mapping, may hold.
MAX_ITEMS = 500

#: Characters that YAML reads as line breaks but editors and ``git diff`` do not
#: (or not alone): left raw in a file, they shift every line number reported after them.
LINE_BREAKS = {
    "\r": "CARRIAGE RETURN without a line feed",
    "\x85": "NEXT LINE (NEL)",
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
}
_ODD_BREAK_RE = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

KeyPath = tuple[str | int, ...]

_INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in a source file."""

    line: int
    col: int


@dataclass
class YamlDocument:
    """A parsed file: its value and the position of every key path in it.

    ``positions[("checklist", 2, "text")]`` is where the key ``text`` of the
    third checklist item starts; ``positions[()]`` is the document start.
    """

    data: Any
    positions: dict[KeyPath, Mark] = field(default_factory=dict)

    def mark(self, path: KeyPath) -> Mark:
        """Return the position of ``path``, or of its nearest known ancestor."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Mark(1, 1))


class YamlProblem(Exception):
    """A file that cannot be read as strict YAML. Carries a code and a position."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.col = col


def _mark(m: Any) -> Mark:
    return Mark(m.line + 1, m.column + 1) if m is not None else Mark(1, 1)


def decode(raw: bytes, limit: int = MAX_BYTES) -> str:
    """Check size and encoding and return the text.

    Args:
        raw: The file's bytes.
        limit: The largest size accepted (the bibliography has a limit of its own).

    Raises:
        YamlProblem: on a file that is too large, has a BOM or is not UTF-8.
    """
    if len(raw) > limit:
        raise YamlProblem(
            "file-too-large",
            f"file is {len(raw):,} bytes; the limit is {limit:,}. Split the entry or shorten its body.",
        )
    if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("encoding", "file starts with a byte-order mark; save it as UTF-8 without BOM.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            "encoding", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8.", line, col
        ) from None


def position(text: str, index: int) -> tuple[int, int]:
    r"""1-based line and column of ``text[index]``, counting lines by ``\\n`` only (as editors do)."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def check_line_breaks(text: str) -> None:
    r"""Reject raw line and paragraph separators, NEL and lone CR, naming the character.

    Raises:
        YamlProblem: at the first one, with its line and column counted by ``\\n``.
    """
    match = _ODD_BREAK_RE.search(text)
    if match:
        ch = match.group(0)
        line, col = position(text, match.start())
        raise YamlProblem(
            "line-separator",
            f"raw U+{ord(ch):04X} {LINE_BREAKS[ch]} in the text: YAML reads it as a line break, editors do not. "
            "Remove it (or, if it belongs in a value, write it as an escape in a double-quoted string).",
            line,
            col,
        )


def check_indentation(text: str) -> None:
    """Reject tabs in indentation, which YAML forbids and editors hide.

    Raises:
        YamlProblem: at the first tab found in a line's leading white space.
    """
    if "\t" not in text:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, indent)
        if tab >= 0:
            raise YamlProblem(
                "tab-indentation",
                "tab character in indentation; YAML indents with spaces only. Replace the tab with spaces.",
                number,
                tab + 1,
            )


def resolve_plain(text: str) -> Any:
    """Resolve an unquoted scalar: bool, null and decimal int; else the text."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT_RE.match(text):
        return int(text)
    return text


class _Builder:
    """Builds Python values from events, tracking key paths and positions."""

    def __init__(self) -> None:
        self.doc = YamlDocument(data=None)
        # Each frame: [container, path, pending key, key mark, seen keys]
        self.stack: list[list[Any]] = []
        self.documents = 0

    def _check_node(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            raise YamlProblem(
                "anchor",
                f"anchor '&{event.anchor}' is not allowed; write the value out in full.",
                *_astuple(_mark(event.start_mark)),
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise YamlProblem("tag", f"YAML tag '{tag}' is not allowed; remove it.", *_astuple(_mark(event.start_mark)))
        if len(self.stack) >= MAX_DEPTH and isinstance(event, yaml.CollectionStartEvent):
            raise YamlProblem(
                "too-deep",
                f"nesting is deeper than {MAX_DEPTH} levels; flatten the structure.",
                *_astuple(_mark(event.start_mark)),
            )

    def _attach(self, value: Any, mark: Mark, is_scalar_key_candidate: bool) -> KeyPath | None:
        """Put a finished value into its parent; return its path (None for a key)."""
        if not self.stack:
            self.doc.data = value
            self.doc.positions[()] = mark
            return ()
        frame = self.stack[-1]
        container, path = frame[0], frame[1]
        if len(container) >= MAX_ITEMS:
            raise YamlProblem(
                "too-many-items",
                f"more than {MAX_ITEMS} {'items in this list' if isinstance(container, list) else 'keys'}; "
                "shorten it or split the entry.",
                mark.line,
                mark.col,
            )
        if isinstance(container, list):
            item_path = (*path, len(container))
            container.append(value)
            self.doc.positions[item_path] = mark
            return item_path
        if frame[2] is None:  # this value is a key
            if not is_scalar_key_candidate:
                raise YamlProblem("complex-key", "mapping keys must be plain strings.", mark.line, mark.col)
            key = str(value) if not isinstance(value, str) else value
            seen: dict[str, Mark] = frame[4]
            if key in seen:
                first = seen[key]
                raise YamlProblem(
                    "duplicate-key",
                    f"duplicate key '{key}' (first defined on line {first.line}); keep one of them.",
                    mark.line,
                    mark.col,
                )
            seen[key] = mark
            frame[2], frame[3] = key, mark
            return None
        key, key_mark = frame[2], frame[3]
        container[key] = value
        frame[2] = None
        self.doc.positions[(*path, key)] = key_mark
        return (*path, key)

    def _child_path(self) -> KeyPath:
        frame = self.stack[-1] if self.stack else None
        if frame is None:
            return ()
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            return (*path, len(container))
        if frame[2] is None:
            raise YamlProblem("complex-key", "mapping keys must be plain strings.")
        return (*path, frame[2])

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem(
                    "multiple-documents",
                    "only one YAML document per file; remove the '---' separator and split the file.",
                    *_astuple(_mark(event.start_mark)),
                )
        elif isinstance(event, yaml.AliasEvent):
            raise YamlProblem(
                "alias",
                f"alias '*{event.anchor}' is not allowed; write the value out in full.",
                *_astuple(_mark(event.start_mark)),
            )
        elif isinstance(event, yaml.ScalarEvent):
            self._check_node(event)
            _check_scalar(event)
            plain = event.style is None and event.implicit[0]
            value = resolve_plain(event.value) if plain else event.value
            frame = self.stack[-1] if self.stack else None
            is_key = frame is not None and isinstance(frame[0], dict) and frame[2] is None
            self._attach(event.value if is_key else value, _mark(event.start_mark), True)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._check_node(event)
            mark = _mark(event.start_mark)
            frame = self.stack[-1] if self.stack else None
            if frame is not None and isinstance(frame[0], dict) and frame[2] is None:
                raise YamlProblem("complex-key", "mapping keys must be plain strings.", mark.line, mark.col)
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = self._child_path()
            self._attach(container, mark, False)
            self.stack.append([container, path, None, None, {}])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()


def _check_scalar(event: yaml.ScalarEvent) -> None:
    r"""Bound the length of a string and reject lone surrogates (``"\\ud800"``: not a character)."""
    value = event.value
    mark = _mark(event.start_mark)
    if len(value) > MAX_STRING:
        raise YamlProblem(
            "too-long",
            f"a string of {len(value):,} characters; the limit is {MAX_STRING:,}. Shorten it.",
            mark.line,
            mark.col,
        )
    surrogate = _SURROGATE_RE.search(value)
    if surrogate:
        raise YamlProblem(
            "invalid-character",
            f"the escape \\u{ord(surrogate.group(0)):04x} is a lone surrogate, not a character; "
            "no file can store it as UTF-8. Write the character itself, or a pair of escapes for it.",
            mark.line,
            mark.col,
        )


def _astuple(mark: Mark) -> tuple[int, int]:
    return (mark.line, mark.col)


class _Fallback(Exception):
    """The fast path met something only the careful path reports well."""


_ScalarEvent = yaml.ScalarEvent
_MappingStartEvent = yaml.MappingStartEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_SKIP = (yaml.StreamStartEvent, yaml.DocumentEndEvent)
_STREAM_END = yaml.StreamEndEvent
_DOCUMENT_START = yaml.DocumentStartEvent


def _build_fast(text: str) -> YamlDocument:
    """Build a clean document from libyaml's events; raise :class:`_Fallback` on anything else.

    The same values and positions as :class:`_Builder`, without its per-event
    bookkeeping: keys are remembered per mapping in a set, positions are
    written once per key or item.
    """
    loader = yaml.CSafeLoader(text)
    positions: dict[KeyPath, Mark] = {}
    # Frame: [container, path, pending key (None: expecting a key), key mark, seen keys, is a list]
    stack: list[list[Any]] = []
    data: Any = None
    documents = 0
    get_event: Any = loader.get_event  # events typed loosely: the loop checks their class itself
    path: KeyPath
    try:
        while True:
            event = get_event()
            cls = event.__class__
            if cls is _ScalarEvent:
                if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                    raise _Fallback
                m = event.start_mark
                mark = Mark(m.line + 1, m.column + 1)
                text_value = event.value
                if len(text_value) > MAX_STRING:
                    raise _Fallback  # the careful path reports the limit
                if not stack:
                    data = resolve_plain(text_value) if not event.style and event.implicit[0] else text_value
                    positions[()] = mark
                    continue
                frame = stack[-1]
                if len(frame[0]) >= MAX_ITEMS:
                    raise _Fallback  # the careful path reports the limit
                if frame[5]:
                    container = frame[0]
                    path = (*frame[1], len(container))
                    container.append(resolve_plain(text_value) if not event.style and event.implicit[0] else text_value)
                    positions[path] = mark
                elif frame[2] is None:
                    seen = frame[4]
                    if text_value in seen:
                        raise _Fallback
                    seen.add(text_value)
                    frame[2], frame[3] = text_value, mark
                else:
                    key = frame[2]
                    frame[0][key] = resolve_plain(text_value) if not event.style and event.implicit[0] else text_value
                    positions[(*frame[1], key)] = frame[3]
                    frame[2] = None
            elif cls is _MappingStartEvent or cls is _SequenceStartEvent:
                if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                    raise _Fallback
                if len(stack) >= MAX_DEPTH:
                    raise _Fallback
                m = event.start_mark
                mark = Mark(m.line + 1, m.column + 1)
                is_list = cls is _SequenceStartEvent
                container = [] if is_list else {}
                if not stack:
                    path = ()
                    data = container
                    positions[()] = mark
                else:
                    frame = stack[-1]
                    if len(frame[0]) >= MAX_ITEMS:
                        raise _Fallback  # the careful path reports the limit
                    if frame[5]:
                        parent = frame[0]
                        path = (*frame[1], len(parent))
                        parent.append(container)
                    elif frame[2] is None:
                        raise _Fallback  # a complex key
                    else:
                        key = frame[2]
                        path = (*frame[1], key)
                        frame[0][key] = container
                        mark_of_key = frame[3]
                        frame[2] = None
                        positions[path] = mark_of_key
                        stack.append([container, path, None, None, set(), is_list])
                        continue
                    positions[path] = mark
                stack.append([container, path, None, None, set(), is_list])
            elif isinstance(event, _CLOSE):
                stack.pop()
            elif cls is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    raise _Fallback
            elif cls is _STREAM_END:
                break
            elif not isinstance(event, _SKIP):
                raise _Fallback  # an alias
    except (yaml.YAMLError, YamlProblem):
        # A limit or a problem: the careful path reports it, with its own message and position.
        raise _Fallback from None
    finally:
        loader.dispose()
    if documents == 0 or data is None:
        raise _Fallback
    return YamlDocument(data=data, positions=positions)


def parse(raw: bytes) -> YamlDocument:
    """Parse one strict-YAML file.

    Args:
        raw: The file's bytes.

    Returns:
        The document with positions for every key path.

    Raises:
        YamlProblem: with a stable code and a 1-based position.
    """
    text = decode(raw)
    check_line_breaks(text)
    check_indentation(text)
    if _NON_PRINTABLE.search(text) is None:  # libyaml and PyYAML disagree on a few of these; let PyYAML report
        try:
            return _build_fast(text)
        except _Fallback:
            pass
    return _parse_careful(text)


def _parse_careful(text: str) -> YamlDocument:
    """The pure-Python path: every problem raised with its message and position."""
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = _mark(exc.problem_mark or exc.context_mark)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise YamlProblem("yaml-syntax", f"{problem}{context}", mark.line, mark.col) from None
    except yaml.reader.ReaderError as exc:
        line, col = position(text, exc.position)
        raise YamlProblem(
            "yaml-syntax", f"control character U+{int(exc.character):04X} is not allowed in YAML text.", line, col
        ) from None
    except yaml.YAMLError as exc:  # any other scanner/parser complaint
        raise YamlProblem("yaml-syntax", (str(exc).splitlines() or ["invalid YAML"])[0]) from None
    if builder.documents == 0 or builder.doc.data is None:
        raise YamlProblem("empty-file", "file is empty; an entry is a YAML mapping of fields.")
    return builder.doc
