"""The tags page: Material's tags plugin fills in the listing.

Entity pages carry their tags in front matter (their type, then their
vocabulary terms); the ``<!-- material/tags -->`` marker here is replaced
by one section per tag listing its pages.
"""

from __future__ import annotations

from markupsafe import Markup

from generator import urls as paths
from generator.kb import Checked
from generator.markup import front_matter
from generator.render.templating import render


def render_tags(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the tags page."""
    front = Markup(
        front_matter({"title": "Tags", "hide": ["navigation"], "search": {"boost": 0.3}})
    )  # escaped by front_matter
    return {paths.TAGS_PAGE: render("tags.md.j2", front=front, entities=len(checked.kb.entities))}
