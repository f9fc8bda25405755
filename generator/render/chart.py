"""A horizontal bar chart of study figures, drawn as SVG by hand.

One bar per figure: the share ``count / total``, labelled with the numbers
and a citation link. Bars are grouped under headings (the taxonomy's root
types) and coloured by component with the Okabe-Ito colour-blind-safe
palette. Text is escaped; the output is deterministic.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Okabe-Ito colours by component.
PALETTE: dict[str, str] = {
    "environment": "#0072B2",
    "data-pipeline": "#E69F00",
    "modeling": "#009E73",
    "training": "#CC79A7",
    "conversion": "#D55E00",
    "cross-cutting": "#56B4E9",
}
WIDTH = 820
LABEL_W = 330
BAR_X = LABEL_W + 20
BAR_W = 300
ROW_H = 44
HEAD_H = 34
TOP = 28
FONT = "Helvetica, Arial, sans-serif"


@dataclass(frozen=True)
class Bar:
    """One figure as a bar."""

    title: str
    title_href: str
    label: str
    count: int
    total: int
    component: str
    cite_number: int
    cite_href: str


@dataclass(frozen=True)
class BarGroup:
    """Bars under one heading."""

    heading: str
    bars: list[Bar]


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.0f}" y="{y:.0f}"{extra}>{escape(content)}</text>'


def _bar_rows(bar: Bar, y: float) -> list[str]:
    share = bar.count / bar.total if bar.total else 0.0
    colour = PALETTE.get(bar.component, "#3f51b5")
    label = textwrap.shorten(bar.label, width=58, placeholder="\u2026")
    return [
        f'<a href="{escape(bar.title_href)}">'
        + _text(0, y + 15, textwrap.shorten(bar.title, 48, placeholder="\u2026"), font_weight="700", fill="#1a237e")
        + "</a>",
        _text(0, y + 32, label, fill="#555555", font_size="11"),
        f'<rect x="{BAR_X}" y="{y + 12:.0f}" width="{BAR_W}" height="16" rx="3" fill="#eceff1"/>',
        f'<rect x="{BAR_X}" y="{y + 12:.0f}" width="{BAR_W * share:.1f}" height="16" rx="3" fill="{colour}"/>',
        _text(BAR_X + BAR_W + 10, y + 25, f"{bar.count}/{bar.total} \u00b7 {100 * share:.0f}%", fill="#222222"),
        f'<a href="{escape(bar.cite_href)}">'
        + _text(WIDTH - 4, y + 25, f"[{bar.cite_number}]", fill="#1a237e", text_anchor="end")
        + "</a>",
    ]


def bar_chart(groups: list[BarGroup], label: str) -> Markup:
    """The chart as inline SVG with an accessible name."""
    parts: list[str] = []
    y = float(TOP)
    for group in groups:
        parts.append(_text(0, y + 22, group.heading, font_size="14", font_weight="700", fill="#111111"))
        parts.append(
            f'<line x1="0" y1="{y + HEAD_H - 4:.0f}" x2="{WIDTH}" y2="{y + HEAD_H - 4:.0f}" stroke="#cfd8dc"/>'
        )
        y += HEAD_H
        for bar in group.bars:
            parts.extend(_bar_rows(bar, y))
            y += ROW_H
    height = y + 10
    axis = []
    for tick in (0, 25, 50, 75, 100):
        x = BAR_X + BAR_W * tick / 100
        axis.append(f'<line x1="{x:.0f}" y1="{TOP - 6}" x2="{x:.0f}" y2="{height - 6:.0f}" stroke="#e0e0e0"/>')
        axis.append(_text(x, TOP - 10, f"{tick}%", fill="#666666", font_size="10", text_anchor="middle"))
    body = "\n".join(axis + parts)
    return Markup(  # every text and URL escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-bar-chart" role="group" aria-label="{escape(label)}" '
        f'width="{WIDTH}" height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'font-family="{FONT}" font-size="12">\n{body}\n</svg>'
    )
