"""Gather the release history of the KB from git, for the changelog page.

This is I/O (it runs git through :mod:`generator.load.gitrefs`); the page itself
is rendered by the pure :func:`generator.render.changelog.changelog_page`.
The MkDocs adapter calls :func:`history` once per build; so does the
``changelog`` command. A tagged commit never changes, so the KB read at each
one is cached for the life of the process (``mkdocs serve`` reads each
release once, not on every rebuild).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.history.diff import KbDiff, diff_kbs
from generator.kb import Checked, KnowledgeBase
from generator.load.gitrefs import GitError, Tag, read_kb_at, release_tags
from generator.models import FOLDERS
from generator.pipeline import check

UNRELEASED = "Unreleased"


@dataclass(frozen=True)
class Release:
    """One version of the KB and what changed since the one before.

    Attributes:
        version: ``0.2.0``, or ``Unreleased``.
        tag: The git tag (None for unreleased changes).
        date: Date of the tagged commit (YYYY-MM-DD), or ``""``.
        diff: Changes since the previous release; None for the first one.
        counts: Entities per type in this version (for the first release).
    """

    version: str
    tag: str | None
    date: str
    diff: KbDiff | None
    counts: tuple[tuple[str, int], ...] = ()


def _counts(kb: KnowledgeBase) -> tuple[tuple[str, int], ...]:
    return tuple((kind, len(kb.of_type(kind))) for kind in FOLDERS)


@lru_cache(maxsize=64)
def released_kb(kb_root: Path, commit: str) -> KnowledgeBase | GitError:
    """The KB as it was at ``commit``, or why git cannot read it; cached by commit."""
    try:
        return check(read_kb_at(kb_root, commit)).kb
    except GitError as exc:
        return exc


def _read_releases(kb_root: Path) -> list[tuple[Tag, KnowledgeBase | str]]:
    """Each release tag, oldest first, with its KB or why it cannot be read (the one place that decides)."""
    read: list[tuple[Tag, KnowledgeBase | str]] = []
    for tag in release_tags(kb_root):
        if tag.kind != "commit":
            read.append((tag, f"names a {tag.kind or 'missing object'}, not a commit; tag a commit"))
            continue
        kb = released_kb(kb_root.resolve(), tag.commit or tag.name)
        read.append((tag, f"cannot be read: {kb}" if isinstance(kb, GitError) else kb))
    return read


def skipped_releases(kb_root: Path) -> list[str]:
    """Why each release tag that :func:`history` leaves out was left out, one line per tag.

    A tag on a tree or blob, or on a commit git cannot read (a partial clone,
    a KB folder that is a link there), would otherwise vanish from the
    changelog without a word to the maintainer who made it.
    """
    return [f"release tag '{tag.name}' {kb}" for tag, kb in _read_releases(kb_root) if isinstance(kb, str)]


def history(kb_root: Path, current: Checked) -> list[Release]:
    """Releases newest first, led by the unreleased changes if there are any.

    Tags that cannot be read are skipped (:func:`skipped_releases` says why);
    outside a git repository (a source tarball) the history is just the current
    content, as unreleased.

    Args:
        kb_root: The KB folder in the work tree.
        current: The KB as it is in the work tree now.
    """
    releases: list[Release] = []
    previous: KnowledgeBase | None = None
    for tag, kb in _read_releases(kb_root):
        if isinstance(kb, str):
            continue
        diff = diff_kbs(previous, kb) if previous is not None else None
        releases.append(Release(tag.version, tag.name, tag.date, diff, _counts(kb)))
        previous = kb
    releases.reverse()
    if previous is None:
        return [Release(UNRELEASED, None, "", None, _counts(current.kb))]
    pending = diff_kbs(previous, current.kb)
    if not pending.is_empty:
        releases.insert(0, Release(UNRELEASED, None, "", pending))
    return releases
