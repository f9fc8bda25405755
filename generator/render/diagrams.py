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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
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


#: Graph, node and edge defaults of every diagram, as DOT ``key=value`` pairs.
_GRAPH_DEFAULTS = {"fontname": dot_quote(FONT), "bgcolor": "transparent", "nodesep": "0.3", "ranksep": "0.5"}
_NODE_DEFAULTS = {
    "fontname": dot_quote(FONT),
    "fontsize": "11",
    "style": dot_quote("filled,rounded"),
    "shape": "box",
    "color": "#555555",
    "margin": "0.12,0.06",
}
_EDGE_DEFAULTS = {
    "fontname": dot_quote(FONT),
    "fontsize": "9",
    "color": "#777777",
    "fontcolor": "#444444",
    "arrowsize": "0.7",
}

Attrs = dict[str, Any]  # str values; Any as pydot types its keyword arguments


@dataclass(frozen=True)
class DotGraph:
    """A diagram as DOT statements: every value already a DOT string or a bare word (see :func:`dot_value`)."""

    name: str
    defaults: tuple[Attrs, Attrs, Attrs]
    """Graph, node and edge defaults."""
    nodes: list[tuple[str, Attrs]]
    edges: list[tuple[str, str, Attrs]]

    def to_string(self) -> str:
        """The DOT text, the same as pydot writes for :func:`to_dot`'s graph."""
        lines = [f"digraph {self.name} {{"]
        for word, attrs in zip(("graph", "node", "edge"), self.defaults, strict=True):
            lines.append(f"{word} [{_attr_list(attrs)}];")
        lines += [f"{node} [{_attr_list(attrs)}];" for node, attrs in self.nodes]
        lines += [f"{source} -> {target} [{_attr_list(attrs)}];" for source, target, attrs in self.edges]
        return "\n".join(lines) + "\n}\n"

    def to_pydot(self) -> pydot.Dot:
        """The same graph as a pydot object."""
        dot = pydot.Dot(self.name, graph_type="digraph", strict=False)
        graph, node, edge = self.defaults
        dot.set_graph_defaults(**graph)
        dot.set_node_defaults(**node)
        dot.set_edge_defaults(**edge)
        for name, attrs in self.nodes:
            dot.add_node(pydot.Node(name, **attrs))
        for source, target, attrs in self.edges:
            dot.add_edge(pydot.Edge(source, target, **attrs))
        return dot


def dot_value(value: str) -> str:
    """An attribute value as DOT text: quoted values kept, bare words and numbers as they are, the rest quoted.

    pydot's rule (``quote_attr_if_necessary``), so the text is the same as pydot's.
    """
    if len(value) > 1 and value[0] == '"' == value[-1]:
        return value  # already a DOT string (:func:`dot_quote`): pydot leaves it as it is
    return _bare_or_quoted(value)


@lru_cache(maxsize=1024)
def _bare_or_quoted(value: str) -> str:
    return str(pydot.quote_attr_if_necessary(value))


def _attr_list(attrs: Attrs) -> str:
    return ", ".join(f"{key}={dot_value(value)}" for key, value in attrs.items())


#: DOT strings of node ids, colours and relations, which recur in many diagrams.
_quote = lru_cache(maxsize=1 << 16)(dot_quote)


@lru_cache(maxsize=1 << 16)
def _label(title: str) -> str:
    """A node's label: its title wrapped and quoted (titles recur across many diagrams)."""
    return dot_quote(wrap(title))


def dot_graph(
    graph: Graph,
    *,
    name: str = "kb",
    url_for: Callable[[str], str | None] | None = None,
    rankdir: str = "LR",
    highlight: str | None = None,
) -> DotGraph:
    """The DOT statements of (a subgraph of) the KB graph (arguments as :func:`to_dot`)."""
    edges = [(source, target, data["relation"]) for source, target, data in graph.edges(data=True)]
    return dot_statements(graph.nodes, edges, name=name, url_for=url_for, rankdir=rankdir, highlight=highlight)


def dot_statements(
    node_data: Mapping[str, Mapping[str, Any]],
    relations: Iterable[tuple[str, str, str]],
    *,
    name: str = "kb",
    url_for: Callable[[str], str | None] | None = None,
    rankdir: str = "LR",
    highlight: str | None = None,
) -> DotGraph:
    """The DOT statements of nodes (their graph data by id) and edges (source, target, relation).

    :func:`dot_graph` without a graph: an entity page's diagram is made from a few lookups.
    """
    nodes = []
    for node in sorted(node_data):
        data = node_data[node]
        kind = data.get("kind", "")
        title = data.get("title", node)
        # A node standing for a group ("12 practices") looks like its members, dashed.
        looks_like = data.get("group_of", kind)
        attrs: Attrs = {
            "label": _label(title),
            "fillcolor": _quote(COLOURS.get(looks_like, "#ffffff")),
            "id": _quote(f"node-{node}"),
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
            attrs["tooltip"] = _quote(f"{kind}: {title}")
            attrs["URL"] = _quote(url)
            attrs["target"] = _quote("_top")
        nodes.append((_quote(node), attrs))
    edges = []
    for source, target, relation in sorted(relations):
        edge_attrs: Attrs = {"label": _quote(relation)}
        if relation == "feeds-back-to":
            edge_attrs["style"] = "dashed"
            edge_attrs["constraint"] = "false"
        edges.append((_quote(source), _quote(target), edge_attrs))
    defaults = ({"rankdir": rankdir, **_GRAPH_DEFAULTS}, dict(_NODE_DEFAULTS), dict(_EDGE_DEFAULTS))
    return DotGraph(dot_quote(name), defaults, nodes, edges)


def to_dot(
    graph: Graph,
    *,
    name: str = "kb",
    url_for: Callable[[str], str | None] | None = None,
    rankdir: str = "LR",
    highlight: str | None = None,
) -> pydot.Dot:
    """Build a pydot graph from (a subgraph of) the KB graph.

    :func:`dot_graph` gives the same graph without pydot, and its DOT text
    faster (entity pages draw one diagram each).

    Args:
        graph: The typed graph or a subgraph of it.
        name: The graph name (ends up in the SVG title).
        url_for: Maps a node id to the link target of its node, or None.
        rankdir: Graphviz layout direction.
        highlight: A node drawn with a bold border (the page's own entity).
    """
    return dot_graph(graph, name=name, url_for=url_for, rankdir=rankdir, highlight=highlight).to_pydot()


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
