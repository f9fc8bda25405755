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
edit changed, not the whole site. The renderers get a memo of the previous
build (:class:`~generator.render.incremental.PageMemo`), so only the entity
pages whose inputs changed are rendered again. Material's search plugin
keeps the previous index under a dirty rebuild but replaces the entries of
one page only: :func:`on_page_context` and :func:`on_env` drop the earlier
entries of every page built again and of pages that no longer exist.

Every finished page also loses the blank lines and indentation of the
theme's templates (:func:`trim_whitespace`, a sixth of an entity page);
``<pre>``, ``<code>``, ``<kbd>``, ``<textarea>`` and ``<script>`` are kept
as they are, and the rest reads the same, as HTML collapses that
whitespace anyway.

Python's cyclic garbage collector is held while the KB is checked and
rendered (:func:`generator.pipeline.no_collector_pauses`), and what is alive
after :func:`on_files` is frozen (``gc.freeze``) until :func:`on_post_build`:
it lives until the build ends, and the collections MkDocs's own allocations
set off would otherwise scan it again each time (2.5 s of collection at 10x
the KB, against 0.6 s for a plain MkDocs build of the same pages; 0.85 s
now).

The release history for the changelog page comes from git; it is computed
once per process and cached by tag commit (:func:`generator.history.releases.history`),
so ``mkdocs serve`` does not re-read every release on each rebuild.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from generator.findings import current_file, format_text, visible, visible_lines
from generator.pipeline import no_collector_pauses
from generator.render import Files as RenderedFiles
from generator.render import svg
from generator.render.incremental import PageMemo
from generator.render.searchindex import compact_index
from generator.write.files import OverlapsInput, check_apart, write_atomic
from generator.write.sitebuild import kb_folder
from generator.write.tree import TreeError, check_no_shadowing, generated_pages

log = logging.getLogger("mkdocs.hooks.reengineering_kb")


#: A Graphviz diagram as :func:`generator.render.svg.inline` writes it into a page.
_DIAGRAM_RE = re.compile(r'<svg [^>]*class="kb-graph"[^>]*>.*?</svg>', re.S)
_SLOT_RE = re.compile(r'<svg data-kb-diagram="([0-9a-f]{20})"></svg>')
#: Where whitespace is content, kept as it is by :func:`trim_whitespace`: Material
#: styles ``code`` and ``kbd`` with ``white-space: pre-wrap`` too.
_VERBATIM_RE = re.compile(r"(<(pre|textarea|script|code|kbd)\b.*?</\2>)", re.S | re.I)
#: A line break and the blank lines and indentation after it (HTML's whitespace:
#: not ``\s``, which would take a no-break space that is content).
_BREAK_RE = re.compile(r"\n[ \t\n\r\f]+")
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


def kb_dir(config: MkDocsConfig) -> Path:
    """The KB folder: ``$KB_DIR``, or ``kb/`` beside ``mkdocs.yml`` (:func:`~generator.write.sitebuild.kb_folder`)."""
    return kb_folder(config.config_file_path)


def generated_files(root: Path, memo: PageMemo | None = None) -> RenderedFiles:
    """The generated pages of the KB at ``root`` (:func:`generated_pages`); warnings are logged.

    Raises:
        PluginError: naming the file, page or diagram, for every failure.
    """
    try:
        generated = generated_pages(root, memo)
    except TreeError as exc:
        raise PluginError(visible_lines(str(exc))) from None
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


INCREMENTAL = "KB_SERVE_INCREMENTAL"
"""Environment variable ``make serve`` sets: mirror generated files on disk for dirty rebuilds."""


#: Entity pages of earlier builds in this process, by KB folder (``make serve``).
_memos: dict[Path, PageMemo] = {}
#: ``make serve``: the compacted search entries of the previous build, by entry (see :func:`compact_index`).
_search_cache: dict[str, dict[str, Any] | None] = {}
#: What :func:`mirror` last wrote or found on disk in this process, by file: a digest of the bytes.
_mirrored: dict[Path, bytes] = {}
#: The content object :func:`mirror` was last given, by file (pages reused from the memo are the same object).
_written: dict[Path, str | bytes] = {}


