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
set once on the ``<svg>`` (they inherit), coordinates cut to 0.1 pt (under
a seventh of a pixel), and short colours. Links, tooltips (``xlink:title``),
the ``node``/``edge``/``cluster`` classes and each label's font size stay;
each link also gets SVG 2's plain ``href`` beside ``xlink:href``, the only
one crawlers read.
"""

from __future__ import annotations

import hashlib
import os
import re
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
    """``text`` with the values of its coordinate attributes cut by :func:`_cut` (in one pass over all of them)."""
    parts = _COORDS_RE.split(text)
    if len(parts) == 1:
        return text
    parts[2::3] = _cut("\0".join(parts[2::3])).split("\0")
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


def compact(svg: str) -> str:
    """Graphviz SVG without the bytes a browser does not need (see the module docstring)."""
    text = svg.replace("&#45;", "-")
    text = _ID_RE.sub("", text)
    # Graphviz wraps each link in a group of its own (which held only an id), closed right after the link.
    text = text.replace("<g><a ", "<a ").replace("</a>\n</g>", "</a>")
    text = text.replace(' target="_top"', "")  # inline SVG links open in the page's own window
    # SVG 2's plain href beside Graphviz's xlink:href: crawlers and Lighthouse
    # ("Links are not crawlable") read only href; older SVG viewers read xlink.
    text = _XLINK_HREF_RE.sub(r'<a href="\1" xlink:href="\1"', text)
    text = _SHARED_TEXT_RE.sub("", text)
    text = _PRESERVE_RE.sub(_text, text)
    text = _coordinates(text)
    text = _COLOUR_RE.sub(_colour, text)
    return _FONT_SIZE_RE.sub(lambda m: f'font-size="{m.group(1)}"', text)


def inline(svg: str, label: str) -> Markup:
    """Make Graphviz SVG ready to inline in a page, and small (:func:`compact`).

    Args:
        svg: Graphviz's SVG output.
        label: The accessible name of the diagram (plain text; escaped here).
    """
    text = _PROLOG_RE.sub("", svg)
    text = _TITLE_RE.sub("", text)
    text = compact(text)
    match = _SIZE_RE.search(text)
    if match:
        width = round(float(match.group(1)) * PT_TO_PX)
        height = round(float(match.group(2)) * PT_TO_PX)
        opening = (
            f'<svg width="{width}" height="{height}" role="group" aria-label="{escape(label)}" class="kb-graph"'
            ' font-family="Helvetica,sans-Serif" text-anchor="middle"'
        )
        text = _SIZE_RE.sub(lambda _: opening, text, count=1)  # a function: '\\' in a title is not an escape
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return Markup("\n".join(lines))  # Graphviz output from escaped DOT
