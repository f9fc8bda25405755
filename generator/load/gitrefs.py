"""Read the knowledge base as it was at a git ref (the I/O behind ``diff``).

It reads the files of ``kb/`` at a commit, tag or branch into a
:class:`~generator.load.files.RawKB`, so the rest of the pipeline (and
:func:`generator.history.diff.diff_kbs`) stays pure, and lists the release
tags (``kb-v*``) for the changelog page. The only other module that runs git
is :mod:`generator.load.gitinfo` (the commit a build is stamped with).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.findings import visible
from generator.load.files import (
    LINK_MESSAGE,
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    TOO_LARGE_MESSAGE,
    TOO_MANY_MESSAGE,
    RawFile,
    RawKB,
    Refused,
)

#: Release tags of the knowledge base: ``kb-v<major>.<minor>.<patch>``.
TAG_PREFIX = "kb-v"
_VERSION_RE = re.compile(r"^kb-v(\d+)\.(\d+)\.(\d+)$")
_TIMEOUT = 60


class GitError(Exception):
    """Git failed (not a repository, unknown ref, git missing)."""


@dataclass(frozen=True)
class Tag:
    """A release tag: name, version, the date of its commit (YYYY-MM-DD) and the commit.

    ``kind`` is the git object type the tag names (after peeling an annotated
    tag): ``commit`` for a release; a tag put on a tree or blob has no KB to read.
    """

    name: str
    version: str
    date: str
    commit: str = ""
    kind: str = "commit"


def _git(folder: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args], input=data, capture_output=True, timeout=_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return result.stdout


def kb_prefix(kb_root: Path) -> tuple[Path, str]:
    """The repository's top folder and the KB folder's path inside it (``kb``).

    Raises:
        GitError: if ``kb_root`` is not a folder inside a git work tree.
    """
    if not kb_root.is_dir():
        raise GitError(f"knowledge-base folder '{visible(str(kb_root))}' not found")
    # Paths are bytes to git: decoded as the OS does, so they go back to git unchanged.
    top = Path(os.fsdecode(_git(kb_root, "rev-parse", "--show-toplevel").strip()))
    prefix = os.fsdecode(_git(kb_root, "rev-parse", "--show-prefix").strip()).rstrip("/")
    return top, prefix


def resolve(kb_root: Path, ref: str) -> str:
    """The commit a ref names.

    Raises:
        GitError: if the ref is unknown.
    """
    top, _ = kb_prefix(kb_root)
    try:
        return _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode("ascii", "replace").strip()
    except GitError:
        raise GitError(f"unknown git ref '{ref}'") from None


def read_kb_at(kb_root: Path, ref: str) -> RawKB:
    """Read every file of the KB folder as it is at ``ref``.

    Raises:
        GitError: if the ref is unknown, git fails, or the KB folder is a
            symbolic link at ``ref``.
    """
    top, prefix = kb_prefix(kb_root)
    commit = resolve(kb_root, ref)
    # -l adds each blob's size, so the limits of the work-tree reader apply
    # before a byte is read (a release may hold a blob of any size).
    listing = _git(top, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", prefix or ".")
    entries: list[tuple[str, str]] = []
    refused: list[Refused] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, raw_path = record.split(b"\t", 1)
        mode, kind, sha, blob_size = meta.decode().split()
        path = os.fsdecode(raw_path)
        rel = path[len(prefix) + 1 :] if prefix else path
        shown = f"{prefix or '.'}/{rel}"
        if not rel and mode == "120000":
            # Never followed: at another ref the link could lead anywhere in (or out of) the repository.
            raise GitError(f"'{prefix}' is a symbolic link at {ref}, not a folder; its target is not read")
        if not rel:
            continue  # the KB path itself is a file at this ref: read as no KB folder, like a missing one
        if any(part.startswith(".") for part in rel.split("/")):
            continue  # hidden entries are skipped, as in the work tree
        if kind == "blob" and mode == "120000":  # a symbolic link: its target is never followed or read
            refused.append(Refused(rel, shown, "link-in-kb", f"file {LINK_MESSAGE}"))
        elif kind == "blob" and len(entries) >= MAX_ENTRIES:
            refused.append(Refused(rel, shown, "too-many-files", TOO_MANY_MESSAGE))
            break
        elif kind == "blob" and not blob_size.isdigit():  # ls-tree -l prints 'BAD' for a missing object
            raise GitError(f"git cannot read '{path}' at {ref} (object {sha} missing from this clone)")
        elif kind == "blob" and int(blob_size) > MAX_FILE_BYTES:
            refused.append(Refused(rel, shown, "file-too-large", TOO_LARGE_MESSAGE))
        elif kind == "blob":
            entries.append((path, sha))
    if not entries:
        return RawKB(root=prefix or ".", files=(), refused=tuple(refused))
    out = _git(top, "cat-file", "--batch", data="".join(f"{sha}\n" for _, sha in entries).encode())
    files = []
    offset = 0
    for path, sha in entries:
        header_end = out.find(b"\n", offset)
        header = out[offset:header_end].split() if header_end >= 0 else []
        if len(header) != 3 or header[0].decode("ascii", "replace") != sha or not header[2].isdigit():
            # '<sha> missing': a partial or damaged clone lacks the object
            raise GitError(f"git cannot read '{path}' at {ref} (object {sha} missing from this clone)")
        size = int(header[2])
        data = out[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        rel = path[len(prefix) + 1 :] if prefix else path
        files.append(RawFile(rel=rel, path=f"{prefix or '.'}/{rel}", data=data))
    return RawKB(root=prefix or ".", files=tuple(sorted(files, key=lambda f: f.rel)), refused=tuple(refused))


def release_tags(kb_root: Path) -> list[Tag]:
    """The ``kb-v*`` tags, oldest version first (empty outside a git repository)."""
    try:
        top, _ = kb_prefix(kb_root)
        out = _git(
            top,
            "for-each-ref",
            # Annotated tags point at a tag object: the starred fields are its commit's.
            "--format=%(refname:short)|%(*objectname)|%(objectname)|%(*committerdate:short)|%(committerdate:short)"
            "|%(*objecttype)|%(objecttype)",
            f"refs/tags/{TAG_PREFIX}*",
        )
    except GitError:
        return []
    tags = []
    for line in out.decode("utf-8", "replace").splitlines():  # a ref name may hold any byte
        name, peeled, target, peeled_date, date, peeled_kind, kind = (line.split("|") + [""] * 7)[:7]
        if _VERSION_RE.match(name):
            tags.append(Tag(name, name[len(TAG_PREFIX) :], peeled_date or date, peeled or target, peeled_kind or kind))
    return sorted(tags, key=lambda t: tuple(int(n) for n in t.version.split(".")))
