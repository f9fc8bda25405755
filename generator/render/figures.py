"""Study figures (``count`` of ``total``) as rows pages and charts show."""

from __future__ import annotations

from dataclasses import dataclass

from generator.markup import plain
from generator.models import Figure
from generator.render.views import Citation, Citations


@dataclass(frozen=True)
class FigureRow:
    """One figure ready to show: label, numbers, share and its citation."""

    label: str
    count: int
    total: int
    percent: float
    locator: str
    citation: Citation

    @property
    def percent_text(self) -> str:
        """The share rounded to a whole percent, e.g. '67%'."""
        return f"{self.percent:.0f}%"


#: What a row's source says when its numbers come from the KB's copy of the study's coded data.
RECOMPUTED = "recomputed"


def _source(figure: Figure) -> str:
    """Where a figure's numbers come from.

    A figure recomputed from ``kb/data`` whose locator names the study's chart
    gets a note: those charts print shares, and the count is the recomputation's.
    """
    locator = plain(figure.locator or "")
    if figure.recompute is not None and locator and RECOMPUTED not in locator:
        return f"{locator} (shares); count recomputed from the coded data"
    return locator


def figure_rows(figures: list[Figure], cites: Citations) -> list[FigureRow]:
    """Rows for an entity's figures, numbering their sources on the page."""
    return [FigureRow(plain(f.label), f.count, f.total, 100 * f.share, _source(f), cites.cite(f.cite)) for f in figures]
