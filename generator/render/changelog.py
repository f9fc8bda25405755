"""The changelog page of the knowledge base's content (``changelog.md``).

Built from the release history: one section per ``kb-v*`` tag, newest
first, each listing what changed since the tag before, plus an "Unreleased"
section for what changed since the last tag. Gathering the history runs
git, so it is done outside this module (:func:`generator.history.releases.history`);
rendering it is a pure function of the history and the current KB.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from generator import urls as paths
from generator.history.diff import EntityChange, EntityRef
from generator.history.releases import Release
from generator.kb import Checked
from generator.markup import markdown_text
from generator.models import FOLDERS
from generator.render.feed import atom_feed
from generator.urls import FEED_PATH

CHANGELOG_PAGE = "changelog.md"


def _link(item: EntityRef | EntityChange, current: dict[str, str]) -> str:
    """A Markdown link to the entity's page if it still exists, else its id."""
    title = markdown_text(item.title)
    if current.get(item.id) == item.kind:
        target = posixpath.relpath(paths.page_path(item.kind, item.id), posixpath.dirname(CHANGELOG_PAGE) or ".")
        return f"[{title}]({target})"
    return f"{title} (`{item.id}`)"


def _release_lines(release: Release, current: dict[str, str]) -> list[str]:
    diff = release.diff
    if diff is None:
        counts = ", ".join(f"{n} {FOLDERS[k]}" for k, n in release.counts if n)
        first = "First release" if release.tag is not None else "Not released yet"
        return [f"{first}: {counts or 'no entries'}.", ""]
    if diff.is_empty:
        return ["No changes to entries or references.", ""]
    lines: list[str] = []

    def group(heading: str, rows: list[str]) -> None:
        if rows:
            lines.extend([f"### {heading}", "", *rows, ""])

    group("Added", [f"- {r.kind}: {_link(r, current)}" for r in diff.added])
    group(
        "Renamed",
        [f"- {c.kind}: `{c.old_id}` is now {_link(c, current)} (old links redirect)" for c in diff.renamed],
    )
    group("Deprecated", [f"- {r.kind}: {_link(r, current)}" for r in diff.deprecated])
    group(
        "Changed",
        [f"- {c.kind}: {_link(c, current)}: {', '.join(f'`{f.name}`' for f in c.fields)}" for c in diff.changed],
    )
    group("Removed", [f"- {r.kind}: {markdown_text(r.title)} (`{r.id}`)" for r in diff.removed])
    refs = [f"- added `{k}`" for k in diff.references_added] + [f"- removed `{k}`" for k in diff.references_removed]
    group("References", refs)
    return lines


def changelog_page(releases: Sequence[Release], checked: Checked) -> str:
    """The Markdown of the changelog page.

    Args:
        releases: Newest first; an ``Unreleased`` entry may lead.
        checked: The current KB, to link entries that still exist.
    """
    current = {eid: e.kind for eid, e in checked.kb.entities.items()}
    version = checked.kb.meta.version if checked.kb.meta else "?"
    lines = [
        "---",
        "title: Changelog",
        "search:",
        "  boost: 0.3",
        "---",
        "",
        "# Changelog",
        "",
        f"What changed in the knowledge base's entries from one released version to the next "
        f"(current version: {markdown_text(version)}). Versions are the git tags `kb-vX.Y.Z`; "
        "`python -m generator diff REF_A REF_B` shows the same changes field by field. "
        f"New releases are also announced in an [Atom feed]({FEED_PATH}).",
        "",
    ]
    if not releases:
        lines += ["No version has been released yet.", ""]
    for release in releases:
        heading = release.version if release.tag is None else f"{release.version} ({release.date or release.tag})"
        lines += [f"## {markdown_text(heading)}", "", *_release_lines(release, current)]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_changelog(checked: Checked, releases: Sequence[Release]) -> dict[str, str | bytes]:
    """Renderer (given the history): the changelog page and the Atom feed of releases."""
    return {CHANGELOG_PAGE: changelog_page(releases, checked), FEED_PATH: atom_feed(releases, checked)}
