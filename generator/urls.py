"""Where each thing lives on the site: one place for every URL rule.

Entity pages live at ``<folder>/<id>.md``; index pages at
``<folder>/index.md``. Ids are validated slugs, so they are safe as file
names. The site is built for offline use (Material's ``offline`` plugin turns
directory URLs off), so ``practices/x.md`` is served as ``practices/x.html``.

Links inside generated HTML blocks are not rewritten by MkDocs, so they are
computed here as final relative URLs with :func:`href`.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterable

from generator.models import FOLDERS

KB_FOLDER = "kb"
BIBLIOGRAPHY_PAGE = "references.md"
WORKFLOW_PAGE = "workflow.md"
COVERAGE_PAGE = "coverage.md"
MATRIX_PAGE = "matrix.md"
TAXONOMY_PAGE = "taxonomy.md"
DOWNLOADS_PAGE = "downloads.md"
TAGS_PAGE = "tags.md"
FINDINGS_PAGE = "findings.md"
DOWNLOADS_DIR = "downloads"
#: Where the site is published (kb/kb.yaml ``site_url``; a test keeps the two equal).
#: The JSON Schemas' ``$id``s are absolute URLs under it, so other tools can resolve them.
SITE_URL = "https://reengineering-kb.github.io/kb/"
SCHEMA_BASE_URL = f"{SITE_URL}{DOWNLOADS_DIR}/schemas/"


def page_path(kind: str, entity_id: str) -> str:
    """Docs-relative path of an entity's page, e.g. ``practices/x.md``."""
    return f"{FOLDERS[kind]}/{entity_id}.md"


def index_path(kind: str) -> str:
    """Docs-relative path of the index page of one entity type."""
    return f"{FOLDERS[kind]}/index.md"


def url_of(doc_path: str) -> str:
    """Site-relative URL of a docs file: ``.md`` pages become ``.html``."""
    return doc_path[:-3] + ".html" if doc_path.endswith(".md") else doc_path


def page_url(kind: str, entity_id: str) -> str:
    """Site-relative URL of an entity's page, e.g. ``practices/x.html``."""
    return url_of(page_path(kind, entity_id))


def href(from_doc: str, to_doc: str, anchor: str = "") -> str:
    """Relative URL from the page ``from_doc`` to the docs file ``to_doc``.

    Both are docs-relative paths (``practices/x.md``); ``anchor`` is added
    as a fragment. A link to the page itself keeps only the fragment.
    """
    if anchor:
        fragment = f"#{anchor}"
        if url_of(to_doc) == url_of(from_doc):
            return fragment
        return _relative(to_doc, posixpath.dirname(from_doc)) + fragment
    return _relative(to_doc, posixpath.dirname(from_doc))


@functools.lru_cache(maxsize=1 << 16)
def _relative(to_doc: str, folder: str) -> str:
    """The URL of ``to_doc`` relative to ``folder``, remembered: every page of a folder links to the same targets."""
    return posixpath.relpath(url_of(to_doc), folder or ".")


def reference_anchor(key: str) -> str:
    """Anchor of a bibliography entry on the references page."""
    return "ref-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in key)


#: Above this many references the references page is cut into parts of near-equal size,
#: in BibTeX-key order, so that no part passes 1 MB: an entry with its five "cited by"
#: chips (:data:`generator.render.bibliography.CITED_BY_SHOWN`) is up to about 2.7 KB.
REFERENCES_PART = 350


def part_path(first: str, number: int) -> str:
    """Docs path of part ``number`` (1-based) of the page ``first``: ``x.md``, then ``x/2.md``, ``x/3.md``...

    The parts live in a folder named after the page, so they never meet an
    entity page (``<folder>/<id>.md``) or another top-level page.
    """
    return first if number == 1 else f"{first.removesuffix('.md')}/{number}.md"


