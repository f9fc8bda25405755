"""The finding codes page: every code validate, lint and fmt report, from the registry.

The page is generated from :data:`generator.codes.CODES`, so it lists
exactly the codes the tools can emit, grouped by the stage that finds them;
each code has an anchor (``findings.html#unknown-reference``) to link to.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator import urls as paths
from generator.codes import CODES, STAGES, Code
from generator.kb import Checked
from generator.markup import front_matter
from generator.render.templating import render


@dataclass(frozen=True)
class StageCodes:
    """The codes one stage reports."""

    title: str
    codes: list[Code]


def render_findings(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the finding codes page (the same for every KB)."""
    stages = [StageCodes(title, [c for c in CODES if c.stage == key]) for key, title in STAGES.items()]
    front = Markup(front_matter({"title": "Finding codes"}))  # escaped by front_matter
    page = render("findings.md.j2", front=front, stages=stages, count=len(CODES))
    return {paths.FINDINGS_PAGE: page}
