"""Compare two versions of the knowledge base, entity by entity.

A pure function from two :class:`~generator.validate.schema.KnowledgeBase` objects to
a :class:`KbDiff`: entities added, removed, renamed (an id that disappears
while an entity of the new version lists it in ``aliases``), deprecated, and
changed field by field; references added and removed. Reading a version
from git is :mod:`generator.load.gitrefs`' job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.contrib.fmt import field_order
from generator.kb import KnowledgeBase
from generator.models import FOLDERS, Entity


@dataclass(frozen=True)
class FieldChange:
    """One top-level field of an entity that differs (JSON-like values)."""

    name: str
    old: Any
    new: Any

    def describe(self) -> str:
        """A one-line summary, e.g. ``steps: 1 added, 1 removed``."""
        if isinstance(self.old, list) and isinstance(self.new, list):
            return f"{self.name}: {_describe_lists(self.old, self.new)}"
        if isinstance(self.old, dict) and isinstance(self.new, dict):
            keys = sorted(k for k in {*self.old, *self.new} if self.old.get(k) != self.new.get(k))
            return f"{self.name}: {', '.join(keys)} changed"
        return f"{self.name}: {_short(self.old)} -> {_short(self.new)}"


@dataclass(frozen=True)
class EntityRef:
    """An entity named in a diff."""

    kind: str
    id: str
    title: str


@dataclass(frozen=True)
class EntityChange:
    """An entity present in both versions (under ``old_id`` if renamed)."""

    kind: str
    id: str
    title: str
    fields: tuple[FieldChange, ...]
    old_id: str | None = None


@dataclass(frozen=True)
class KbDiff:
    """Everything that changed between two versions of the KB."""

    old_version: str | None
    new_version: str | None
    added: tuple[EntityRef, ...] = ()
    removed: tuple[EntityRef, ...] = ()
    renamed: tuple[EntityChange, ...] = ()
    changed: tuple[EntityChange, ...] = ()
    deprecated: tuple[EntityRef, ...] = ()
    references_added: tuple[str, ...] = ()
    references_removed: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        """Whether nothing changed in the entities or the bibliography."""
        return not (
            self.added
            or self.removed
            or self.renamed
            or self.changed
            or self.references_added
            or self.references_removed
        )


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _identity(item: Any) -> str:
    """What names a list item: its id or cite key if it has one, else its value."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in ("id", "cite", "url", "label"):
            if isinstance(item.get(key), str):
                return str(item[key])
    return json.dumps(item, ensure_ascii=False, sort_keys=True)


def _describe_lists(old: list[Any], new: list[Any]) -> str:
    old_ids = [_identity(i) for i in old]
    new_ids = [_identity(i) for i in new]
    added = [i for i in new_ids if i not in old_ids]
    removed = [i for i in old_ids if i not in new_ids]
    changed = [i for i in new_ids if i in old_ids and old[old_ids.index(i)] != new[new_ids.index(i)]]
    scalar = all(not isinstance(i, (dict, list)) for i in [*old, *new])
    parts = []
    if added:
        parts.append(f"+{', +'.join(added)}" if scalar else f"{len(added)} added ({', '.join(added)})")
    if removed:
        parts.append(f"-{', -'.join(removed)}" if scalar else f"{len(removed)} removed ({', '.join(removed)})")
    if changed:
        parts.append(f"{len(changed)} changed ({', '.join(changed)})")
    if not parts:
        parts.append("reordered" if sorted(old_ids) == sorted(new_ids) else "changed")
    return "; ".join(parts)


def _dump(entity: Entity) -> dict[str, Any]:
    return entity.model_dump(mode="json")


def compare_entities(old: Entity, new: Entity, ignore: frozenset[str] = frozenset()) -> tuple[FieldChange, ...]:
    """Fields that differ between two versions of an entity, in canonical order."""
    a, b = _dump(old), _dump(new)
    names = field_order(type(new)) if type(old) is type(new) else sorted({*a, *b})
    return tuple(FieldChange(n, a.get(n), b.get(n)) for n in names if n not in ignore and a.get(n) != b.get(n))


