"""The Jinja environment of the site's page templates.

Autoescape is on for every template (pages embed HTML blocks), undefined
names are errors, and templates only format what the renderers computed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> Environment:
    """The shared environment (templates are loaded once per process)."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def render(template: str, **context: Any) -> str:
    """Render a template by name with the given context."""
    return environment().get_template(template).render(**context)


def render_part(section: Any, part: str = "") -> Markup:
    """A partial (``parts/<part>.html.j2``, default ``section.part``) rendered with ``section``.

    The same text as ``{% include %}`` of the partial in the page's template,
    rendered on its own: an include passes each piece of the partial's output
    through the page's template again.
    """
    name = f"parts/{part or section.part}.html.j2"
    return Markup(environment().get_template(name).render(section=section))
