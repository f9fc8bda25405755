"""Splitting a long page into parts, for pages whose length grows with the KB.

Hub pages list every entry of a kind; at the KB's size today each fits on
one page, but at 30 times the KB they would pass a megabyte. Each renderer
keeps its single page up to a threshold (so today's site is unchanged) and
above it cuts its list into parts with :func:`chunks`, never inside a group
(a practice's items, an entry), and links the parts with a :class:`Pager`
(``parts/pager.html.j2``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator import urls as paths
from generator.urls import part_path

__all__ = ["Pager", "PagerLink", "chunks", "even_chunks", "pagers", "part_path"]

T = TypeVar("T")


def chunks(groups: Sequence[T], limit: int, weight: Callable[[T], int] = lambda _: 1) -> list[list[T]]:
    """``groups`` in order, cut into runs whose weights add up to at most ``limit``.

    A group heavier than ``limit`` gets a run of its own; no run is empty
    (an empty input gives one empty run, so a page always exists).
    """
    out: list[list[T]] = [[]]
    total = 0
    for group in groups:
        w = weight(group)
        if out[-1] and total + w > limit:
            out.append([])
            total = 0
        out[-1].append(group)
        total += w
    return out


def even_chunks(items: Sequence[T], limit: int, weight: Callable[[T], int] = lambda _: 1) -> list[list[T]]:
    """Like :func:`chunks`, but the runs are of near-equal weight (the last is not a small remainder)."""
    total = sum(weight(i) for i in items)
    count = max(-(-total // max(limit, 1)), 1)
    out: list[list[T]] = [[]]
    done = run = 0
    for item in items:
        w = weight(item)
        # Cut where the run would pass its share of the total by more than half the item, or the limit.
        if out[-1] and (done + w > total * len(out) / count + w / 2 or run + w > limit):
            out.append([])
            run = 0
        out[-1].append(item)
        done += w
        run += w
    return out


@dataclass(frozen=True)
class PagerLink:
    """One part in the pager: its label, its link from the current part, and whether it is the current one."""

    label: str
    href: str
    current: bool


@dataclass(frozen=True)
class Pager:
    """Links between the parts of a split page (rendered by ``parts/pager.html.j2``)."""

    noun: str
    parts: list[PagerLink]
    prev: str
    next: str

    @property
    def number(self) -> int:
        """The current part, 1-based."""
        return next(n for n, p in enumerate(self.parts, 1) if p.current)


def pagers(first: str, labels: list[str], noun: str = "Part") -> list[Pager | None]:
    """The pager of each part of the page ``first`` (``None`` for a page that is not split)."""
    if len(labels) < 2:
        return [None] * len(labels)
    docs = [part_path(first, n) for n in range(1, len(labels) + 1)]
    out: list[Pager | None] = []
    for n, doc in enumerate(docs):
        links = [PagerLink(lab, paths.href(doc, other), other == doc) for lab, other in zip(labels, docs, strict=True)]
        out.append(
            Pager(
                noun,
                links,
                paths.href(doc, docs[n - 1]) if n > 0 else "",
                paths.href(doc, docs[n + 1]) if n + 1 < len(docs) else "",
            )
        )
    return out
