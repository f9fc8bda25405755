"""An Atom feed of the knowledge base's releases (``releases.xml``).

One entry per ``kb-v*`` tag, newest first, built from the same release
history as the changelog page; unreleased changes are left out. The feed
is built with ElementTree, so every text is escaped, and it has no build
date: ``updated`` is the newest release's date, so builds stay reproducible.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from generator.history.releases import Release
from generator.kb import Checked
from generator.markup import plain
from generator.urls import FEED_PATH

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01"


def _summary(release: Release) -> str:
    diff = release.diff
    if diff is None:
        counts = ", ".join(f"{n} {kind} entries" for kind, n in release.counts if n)
        return f"First release: {counts or 'no entries'}."
    parts = [
        (len(diff.added), "added"),
        (len(diff.renamed), "renamed"),
        (len(diff.deprecated), "deprecated"),
        (len(diff.changed), "changed"),
        (len(diff.removed), "removed"),
    ]
    text = ", ".join(f"{n} {what}" for n, what in parts if n) or "no changes to entries"
    refs = len(diff.references_added) + len(diff.references_removed)
    return f"Entries: {text}." + (f" References: {refs} added or removed." if refs else "")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def atom_feed(releases: Sequence[Release], checked: Checked) -> str:
    """The Atom feed of the tagged releases (newest first)."""
    meta = checked.kb.meta
    name = plain(meta.name) if meta else "Knowledge base"  # XML 1.0 has no place for a control character
    site_url = meta.site_url if meta else "https://example.org/"
    tagged = [r for r in releases if r.tag is not None]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"{site_url}{FEED_PATH}")
    _sub(feed, "title", f"{name}: releases")
    _sub(feed, "updated", f"{(tagged[0].date if tagged and tagged[0].date else EPOCH)}T00:00:00Z")
    _sub(feed, "link", rel="self", href=f"{site_url}{FEED_PATH}")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{site_url}changelog.html")
    author = _sub(feed, "author")
    _sub(author, "name", f"{name} contributors")
    for release in tagged:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"{site_url}changelog.html#{release.tag}")
        _sub(entry, "title", f"Version {release.version}")
        _sub(entry, "updated", f"{release.date or EPOCH}T00:00:00Z")
        _sub(entry, "link", rel="alternate", type="text/html", href=f"{site_url}changelog.html")
        _sub(entry, "summary", _summary(release))
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"
