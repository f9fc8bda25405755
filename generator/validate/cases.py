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
    # Indexed once per KB: a scan of every entity per defect type made checking quadratic.
    return list(kb.memo("defect-subtypes", lambda: _subtypes(kb)).get(defect_id, ()))


def _subtypes(kb: KnowledgeBase) -> dict[str, list[Defect]]:
    children: dict[str, list[Defect]] = {}
    for entity in kb.entities.values():
        if isinstance(entity, Defect) and entity.parent is not None:
            children.setdefault(entity.parent, []).append(entity)
    return {parent: sorted(found, key=lambda d: d.id) for parent, found in children.items()}


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
