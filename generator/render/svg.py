"""Graphviz SVG for pages: rendered in parallel, cached, made inline-safe.

Graphviz is deterministic for the same DOT text, so results are cached by
that text (``mkdocs serve`` re-renders only the diagrams that changed).
Across builds, the MkDocs adapter keeps them on disk by the hash of that
text (:func:`seed` before rendering, :func:`drawn` after): this module
itself never touches the disk.
The SVG is then trimmed for inlining into a page: no XML prolog, doctype,
comments or titles, a responsive size and an accessible name. It is also
made smaller (an entity page's diagram was a quarter of the page): no
element ids (nothing refers to them, and several diagrams share a page),
no wrapper group around each link, the text attributes every label shares
set once on the ``<svg>`` (they inherit; so does the most common font
size), coordinates cut to 0.1 pt (under a seventh of a pixel), straight
sides of boxes written as lines rather than curves, short colours, no
namespace declarations (an ``<svg>`` in HTML is SVG without them) and no
default transforms. Each link keeps SVG 2's plain ``href`` only (every
browser follows it; crawlers read nothing else). An entity page's diagram
also drops its tooltips: each repeated its node's label with the entity's
type, which the node's colour and shape and the page's relations list show.
The ``node``/``edge``/``cluster`` classes stay.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from markupsafe import Markup, escape

from generator.render.diagrams import find_dot, render_svg

PT_TO_PX = 4 / 3
_PROLOG_RE = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.S)
_TITLE_RE = re.compile(r"<title>.*?</title>\n?", re.S)
_SIZE_RE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_ID_RE = re.compile(r' id="[^"]*"')
_SHARED_TEXT_RE = re.compile(r' (?:text-anchor="middle"|font-family="Helvetica,sans-Serif")')
_PRESERVE = ' xml:space="preserve"'
_PRESERVE_RE = re.compile(r'<text xml:space="preserve"([^>]*)>([^<]*)</text>')
# The coordinate attributes, split out: their values are the odd-numbered parts after each name.
_COORDS_RE = re.compile(r'( (?:d|points|x|y)=")([^"]*)')
_DIGITS = "0123456789"
_COLOUR_RE = re.compile(r'="#([0-9a-f]{6})"')
_FONT_SIZE_RE = re.compile(r'font-size="(\d+)\.00"')


@lru_cache(maxsize=1)
def dot_program() -> str:
    """The ``dot`` to run, found once per process by :func:`~generator.render.diagrams.find_dot`.

    Raises:
        DotNotFound: when no ``dot`` is installed (not cached: the next call looks again).
    """
    return find_dot()


_seeded: dict[str, str] = {}
"""SVG by :func:`dot_key`, drawn by earlier builds (:func:`seed`)."""
_new: dict[str, str] = {}
"""SVG by :func:`dot_key`, drawn by Graphviz since the last :func:`drawn`."""


def dot_key(dot_source: str) -> str:
    """The cache key of a diagram: a hash of its DOT text."""
    return hashlib.sha256(dot_source.encode("utf-8")).hexdigest()


def seed(svgs: Mapping[str, str]) -> None:
    """Offer SVGs drawn by earlier builds, by :func:`dot_key` (the adapter reads them from disk)."""
    _seeded.update(svgs)


def drawn() -> dict[str, str]:
    """The SVGs Graphviz drew since the last call, by :func:`dot_key` (for the adapter to keep)."""
    out = dict(sorted(_new.items()))
    _new.clear()
    return out


@lru_cache(maxsize=2048)
def svg_of(dot_source: str) -> str:
    """Render DOT text to SVG (cached by the text, and by its hash across builds)."""
    key = dot_key(dot_source)
    svg = _seeded.get(key)
    if svg is None:
        svg = _new[key] = render_svg(dot_source, dot_program())
    return svg


def render_all(sources: list[str]) -> list[str]:
    """Render many DOT texts, in parallel, results in the same order."""
    workers = max(1, min(8, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(svg_of, sources))


def _cut(numbers: str) -> str:
    """Every decimal number in ``numbers`` cut to one decimal, a ".0" dropped ("312.74" -> "312.7", "4.05" -> "4")."""
    pieces = numbers.split(".")
    out = [pieces[0]]
    for piece in pieces[1:]:  # each starts with the decimals of a number (Graphviz writes "0.5", never ".5")
        rest = piece.lstrip(_DIGITS)
        out.append(rest if piece[:1] == "0" else f".{piece[:1]}{rest}")
    return "".join(out)


def _coordinates(text: str) -> str:
    """``text`` with the values of its coordinate attributes cut by :func:`_cut` (in one pass over all of them).

    Paths are then shortened by :func:`_short_path`.
    """
    parts = _COORDS_RE.split(text)
    if len(parts) == 1:
        return text
    values = _cut("\0".join(parts[2::3])).split("\0")
    parts[2::3] = [_short_path(v) if name == ' d="' else v for name, v in zip(parts[1::3], values, strict=True)]
    return "".join(parts)


def _text(match: re.Match[str]) -> str:
    """A label without ``xml:space`` where it keeps no spaces that would collapse."""
    attrs, words = match.group(1), match.group(2)
    keeps = "  " in words or words != words.strip()
    return f"<text{_PRESERVE if keeps else ''}{attrs}>{words}</text>"


def _colour(match: re.Match[str]) -> str:
    """``="#555555"`` as ``="#555"`` (a colour of three doubled digits), other colours as they are."""
    h = match.group(1)
    return f'="#{h[0]}{h[2]}{h[4]}"' if h[0] == h[1] and h[2] == h[3] and h[4] == h[5] else match.group(0)


_XLINK_HREF_RE = re.compile(r'<a xlink:href="([^"]*)"')
_XLINK_TITLE_RE = re.compile(r' xlink:title="[^"]*"')
_OTHER_COMMANDS_RE = re.compile(r"[A-Za-z]")
_FONT_SIZES_RE = re.compile(r' font-size="(\d+)"')
_VIEWBOX_RE = re.compile(r'viewBox="([^"]*)"')
_ZEROS_RE = re.compile(r"\.0+\b")  # "429.00" -> "429"; "429.05" kept
_XMLNS_RE = re.compile(r' xmlns(?::xlink)?="[^"]*"')


def _short_path(path: str) -> str:
    """A Graphviz path (``M``, then cubic curves) drawn the same with fewer bytes.

    A curve whose control points sit on its ends is a straight line, written
    ``H``, ``V`` or ``L`` (the straight sides of a rounded box are such curves).
    Numbers are compared as text: :func:`_cut` wrote each value one way.
    """
    start, _, curves = path.partition("C")
    points = curves.split(" ")
    if not start.startswith("M") or not curves or len(points) % 3 or _OTHER_COMMANDS_RE.search(curves):
        return path
    out = [start]
    x0, _, y0 = start[1:].partition(",")
    current = start[1:]
    for i in range(0, len(points), 3):
        first, second, end = points[i : i + 3]
        x, _, y = end.partition(",")
        if first == current and second == end:
            out.append(f"H{x}" if y == y0 else f"V{y}" if x == x0 else f"L{end}")
        else:
            out.append(f"C{first} {second} {end}")
        current, x0, y0 = end, x, y
    return "".join(out)


def compact(svg: str, *, tooltips: bool = True) -> str:
    """Graphviz SVG without the bytes a browser does not need (see the module docstring).

    ``tooltips=False`` also drops the links' tooltips (``xlink:title``), for
    diagrams whose tooltips only repeat what the page shows.
    """
    text = svg.replace("&#45;", "-")
    text = _ID_RE.sub("", text)
    # Graphviz wraps each link in a group of its own (which held only an id), closed right after the link.
    text = text.replace("<g><a ", "<a ").replace("</a>\n</g>", "</a>")
    text = text.replace(' target="_top"', "")  # inline SVG links open in the page's own window
    # SVG 2's plain href only: every browser follows it, and crawlers and Lighthouse
    # ("Links are not crawlable") read nothing else.
    text = _XLINK_HREF_RE.sub(r'<a href="\1"', text)
    if not tooltips:
        text = _XLINK_TITLE_RE.sub("", text)
    text = _SHARED_TEXT_RE.sub("", text)
    text = _PRESERVE_RE.sub(_text, text)
    text = _coordinates(text)
    text = text.replace(' transform="scale(1 1) rotate(0) translate(', ' transform="translate(')
    text = _VIEWBOX_RE.sub(lambda m: f'viewBox="{_ZEROS_RE.sub("", m.group(1))}"', text, count=1)
    text = _COLOUR_RE.sub(_colour, text)
    return _FONT_SIZE_RE.sub(lambda m: f'font-size="{m.group(1)}"', text)


def inline(svg: str, label: str, *, tooltips: bool = True) -> Markup:
    """Make Graphviz SVG ready to inline in a page, and small (:func:`compact`).

    Args:
        svg: Graphviz's SVG output.
        label: The accessible name of the diagram (plain text; escaped here).
        tooltips: Keep the links' tooltips (see :func:`compact`).
    """
    text = _PROLOG_RE.sub("", svg)
    text = _TITLE_RE.sub("", text)
    text = compact(text, tooltips=tooltips)
    match = _SIZE_RE.search(text)
    if match:
        width = round(float(match.group(1)) * PT_TO_PX)
        height = round(float(match.group(2)) * PT_TO_PX)
        # The labels' most common font size is set once, on the <svg> (text inherits it).
        sizes = Counter(_FONT_SIZES_RE.findall(text))
        common = f' font-size="{sizes.most_common(1)[0][0]}"' if sizes else ""
        if common:
            text = text.replace(common, "")
        opening = (
            f'<svg width="{width}" height="{height}" role="group" aria-label="{escape(label)}" class="kb-graph"'
            f' font-family="Helvetica,sans-Serif" text-anchor="middle"{common}'
        )
        text = _SIZE_RE.sub(lambda _: opening, text, count=1)  # a function: '\\' in a title is not an escape
        # Inline in HTML an <svg> is in the SVG namespace without declaring it.
        text = _XMLNS_RE.sub("", text)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return Markup("\n".join(lines))  # Graphviz output from escaped DOT
