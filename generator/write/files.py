"""Write stage: the only place (with loader.py) that touches the disk.

Writes are atomic: a file is written to a temporary name and renamed; a tree
of files is written to a temporary folder and swapped in, so a failed build
never leaves a half-written output behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
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


def write_tree(target: Path, files: Mapping[str, str | bytes]) -> None:
    """Replace folder ``target`` with exactly ``files`` ({relative path: content}).

    The new tree is written next to ``target`` and swapped in with renames,
    so readers see either the old tree or the new one.

    Raises:
        ValueError: if a relative path would escape ``target``.
    """
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}-new-"))
    try:
        for rel, content in sorted(files.items()):
            path = (staging / rel).resolve()
            if not path.is_relative_to(staging.resolve()) or rel.startswith("/"):
                raise ValueError(f"refusing to write outside the output folder: {rel!r}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}-old-"))
            os.replace(target, old / "tree")
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