def diff_kbs(old: KnowledgeBase, new: KnowledgeBase) -> KbDiff:
    """Compare two knowledge bases (only their schema-valid entities)."""
    before, after = old.entities, new.entities
    renamed: list[EntityChange] = []
    renamed_from: set[str] = set()
    for eid, entity in sorted(after.items()):
        if eid in before:
            continue
        for alias in entity.aliases:
            if alias in before and alias not in after and alias not in renamed_from:
                renamed_from.add(alias)
                changes = compare_entities(before[alias], entity, ignore=frozenset({"id"}))
                changes = tuple(c for c in changes if not (c.name == "aliases" and _only_added(c, alias)))
                renamed.append(EntityChange(entity.kind, eid, entity.title, changes, old_id=alias))
                break
    renamed_to = {c.id for c in renamed}
    added = [_ref(e) for i, e in after.items() if i not in before and i not in renamed_to]
    removed = [_ref(e) for i, e in before.items() if i not in after and i not in renamed_from]
    changed = []
    for eid, entity in after.items():
        if eid in before:
            changes = compare_entities(before[eid], entity)
            if changes:
                changed.append(EntityChange(entity.kind, eid, entity.title, changes))
    deprecated = [
        _ref(e)
        for i, e in after.items()
        if e.status == "deprecated" and (i not in before or before[i].status != "deprecated")
    ]
    old_keys, new_keys = set(old.bibliography.entries), set(new.bibliography.entries)
    return KbDiff(
        old_version=old.meta.version if old.meta else None,
        new_version=new.meta.version if new.meta else None,
        added=_sorted(added),
        removed=_sorted(removed),
        renamed=tuple(sorted(renamed, key=_order)),
        changed=tuple(sorted(changed, key=_order)),
        deprecated=_sorted(deprecated),
        references_added=tuple(sorted(new_keys - old_keys)),
        references_removed=tuple(sorted(old_keys - new_keys)),
    )


def _only_added(change: FieldChange, alias: str) -> bool:
    old, new = list(change.old or []), list(change.new or [])
    return [a for a in new if a != alias] == old


def _ref(entity: Entity) -> EntityRef:
    return EntityRef(entity.kind, entity.id, entity.title)


def _kind_rank(kind: str) -> int:
    return list(FOLDERS).index(kind) if kind in FOLDERS else len(FOLDERS)


def _order(item: EntityRef | EntityChange) -> tuple[int, str]:
    return (_kind_rank(item.kind), item.id)


def _sorted(items: list[EntityRef]) -> tuple[EntityRef, ...]:
    return tuple(sorted(items, key=_order))


# ----------------------------------------------------------------- output


def format_text(diff: KbDiff, old_label: str, new_label: str) -> str:
    """A human-readable report of a diff."""
    head = f"kb {old_label} (version {diff.old_version or '?'}) -> {new_label} (version {diff.new_version or '?'})"
    lines = [head]
    if diff.is_empty:
        lines.append("no changes to entities or references")
        return "\n".join(lines) + "\n"
    for label, sign, refs in (("added", "+", diff.added), ("removed", "-", diff.removed)):
        if refs:
            lines.append(f"{label} ({len(refs)}):")
            lines += [f"  {sign} {r.kind} {r.id}: {r.title}" for r in refs]
    if diff.renamed:
        lines.append(f"renamed ({len(diff.renamed)}):")
        for c in diff.renamed:
            lines.append(f"  > {c.kind} {c.old_id} -> {c.id}")
            lines += [f"      {f.describe()}" for f in c.fields]
    if diff.deprecated:
        lines.append(f"deprecated ({len(diff.deprecated)}):")
        lines += [f"  ! {r.kind} {r.id}: {r.title}" for r in diff.deprecated]
    if diff.changed:
        lines.append(f"changed ({len(diff.changed)}):")
        for c in diff.changed:
            lines.append(f"  ~ {c.kind} {c.id}")
            lines += [f"      {f.describe()}" for f in c.fields]
    if diff.references_added or diff.references_removed:
        keys = [f"+{k}" for k in diff.references_added] + [f"-{k}" for k in diff.references_removed]
        lines.append(f"references: {', '.join(keys)}")
    lines.append(summary(diff))
    return "\n".join(lines) + "\n"


def summary(diff: KbDiff) -> str:
    """One line of counts, e.g. ``1 added, 0 removed, 0 renamed, 2 changed``."""
    refs = len(diff.references_added) + len(diff.references_removed)
    return (
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.renamed)} renamed, "
        f"{len(diff.changed)} changed, {refs} reference{'s' if refs != 1 else ''} added or removed"
    )


def to_json(diff: KbDiff, old_label: str, new_label: str) -> str:
    """The diff as JSON (stable key order; field values in full)."""

    def ref(r: EntityRef) -> dict[str, str]:
        return {"kind": r.kind, "id": r.id, "title": r.title}

    def change(c: EntityChange) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": c.kind,
            "id": c.id,
            "title": c.title,
            "fields": {f.name: {"old": f.old, "new": f.new} for f in c.fields},
        }
        if c.old_id is not None:
            out["old_id"] = c.old_id
        return out

    data = {
        "from": {"ref": old_label, "version": diff.old_version},
        "to": {"ref": new_label, "version": diff.new_version},
        "added": [ref(r) for r in diff.added],
        "removed": [ref(r) for r in diff.removed],
        "renamed": [change(c) for c in diff.renamed],
        "deprecated": [ref(r) for r in diff.deprecated],
        "changed": [change(c) for c in diff.changed],
        "references": {"added": list(diff.references_added), "removed": list(diff.references_removed)},
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
