"""The canonical form of entity files, as written by ``fmt``.

Key order comes from the models (:data:`generator.models.MODELS`): an
entity starts with what identifies it (``id``, ``title``, ``summary``), then
the fields of its type in declaration order, then the fields every entity
shares (``body``, ``tags``, ``evidence``, ``aliases``, ``status``,
``replaced_by``, ``review_by``, ``reviewed``) in declaration order. Nested objects
(evidence, checklist items, figures, ...) follow their model's declaration
order. Keys the model does not know keep their relative order at the end, so
``fmt`` never drops anything, even in an invalid file. The style rules are in
:mod:`generator.contrib.yamlfmt`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from generator.contrib.yamlfmt import KeyOrder, format_document
from generator.findings import visible
from generator.load.yamlstrict import KeyPath
from generator.models import MODELS, Entity
from generator.validate.schema import TYPE_BY_FOLDER, modeline

#: Fields that open every entity, in this order.
HEAD_FIELDS = ("id", "title", "summary")
MODELINE_PREFIX = "# yaml-language-server:"


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation (through Optional, list and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is dict:
        return None
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def field_order(model: type[BaseModel]) -> list[str]:
    """Canonical key order of a model's mapping."""
    names = list(model.model_fields)
    if not issubclass(model, Entity):
        return names
    shared = [n for n in Entity.model_fields if n not in HEAD_FIELDS]
    own = [n for n in names if n not in Entity.model_fields]
    return [*HEAD_FIELDS, *own, *shared]


def key_order(kind: str) -> KeyOrder:
    """Return the key-order function for an entity type."""
    root = MODELS[kind]

    def order(path: KeyPath, keys: list[str]) -> list[str]:
        model: type[BaseModel] | None = root
        for part in path:
            if model is None:
                break
            if isinstance(part, int):
                continue
            info = model.model_fields.get(part)
            model = _model_of(info.annotation) if info is not None else None
        if model is None:
            return keys
        known = [k for k in field_order(model) if k in keys]
        return known + [k for k in keys if k not in known]

    return order


def kind_of(rel: str) -> str | None:
    """The entity type of a KB-relative path like ``practices/x.yaml`` (or None)."""
    parts = PurePosixPath(rel).parts
    if len(parts) < 2 or not parts[-1].endswith(".yaml"):
        return None
    return TYPE_BY_FOLDER.get(parts[-2])


def format_entity(text: str, kind: str) -> str:
    """Return the canonical text of an entity file of type ``kind``.

    The schema modeline is written (or corrected) on the first line.

    Raises:
        generator.load.yamlstrict.YamlProblem: if the text is not strict YAML.
        generator.contrib.yamlfmt.FormatError: if it cannot be formatted safely.
    """
    return format_document(
        text,
        key_order(kind),
        header=[modeline(kind, 2)],
        drop=lambda comment: comment.startswith(MODELINE_PREFIX),
    )


@dataclass(frozen=True)
class Change:
    """A file whose canonical form differs from its text."""

    path: str
    before: str
    after: str

    @property
    def first_line(self) -> int:
        """1-based number of the first line that differs."""
        old, new = self.before.splitlines(), self.after.splitlines()
        for number, (a, b) in enumerate(zip(old, new, strict=False), start=1):
            if a != b:
                return number
        return min(len(old), len(new)) + 1

    def unified_diff(self) -> str:
        """A unified diff from the current text to the canonical one."""
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=visible(self.path),
            tofile=f"{visible(self.path)} (formatted)",
        )
        return "".join(lines)