def mirror(folder: Path, path: str, content: str | bytes) -> bool:
    """Write ``content`` to ``folder/path`` unless it is already there (keeping its time stamp).

    Returns:
        Whether the file was written.
    """
    target = folder / path
    if _written.get(target) is content and target.is_file():  # the very text of the last build
        return False
    data = content.encode("utf-8") if isinstance(content, str) else content
    digest = hashlib.blake2b(data, digest_size=16).digest()
    written = False
    if _mirrored.get(target) != digest or not target.is_file():
        try:
            same = target.read_bytes() == data
        except OSError:
            same = False
        if not same:
            write_atomic(target, data)
            written = True
    _mirrored[target] = digest
    _written[target] = content
    return written


#: Under ``make serve``, each page's last text and its lifted form: {path: (text, lifted, diagrams)}.
_lifted: dict[str, tuple[str, str, dict[str, str]]] = {}


def _lift(path: str, content: str, *, keep: bool) -> str:
    """:func:`lift_diagrams` into this build's store; a page reused unchanged from the memo is lifted once."""
    last = _lifted.get(path)
    if last is not None and last[0] is content:
        _diagrams.update(last[2])
        return last[1]
    store: dict[str, str] = {}
    lifted = lift_diagrams(content, store)
    _diagrams.update(store)
    if keep:
        _lifted[path] = (content, lifted, store)
    return lifted


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Validate the KB, render the site and add the generated files (diagrams lifted out)."""
    _check_docs_links(files, config)
    gc.unfreeze()  # what the previous build of this process froze (make serve) may be collected again
    _diagrams.clear()
    cache = diagram_cache(config)
    load_diagrams(cache)
    incremental = cache.parent / "serve" if os.environ.get(INCREMENTAL) else None
    memo = _memos.setdefault(kb_dir(config).resolve(), PageMemo()) if incremental else None
    try:
        generated = generated_files(kb_dir(config), memo)
    except PluginError:
        raise
    except Exception as exc:  # the last resort: a bug, reported without a traceback
        where = visible(current_file() or str(kb_dir(config)))
        detail = " ".join(visible(f"{type(exc).__name__}: {exc}").split())[:300]
        raise PluginError(f"{where}: error[internal-error] {detail}. This is a bug in the generator.") from None
    try:
        check_no_shadowing(generated, [f.src_uri for f in files])
    except TreeError as exc:
        raise PluginError(visible_lines(str(exc))) from None
    try:
        save_diagrams(cache)
    except OSError as exc:  # a cache that cannot be written costs time, not correctness
        log.info(f"diagram cache not saved: {visible(str(exc))}")
    for path, content in generated.items():
        if path.endswith(".md") and isinstance(content, str) and 'class="kb-graph"' in content:
            content = _lift(path, content, keep=incremental is not None)
        if incremental:
            mirror(incremental, path, content)
            files.append(File(path, str(incremental), config.site_dir, config.use_directory_urls))
        else:
            files.append(File.generated(config, path, content=content))
    # What is alive now (the theme, the checked KB's caches, the generated
    # pages) lives until the build ends: the collector need not scan it again
    # on every collection while MkDocs converts the pages.
    gc.freeze()
    return files


def trim_whitespace(html: str) -> str:
    """``html`` with every run of whitespace that starts a line reduced to the line break.

    Outside ``<pre>``, ``<code>``, ``<kbd>``, ``<textarea>`` and ``<script>`` a browser collapses
    such a run to one space, as it does the line break alone, so the page
    reads and lays out the same.
    """
    parts = _VERBATIM_RE.split(html)
    # split() returns text, then (element, tag name) pairs, then text again.
    out = [_BREAK_RE.sub("\n", part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2]
    return "".join(out)


def on_post_page(output: str, *, page: Any, config: MkDocsConfig) -> str:
    """Put the diagrams back into the finished page, without the templates' blank lines and indentation."""
    if "data-kb-diagram=" in output:
        output = drop_diagrams(output, _diagrams)
    return trim_whitespace(output)


def _earlier_search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entries Material's search plugin kept from the previous dirty build (None if it kept none)."""
    plugin = config.plugins.get("material/search")
    earlier = getattr(plugin, "search_index_prev", None)
    entries = getattr(earlier, "entries", None)
    return entries if isinstance(entries, list) else None


def _page_of(location: str) -> str:
    return location.split("#", 1)[0]


def on_env(env: Any, *, config: MkDocsConfig, files: Files) -> Any:
    """Under ``make serve``, forget the search entries of pages that no longer exist."""
    entries = _earlier_search_entries(config)
    if entries is not None:
        pages = {f.url for f in files.documentation_pages()}
        entries[:] = [e for e in entries if _page_of(str(e.get("location", ""))) in pages]
    return env


