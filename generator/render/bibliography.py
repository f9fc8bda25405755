"""The bibliography page: every reference, formatted, with "cited by" links.

Entries are sorted by first author, year and title; each has the anchor
:func:`~generator.urls.reference_anchor` that entity pages link to.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from markupsafe import Markup

from generator import urls as paths
from generator.kb import Checked
from generator.markup import front_matter
from generator.render.bibformat import Reference, sort_key
from generator.render.context import Site
from generator.render.paging import chunks, pagers, part_path
from generator.render.templating import render
from generator.render.views import Chip, chips


@dataclass(frozen=True)
class BibItem:
    """One formatted reference and the entities that cite it."""

    anchor: str
    ref: Reference
    cited_by: list[Chip]
    scope: list[tuple[str, str]] = field(default_factory=list)
    """The study's scope (label, text), when kb/studies.yaml has a record for it."""
    total: int = 0
    """How many entries cite it (``cited_by`` may show fewer)."""
    more: str = ""
    """Link to the page listing every citing entry, when ``cited_by`` shows only the first."""


#: Above this many "cited by" links on the page in all, each reference shows at most
#: :data:`CITED_BY_SHOWN` of them and links to a page of its own with the rest (today's KB has ~520).
CITED_BY_MAX_TOTAL = 1000
CITED_BY_SHOWN = 5
#: A reference's own "cited by" page is split into parts of at most this many entries.
CITED_BY_PART = 500


def cited_by_path(key: str) -> str:
    """Docs path of the page listing every entry that cites ``key`` (only for long lists at scale)."""
    return f"{paths.BIBLIOGRAPHY_PAGE.removesuffix('.md')}/{paths.reference_anchor(key)}.md"


def _cited_by_pages(site: Site, ref: Reference, first: str, ids: list[str]) -> dict[str, str]:
    """The pages listing every entry that cites ``ref`` (in parts of :data:`CITED_BY_PART`)."""
    by_title = sorted(ids, key=lambda i: (site.link(first, i).text.casefold(), i))  # the order chips show
    parts = chunks(by_title, CITED_BY_PART)
    labels = [f"{site.link(first, p[0]).text[:1].upper()}-{site.link(first, p[-1]).text[:1].upper()}" for p in parts]
    out: dict[str, str] = {}
    for number, (part, pager) in enumerate(zip(parts, pagers(first, labels), strict=True), 1):
        doc = part_path(first, number)
        out[doc] = render(
            "cited-by.md.j2",
            front=Markup(front_matter({"title": f"Cited by: {ref.key}", "hide": ["navigation"]})),
            ref=ref,
            total=len(ids),
            back=paths.href(doc, site.kb.reference_page(ref.key), paths.reference_anchor(ref.key)),
            cited_by=chips(site, doc, part),
            pager=pager,
        )
    return out


def _part_labels(parts: list[list[str]]) -> list[str]:
    """'acl to jiang2023', 'jiang2024 to opt'...: each part's first and last key, cut short.

    A key is cut after the first character (at least three) that tells it
    apart from the key on the other side of the boundary, so neighbouring
    labels never read alike.
    """

    def cut(key: str, other: str | None) -> str:
        common = len(posixpath.commonprefix([key.casefold(), other.casefold()])) if other else 0
        return key[: max(3, common + 1)]

    firsts = [p[0] if p else "" for p in parts]
    lasts = [p[-1] if p else "" for p in parts]
    labels = []
    for i, part in enumerate(parts):
        if not part:
            labels.append("")
            continue
        before = lasts[i - 1] if i > 0 else None
        after = firsts[i + 1] if i + 1 < len(parts) else None
        labels.append(f"{cut(part[0], before)} to {cut(part[-1], after)}")
    return labels


def render_bibliography(
    checked: Checked, max_total: int | None = None, shown: int | None = None
) -> dict[str, str | bytes]:
    """Renderer: the references page (and, for a large KB, its parts and a "cited by" page per much-cited reference).

    Above :data:`generator.urls.REFERENCES_PART` references the page is cut
    into parts by BibTeX key (:func:`generator.urls.reference_pages`); each
    part lists its references by author, year and title, as one page would.
    """
    shown = CITED_BY_SHOWN if shown is None else shown
    max_total = CITED_BY_MAX_TOTAL if max_total is None else max_total
    site = Site(checked)
    refs = sorted(site.references.values(), key=sort_key)
    citing = {r.key: site.citing(r.key) for r in refs}
    capped = sum(len(ids) for ids in citing.values()) > max_total
    files: dict[str, str | bytes] = {}
    items: dict[str, list[BibItem]] = {}
    for r in refs:
        doc = site.kb.reference_page(r.key)
        cited_by = chips(site, doc, citing[r.key])
        more = ""
        if capped and len(cited_by) > shown:
            page = cited_by_path(r.key)
            more = paths.href(doc, page)
            files.update(_cited_by_pages(site, r, page, citing[r.key]))
            cited_by = cited_by[:shown]
        items.setdefault(doc, []).append(
            BibItem(
                paths.reference_anchor(r.key),
                r,
                cited_by,
                site.scopes[r.key].parts if r.key in site.scopes else [],
                len(citing[r.key]),
                more,
            )
        )
    first = paths.BIBLIOGRAPHY_PAGE
    docs = [paths.part_path(first, n) for n in range(1, len(items) + 1)] if items else [first]
    keys = [sorted((i.ref.key for i in items.get(doc, [])), key=str.casefold) for doc in docs]
    labels = _part_labels(keys)
    for number, (doc, pager) in enumerate(zip(docs, pagers(first, labels), strict=True), 1):
        title = "References" if number == 1 else f"References (part {number}: keys {labels[number - 1]})"
        files[doc] = render(
            "references.md.j2",
            front=Markup(
                front_matter({"title": title, "hide": ["navigation"], "search": {"boost": 0.5}})
            ),  # escaped by front_matter
            items=items.get(doc, []),
            total=len(refs),
            start=1 + sum(len(k) for k in keys[: number - 1]),
            pager=pager,
        )
    return files
