"""The generated Markdown tree, independent of the site engine.

:func:`generated_pages` runs the pipeline and every renderer for a KB
folder: the pages, diagrams and downloads the site adds to the hand-written
``docs/``. The MkDocs hook hands them to MkDocs in memory;
:func:`write_tree` writes them, together with ``docs/``, as a complete docs
folder that any engine can build (the ``render -o DIR`` command). Both go
through the same function, so every engine gets the same pages.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.findings import Finding, Severity, format_text, summary_line, visible
from generator.history.releases import history
from generator.load.files import KbNotFound, read_kb
from generator.load.gitinfo import git_commit, last_changed
from generator.pipeline import check, no_collector_pauses
from generator.render import BuildInfo, Files, PathCollision, render_build
from generator.render.diagrams import DiagramError
from generator.render.incremental import PageMemo
from generator.write.files import OverlapsInput, check_apart, check_replaceable, swap_in, write_atomic


class TreeError(Exception):
    """The tree cannot be generated; the message says where and what."""


@dataclass(frozen=True)
class Generated:
    """The generated files and the warnings met on the way."""

    files: Files
    warnings: tuple[Finding, ...]


def generated_pages(kb_root: Path, memo: PageMemo | None = None) -> Generated:
    """Validate the KB at ``kb_root`` and render every generated page.

    Args:
        kb_root: The KB folder.
        memo: Entity pages of earlier builds of the same folder (``make serve``):
            pages whose inputs are unchanged are reused from it, and it is
            updated. Left untouched when the KB has errors.

    Raises:
        TreeError: naming the file, page or diagram, for every failure.
    """
    try:
        raw = read_kb(kb_root)
    except KbNotFound as exc:
        raise TreeError(str(exc)) from None
    checked = check(raw)
    errors = [f for f in checked.findings if f.severity is Severity.ERROR]
    if errors:
        lines = [format_text(f) for f in errors]
        summary = summary_line(checked.findings, checked.kb.files_checked)
        raise TreeError("the knowledge base has errors:\n" + "\n".join(lines) + "\n" + summary)
    warnings = tuple(f for f in checked.findings if f.severity is not Severity.ERROR)
    # The changelog and the last-changed dates need the git history: gathered
    # here (I/O), rendered by pure functions.
    build = BuildInfo(
        commit=git_commit(kb_root),
        releases=tuple(history(kb_root, checked)),
        last_changed=last_changed(kb_root),
        digests={f.rel: hashlib.blake2b(f.data, digest_size=16).hexdigest() for f in raw.files}
        if memo is not None
        else {},
        memo=memo,
    )
    try:
        with no_collector_pauses():  # the checked KB is alive throughout: see no_collector_pauses
            return Generated(render_build(checked, build), warnings)
    except DiagramError as exc:
        raise TreeError(f"{exc}\n(diagrams are drawn with Graphviz; 'make venv' installs graphviz-pure)") from None
    except PathCollision as exc:
        raise TreeError(f"two generated pages have one path: {exc}") from None


def hand_written(docs_dir: Path) -> list[str]:
    """Docs-relative paths of every file in the hand-written ``docs_dir``.

    Links are refused, as the MkDocs hook refuses them: a linked page would
    copy a file from anywhere (outside the repository) into the tree.

    Raises:
        TreeError: naming the first symbolic link (the folder itself, a folder or a file).
    """
    if Path(os.path.abspath(docs_dir)).is_symlink():
        raise TreeError(
            f"{visible(str(docs_dir))}: error[link-in-docs] the docs folder is a symbolic link; pages are read "
            "only from regular files inside the repository."
        )
    found = []
    for folder, dirs, names in os.walk(docs_dir, followlinks=False):
        dirs.sort()
        for name in sorted(dirs) + sorted(names):
            path = Path(folder) / name
            if path.is_symlink():
                raise TreeError(
                    f"{visible(str(path))}: error[link-in-docs] is a symbolic link; pages are read only from "
                    "regular files inside the repository. Replace the link with the file itself."
                )
            if name in names and path.is_file():
                found.append(path.relative_to(docs_dir).as_posix())
    return sorted(found)


def check_no_shadowing(files: Files, docs: list[str]) -> None:
    """Refuse a generated page that would replace a hand-written one.

    Raises:
        TreeError: naming the hand-written file.
    """
    clash = sorted(set(files) & set(docs))
    if clash:
        raise TreeError(f"docs/{clash[0]} is hand-written; rename it, the generator writes that page")


def write_tree(out: Path, kb_root: Path, docs_dir: Path | None) -> Generated:
    """Write ``docs_dir`` (if given) plus every generated page into ``out``, replacing it only on success.

    Raises:
        TreeError: if ``out`` overlaps the KB or docs folder or holds the
            current folder, the KB has errors, a page cannot be rendered, or a
            generated page would shadow a hand-written one (``out`` is then untouched).
        WrongKind: if ``out`` exists and is not a folder (a device, pipe or file).
    """
    inputs = {"the knowledge-base folder": kb_root}
    if docs_dir is not None:
        inputs["the docs folder"] = docs_dir
    try:
        check_apart(out, inputs, around=[Path.cwd()])
    except OverlapsInput as exc:
        raise TreeError(f"{visible(str(exc))}; nothing was written") from None
    check_replaceable(out, folder=True)
    generated = generated_pages(kb_root)
    docs = hand_written(docs_dir) if docs_dir is not None else []
    check_no_shadowing(generated.files, docs)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}-render-"))
    try:
        for rel in docs:
            assert docs_dir is not None
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(docs_dir / rel, staging / rel)
        for rel, content in generated.files.items():
            write_atomic(staging / rel, content)
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return generated
