"""Graphviz diagrams built with pydot: safe labels, stable output.

pydot does not escape attribute values: a label ending in a backslash or
holding a quote breaks out of the DOT string. Every value here goes through
:func:`dot_quote`, which returns an already-quoted, fully escaped DOT string.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import pydot

from generator.kb import Graph
from generator.markup import clean_text, dot_quote

#: Graphviz lays text out with built-in metrics for a few PostScript font names;
#: a list such as "Helvetica,Arial,sans-serif" falls back to Times metrics, so
#: labels overflow their boxes in the browser. "Helvetica" has metrics and is
#: written to SVG as "Helvetica,sans-Serif" (Liberation Sans on Linux).
FONT = "Helvetica"

#: Fill colours per node kind (colour-blind-safe palette, dark text on all).
COLOURS: dict[str, str] = {
    "paradigm": "#cfe3f7",
    "stage": "#d9f0d3",
    "challenge": "#fde0c5",
    "practice": "#e4dcf4",
    "defect": "#f9d3d9",
    "scenario": "#fff3b0",
    "reference": "#eeeeee",
}
SHAPES: dict[str, str] = {"stage": "box", "challenge": "octagon", "defect": "hexagon", "scenario": "folder"}


# The graph's name (an entity id, "workflow"), which says where a failed diagram belongs.
_GRAPH_NAME_RE = re.compile(r'\s*(?:strict\s+)?(?:di)?graph\s+("(?:[^"\\]|\\.)*"|\w+)')


class DiagramError(Exception):
    """A diagram could not be drawn: Graphviz is missing or failed."""


class DotNotFound(DiagramError):
    """No Graphviz 'dot' executable could be found."""


class GraphvizFailed(DiagramError):
    """Graphviz ran but failed on a diagram."""


def wrap(text: str, width: int = 22) -> str:
    """Wrap a title onto short lines so nodes stay compact."""
    return "\n".join(textwrap.wrap(clean_text(text), width=width)) or " "


def find_dot() -> str:
    """Locate a ``dot`` executable: ``$GRAPHVIZ_DOT``, ``dot`` or ``graphviz-pure``.

    Raises:
        DotNotFound: with instructions when none is installed.
    """
    # The venv's own bin folder first: `python -m generator` may run without
    # the venv on PATH, and graphviz-pure installs its command there.
    venv_bin = os.path.dirname(sys.executable)
    candidates = [os.environ.get("GRAPHVIZ_DOT", ""), "dot", "graphviz-pure"]
    for name in candidates:
        found = (shutil.which(name, path=venv_bin) or shutil.which(name)) if name else None
        if found:
            return found
    raise DotNotFound("Graphviz 'dot' not found; run 'make venv' (installs graphviz-pure) or install graphviz")


def to_dot(
    graph: Graph,
    *,
    name: str = "kb",
    url_for: Callable[[str], str | None] | None = None,
    rankdir: str = "LR",
    highlight: str | None = None,
) -> pydot.Dot:
    """Build a pydot graph from (a subgraph of) the KB graph.

    Args:
        graph: The typed graph or a subgraph of it.
        name: The graph name (ends up in the SVG title).
        url_for: Maps a node id to the link target of its node, or None.
        rankdir: Graphviz layout direction.
        highlight: A node drawn with a bold border (the page's own entity).
    """
    dot = pydot.Dot(dot_quote(name), graph_type="digraph", strict=False)
    dot.set_graph_defaults(
        rankdir=rankdir, fontname=dot_quote(FONT), bgcolor="transparent", nodesep="0.3", ranksep="0.5"
    )
    dot.set_node_defaults(
        fontname=dot_quote(FONT),
        fontsize="11",
        style=dot_quote("filled,rounded"),
        shape="box",
        color="#555555",
        margin="0.12,0.06",
    )
    dot.set_edge_defaults(fontname=dot_quote(FONT), fontsize="9", color="#777777", fontcolor="#444444", arrowsize="0.7")
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        kind = data.get("kind", "")
        # A node standing for a group ("12 practices") looks like its members, dashed.
        looks_like = data.get("group_of", kind)
        attrs: dict[str, Any] = {
            "label": dot_quote(wrap(data.get("title", node))),
            "fillcolor": dot_quote(COLOURS.get(looks_like, "#ffffff")),
            "id": dot_quote(f"node-{node}"),
        }
        if "group_of" in data:
            attrs["style"] = dot_quote("filled,rounded,dashed")
        if kind in SHAPES:
            attrs["shape"] = SHAPES[kind]
            if SHAPES[kind] != "box":
                attrs["style"] = dot_quote("filled")
        if node == highlight:
            attrs["penwidth"] = "2.5"
            attrs["color"] = dot_quote("#222222")
        url = url_for(node) if url_for else None
        if url:
            # A tooltip alone makes Graphviz wrap the node in an <a> with no
            # href (the page's own node): a link that goes nowhere, which
            # crawlers and Lighthouse's SEO audit flag. Linked nodes only.
            attrs["tooltip"] = dot_quote(f"{kind}: {data.get('title', node)}")
            attrs["URL"] = dot_quote(url)
            attrs["target"] = dot_quote("_top")
        dot.add_node(pydot.Node(dot_quote(node), **attrs))
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
        edge_attrs: dict[str, Any] = {"label": dot_quote(data["relation"])}
        if data["relation"] == "feeds-back-to":
            edge_attrs["style"] = "dashed"
            edge_attrs["constraint"] = "false"
        dot.add_edge(pydot.Edge(dot_quote(source), dot_quote(target), **edge_attrs))
    return dot


def render_svg(dot: pydot.Dot | str, dot_path: str | None = None) -> str:
    """Render DOT to SVG text with Graphviz.

    Raises:
        DotNotFound: when no ``dot`` is installed.
        GraphvizFailed: when Graphviz fails or does not finish in time.
    """
    source = dot if isinstance(dot, str) else dot.to_string()
    program = dot_path or find_dot()
    try:
        result = subprocess.run(
            [program, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GraphvizFailed(f"Graphviz ({program}) could not run: {exc}") from None
    if result.returncode != 0:
        name = _GRAPH_NAME_RE.match(source)
        on = f" on diagram {name.group(1)}" if name else ""
        raise GraphvizFailed(f"Graphviz failed{on}: {result.stderr.decode('utf-8', 'replace').strip()[:500]}")
    return result.stdout.decode("utf-8")
