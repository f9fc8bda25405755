"""The MkDocs hook: every failure of the generation step is a clean, located error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from generator import render
from generator.kb import Checked
from generator.render import svg
from generator.render.diagrams import DotNotFound
from generator.write.mkdocs_hooks import generated_files
from tests.conftest import BASE_KB
from tests.site_fixtures import build

FAILING_DOT = "#!/bin/sh\necho 'Error: out of memory' >&2\nexit 1\n"


@pytest.fixture
def fresh_diagrams() -> Iterator[None]:
    """Forget cached SVGs and the cached dot, so the test really runs Graphviz."""
    svg.svg_of.cache_clear()
    svg.dot_program.cache_clear()
    yield
    svg.svg_of.cache_clear()
    svg.dot_program.cache_clear()


def failing_dot(tmp_path: Path) -> Path:
    program = tmp_path / "dot"
    program.write_text(FAILING_DOT)
    program.chmod(0o755)
    return program


def test_generated_files_of_a_clean_kb() -> None:
    files = generated_files(BASE_KB)
    assert {"coverage.md", "workflow.md", "practices/read-the-reference-code.md", "changelog.md"} <= set(files)


def test_a_missing_kb_folder_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(PluginError) as caught:
        generated_files(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(caught.value)


def test_kb_errors_are_listed_with_their_location(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy({"stages/testing.yaml": "id: [unclosed\n"})
    with pytest.raises(PluginError) as caught:
        generated_files(cwd / "kb")
    lines = str(caught.value).splitlines()
    assert lines[0] == "the knowledge base has errors:"
    assert lines[1].startswith(f"{cwd / 'kb'}/stages/testing.yaml:2:1: error[yaml-syntax] expected ',' or ']'")
    assert lines[2] == "1 error, 0 warnings in 11 files"


def test_a_missing_graphviz_is_a_clean_error(monkeypatch: pytest.MonkeyPatch, fresh_diagrams: None) -> None:
    def no_dot() -> str:
        raise DotNotFound("Graphviz 'dot' not found; run 'make venv' (installs graphviz-pure) or install graphviz")

    monkeypatch.setattr(svg, "find_dot", no_dot)
    with pytest.raises(PluginError) as caught:
        generated_files(BASE_KB)
    assert str(caught.value) == (
        "Graphviz 'dot' not found; run 'make venv' (installs graphviz-pure) or install graphviz\n"
        "(diagrams are drawn with Graphviz; 'make venv' installs graphviz-pure)"
    )


def test_a_failing_graphviz_names_the_diagram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_diagrams: None
) -> None:
    monkeypatch.setenv("GRAPHVIZ_DOT", str(failing_dot(tmp_path)))
    with pytest.raises(PluginError) as caught:
        generated_files(BASE_KB)
    first = str(caught.value).splitlines()[0]
    assert first.startswith('Graphviz failed on diagram "') and first.endswith('": Error: out of memory')


def test_two_pages_on_one_path_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def second_coverage(checked: Checked) -> render.Files:
        return {"coverage.md": "again"}

    monkeypatch.setattr(render, "RENDERERS", [*render.RENDERERS, second_coverage])
    with pytest.raises(PluginError) as caught:
        generated_files(BASE_KB)
    assert str(caught.value) == (
        "two generated pages have one path: coverage.md is produced twice (last by tests.write.test_mkdocs_hook)"
    )


@pytest.mark.site
def test_mkdocs_build_with_a_failing_graphviz_exits_1_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPHVIZ_DOT", str(failing_dot(tmp_path)))  # the build inherits the environment
    result = build(BASE_KB, tmp_path / "site")
    assert result.returncode == 1
    assert 'Graphviz failed on diagram "' in result.output
    assert "Error: out of memory" in result.output
    assert "Traceback" not in result.output


def test_diagrams_skip_markdown_and_come_back_unchanged() -> None:
    from generator.write.mkdocs_hooks import drop_diagrams, lift_diagrams

    page = (Path(__file__).resolve().parents[1] / "golden" / "base" / "workflow.md").read_text(encoding="utf-8")
    store: dict[str, str] = {}
    lifted = lift_diagrams(page, store)
    assert 'class="kb-graph"' not in lifted and len(store) == 1
    assert len(lifted) < len(page) / 2
    assert drop_diagrams(lifted, store) == page


def test_pages_lose_template_indentation_but_not_verbatim_whitespace() -> None:
    from generator.write.mkdocs_hooks import trim_whitespace

    page = (
        "<body>\n    \n    <p>a\n      <b>b</b>\n\n  </p>\n\u00a0kept no-break space <code>c\n  d</code>"
        "\n  <pre><code>x\n   y\n\n</code></pre>\n  <script>if (a)\n  b()</script>"
        '\n <TEXTAREA rows="2">\n t</TEXTAREA>\n</body>'
    )
    assert trim_whitespace(page) == (
        "<body>\n<p>a\n<b>b</b>\n</p>\n\u00a0kept no-break space <code>c\n  d</code>"
        "\n<pre><code>x\n   y\n\n</code></pre>\n<script>if (a)\n  b()</script>"
        '\n<TEXTAREA rows="2">\n t</TEXTAREA>\n</body>'
    )


def test_diagrams_are_kept_between_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_diagrams: None
) -> None:
    from generator.write import mkdocs_hooks

    monkeypatch.setattr(svg, "_seeded", {})
    monkeypatch.setattr(svg, "_new", {})
    monkeypatch.setattr(mkdocs_hooks, "_loaded", set())
    first = generated_files(BASE_KB)
    mkdocs_hooks.save_diagrams(tmp_path)
    assert len(list(tmp_path.glob("*.svg"))) >= 3

    def no_dot() -> str:
        raise DotNotFound("no dot in this test")

    svg.svg_of.cache_clear()
    svg.dot_program.cache_clear()
    monkeypatch.setattr(svg, "find_dot", no_dot)
    mkdocs_hooks.load_diagrams(tmp_path)
    assert generated_files(BASE_KB) == first  # every diagram came from the cache


def test_live_editing_mirror_rewrites_only_changed_files(tmp_path: Path) -> None:
    import os

    from generator.write.mkdocs_hooks import mirror

    mirror(tmp_path, "practices/a.md", "one")
    page = tmp_path / "practices" / "a.md"
    os.utime(page, (1, 1))
    mirror(tmp_path, "practices/a.md", "one")
    assert page.stat().st_mtime == 1  # unchanged: a dirty rebuild skips it
    mirror(tmp_path, "practices/a.md", "two")
    assert page.read_text() == "two" and page.stat().st_mtime > 1


def test_the_collector_skips_what_lives_through_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What on_files leaves alive is frozen while MkDocs converts pages, and released after the build."""
    import gc

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from generator.write import mkdocs_hooks

    monkeypatch.setenv("KB_DIR", str(BASE_KB))
    monkeypatch.delenv(mkdocs_hooks.INCREMENTAL, raising=False)
    monkeypatch.setattr(mkdocs_hooks, "diagram_cache", lambda config: tmp_path / "diagrams")  # not the repo's
    config = load_config(str(Path(__file__).parents[2] / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins._current_plugin = None  # what MkDocs sets while it runs an event
    gc.unfreeze()
    try:
        files = mkdocs_hooks.on_files(Files([]), config=config)
        assert any(f.src_uri.startswith("practices/") for f in files)
        assert gc.get_freeze_count() > 10_000
        assert gc.isenabled()
        mkdocs_hooks.on_post_build(config=config)  # no search index in this test: nothing to write
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_a_site_dir_that_overlaps_the_kb_is_refused_before_mkdocs_empties_it(
    kb_copy,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``mkdocs build -d kb`` emptied the KB (MkDocs cleans its site folder before on_files validates anything)."""
    from mkdocs.config import load_config

    from generator.write import mkdocs_hooks

    kb = kb_copy({}) / "kb"
    monkeypatch.setenv("KB_DIR", str(kb))
    for site in (kb, kb / "site", kb.parent):
        config = load_config(str(Path(__file__).parents[2] / "mkdocs.yml"), site_dir=str(site))
        with pytest.raises(PluginError, match="overlaps the knowledge-base folder"):
            mkdocs_hooks.on_config(config)
    config = load_config(str(Path(__file__).parents[2] / "mkdocs.yml"), site_dir=str(kb.parent / "site"))
    assert mkdocs_hooks.on_config(config) is config


def test_a_kb_dir_with_control_characters_is_named_escaped(tmp_path: Path) -> None:
    """``KB_DIR`` (or --kb) holding an ESC or a bidi override reached the terminal raw through the hook's error."""
    for name in ("kb\x1b[31m", "kb\u202egpj.\x07"):
        with pytest.raises(PluginError) as raised:
            generated_files(tmp_path / name)
        message = str(raised.value)
        assert "not found" in message
        assert message.isprintable(), message
        assert "\\x1b" in message or "\\u202e" in message


@pytest.mark.parametrize("polyfills", [5, "a.js", {"a": "b.js"}, [1]])
def test_polyfills_that_are_not_a_list_of_paths_are_refused_before_the_offline_plugin(
    polyfills: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``extra: {polyfills: 5}`` in mkdocs.yml crashed Material's offline plugin (TypeError traceback)."""
    from mkdocs.config import load_config

    from generator.write import mkdocs_hooks

    monkeypatch.setenv("KB_DIR", str(BASE_KB))
    config = load_config(
        str(Path(__file__).parents[2] / "mkdocs.yml"), site_dir=str(tmp_path / "site"), extra={"polyfills": polyfills}
    )
    with pytest.raises(PluginError, match=r"'extra.polyfills' must be a list of script paths"):
        mkdocs_hooks.on_config(config)
    assert mkdocs_hooks.on_config.mkdocs_priority == 100  # type: ignore[attr-defined]


@pytest.mark.parametrize("epoch", ["abc", "-5", "", "99999999999999999999", "4294967296", "\u0661\u0662", "5\x1b[2J"])
def test_a_source_date_epoch_mkdocs_cannot_use_is_refused_before_the_build(
    epoch: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs read a bad SOURCE_DATE_EPOCH while building pages or gzipping the sitemap: a traceback."""
    from mkdocs.config import load_config

    from generator.write import mkdocs_hooks

    monkeypatch.setenv("KB_DIR", str(BASE_KB))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    config = load_config(str(Path(__file__).parents[2] / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with pytest.raises(PluginError, match="SOURCE_DATE_EPOCH is") as raised:
        mkdocs_hooks.on_config(config)
    assert str(raised.value).isprintable()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert mkdocs_hooks.on_config(config) is config
