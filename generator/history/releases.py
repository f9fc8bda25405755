"""Gather the release history of the KB from git, for the changelog page.

This is I/O (it runs git through :mod:`generator.load.gitrefs`); the page itself
is rendered by the pure :func:`generator.render.changelog.changelog_page`.
The MkDocs adapter calls :func:`history` once per build; so does the
``changelog`` command.
"""

from __future__ import annotations

from pathlib import Path

from generator.history.diff import diff_kbs
from generator.load.gitrefs import GitError, read_kb_at, release_tags
from generator.models import FOLDERS
from generator.pipeline import Checked, check
from generator.render.changelog import Release
from generator.validate.schema import KnowledgeBase

UNRELEASED = "Unreleased"


def _counts(kb: KnowledgeBase) -> tuple[tuple[str, int], ...]:
    return tuple((kind, len(kb.of_type(kind))) for kind in FOLDERS)


def history(kb_root: Path, current: Checked) -> list[Release]:
    """Releases newest first, led by the unreleased changes if there are any.

    Tags that cannot be read are skipped; outside a git repository (a source
    tarball) the history is just the current content, as unreleased.

    Args:
        kb_root: The KB folder in the work tree.
        current: The KB as it is in the work tree now.
    """
    releases: list[Release] = []
    previous: KnowledgeBase | None = None
    for tag in release_tags(kb_root):
        try:
            kb = check(read_kb_at(kb_root, tag.name)).kb
        except GitError:
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
