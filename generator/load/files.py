"""Load stage: read the knowledge-base folder from disk, and nothing else.

Everything after this works on the in-memory :class:`RawKB`, so it can be
tested without files and never touches the disk.

One rule for paths: nothing outside the repository is ever read. The KB
folder must not lead out of the folder that holds it (the repository), and
nothing inside it may be a symbolic link (to a file or a folder, inside or
outside) or anything but a regular file: such entries are listed in
:attr:`RawKB.refused`, never opened, and the schema stage reports each one
as an error at its path. Files are read up to :data:`MAX_FILE_BYTES`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from generator.findings import visible


class KbNotFound(Exception):
    """The knowledge-base folder does not exist or leaves the repository (a usage error)."""


#: The largest file of any kind read from the KB (YAML files have a smaller limit of their own).
MAX_FILE_BYTES = 4 * 1024 * 1024
#: The most files and folders read from one KB.
MAX_ENTRIES = 20_000
#: What a refused file is told, by the work-tree reader and the reader of tagged releases alike.
TOO_LARGE_MESSAGE = f"file is larger than {MAX_FILE_BYTES:,} bytes; it is not read. Split or shorten it."
TOO_MANY_MESSAGE = f"more than {MAX_ENTRIES:,} files; not read."


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
class Refused:
    """An entry of the KB folder that was not read, and why.

    Attributes:
        rel: Path relative to the KB root.
        path: Path shown in messages.
        code: Finding code (``link-in-kb``, ``not-a-file``, ``file-too-large``, ``too-many-files``).
        message: What is wrong and how to fix it.
    """

    rel: str
    path: str
    code: str
    message: str


@dataclass(frozen=True)
class RawKB:
    """Every file under the KB root, sorted by relative path, and the entries refused."""

    root: str
    files: tuple[RawFile, ...]
    refused: tuple[Refused, ...] = ()


_SKIPPED_DIRS = {".git", "__pycache__", ".mypy_cache", ".pytest_cache"}

LINK_MESSAGE = (
    "is a symbolic link; the knowledge base holds regular files only (a link can lead outside the repository). "
    "Replace the link with the file itself."
)


def is_inside(path: Path | str, root: Path | str) -> bool:
    """Tell whether ``path`` resolves (links followed) to ``root`` or below it."""
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(root))
    return real == base or base in real.parents


def kb_base(root: Path | str) -> Path:
    """The KB folder, checked: it exists and does not lead out of the folder that holds it.

    Raises:
        KbNotFound: if ``root`` is not a folder, or is (or passes through) a
            link to somewhere outside its parent folder.
    """
    base = Path(root)
    if not base.is_dir():
        raise KbNotFound(f"knowledge-base folder '{visible(str(root))}' not found")
    absolute = Path(os.path.abspath(base))
    if absolute.is_symlink() or not is_inside(absolute, absolute.parent):
        raise KbNotFound(
            f"knowledge-base folder '{visible(str(root))}' is a symbolic link to "
            f"'{visible(os.path.realpath(absolute))}'; "
            "nothing outside the repository is read. Point --kb at the real folder."
        )
    return base


def walk_kb(root: Path | str) -> tuple[list[Path], list[Refused]]:
    """Regular files below ``root`` (sorted) and the entries refused; links are never followed.

    Hidden entries and tool caches are skipped. ``root`` must have been
    checked with :func:`kb_base`.
    """
    base = Path(root)
    shown = base.as_posix().rstrip("/")
    files: list[Path] = []
    refused: list[Refused] = []
    count = 0
    for folder, dirs, names in os.walk(base, followlinks=False):
        dirs.sort()
        here = Path(folder)
        kept = []
        for name in dirs:
            if name in _SKIPPED_DIRS or name.startswith("."):
                continue
            path = here / name
            if path.is_symlink():
                rel = path.relative_to(base).as_posix()
                refused.append(Refused(rel, f"{shown}/{rel}", "link-in-kb", f"folder {LINK_MESSAGE}"))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            if name.startswith("."):
                continue
            count += 1
            path = here / name
            rel = path.relative_to(base).as_posix()
            if count > MAX_ENTRIES:
                refused.append(Refused(rel, f"{shown}/{rel}", "too-many-files", TOO_MANY_MESSAGE))
                return files, refused
            info = os.lstat(path)
            mode = info.st_mode
            if stat.S_ISLNK(mode):
                refused.append(Refused(rel, f"{shown}/{rel}", "link-in-kb", f"file {LINK_MESSAGE}"))
            elif stat.S_ISREG(mode) and info.st_nlink > 1:
                message = (
                    "file has other hard links; one may be a file outside the repository. "
                    "Replace it with a copy of its own (git never creates hard links)."
                )
                refused.append(Refused(rel, f"{shown}/{rel}", "link-in-kb", message))
            elif not stat.S_ISREG(mode):
                message = "this is not a regular file (a pipe, socket or device); it is not read."
                refused.append(Refused(rel, f"{shown}/{rel}", "not-a-file", message))
            else:
                files.append(path)
    return sorted(files), refused


def read_limited(path: Path, limit: int = MAX_FILE_BYTES, *, follow: bool = False) -> bytes | None:
    """The bytes of a file, or None when it is larger than ``limit``.

    The file is opened without following a final link (unless ``follow``:
    for a file named on the command line) and read up to the limit; a pipe
    without a writer reads as empty instead of blocking.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    return None if len(data) > limit else data


def read_kb(root: Path | str) -> RawKB:
    """Read every regular file below ``root``; refuse links and oversized files.

    Args:
        root: The knowledge-base folder, e.g. ``kb``.

    Raises:
        KbNotFound: if ``root`` is not a folder or leads outside its parent.
    """
    base = kb_base(root)
    shown = base.as_posix().rstrip("/")
    paths, refused = walk_kb(base)
    files = []
    for path in paths:
        rel = path.relative_to(base).as_posix()
        try:
            data = read_limited(path)
        except OSError as exc:
            refused.append(Refused(rel, f"{shown}/{rel}", "unreadable", f"file cannot be read: {exc.strerror}."))
            continue
        if data is None:
            refused.append(Refused(rel, f"{shown}/{rel}", "file-too-large", TOO_LARGE_MESSAGE))
            continue
        files.append(RawFile(rel=rel, path=f"{shown}/{rel}", data=data))
    return RawKB(root=shown, files=tuple(files), refused=tuple(sorted(refused, key=lambda r: r.rel)))


def raw_kb_from_mapping(files: dict[str, str | bytes], root: str = "kb") -> RawKB:
    """Build a :class:`RawKB` from ``{relative path: content}`` (for tests and tools)."""
    raw = []
    for rel in sorted(files):
        content = files[rel]
        data = content.encode("utf-8") if isinstance(content, str) else content
        raw.append(RawFile(rel=rel, path=f"{root}/{rel}", data=data))
    return RawKB(root=root, files=tuple(raw))
