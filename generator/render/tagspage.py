"""The tags page: Material's tags plugin fills in the listing.

Entity pages carry their tags in front matter (their type, then their
vocabulary terms); the ``<!-- material/tags -->`` marker here is replaced
by one section per tag listing its pages. For a large KB the listing would
pass a megabyte, so it is split into parts (:attr:`Site.tag_parts`), each
page's marker including only its own tags; the plugin links every tag to
the one listing that has it.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from generator import urls as paths
from generator.kb import Checked
from generator.markup import front_matter
from generator.render.context import Site
from generator.render.paging import pagers, part_path
from generator.render.templating import render


def listing_marker(names: list[str] | None) -> str:
    """The tags plugin's marker, listing only ``names`` (all tags for ``None``).

    The inline configuration is JSON (a subset of the YAML the plugin reads)
    with ``<``, ``>`` and ``&`` escaped, so no tag name can end the comment.
    """
    if names is None:
        return "<!-- material/tags -->"
    text = json.dumps({"include": names}, ensure_ascii=True)
    return "<!-- material/tags " + text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + " -->"


def render_tags(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the tags page (in parts, for a large KB)."""
    site = Site(checked)
    parts = site.tag_parts
    labels = [f"{part[0]} to {part[-1]}" if part else "no tags" for part in parts]
    out: dict[str, str | bytes] = {}
    for number, (names, pager) in enumerate(zip(parts, pagers(paths.TAGS_PAGE, labels), strict=True), 1):
        title = "Tags" if number == 1 else f"Tags (part {number}: {labels[number - 1]})"
        front = Markup(
            front_matter({"title": title, "hide": ["navigation"], "search": {"boost": 0.3}})
        )  # escaped by front_matter
        out[part_path(paths.TAGS_PAGE, number)] = render(
            "tags.md.j2",
            front=front,
            entities=len(checked.kb.entities),
            pager=pager,
            marker=Markup(listing_marker(names if pager else None)),
        )
    return out
