"""The site builds, strict, with three engines and gives the same pages.

* MkDocs + Material (the main venv), through the hook.
* ProperDocs (the continuation of MkDocs), through the same hook, from
  ``.venv-engines/properdocs``.
* Zensical (the successor of Material), which runs no hooks: it builds the
  tree written by ``render -o`` with a config that inherits ``mkdocs.yml``.

``make engines`` creates the two extra venvs (``make test`` and
``make engine-test`` depend on it); without them these tests fail, they do
not skip.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from generator.write.sitebuild import build_env
from tests.conftest import ROOT

pytestmark = pytest.mark.site

ENGINES = ROOT / ".venv-engines"
ENTRY = "practices/align-framework-defaults-explicitly.html"


def _engine(venv: str, command: str) -> Path:
    path = ENGINES / venv / "bin" / command
    assert path.is_file(), f"{path} is missing: run `make engines`"
    return path


def _run(args: list[str | Path], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=ROOT, env=build_env(env), capture_output=True, text=True, check=False, timeout=600
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def _downloads(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "downloads").rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The complete Markdown tree from ``render -o``, as ``docs/`` of a Zensical project folder."""
    out = tmp_path_factory.mktemp("zensical") / "docs"
    _run([sys.executable, "-m", "generator", "render", "-o", out])
    return out


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("material") / "site"
    _run([sys.executable, "-m", "generator", "site", "--strict", "-d", site])
    return site


def test_config_is_engine_neutral() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!relative" not in config
    # No copied theme files: every override extends the theme's base template (main.html) or
    # main.html (the 404 page), filling blocks only.
    overrides = sorted(p.name for p in (ROOT / "overrides").rglob("*") if p.is_file())
    assert overrides == ["404.html", "main.html"]
    assert '{% extends "base.html" %}' in (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    assert '{% extends "main.html" %}' in (ROOT / "overrides" / "404.html").read_text(encoding="utf-8")


def _meta(page: Path) -> dict[str, str]:
    html = page.read_text(encoding="utf-8")
    found = re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z]+)" content="([^"]*)"', html)
    return {name: unescape(value) for name, value in found}  # engines escape differently (Zensical: / as &#x2f;)


def test_material_pages_carry_open_graph_and_twitter_tags(material: Path) -> None:
    meta = _meta(material / ENTRY)
    assert meta["og:title"] == "Set framework defaults explicitly when porting"
    assert "twitter:title" not in meta and "twitter:description" not in meta  # X falls back to og:title, og:description
    assert meta["og:url"] == "https://reengineering-kb.github.io/kb/" + ENTRY
    assert meta["og:description"] and meta["twitter:card"] == "summary"


def test_render_tree_is_every_page_of_the_mkdocs_build(tree: Path, material: Path) -> None:
    sources = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*.md"))
    built = {p.removesuffix(".html") for p in _pages(material)} - {"404"}
    assert {s.removesuffix(".md") for s in sources} == built
    docs = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()}
    assert docs <= {p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()}


def build_properdocs(site: Path) -> Path:
    """Build the site with ProperDocs (through the MkDocs hook) into ``site``."""
    _run([_engine("properdocs", "properdocs"), "build", "--strict", "-q", "-f", ROOT / "mkdocs.yml", "-d", site])
    return site


def build_zensical(project: Path) -> Path:
    """Render the tree into ``project/docs`` and build it with Zensical into ``project/site``."""
    _run([sys.executable, "-m", "generator", "render", "-o", project / "docs"])
    return _zensical(project)


def _zensical(project: Path) -> Path:
    # Zensical reads mkdocs.yml (INHERIT included) and ignores `hooks:`; the
    # pages come from the render tree. Snippets resolve from the repository root (cwd).
    config = project / "mkdocs.yml"
    # Paths in a config are relative to its own folder, so the theme folder is named again.
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\nsite_dir: site\ntheme:\n  custom_dir: {ROOT / 'overrides'}\n",
        encoding="utf-8",
    )
    _run([_engine("zensical", "zensical"), "build", "--strict", "-f", config])
    return project / "site"


def test_properdocs_builds_the_same_site(material: Path, tmp_path: Path) -> None:
    site = build_properdocs(tmp_path / "site")
    assert 'content="mkdocs-ProperDocs' in (site / "index.html").read_text(encoding="utf-8")
    assert _pages(site) == _pages(material)
    assert _meta(site / ENTRY) == _meta(material / ENTRY)
    assert _downloads(site) == _downloads(material)


def test_zensical_builds_the_same_site_from_the_render_tree(tree: Path, material: Path) -> None:
    site = _zensical(tree.parent)  # Zensical wants docs_dir and site_dir inside the config's folder
    assert 'content="zensical-' in (site / "index.html").read_text(encoding="utf-8")
    assert _pages(site) == _pages(material)
    assert _meta(site / ENTRY) == _meta(material / ENTRY)
    assert _downloads(site) == _downloads(material)
    guide = (site / "contributing.html").read_text(encoding="utf-8")
    assert "What reviewers look for" in guide and "--8&lt;--" not in guide