def reference_pages(keys: Iterable[str], limit: int | None = None) -> dict[str, str]:
    """The docs path of the references page (or of its part) that lists each BibTeX key.

    Up to ``limit`` keys (:data:`REFERENCES_PART`), every one is on :data:`BIBLIOGRAPHY_PAGE`; above it
    the keys, in case-insensitive order, are cut into the fewest parts of at
    most ``limit``, of near-equal size. It depends on the keys alone, so every
    stage that links to a reference (pages, checklist exports, the printable
    KB) agrees on where it is without the bibliography's formatting.
    """
    limit = REFERENCES_PART if limit is None else max(limit, 1)
    ordered = sorted(keys, key=lambda k: (k.casefold(), k))
    count = -(-len(ordered) // limit) or 1
    return {key: part_path(BIBLIOGRAPHY_PAGE, i * count // len(ordered) + 1) for i, key in enumerate(ordered)}


def source_path(rel: str) -> str:
    """Repository path of a KB file from its path inside ``kb/``."""
    return f"{KB_FOLDER}/{rel}"


def edit_url(repo_url: str, branch: str, rel: str) -> str:
    """URL of the repository's web editor for a KB file (``rel`` inside ``kb/``)."""
    return f"{repo_url.rstrip('/')}/edit/{branch}/{source_path(rel)}"


def download_path(name: str) -> str:
    """Docs-relative path of a downloadable file, e.g. ``downloads/kb.json``."""
    return f"{DOWNLOADS_DIR}/{name}"


#: Folder of the interactive checklist pages (not ``scenarios/``: those are the scenario entity pages).
CHECKLISTS_FOLDER = "checklists"
#: The checklist index page (list of scenarios and the checklist builder).
CHECKLISTS_INDEX = f"{CHECKLISTS_FOLDER}/index.md"
CHECKLISTS_DATA = f"{CHECKLISTS_FOLDER}/index.data.js"
"""The data the builder and the checklist pages compose checklists from: compact JSON
in a script (``fetch`` fails from disk), the one copy in the site."""


def checklist_path(scenario_id: str) -> str:
    """Docs-relative path of a scenario's interactive checklist page, e.g. ``checklists/x.md``."""
    return f"{CHECKLISTS_FOLDER}/{scenario_id}.md"


def checklist_url(scenario_id: str) -> str:
    """Site-relative URL of a scenario's checklist page, e.g. ``checklists/x.html``."""
    return url_of(checklist_path(scenario_id))


#: The whole knowledge base on one printable page.
PRINT_PAGE = "print.md"
#: The Atom feed of releases.
FEED_PATH = "releases.xml"


#: Names an id or alias must not have, with what they are: an entity page
#: ``<folder>/<id>.md`` beside the folder's index page, a checklist page beside the
#: checklist index and its JSON, a redirect ``<folder>/<alias>.html`` over an index
#: page; and the site's top-level pages and folders, kept free for pages that move.
RESERVED_NAMES: dict[str, str] = {
    "index": "the index page of every folder",
    **{
        p.removesuffix(".md"): f"the page {p}"
        for p in (
            BIBLIOGRAPHY_PAGE,
            WORKFLOW_PAGE,
            COVERAGE_PAGE,
            TAXONOMY_PAGE,
            DOWNLOADS_PAGE,
            TAGS_PAGE,
            FINDINGS_PAGE,
            MATRIX_PAGE,
            PRINT_PAGE,
            "changelog.md",
            "cite.md",
            FEED_PATH.removesuffix(".xml") + ".md",
            "about.md",
            "contributing.md",
            "404.md",
        )
    },
    DOWNLOADS_DIR: "the downloads folder",
    CHECKLISTS_FOLDER: "the checklists folder",
    "search": "the search index folder",
    "assets": "the assets folder",
    "sitemap": "the sitemap",
    "schemas": "the schemas folder",
    **{folder: "an entity folder" for folder in FOLDERS.values()},
}
