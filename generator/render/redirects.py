"""Redirect pages: an entity's former ids keep their URLs working.

For every alias of an entity (its former ids), a small HTML file is written
at the alias's old URL (``practices/old-id.html``) that sends the browser to
the entity's page at once (``<meta http-equiv="refresh">``), with a plain
link for the rare browser that does not follow it. The files are static
HTML, not Markdown pages, so MkDocs copies them as they are: they add no
page to the navigation and nothing to the search index, and they work
offline (no script, no external asset).
"""

from __future__ import annotations

from markupsafe import escape

from generator import urls as paths
from generator.kb import Checked
from generator.markup import plain

_TEMPLATE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved: {title}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{target}">
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<p>The entry '{old}' is now <a href="{target}">{title}</a>.</p>
</body>
</html>
"""


def redirect_path(kind: str, alias: str) -> str:
    """Docs-relative path of the redirect file for a former id."""
    return paths.url_of(paths.page_path(kind, alias))


def redirect_page(kind: str, alias: str, entity_id: str, title: str) -> str:
    """The HTML of one redirect page (every value escaped)."""
    target = paths.href(paths.page_path(kind, alias), paths.page_path(kind, entity_id))
    return _TEMPLATE.format(title=escape(plain(title)), target=escape(target), old=escape(alias))


def render_redirects(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: one redirect file per alias of every entity.

    An alias that is also a current id is left out (validation reports it as
    a duplicate id), so a redirect never hides a page.
    """
    entities = checked.kb.entities
    out: dict[str, str | bytes] = {}
    for eid, entity in sorted(entities.items()):
        for alias in entity.aliases:
            if alias in entities:
                continue
            out[redirect_path(entity.kind, alias)] = redirect_page(entity.kind, alias, eid, entity.title)
    return out
