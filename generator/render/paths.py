"""Where each thing lives on the site: one place for every URL rule.

Entity pages live at ``<folder>/<id>.md`` (served as ``<folder>/<id>/``);
index pages at ``<folder>/index.md``. Ids are validated slugs, so they are
safe as file names.
"""

from __future__ import annotations

from generator.models import FOLDERS

BIBLIOGRAPHY_PAGE = "references.md"


def page_path(kind: str, entity_id: str) -> str:
    """Docs-relative path of an entity's page, e.g. ``practices/x.md``."""
    return f"{FOLDERS[kind]}/{entity_id}.md"


def index_path(kind: str) -> str:
    """Docs-relative path of the index page of one entity type."""
    return f"{FOLDERS[kind]}/index.md"


def page_url(kind: str, entity_id: str) -> str:
    """Site-relative URL of an entity's page (directory URLs), e.g. ``practices/x/``."""
    return f"{FOLDERS[kind]}/{entity_id}/"


def reference_anchor(key: str) -> str:
    """Anchor of a bibliography entry on the references page."""
    return "ref-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in key)
