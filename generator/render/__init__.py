"""Render stage: pure functions from the checked KB to ``{path: content}``.

Each renderer takes a :class:`~generator.kb.Checked` knowledge base and
returns files keyed by their path relative to the generated docs root (for
example ``practices/differential-testing-against-reference.md`` or
``downloads/kb.json``). Renderers never read or write the disk; the writer
or the MkDocs adapter does. :data:`RENDERERS` lists them explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from generator.history.releases import Release
from generator.kb import Checked
from generator.load.gitinfo import UNKNOWN_COMMIT
from generator.render import (
    bibliography,
    changelog,
    checklists,
    coverage,
    downloads,
    entities,
    findings,
    indexes,
    matrix,
    printable,
    redirects,
    tagspage,
    taxonomy,
    workflow,
)
from generator.render.incremental import PageMemo

Files = dict[str, str | bytes]
Renderer = Callable[[Checked], Files]


#: Every renderer of the site, in order. Add new ones here.
RENDERERS: list[Renderer] = [
    entities.render_entities,
    indexes.render_indexes,
    workflow.render_workflow,
    matrix.render_matrix,
    coverage.render_coverage,
    taxonomy.render_taxonomy,
    bibliography.render_bibliography,
    downloads.render_downloads,
    tagspage.render_tags,
    printable.render_printable,
    redirects.render_redirects,
    findings.render_findings,
]


class PathCollision(Exception):
    """Two renderers produced the same output path."""


def render_site(checked: Checked, renderers: list[Renderer] | None = None) -> Files:
    """Run every renderer and merge their files.

    Raises:
        PathCollision: if two renderers claim the same path.
    """
    files: Files = {}
    for renderer in renderers if renderers is not None else RENDERERS:
        for path, content in renderer(checked).items():
            if path in files:
                raise PathCollision(f"{path} is produced twice (last by {renderer.__module__})")
            files[path] = content
    return dict(sorted(files.items()))


@dataclass(frozen=True)
class BuildInfo:
    """Facts a build needs from outside the KB, gathered by the caller (the only I/O).

    Attributes:
        commit: Git commit stamped on checklist downloads ("unknown" outside git).
        releases: The KB's release history for the changelog page, newest first.
        last_changed: When each YAML file last changed in git (``YYYY-MM-DD``),
            by its path inside the KB folder; empty outside git.
        digests: A digest of each KB file's bytes, by its path inside the KB folder.
        memo: Entity pages of earlier builds, reused where their inputs (by
            ``digests``) are unchanged (:mod:`generator.render.incremental`); None
            renders every page.
    """

    commit: str = UNKNOWN_COMMIT
    releases: tuple[Release, ...] = ()
    last_changed: Mapping[str, str] = field(default_factory=dict)
    digests: Mapping[str, str] = field(default_factory=dict)
    memo: PageMemo | None = None


def render_build(checked: Checked, build: BuildInfo) -> Files:
    """Every generated page of the site: :data:`RENDERERS` plus the pages that need ``build``.

    Raises:
        PathCollision: if two renderers claim the same path.
    """

    def checklist_pages(c: Checked) -> Files:
        return checklists.render_checklist_pages(c, build.commit, build.memo)

    def changelog_page(c: Checked) -> Files:
        return changelog.render_changelog(c, build.releases)

    def entity_pages(c: Checked) -> Files:
        return entities.render_entities(c, build.last_changed, build.memo, build.digests)

    renderers = [entity_pages if r is entities.render_entities else r for r in RENDERERS]
    return render_site(checked, [*renderers, checklist_pages, changelog_page])
