"""Atomic writes: the write stage's two primitives.

A file is written to a temporary name and renamed (:func:`write_atomic`,
used by every command that writes); a folder is built beside its target and
swapped in with renames (:func:`swap_in`, used by the site build), so a
failed command never leaves a half-written output behind.

Disk access is confined to ``load/`` (reading, git included) and ``write/``
(this module, the site build and the MkDocs adapter); the CLI writes only
through :func:`write_atomic`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write one file via a temporary file and rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def swap_in(staging: Path, target: Path) -> None:
    """Replace folder ``target`` by ``staging`` with renames (old tree removed after)."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-old-"))
        os.replace(target, old / "tree")
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old)
