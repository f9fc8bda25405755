"""The MkDocs adapter: hands the generated pages to MkDocs. No data logic.

``mkdocs.yml`` lists this file under ``hooks:``. On every build it runs the
pipeline and the renderers (:func:`generated_files`) and adds their files
as generated files. Warnings are logged, so ``mkdocs build --strict`` fails
on them too. Every failure the build can meet in this step (a missing KB
folder, KB errors, a missing or failing Graphviz, two pages on one path)
becomes a :class:`~mkdocs.exceptions.PluginError` that says where and what:
MkDocs prints it and exits 1, without a traceback. ``mkdocs serve`` also
watches the KB folder. ``KB_DIR`` overrides the KB folder (tests).

Diagrams skip Markdown: :func:`on_files` swaps each inline Graphviz SVG
for a short placeholder and :func:`on_post_page` puts it back into the
finished HTML, so Python-Markdown and the search indexer never parse the
SVG (it was most of an entity page's bytes). The page a reader gets is the
same.

Graphviz output is kept across builds in ``.cache/diagrams/`` beside
``mkdocs.yml`` (one file per diagram, named by the hash of its DOT text;
git ignores the folder; ``make clean`` empties it), so a build redraws
only the diagrams that changed.

Live editing (``make serve``) sets ``KB_SERVE_INCREMENTAL`` and runs
``mkdocs serve --dirty``: the generated files are then mirrored on disk in
``.cache/serve/`` (rewritten only when their text changes) and handed to
MkDocs as ordinary files, so a dirty rebuild converts only the pages an
edit changed, not the whole site (navigation and search of untouched pages
may lag until a full build, as with any dirty build).

The release history for the changelog page comes from git; it is computed
once per process and cached by tag commit (:func:`generator.history.releases.history`),
so ``mkdocs serve`` does not re-read every release on each rebuild.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from generator.findings import Severity, format_text, summary_line
from generator.history.releases import history
from generator.load.files import KbNotFound
from generator.load.gitinfo import git_commit
from generator.pipeline import check_folder
from generator.render import BuildInfo, PathCollision, render_build, svg
from generator.render import Files as RenderedFiles
from generator.render.diagrams import DiagramError
from generator.write.files import write_atomic

log = logging.getLogger("mkdocs.hooks.reengineering_kb")

#: A Graphviz diagram as :func:`generator.render.svg.inline` writes it into a page.
_DIAGRAM_RE = re.compile(r'<svg [^>]*class="kb-graph"[^>]*>.*?</svg>', re.S)
_SLOT_RE = re.compile(r'<svg data-kb-diagram="([0-9a-f]{20})"></svg>')
#: The diagrams of the current build, by the hash in their placeholder.
_diagrams: dict[str, str] = {}


def lift_diagrams(markdown: str, store: dict[str, str]) -> str:
    """Replace each inline diagram in ``markdown`` by a placeholder; keep the SVG in ``store``."""

    def slot(match: re.Match[str]) -> str:
        svg = match.group(0)
        key = hashlib.sha256(svg.encode("utf-8")).hexdigest()[:20]
        store[key] = svg
        return f'<svg data-kb-diagram="{key}"></svg>'

    return _DIAGRAM_RE.sub(slot, markdown)


def drop_diagrams(html: str, store: dict[str, str]) -> str:
    """Put the diagrams of ``store`` back in place of their placeholders."""
    return _SLOT_RE.sub(lambda m: store[m.group(1)], html)


def kb_dir(config: MkDocsConfig) -> Path:
    """The KB folder: ``$KB_DIR``, or ``kb/`` beside ``mkdocs.yml``."""
    override = os.environ.get("KB_DIR")
    if override:
        return Path(override)
    return Path(config.config_file_path).resolve().parent / "kb"


def diagram_cache(config: MkDocsConfig) -> Path:
    """Where drawn diagrams are kept between builds: ``.cache/diagrams/`` beside ``mkdocs.yml``."""
    return Path(config.config_file_path).resolve().parent / ".cache" / "diagrams"


_CACHE_NAME = re.compile(r"[0-9a-f]{64}\.svg")


_loaded: set[Path] = set()


def load_diagrams(folder: Path) -> None:
    """Offer the diagrams of earlier builds to the renderers (read once per process)."""
    if folder in _loaded or not folder.is_dir():
        return
    _loaded.add(folder)
    svg.seed({p.stem: p.read_text(encoding="utf-8") for p in folder.iterdir() if _CACHE_NAME.fullmatch(p.name)})


def save_diagrams(folder: Path) -> None:
    """Keep the diagrams this build drew."""
    for key, text in svg.drawn().items():
        write_atomic(folder / f"{key}.svg", text)


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


INCREMENTAL = "KB_SERVE_INCREMENTAL"
"""Environment variable ``make serve`` sets: mirror generated files on disk for dirty rebuilds."""


def mirror(folder: Path, path: str, content: str | bytes) -> None:
    """Write ``content`` to ``folder/path`` unless it is already there (keeping its time stamp)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = folder / path
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(target, data)


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Validate the KB, render the site and add the generated files (diagrams lifted out)."""
    _diagrams.clear()
    cache = diagram_cache(config)
    load_diagrams(cache)
    rendered = generated_files(kb_dir(config))
    try:
        save_diagrams(cache)
    except OSError as exc:  # a cache that cannot be written costs time, not correctness
        log.info(f"diagram cache not saved: {exc}")
    incremental = diagram_cache(config).parent / "serve" if os.environ.get(INCREMENTAL) else None
    for path, content in rendered.items():
        if path.endswith(".md") and isinstance(content, str) and 'class="kb-graph"' in content:
            content = lift_diagrams(content, _diagrams)
        existing = files.get_file_from_path(path)
        if existing is not None:
            raise PluginError(f"docs/{path} is hand-written; rename it, the generator writes that page")
        if incremental:
            mirror(incremental, path, content)
            files.append(File(path, str(incremental), config.site_dir, config.use_directory_urls))
        else:
            files.append(File.generated(config, path, content=content))
    return files


def on_post_page(output: str, *, page: Any, config: MkDocsConfig) -> str:
    """Put the diagrams back into the finished page."""
    return drop_diagrams(output, _diagrams) if "data-kb-diagram=" in output else output


def on_serve(server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when a KB entry or the bibliography changes."""
    server.watch(str(kb_dir(config)))
    return server
