"""The MkDocs adapter: hands the generated pages to MkDocs. No data logic.

``mkdocs.yml`` lists this file under ``hooks:``. On every build it runs the
pipeline and the renderers through
:func:`generator.write.tree.generated_pages`, the same function as the
``render -o DIR`` command, and adds their files as generated files.
Warnings are logged, so ``mkdocs build --strict`` fails on them too. Every
failure the build can meet in this step (a missing KB folder, KB errors, a
missing or failing Graphviz, two pages on one path, a generated page that
would shadow a hand-written one) becomes a
:class:`~mkdocs.exceptions.PluginError` that says where and what: MkDocs
prints it and exits 1, without a traceback. ``mkdocs serve`` also watches
the KB folder. ``KB_DIR`` overrides the KB folder (tests).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from generator.findings import current_file, format_text, visible
from generator.render import Files as RenderedFiles
from generator.write.tree import TreeError, check_no_shadowing, generated_pages

log = logging.getLogger("mkdocs.hooks.reengineering_kb")


def kb_dir(config: MkDocsConfig) -> Path:
    """The KB folder: ``$KB_DIR``, or ``kb/`` beside ``mkdocs.yml``."""
    override = os.environ.get("KB_DIR")
    if override:
        return Path(override)
    return Path(config.config_file_path).resolve().parent / "kb"


def generated_files(root: Path) -> RenderedFiles:
    """The generated pages of the KB at ``root`` (:func:`generated_pages`); warnings are logged.

    Raises:
        PluginError: naming the file, page or diagram, for every failure.
    """
    try:
        generated = generated_pages(root)
    except TreeError as exc:
        raise PluginError(str(exc)) from None
    for finding in generated.warnings:
        log.warning(format_text(finding))
    return generated.files


def _check_docs_links(files: Files, config: MkDocsConfig) -> None:
    """Refuse hand-written pages reached through a symbolic link (they may lead outside the repository)."""
    docs = Path(os.path.abspath(config.docs_dir))
    if docs.is_symlink():
        raise PluginError(
            f"{visible(str(docs))}: error[link-in-docs] the docs folder is a symbolic link; pages are read only "
            "from regular files inside the repository."
        )
    for file in files:
        source = getattr(file, "abs_src_path", None)
        if not source:
            continue
        path = Path(source)
        probe = path
        while probe != docs and docs in probe.parents:
            if probe.is_symlink():
                raise PluginError(
                    f"{visible(str(probe))}: error[link-in-docs] is a symbolic link; pages are read only from "
                    "regular files inside the repository. Replace the link with the file itself."
                )
            probe = probe.parent


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Validate the KB, render the site and add the generated files."""
    _check_docs_links(files, config)
    try:
        generated = generated_files(kb_dir(config))
    except PluginError:
        raise
    except Exception as exc:  # the last resort: a bug, reported without a traceback
        where = visible(current_file() or str(kb_dir(config)))
        detail = " ".join(visible(f"{type(exc).__name__}: {exc}").split())[:300]
        raise PluginError(f"{where}: error[internal-error] {detail}. This is a bug in the generator.") from None
    try:
        check_no_shadowing(generated, [f.src_uri for f in files])
    except TreeError as exc:
        raise PluginError(str(exc)) from None
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_serve(server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when a KB entry or the bibliography changes."""
    server.watch(str(kb_dir(config)))
    return server
