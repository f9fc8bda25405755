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


def figure_rows(figures: list[Figure], cites: Citations) -> list[FigureRow]:
    """Rows for an entity's figures, numbering their sources on the page."""
    return [
        FigureRow(plain(f.label), f.count, f.total, 100 * f.share, f.locator or "", cites.cite(f.cite)) for f in figures
    ]
