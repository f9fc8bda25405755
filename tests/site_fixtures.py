"""Helpers for the site tests: build with MkDocs, serve, parse, check links.

The real KB is copied before a build (other people edit kb/ while tests
run); fixture KBs are the base fixture with edits, e.g. hostile entries.
"""

from __future__ import annotations

import functools
import http.server
import json
import posixpath
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.write.sitebuild import build_env, mkdocs_command
from tests.conftest import BASE_KB, ROOT

CONFIG = ROOT / "mkdocs.yml"
#: Path of site_url in mkdocs.yml: the 404 page links absolutely from there.
SITE_PATH = "/kb/"


@dataclass(frozen=True)
class BuildResult:
    """What one MkDocs build produced."""

    site: Path
    returncode: int
    output: str


def snapshot_kb(target: Path, source: Path = ROOT / "kb") -> Path:
    """Copy a KB folder (so concurrent edits cannot change it mid-test)."""
    shutil.copytree(source, target)
    return target


def build(kb: Path, site: Path, *, strict: bool = True) -> BuildResult:
    """Build the site from ``kb`` into ``site`` with the repository's mkdocs.yml."""
    command = mkdocs_command(CONFIG, site, strict=strict)
    env = build_env({"KB_DIR": str(kb)})
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return BuildResult(site, result.returncode, result.stdout + result.stderr)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------ parsing

LINK_ATTRS = {"href", "src", "xlink:href", "action", "poster", "data"}


@dataclass
class PageRefs:
    """The ids, outgoing references (tag, attribute, value) and elements of one HTML page."""

    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, str, str]] = field(default_factory=list)
    attrs: list[tuple[str, str, str]] = field(default_factory=list)
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageRefs()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append((tag, {name: value or "" for name, value in attrs}))
        for name, value in attrs:
            value = value or ""
            self.page.attrs.append((tag, name, value))
            if name in ("id", "name") and tag != "meta":
                self.page.ids.add(value)
            elif name in LINK_ATTRS:
                self.page.refs.append((tag, name, value))


def parse_page(path: Path) -> PageRefs:
    """Ids and references of one built HTML file."""
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


def html_pages(site: Path) -> list[Path]:
    """Every HTML file of a built site, sorted."""
    return sorted(site.rglob("*.html"))


def is_external(url: str) -> bool:
    """Whether a URL points off the site (has a scheme or is protocol-relative)."""
    return bool(urlsplit(url).scheme) or url.startswith("//")


def broken_links(site: Path) -> list[str]:
    """Internal links (and anchors) of every page that do not resolve, as messages."""
    pages = {p: parse_page(p) for p in html_pages(site)}
    problems = []
    for path, page in pages.items():
        rel = path.relative_to(site).as_posix()
        for tag, attr, url in page.refs:
            if not url or is_external(url) or tag == "meta":
                continue
            parts = urlsplit(url)
            if parts.path.startswith(SITE_PATH):
                parts = parts._replace(
                    path=posixpath.relpath(parts.path, posixpath.join(SITE_PATH, posixpath.dirname(rel)))
                )
            if parts.path.startswith("/"):
                problems.append(f"{rel}: <{tag} {attr}={url!r}> is an absolute path outside the site")
                continue
            if parts.path:
                target_rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path)))
                target = site / target_rel
                if target.is_dir():
                    target = target / "index.html"
            else:
                target = path
            if not target.exists():
                problems.append(f"{rel}: <{tag} {attr}={url!r}> points to a missing file")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in pages[target].ids:
                problems.append(f"{rel}: <{tag} {attr}={url!r}> points to a missing anchor")
    return problems


def search_index(site: Path) -> dict[str, Any]:
    """The built search index: ``search_index.js`` (written once, as a script) or ``search_index.json``."""
    script = site / "search" / "search_index.js"
    if script.is_file():
        return json.loads(script.read_text(encoding="utf-8").removeprefix("var __index = "))  # type: ignore[no-any-return]
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def search_locations(site: Path) -> set[str]:
    """Page URLs (without anchors) in the built search index."""
    index = search_index(site)
    return {doc["location"].split("#", 1)[0] for doc in index["docs"]}


# ------------------------------------------------------------------ hostile KB

HOSTILE_TITLE = '"><img src=x onerror=alert(1)> </title><script>alert(2)</script> {: onclick=alert(3) } \\'
HOSTILE_BODY = "\n\n".join(
    [
        "Body with <script>alert('body')</script> and <img src=x onerror=alert('img')>.",
        "[relative link](../practices/nowhere.html) [mail](mailto:a@example.org)",
        "![tracking pixel](http://evil.example/pixel.png) <iframe src='http://evil.example'></iframe>",
        "Paragraph with attr list trick",
        "{: onclick=\"alert('attr')\" }",
        '--8<-- "README.md"',
        "# A heading that must not become the page title",
        "| pipe | table | `back``tick` [bracket] \\",
    ]
)


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


HOSTILE_RATIONALE = "Rationale <b onmouseover=alert(5)>bold</b> and <a href='#top' onclick=alert(6)>raw link</a> text"
HOSTILE_STEP = "Step <svg onload=alert(7)> with `code` and <style>body{display:none}</style> \\"
#: Links the validator rejects (unsafe-url); the renderers must drop them too.
UNSAFE_LINKS = "[js](javascript:alert('js')) [JS](JaVaScRiPt:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)"
HOSTILE_CHALLENGE = 'Quote " and <em>tags</em> & ampersand \\'


def hostile_kb(target: Path, *, unsafe_links: bool = False) -> Path:
    """The base fixture KB with hostile text in every field that reaches a page.

    With ``unsafe_links`` the body also holds ``javascript:``/``data:`` links,
    which validation rejects (so such a KB cannot be built, only rendered).
    """
    shutil.copytree(BASE_KB, target)
    practice = target / "practices" / "read-the-reference-code.yaml"
    text = practice.read_text(encoding="utf-8")
    replacements = {
        "title: Read the reference code": "title: " + _yaml_str(HOSTILE_TITLE),
        "rationale: Papers omit settings that the released code depends on.": (
            "rationale: "
            + _yaml_str(HOSTILE_RATIONALE)
            + "\nbody: "
            + _yaml_str(HOSTILE_BODY + ("\n\n" + UNSAFE_LINKS if unsafe_links else ""))
        ),
        "  - Diff the paper's hyperparameter table against the code's defaults.": "  - " + _yaml_str(HOSTILE_STEP),
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    practice.write_text(text, encoding="utf-8")
    challenge = target / "challenges" / "under-documented-reference-model.yaml"
    text = challenge.read_text(encoding="utf-8")
    text = text.replace("title: Under-documented reference model", "title: " + _yaml_str(HOSTILE_CHALLENGE))
    challenge.write_text(text, encoding="utf-8")
    return target
