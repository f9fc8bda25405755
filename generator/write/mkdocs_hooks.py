"""The MkDocs adapter: hands the generated pages to MkDocs. No data logic.

``mkdocs.yml`` lists this file under ``hooks:``. On every build it runs the
pipeline and the renderers (:func:`generated_files`) and adds their files
as generated files. Warnings are logged, so ``mkdocs build --strict`` fails
on them too. Every failure the build can meet in this step (a missing KB
folder, KB errors, a missing or failing Graphviz, two pages on one path)
becomes a :class:`~mkdocs.exceptions.PluginError` that says where and what:
MkDocs prints it and exits 1, without a traceback. ``mkdocs serve`` also
watches the KB folder. ``KB_DIR`` overrides the KB folder (tests).

The release history for the changelog page comes from git; it is computed
once per process and cached by tag commit (:func:`generator.history.releases.history`),
so ``mkdocs serve`` does not re-read every release on each rebuild.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from generator.findings import Severity, format_text, summary_line
from generator.history.releases import history
from generator.load.files import KbNotFound
from generator.load.gitinfo import git_commit
from generator.pipeline import check_folder
from generator.render import BuildInfo, PathCollision, render_build
from generator.render import Files as RenderedFiles
from generator.render.diagrams import DiagramError
from generator.render.searchindex import expand_index

log = logging.getLogger("mkdocs.hooks.reengineering_kb")


def kb_dir(config: MkDocsConfig) -> Path:
    """The KB folder: ``$KB_DIR``, or ``kb/`` beside ``mkdocs.yml``."""
    override = os.environ.get("KB_DIR")
    if override:
        return Path(override)
    return Path(config.config_file_path).resolve().parent / "kb"


def generated_files(root: Path) -> RenderedFiles:
    """Validate the KB at ``root`` and render every generated page.

    Raises:
        PluginError: with a message naming the file, page or diagram, for
            every failure (MkDocs prints it and exits 1).
    """
    try:
        checked = check_folder(root)
    except KbNotFound as exc:
        raise PluginError(str(exc)) from None
    errors = [f for f in checked.findings if f.severity is Severity.ERROR]
    for finding in checked.findings:
        if finding.severity is not Severity.ERROR:
            log.warning(format_text(finding))
    if errors:
        lines = [format_text(f) for f in errors]
        summary = summary_line(checked.findings, checked.kb.files_checked)
        raise PluginError("the knowledge base has errors:\n" + "\n".join(lines) + "\n" + summary)
    # The changelog needs the git history: gathered here (I/O), rendered by a pure function.
    build = BuildInfo(commit=git_commit(root), releases=tuple(history(root, checked)))
    try:
        return render_build(checked, build)
    except DiagramError as exc:
        raise PluginError(f"{exc}\n(diagrams are drawn with Graphviz; 'make venv' installs graphviz-pure)") from None
    except PathCollision as exc:
        raise PluginError(f"two generated pages have one path: {exc}") from None


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Validate the KB, render the site and add the generated files."""
    for path, content in generated_files(kb_dir(config)).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            raise PluginError(f"docs/{path} is hand-written; rename it, the generator writes that page")
        files.append(File.generated(config, path, content=content))
    return files


def on_serve(server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when a KB entry or the bibliography changes."""
    server.watch(str(kb_dir(config)))
    return server


def on_post_build(*, config: MkDocsConfig) -> None:
    """Add synonyms to the search index (before the offline plugin inlines it)."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.is_file():
        index = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(expand_index(index), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    """Make the 404 page's links relative, so it is styled when opened from disk."""
    if template_name != "404.html":
        return output_content
    return relative_404(output_content, urlsplit(config.site_url or "/").path or "/")


def relative_404(html: str, site_path: str) -> str:
    """The 404 page with links relative to the site root, plus a ``<base>`` for other paths.

    Opened from disk or at the site root the relative links work as they are; a
    server that answers a missing page deeper down with this page gets a
    ``<base>`` pointing at the site root, written before any link is read.
    """
    if not site_path.endswith("/"):
        site_path += "/"
    text = html.replace(f'"{site_path}', '"./')  # attributes and the theme's config (base, search worker)
    base = (
        "<script>if (location.protocol !== 'file:' && !/\\/404\\.html$/.test(location.pathname))"
        f" document.write('<base href=\"{site_path}\">');</script>"
    )
    return text.replace("<head>", "<head>\n" + base, 1)
