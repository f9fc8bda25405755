"""A 1x run of ``make bench``, so the benchmark cannot rot unnoticed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synthkb import make_kb

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "bench.py"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_synthetic_kb_is_deterministic_and_scales(tmp_path: Path) -> None:
    one = make_kb(ROOT / "kb", tmp_path / "a", 2)
    make_kb(ROOT / "kb", tmp_path / "b", 2)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert one > len(list((ROOT / "kb").rglob("*.yaml")))
    clone = next((tmp_path / "a" / "practices").glob("*-x1.yaml")).read_text(encoding="utf-8")
    assert "(copy 1)" in clone


def _bench(tmp_path: Path, stages: str) -> dict:
    out = tmp_path / "results.json"
    command = [sys.executable, str(BENCH), "--scales", "1", "--rounds", "1", "--stages", stages]
    result = subprocess.run(
        [*command, "--work", str(tmp_path), "--json", str(out)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("| stage |")
    return json.loads(out.read_text())["summary"]["1"]


def test_bench_smoke_checks(tmp_path: Path) -> None:
    row = _bench(tmp_path, "validate,checklist,graph")
    for stage in ("validate", "checklist", "graph"):
        assert row[stage]["ratio"] > 1, stage


@pytest.mark.site
def test_bench_smoke_site_and_serve(tmp_path: Path) -> None:
    row = _bench(tmp_path, "site,serve")
    assert row["site"]["ratio"] > 0
    assert row["site"]["bytes_per_entity"] > 0
    # where the bytes go adds up to the whole, and every kind of output is seen
    breakdown = row["site"]["breakdown_per_entity"]
    assert sum(breakdown.values()) == pytest.approx(row["site"]["bytes_per_entity"])
    assert all(size > 0 for size in breakdown.values()), breakdown
    # issue 15's page-weight budgets, on the real KB: they were passed once by
    # content growth alone, unnoticed until a bench run
    assert row["site"]["search_index_gz_per_entity"] <= 1000
    assert row["site"]["largest_page_bytes"] <= 1_000_000, row["site"]["largest_page"]
    assert row["serve"]["seconds"] > 0


def test_output_categories_sort_pages_and_files() -> None:
    from benchmarks.bench import OUTPUT_CATEGORIES, output_category

    def kind(path: str) -> int:
        return OUTPUT_CATEGORIES.index(output_category(Path(path)))

    assert kind("practices/p.html") == kind("scenarios/s.html") == 1
    assert kind("practices/index.html") == kind("practices/index/2.html") == kind("index.html") == 4
    assert kind("checklists/pytorch-to-onnx-runtime/3.html") == kind("checklists/s.html") == 2
    assert kind("checklists/index.html") == 4
    assert kind("print.html") == kind("print/2.html") == 3
    assert kind("checklists/index.data.js") == 5
    assert kind("downloads/tables/practices.csv") == 6
    assert kind("search/search_index.js") == 7
    assert kind("assets/javascripts/bundle.js") == 8
    assert kind("sitemap.xml") == kind("tags.json") == 9


def test_core_is_entity_pages_whole_kb_downloads_builder_data_and_search() -> None:
    from benchmarks.bench import in_core

    core = [
        "practices/p.html",
        "scenarios/s.html",
        "downloads/kb.json",
        "downloads/graph.json",
        "downloads/graph.graphml",
        "downloads/schemas/practice.schema.json",
        "checklists/index.data.js",
        "search/search_index.js",
    ]
    outside = [
        "practices/index.html",
        "checklists/s.html",
        "print.html",
        "downloads/tables/practices.csv",
        "downloads/datapackage.json",
        "downloads/kb.json.bak",
        "downloads/schemas.txt",
        "coverage.html",
        "assets/javascripts/bundle.js",
        "sitemap.xml",
    ]
    assert [p for p in core if not in_core(Path(p))] == []
    assert [p for p in outside if in_core(Path(p))] == []