def on_page_context(context: Any, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
    """Under ``make serve``, forget the earlier search entries of a page built again.

    Material's search plugin keeps the previous build's index under a dirty
    rebuild and replaces the entries of one rebuilt page only (it assumes an
    edit rebuilds one page); an edit of an entry rebuilds its neighbours and
    indexes too, whose old entries would otherwise stay beside the new ones.
    """
    entries = _earlier_search_entries(config)
    if entries is not None:
        entries[:] = [e for e in entries if _page_of(str(e.get("location", ""))) != page.url]
    return context


def on_serve(server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when a KB entry or the bibliography changes."""
    server.watch(str(kb_dir(config)))
    return server


#: The largest SOURCE_DATE_EPOCH a build can use: gzip (the sitemap) stores the time in 32 bits.
MAX_EPOCH = 2**32 - 1
#: Answers the theme's request for ``search_index.json`` from ``search_index.js`` (see :func:`on_post_build`).
SEARCH_INDEX_SHIM = "assets/javascripts/search-index.js"
#: How Material's ``offline`` plugin starts the script it writes.
SEARCH_INDEX_JS_PREFIX = "var __index = "


@event_priority(100)  # before the offline plugin, which iterates and appends to extra.polyfills unchecked
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Refuse a site folder that overlaps the KB; load the search index shim before the theme.

    MkDocs empties its site folder before :func:`on_files` runs, so ``mkdocs
    build -d kb`` would delete the KB before any check: it is refused here,
    first (only builds that run this hook write one index).

    Raises:
        PluginError: if the site folder is, holds or lies inside the KB folder,
            or holds the folder of ``mkdocs.yml``; if ``extra.polyfills`` is
            not a list of script paths; if ``SOURCE_DATE_EPOCH`` is set but is
            not a time MkDocs can use.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not (epoch.isascii() and epoch.isdigit() and int(epoch) <= MAX_EPOCH):
        # MkDocs reads it only while it builds pages and gzips the sitemap: a traceback halfway through.
        raise PluginError(
            f"SOURCE_DATE_EPOCH is '{visible(epoch[:40])}', not a whole number of seconds since 1970 "
            f"(0 to {MAX_EPOCH}); unset it or correct it. Nothing was built"
        )
    try:
        check_apart(
            Path(config.site_dir),
            {"the knowledge-base folder": kb_dir(config)},
            around=[Path(config.config_file_path).resolve().parent],
        )
    except OverlapsInput as exc:
        raise PluginError(f"site_dir {visible(str(exc))}; nothing was built") from None
    polyfills = config.extra.get("polyfills") or []
    if not isinstance(polyfills, list) or not all(isinstance(p, str) for p in polyfills):
        shown = visible(repr(polyfills))
        raise PluginError(
            f"{visible(str(config.config_file_path))}: error[invalid-value] 'extra.polyfills' must be a list of "
            f"script paths; found {shown[:80] + '...' if len(shown) > 80 else shown}"
        )
    if SEARCH_INDEX_SHIM not in polyfills:
        config.extra["polyfills"] = [*polyfills, SEARCH_INDEX_SHIM]
    return config


@event_priority(-200)  # after the offline plugin (-100) has written search_index.js
def on_post_build(*, config: MkDocsConfig) -> None:
    """Write the compacted search index (synonyms added, repeats dropped), once.

    Material fetches ``search/search_index.json`` over http and loads
    ``search/search_index.js`` (written by the ``offline`` plugin) from disk.
    When the script exists, it alone is written and the JSON is removed: the
    shim (:data:`SEARCH_INDEX_SHIM`) answers the theme's request for the JSON
    with the script's bytes after its ``var __index = ``.
    """
    try:
        with no_collector_pauses():  # the whole index is alive while it is compacted
            _write_search_index(config)
    finally:
        gc.unfreeze()  # frozen by on_files for the pages' conversion, which is over


def _write_search_index(config: MkDocsConfig) -> None:
    folder = Path(config.site_dir) / "search"
    path = folder / "search_index.json"
    if not path.is_file():
        return
    cache = _search_cache if os.environ.get(INCREMENTAL) else None
    index = compact_index(json.loads(path.read_text(encoding="utf-8")), cache)
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    script = folder / "search_index.js"
    if script.is_file():
        script.write_text(SEARCH_INDEX_JS_PREFIX + data, encoding="utf-8")
        path.unlink()
    else:
        path.write_text(data, encoding="utf-8")


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
