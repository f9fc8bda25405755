"""The built site as files: strict build, completeness, links, offline, reproducible, safe."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.models import FOLDERS
from generator.render import BuildInfo, render_build
from generator.write.sitebuild import build_env, build_site
from tests.browser.conftest import RealSite
from tests.conftest import ROOT
from tests.site_fixtures import (
    CONFIG,
    broken_links,
    build,
    hostile_kb,
    html_pages,
    is_external,
    parse_page,
    search_locations,
)

# MkDocs builds of the real KB (a minute or more): the site tier, run with the
# browser tests at the end of `make test`, never in `make test-fast`.
pytestmark = [pytest.mark.site, pytest.mark.browser]


def test_strict_build_passes(real_site: RealSite) -> None:
    assert real_site.strict.returncode == 0, real_site.strict.output


def test_every_entity_is_a_page_in_its_index_in_search_graph_downloads_and_tags(real_site: RealSite) -> None:
    site = real_site.root
    expected = {(e.kind, e.id) for e in real_site.checked.kb.entities.values()}
    kind_of = {folder: kind for kind, folder in FOLDERS.items()}
    pages = {
        (kind_of[p.parent.name], p.stem)
        for p in html_pages(site)
        if p.parent.name in kind_of and p.parent.parent == site and p.stem != "index"
    }
    indexed = set()
    for kind, folder in FOLDERS.items():
        index = (site / folder / "index.html").read_text(encoding="utf-8")
        indexed |= {(kind, eid) for eid in re.findall(r'class="kb-index__title" href="([^"/]+)\.html"', index)}
    searched = {
        (kind_of[loc.split("/")[0]], loc.split("/")[1].removesuffix(".html"))
        for loc in search_locations(site)
        if loc.count("/") == 1 and loc.split("/")[0] in kind_of and not loc.endswith("index.html")
    }
    graph = json.loads((site / "downloads" / "graph.json").read_text(encoding="utf-8"))
    in_graph = {(n["kind"], n["id"]) for n in graph["nodes"] if n["kind"] != "reference"}
    kb = json.loads((site / "downloads" / "kb.json").read_text(encoding="utf-8"))
    downloaded = {(kind, e["id"]) for kind, group in kb["entities"].items() for e in group}
    tags = (site / "tags.html").read_text(encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]
    tagged = {(kind_of[f], eid) for f, eid in re.findall(r'href="(\w+)/([a-z0-9-]+)\.html"', tags) if f in kind_of}
    assert pages == expected
    assert indexed == expected
    assert searched == expected
    assert in_graph == expected
    assert downloaded == expected
    assert tagged == expected


def test_no_broken_internal_links_or_anchors(real_site: RealSite) -> None:
    assert broken_links(real_site.root) == []


ASSET_TAGS = {"script", "img", "iframe", "source", "video", "audio", "embed", "object", "track", "image", "use"}
ASSET_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}


def test_no_external_asset_is_referenced(real_site: RealSite) -> None:
    """Offline: scripts, styles, images, frames and fonts all come from the site itself."""
    problems = []
    for path in html_pages(real_site.root):
        for tag, attrs in parse_page(path).elements:
            rels = set(attrs.get("rel", "").lower().split())
            urls = [attrs.get(a, "") for a in ("src", "href", "xlink:href", "data", "poster")]
            is_asset = tag in ASSET_TAGS or (tag == "link" and rels & ASSET_RELS)
            problems += [f"{path.name}: <{tag} {url}>" for url in urls if is_asset and url and is_external(url)]
    for css in real_site.root.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if is_external(url) and not url.startswith("data:"):
                problems.append(f"{css.name}: url({url})")
    assert problems == []


def test_offline_settings(real_site: RealSite) -> None:
    config = CONFIG.read_text(encoding="utf-8")
    assert "font: false" in config and "- offline" in config and "- privacy" in config
    home = (real_site.root / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/vendor/iframe-worker/shim.js"' in home
    assert "fonts.googleapis" not in home and "unpkg.com" not in home


def test_no_unsafe_link_or_inline_handler_anywhere(real_site: RealSite) -> None:
    for path in html_pages(real_site.root):
        for tag, attr, value in parse_page(path).attrs:
            assert not attr.startswith("on"), f"{path}: <{tag} {attr}>"
            if attr in {"href", "src", "xlink:href"}:
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), f"{path}: {value}"


def test_downloads_parse(real_site: RealSite) -> None:
    downloads = real_site.root / "downloads"
    json.loads((downloads / "kb.json").read_text(encoding="utf-8"))
    json.loads((downloads / "graph.json").read_text(encoding="utf-8"))
    ET.parse(downloads / "graph.graphml")
    schemas = sorted(p.name for p in (downloads / "schemas").glob("*.schema.json"))
    assert {f"{kind}.schema.json" for kind in FOLDERS} <= set(schemas)
    page = (real_site.root / "downloads.html").read_text(encoding="utf-8")
    for name in ["kb.json", "graph.json", "graph.graphml", *schemas]:
        assert f'href="downloads/{name}"' in page or f'href="downloads/schemas/{name}"' in page


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file()
    }


def test_two_builds_are_byte_identical(real_site: RealSite, tmp_path: Path) -> None:
    again = build(real_site.kb, tmp_path / "site", strict=False)
    assert again.returncode == 0, again.output
    assert _digest(again.site) == _digest(real_site.root)


def test_hostile_entries_are_inert_on_the_built_site(tmp_path: Path) -> None:
    result = build(hostile_kb(tmp_path / "kb"), tmp_path / "site", strict=False)
    assert result.returncode == 0, result.output
    for path in html_pages(result.site):
        html = path.read_text(encoding="utf-8")
        for needle in ("<script>alert", "<img src=x", "<svg onload", "<b onmouseover", "<iframe", "<style>body"):
            assert needle not in html, f"{path.name}: {needle}"
        assert "</title><script>" not in html
        for tag, attr, value in parse_page(path).attrs:
            assert not attr.startswith("on"), f"{path.name}: <{tag} {attr}={value}>"
    page = (result.site / "practices" / "read-the-reference-code.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;body&#x27;)" in page or "&lt;script&gt;alert('body')" in page
    assert "--8&lt;--" in page  # the snippet marker stayed text, nothing was included
    assert page.count("<h1") == 1


def test_a_kb_with_errors_stops_the_build_with_findings_not_a_traceback(tmp_path: Path) -> None:
    result = build(hostile_kb(tmp_path / "kb", unsafe_links=True), tmp_path / "site")
    assert result.returncode != 0
    assert "error[unsafe-url]" in result.output and "Traceback" not in result.output


def test_a_failed_build_leaves_the_previous_site_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous build", encoding="utf-8")
    broken = hostile_kb(tmp_path / "kb", unsafe_links=True)
    code = build_site(site, config=CONFIG, quiet=True, env={"KB_DIR": str(broken)})
    assert code != 0
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "previous build"
    assert not (tmp_path / ".site-build").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if needle in _fetch(url):
            return True
        time.sleep(0.5)
    return False


def test_serve_rebuilds_when_an_entry_changes(tmp_path: Path) -> None:
    kb = hostile_kb(tmp_path / "kb")
    port = _free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "-f", str(CONFIG), "-a", f"127.0.0.1:{port}"]
    env = build_env({"KB_DIR": str(kb)})
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/kb/stages/analysis.html"
        assert _wait_for(url, "<h1>Analysis</h1>", 60)
        entry = kb / "stages" / "analysis.yaml"
        entry.write_text(entry.read_text(encoding="utf-8").replace("title: Analysis", "title: Analysis edited"))
        assert _wait_for(url, "<h1>Analysis edited</h1>", 60)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_generated_pages_never_shadow_hand_written_docs(real_site: RealSite) -> None:
    docs = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()}
    assert docs & set(render_build(real_site.checked, BuildInfo())) == set()
    assert not (ROOT / "docs" / "practices").exists()  # generated pages are never committed
