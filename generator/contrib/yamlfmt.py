"""A canonical YAML emitter that keeps comments: the engine of ``fmt``.

The input is read by :mod:`generator.load.yamlstrict` (so the formatter sees the
same values as the validator) and re-emitted in one deterministic style:
2-space indentation, block mappings, ``- `` items indented under their key,
flow style ``[a, b]`` only for short lists of id-like words, plain scalars
where they are safe, ``>-`` folded blocks for prose longer than the line,
``|`` literal blocks for multi-line text, double quotes otherwise.

Comments are not part of the parsed data, so they are found separately in
the gaps between PyYAML's tokens and attached to a key path: a comment line
belongs to the next key or item, an end-of-line comment to the last key or
item on its line. They move with their key when keys are reordered.

Why not ruamel.yaml's round trip: it attaches a comment line to the key
*before* it and keeps each scalar's original style, so reordering keys moves
comments to the wrong place and the output depends on how the input was
written. A canonical form needs neither.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.load.yamlstrict import KeyPath, YamlDocument, parse, resolve_plain

#: Longest line the formatter aims for (a word longer than this stays whole).
WIDTH = 88
INDENT = 2

#: Orders the keys of the mapping at a key path (all keys must be returned).
KeyOrder = Callable[[KeyPath, list[str]], list[str]]

_ID_LIKE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/+-]*$")
_BLOCK_HEADER_COMMENT_RE = re.compile(r"^[|>][-+0-9]*[ \t]+(#.*)$")
# Printable per YAML 1.1 (PyYAML's reader); anything else must be escaped.
_NOT_PRINTABLE_RE = re.compile("[^\x09\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
#: Characters YAML counts as printable but a reader cannot see: format characters (bidi
#: controls, zero-width spaces and joiners), private-use and unassigned code points. Written
#: as escapes, so fmt never turns a visible ``\u202e`` into an invisible one in the source.
_HIDDEN_CATEGORIES = frozenset({"Cf", "Co", "Cn", "Cs"})


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in _HIDDEN_CATEGORIES


def _has_hidden(text: str) -> bool:
    # Fast path: every hidden character is non-printable to Python (as are tab and newline).
    return not text.replace("\n", "").replace("\t", "").isprintable() and any(_hidden(ch) for ch in text)


_ANALYZER = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
_RESOLVER = yaml.resolver.Resolver()


class FormatError(Exception):
    """The formatter could not produce an equivalent canonical text."""


@dataclass(frozen=True)
class Comment:
    """A comment in the source: its text (from '#') and where it was."""

    line: int
    col: int
    text: str
    own_line: bool


@dataclass
class Comments:
    """Comments attached to key paths of a document."""

    before: dict[KeyPath, list[str]] = field(default_factory=dict)
    eol: dict[KeyPath, list[str]] = field(default_factory=dict)
    trailing: list[str] = field(default_factory=list)

    def has_any(self, path: KeyPath) -> bool:
        """Tell whether a comment is attached to ``path`` or below it."""
        n = len(path)
        return any(p[:n] == path for p in (*self.before, *self.eol))


# ----------------------------------------------------------------- comments


def find_comments(text: str) -> list[Comment]:
    """Find every comment of a YAML text (which must scan without error)."""
    out: list[Comment] = []
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def add(index: int, comment: str) -> None:
        line = _line_of(line_starts, index)
        col = index - line_starts[line - 1]
        own = text[line_starts[line - 1] : index].strip() == ""
        out.append(Comment(line, col + 1, comment.rstrip(), own))

    previous_end = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        start, end = token.start_mark.index, token.end_mark.index
        _gap_comments(text, previous_end, start, add)
        if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
            first = text[start:end].split("\n", 1)[0]
            match = _BLOCK_HEADER_COMMENT_RE.match(first)
            if match:
                add(start + match.start(1), match.group(1))
        previous_end = max(previous_end, end)
    _gap_comments(text, previous_end, len(text), add)
    return out


def _gap_comments(text: str, start: int, end: int, add: Callable[[int, str], None]) -> None:
    """Report the comments in a gap between tokens (only blanks and comments)."""
    index = text.find("#", start, end)
    while index >= 0:
        stop = text.find("\n", index, end)
        stop = end if stop < 0 else stop
        add(index, text[index:stop])
        index = text.find("#", stop, end)


def _line_of(line_starts: list[int], index: int) -> int:
    low, high = 0, len(line_starts) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if line_starts[mid] <= index:
            low = mid
        else:
            high = mid - 1
    return low + 1


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def attach_comments(comments: Sequence[Comment], doc: YamlDocument) -> Comments:
    """Attach comments to the key paths of ``doc``.

    A comment line goes with the next key or list item (comment lines above
    the first key stay at the top of the file). An end-of-line comment goes
    with the outermost key or item on its line, preferring one whose value is
    not a mapping (so ``- id: x  # note`` stays beside ``id``); a comment
    after a multi-line value goes with the last key before it.
    """
    marks = sorted(
        ((m.line, m.col, len(p), p) for p, m in doc.positions.items() if p),
        key=lambda t: (t[0], t[1], t[2]),
    )
    out = Comments()
    for comment in comments:
        if comment.own_line:
            after = next((t for t in marks if t[0] > comment.line), None)
            if after is None:
                out.trailing.append(comment.text)
            else:
                out.before.setdefault(after[3] if after is not marks[0] else (), []).append(comment.text)
            continue
        same_line = sorted((t for t in marks if t[0] == comment.line and t[1] < comment.col), key=lambda t: t[2])
        if same_line:
            plain = [t for t in same_line if not isinstance(_value_at(doc.data, t[3]), dict)]
            target = (plain or same_line)[0][3]
        else:
            earlier = [t for t in marks if t[0] < comment.line]
            target = max(earlier, key=lambda t: (t[0], t[1], t[2]))[3] if earlier else ()
        if target == ():
            out.before.setdefault((), []).append(comment.text)
        else:
            out.eol.setdefault(target, []).append(comment.text)
    return out


def folded_lines(text: str) -> dict[KeyPath, list[str]]:
    """The source lines of every simple ``>`` folded scalar, by key path.

    Simple means: one paragraph, no more-indented lines, so that joining the
    lines with spaces gives the value back. ``fmt`` keeps these line breaks
    (gofmt keeps yours too): editing one sentence then changes the lines from
    the edit to where its overflow settles (:func:`_refill`), not the whole
    re-flowed paragraph.
    """
    out: dict[KeyPath, list[str]] = {}
    stack: list[tuple[KeyPath, Any]] = [((), yaml.compose(text, Loader=yaml.SafeLoader))]
    while stack:
        path, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(((*path, str(k.value)), v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((*path, i), v) for i, v in enumerate(node.value))
        elif isinstance(node, yaml.ScalarNode) and node.style == ">":
            raw = text[node.start_mark.index : node.end_mark.index].split("\n")[1:]
            lines = [line.strip() for line in raw if line.strip()]
            indents = {len(line) - len(line.lstrip(" ")) for line in raw if line.strip()}
            if len(indents) == 1 and " ".join(lines) == node.value:
                out[path] = lines
    return out


# ------------------------------------------------------------------ scalars


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or any(ch in text for ch in ("\n", *_LINE_BREAKS)) or _has_hidden(text):
        return False
    analysis = _ANALYZER.analyze_scalar(text)
    if analysis.multiline or not (analysis.allow_flow_plain if flow else analysis.allow_block_plain):
        return False
    # Quote anything a YAML 1.1 or 1.2 reader (or yamllint) would take for a non-string.
    implicit = str(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]
    return implicit == "tag:yaml.org,2002:str" and resolve_plain(text) == text


def double_quoted(text: str) -> str:
    """Quote ``text`` as a YAML double-quoted scalar, escaping what must be."""
    body = json.dumps(text, ensure_ascii=False)[1:-1]

    def code(ch: str) -> str:
        return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"

    body = _NOT_PRINTABLE_RE.sub(lambda match: code(match.group(0)), body)
    if _has_hidden(body):
        body = "".join(code(ch) if _hidden(ch) else ch for ch in body)
    for ch in ("\x85", "\u2028", "\u2029", "\ufeff"):
        body = body.replace(ch, f"\\u{ord(ch):04x}")
    return f'"{body}"'


def _folded_ok(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or any(ch in text for ch in _LINE_BREAKS):
        return False
    return bool(_ANALYZER.analyze_scalar(text).allow_block)


def _wrap(text: str, first_width: int, width: int) -> list[str]:
    """Greedy wrap at single spaces between words, so folding restores the text."""
    breaks = [i for i in range(1, len(text) - 1) if text[i] == " " and text[i - 1] not in " \t" and text[i + 1] != " "]
    lines: list[str] = []
    start, last = 0, -1
    for i in [*breaks, len(text)]:
        limit = first_width if not lines else width
        if i - start > limit and last > start:
            lines.append(text[start:last])
            start = last + 1
        last = i
    lines.append(text[start:])
    return lines


def _refill(lines: Sequence[str], width: int) -> list[str]:
    """Keep the author's line breaks, but carry what overflows a line into the next.

    A line longer than ``width`` is wrapped and its last part is joined to the
    following line (and so on), the way a text editor fills a paragraph from
    the point of an edit: words added mid-paragraph do not leave a short
    orphan line behind. Lines before the first overflow are untouched, and
    the carry stops at the first line it fits on.
    """
    out: list[str] = []
    carry = ""
    for line in lines:
        text = f"{carry} {line}" if carry else line
        carry = ""
        if len(text) <= width:
            out.append(text)
            continue
        *full, carry = _wrap(text, width, width)
        if not full:  # one word longer than the line: it stays whole
            out.append(carry)
            carry = ""
        out.extend(full)
    if carry:
        out.append(carry)
    return out


def _literal_ok(text: str) -> bool:
    if any(ch in text for ch in _LINE_BREAKS) or not text.strip("\n"):
        return False
    lines = text.rstrip("\n").split("\n")
    first = next(line for line in lines if line)
    if first.startswith(" ") or any(line != line.rstrip() for line in lines):
        return False
    return bool(_ANALYZER.analyze_scalar(text).allow_block)


def scalar(
    value: Any,
    column: int,
    content_indent: int,
    flow: bool = False,
    item: bool = False,
    breaks: Sequence[str] | None = None,
) -> tuple[str, list[str]]:
    """Render a scalar that starts at ``column``.

    Args:
        value: A string, int, bool or None.
        column: Column (0-based) where the scalar starts on its line.
        content_indent: Indentation of block-scalar content lines.
        flow: Whether the scalar is inside a flow collection.
        item: Whether it is a block list item (long plain text then goes on
            over indented lines instead of becoming a ``>-`` block).
        breaks: The lines of a ``>`` block in the source: a folded block is
            kept, with these line breaks (lines too long are wrapped).

    Returns:
        The text on the first line and any further (already indented) lines.
    """
    if value is None:
        return "null", []
    if isinstance(value, bool):
        return ("true" if value else "false"), []
    if isinstance(value, int):
        return str(value), []
    if not isinstance(value, str):
        raise FormatError(f"cannot format a value of type {type(value).__name__}")
    if _has_hidden(value):  # only a double-quoted scalar can spell them as escapes
        return double_quoted(value), []
    pad = " " * content_indent
    width = WIDTH - content_indent
    if breaks and not flow and _folded_ok(value):
        return ">-", [pad + line for line in _refill(breaks, width)]
    if "\n" in value:
        if flow or not _literal_ok(value):
            return double_quoted(value), []
        trailing = len(value) - len(value.rstrip("\n"))
        chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
        lines = value.rstrip("\n").split("\n") + [""] * max(0, trailing - 1)
        return f"|{chomp}", [pad + line if line else "" for line in lines]
    if _plain_ok(value, flow) and (flow or column + len(value) <= WIDTH):
        return value, []
    if item and _plain_ok(value, False) and _folded_ok(value):
        first, *rest = _wrap(value, WIDTH - column, WIDTH - content_indent)
        return first, [pad + line for line in rest]
    quoted = double_quoted(value)
    if flow or column + len(quoted) <= WIDTH or not _folded_ok(value):
        return quoted, []
    return ">-", [pad + line for line in _wrap(value, width, width)]


# ------------------------------------------------------------------ emitter


class _Emitter:
    def __init__(self, comments: Comments, order: KeyOrder, folded: dict[KeyPath, list[str]]) -> None:
        self.comments = comments
        self.order = order
        self.folded = folded
        self.lines: list[str] = []

    def _before(self, path: KeyPath, indent: int) -> None:
        self.lines.extend(" " * indent + text for text in self.comments.before.get(path, []))

    def _eol(self, path: KeyPath, line: str) -> str:
        notes = self.comments.eol.get(path, [])
        return line + "".join(f"  {note}" for note in notes)

    def _flow_list(self, value: list[Any], path: KeyPath, column: int) -> str | None:
        if not value:
            return "[]"
        if any(not isinstance(v, (str, int)) or isinstance(v, bool) for v in value):
            return None
        if any(isinstance(v, str) and not (_ID_LIKE_RE.match(v) and _plain_ok(v, True)) for v in value):
            return None
        if any(self.comments.has_any((*path, i)) for i in range(len(value))):
            return None
        text = "[" + ", ".join(str(v) for v in value) + "]"
        return text if column + len(text) <= WIDTH else None

    def node(self, prefix: str, value: Any, path: KeyPath, indent: int, in_item: bool = False) -> None:
        """Emit ``prefix`` (e.g. ``key:`` or ``-``) and the value it introduces.

        ``indent`` is the column of the prefix; nested blocks go two deeper.
        """
        lead = " " * indent + prefix
        child = indent + INDENT
        if isinstance(value, dict):
            if not value:
                self.lines.append(self._eol(path, f"{lead} {{}}"))
                return
            if in_item:
                self.mapping(value, path, child, item_dash=indent)
                return
            self.lines.append(self._eol(path, lead))
            self.mapping(value, path, child)
        elif isinstance(value, list):
            flow = self._flow_list(value, path, len(lead) + 1)
            if flow is not None:
                self.lines.append(self._eol(path, f"{lead} {flow}"))
                return
            self.lines.append(self._eol(path, lead))
            for i, item in enumerate(value):
                self._before((*path, i), child)
                self.node("-", item, (*path, i), child, in_item=True)
        else:
            first, rest = scalar(value, len(lead) + 1, child, item=in_item, breaks=self.folded.get(path))
            self.lines.append(self._eol(path, f"{lead} {first}"))
            self.lines.extend(rest)

    def mapping(self, value: dict[str, Any], path: KeyPath, indent: int, item_dash: int | None = None) -> None:
        """Emit a block mapping; in a list item the first key shares the ``-`` line."""
        keys = self.order(path, list(value))
        if sorted(keys) != sorted(value):
            raise FormatError(f"key order for {path} lost or invented keys")
        for n, key in enumerate(keys):
            key_text = key if _plain_ok(key, False) else double_quoted(key)
            self._before((*path, key), indent)
            first_line = len(self.lines)
            self.node(key_text + ":", value[key], (*path, key), indent)
            if n == 0 and item_dash is not None:
                line = self.lines[first_line]
                self.lines[first_line] = self._eol(path, " " * item_dash + "- " + line[item_dash + INDENT :])


def emit(
    data: dict[str, Any],
    comments: Comments,
    order: KeyOrder,
    header: Sequence[str] = (),
    folded: dict[KeyPath, list[str]] | None = None,
) -> str:
    """Emit a document: header lines, then the mapping, then trailing comments."""
    emitter = _Emitter(comments, order, folded or {})
    emitter.lines.extend(header)
    emitter._before((), 0)
    emitter.mapping(data, (), 0)
    emitter.lines.extend(comments.trailing)
    return "\n".join(emitter.lines) + "\n"


def format_document(
    text: str, order: KeyOrder, header: Sequence[str] = (), drop: Callable[[str], bool] = lambda _: False
) -> str:
    """Parse ``text`` strictly and emit it in canonical form.

    Args:
        text: The YAML source.
        order: Chooses the key order of each mapping.
        header: Lines written first (e.g. the schema modeline).
        drop: Comments for which this is true are not kept (e.g. an old modeline).

    Raises:
        generator.load.yamlstrict.YamlProblem: if the text is not strict YAML.
        FormatError: if the text is not a mapping, or the result would not
            read back as the same data with the same comments.
    """
    doc = parse(text.encode("utf-8"))
    if not isinstance(doc.data, dict):
        raise FormatError(f"the file must be a mapping of fields, found a {type(doc.data).__name__}")
    found = [c for c in find_comments(text) if not drop(c.text)]
    out = emit(doc.data, attach_comments(found, doc), order, header, folded_lines(text))
    again = parse(out.encode("utf-8"))
    if again.data != doc.data:
        raise FormatError("internal: formatted text reads back as different data; file left unchanged")
    kept = sorted(c.text for c in find_comments(out))
    if kept != sorted([*header_comments(header), *(c.text for c in found)]):
        raise FormatError("internal: formatting would lose a comment; file left unchanged")
    return out


def header_comments(header: Sequence[str]) -> list[str]:
    """The comment lines among ``header``."""
    return [line.strip() for line in header if line.lstrip().startswith("#")]
