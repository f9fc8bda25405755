"""No page grows with the square of the KB: a scaled KB, built with thresholds scaled alike (issue 15).

The target is every page at most 1 MB with 30 times today's KB. Building
30x takes minutes, so this builds 3x with every threshold that splits or
caps a page divided by ten (the factor from 3x to 30x), through the real
MkDocs build and hook, and holds each page to a tenth of the limit plus
the theme's frame (the 404 page: navigation and scripts, which do not grow
with the KB). Every part must also be reachable and every link resolve,
tag anchors on the tags page's parts included.
"""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from benchmarks.synthkb import make_kb
from generator.write.sitebuild import build_env
from tests.conftest import ROOT
from tests.site_fixtures import CONFIG, broken_links, html_pages, is_external, parse_page

pytestmark = pytest.mark.site

SCALE = 3
#: Every threshold that keeps a page from growing with the KB, at a tenth of its value.
THRESHOLDS: dict[str, dict[str, int]] = {
    "generator.render.checklists": {"CHECKLIST_PART_ITEMS": 40},
    "generator.render.printable": {"PRINT_PART_CHARS": 40_000},
    "generator.render.indexes": {"INDEX_PART_ROWS": 20},
    "generator.render.bibliography": {"CITED_BY_MAX_TOTAL": 100, "CITED_BY_SHOWN": 1},
    "generator.render.matrix": {"MAX_CELLS": 6},
    "generator.render.workflow": {"LIST_MAX_PER_STAGE": 6, "MAX_PER_STAGE": 2},
    "generator.render.coverage": {"MATRIX_MAX_COLUMNS": 4, "PART_ROWS": 20},
    "generator.render.taxonomy": {"PART_TYPES": 15},
    "generator.render.context": {"TAGS_PART_ENTRIES": 250},
    "generator.render.relations": {"MAX_LINKS": 20},
    "generator.urls": {"REFERENCES_PART": 35},
}
#: MkDocs in a process whose generator modules carry the scaled thresholds (the hook imports them).
RUNNER = """
import importlib, json, sys
for module, values in json.loads(sys.argv[1]).items():
    for name, value in values.items():
        assert hasattr(importlib.import_module(module), name), (module, name)
        setattr(importlib.import_module(module), name, value)
from mkdocs.__main__ import cli
cli(["build", "--strict", "-q", "-f", sys.argv[2], "-d", sys.argv[3]])
"""
LIMIT = 1_000_000 * SCALE // 30


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scaled")
    make_kb(ROOT / "kb", root / "kb", SCALE)
    command = [sys.executable, "-c", RUNNER, json.dumps(THRESHOLDS), str(CONFIG), str(root / "site")]
    env = build_env({"KB_DIR": str(root / "kb")})
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_no_page_passes_the_scaled_limit(site: Path) -> None:
    frame = (site / "404.html").stat().st_size
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in html_pages(site)}
    assert {p: s for p, s in sizes.items() if s > LIMIT + frame} == {}


def test_cited_by_lists_are_capped(site: Path) -> None:
    parts = [site / "references.html", *site.glob("references/[0-9]*.html")]
    page = "".join(p.read_text(encoding="utf-8") for p in parts)
    entries = page.count('<div class="kb-bib__citedby">')
    bib = (site.parent / "kb" / "references.bib").read_text(encoding="utf-8")  # the synthetic KB's
    assert entries == len(re.findall(r"^@(?!string|comment|preamble)", bib, re.MULTILINE | re.IGNORECASE))
    assert page.count('class="kb-chip') <= entries * THRESHOLDS["generator.render.bibliography"]["CITED_BY_SHOWN"]
    assert page.count('class="kb-bib__more"') > 0


def test_every_kind_of_split_happened(site: Path) -> None:
    for part in [
        "print/2.html",
        "checklists/pytorch-to-onnx-runtime/2.html",
        "practices/index/2.html",
        "challenges/index/2.html",
        "defects/index/2.html",
        "coverage/2.html",
        "taxonomy/2.html",
        "tags/2.html",
        "references/2.html",
    ]:
        assert (site / part).is_file(), part
    assert list((site / "references").glob("ref-*.html"))
    assert "+" in (site / "matrix.html").read_text(encoding="utf-8").split("kb-cell--more", 1)[1][:400]


def test_every_page_is_reachable_and_every_link_resolves(site: Path) -> None:
    assert broken_links(site) == []
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        rel = todo.pop()
        for tag, _, url in parse_page(site / rel).refs:
            path = urlsplit(url).path
            if tag != "a" or not path or is_external(url) or path.startswith("/"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(path)))
            if target.endswith(".html") and target not in seen and (site / target).is_file():
                seen.add(target)
                todo.append(target)
    unreached = {p.relative_to(site).as_posix() for p in html_pages(site)} - seen - {"404.html"}
    assert unreached == set()
