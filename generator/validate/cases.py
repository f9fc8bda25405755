"""The real cases of each defect type: the rows of the study data its ``cases`` query selects.

A defect type with its own ``cases`` query lists those rows; a parent type
without one lists its sub-types' cases, so every page of the taxonomy shows
real issues. Pure functions of the checked KB.
"""

from __future__ import annotations

from generator.kb import KnowledgeBase
from generator.load.datasets import select
from generator.models import Defect

#: A case: (data set name, row index in that data set).
Case = tuple[str, int]


def own_cases(kb: KnowledgeBase, defect: Defect) -> list[Case]:
    """The rows a defect type's own ``cases`` query selects (none without a query or data)."""
    if defect.cases is None or defect.cases.dataset not in kb.datasets:
        return []
    data = kb.datasets[defect.cases.dataset]
    return [(data.name, i) for i in select(data, defect.cases.where)]


def subtypes_of(kb: KnowledgeBase, defect_id: str) -> list[Defect]:
    """Direct sub-types of a defect type, by id."""
    return sorted(
        (e for e in kb.entities.values() if isinstance(e, Defect) and e.parent == defect_id), key=lambda d: d.id
    )


def defect_cases(kb: KnowledgeBase, defect_id: str, _seen: frozenset[str] = frozenset()) -> list[Case]:
    """A defect type's cases: its own query's rows, else the union of its sub-types' cases."""
    defect = kb.entities.get(defect_id)
    if not isinstance(defect, Defect) or defect_id in _seen:
        return []
    if defect.cases is not None:
        return own_cases(kb, defect)
    found: set[Case] = set()
    for child in subtypes_of(kb, defect_id):
        found.update(defect_cases(kb, child.id, _seen | {defect_id}))
    return sorted(found)
