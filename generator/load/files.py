"""Load stage: read the knowledge-base folder from disk, and nothing else.

Everything after this works on the in-memory :class:`RawKB`, so it can be
tested without files and never touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class KbNotFound(Exception):
    """The knowledge-base folder does not exist (a usage error)."""


@dataclass(frozen=True)
class RawFile:
    """A file of the knowledge base as bytes.

    Attributes:
        rel: Path relative to the KB root, with '/' separators.
        path: Path shown to people in messages (the KB root as given, joined).
        data: The file's bytes.
    """

    rel: str
    path: str
    data: bytes


@dataclass(frozen=True)
class RawKB:
    """Every file under the KB root, sorted by relative path."""

    root: str
    files: tuple[RawFile, ...]


_SKIPPED_DIRS = {".git", "__pycache__", ".mypy_cache", ".pytest_cache"}


def read_kb(root: Path | str) -> RawKB:
    """Read every regular file below ``root``.

    Args:
        root: The knowledge-base folder, e.g. ``kb``.

    Raises:
        KbNotFound: if ``root`` is not a folder.
    """
    base = Path(root)
    if not base.is_dir():
        raise KbNotFound(f"knowledge-base folder '{root}' not found")
    shown = base.as_posix().rstrip("/")
    files = []
    for path in sorted(base.rglob("*")):
        rel_parts = path.relative_to(base).parts
        if any(part in _SKIPPED_DIRS or part.startswith(".") for part in rel_parts):
            continue
        if path.is_file() and not path.is_symlink():
            rel = "/".join(rel_parts)
            files.append(RawFile(rel=rel, path=f"{shown}/{rel}", data=path.read_bytes()))
    return RawKB(root=shown, files=tuple(files))


def raw_kb_from_mapping(files: dict[str, str | bytes], root: str = "kb") -> RawKB:
    """Build a :class:`RawKB` from ``{relative path: content}`` (for tests and tools)."""
    raw = []
    for rel in sorted(files):
        content = files[rel]
        data = content.encode("utf-8") if isinstance(content, str) else content
        raw.append(RawFile(rel=rel, path=f"{root}/{rel}", data=data))
    return RawKB(root=root, files=tuple(raw))
