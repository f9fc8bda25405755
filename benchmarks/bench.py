"""``make bench``: every stage of the build timed against its floor, at 1x, 10x and 30x.

The knowledge bases are the real ``kb/`` cloned with new ids
(:mod:`benchmarks.synthkb`). Each stage runs in a fresh process (so no
cache of one run helps the next) and is timed against a *floor* measured
in the same round, on the same bytes:

=============  ============================================  ==========================================
stage          what is timed                                 floor
=============  ============================================  ==========================================
validate       ``check_folder`` (read, strict YAML, schema,  the same YAML bytes through PyYAML's C
               rules, graph)                                 loader (``yaml.load(CSafeLoader)``) and the
                                                             bibliography through ``bibtexparser``
checklist      check + every scenario's checklist in every   the C-loader parse
               export format (what ``checklist`` writes)
graph          check + the graph as JSON and GraphML         the C-loader parse
site           ``mkdocs build --strict`` with the hook       a plain ``mkdocs build`` (no hook) of the
                                                             same generated pages
serve          ``mkdocs serve``: one entry's summary edited  (none: seconds, the target is < 3 s at 1x
               until the new text is served                  and < 10 s at 10x)
=============  ============================================  ==========================================

The machine is shared and noisy: stages and floors are compared by CPU
time (user + system of the process and the children it waited for, e.g.
Graphviz), which other people's jobs barely move, where wall time moved by
2-5x; serve latency is wall time (what a person waits). Rounds are
interleaved (every stage and floor of every scale once, then again) and the
table shows medians. Diagrams are cached in ``.cache/diagrams/`` across
builds, so rounds after the first see a warm cache, as a second ``make
site`` does. The
growth exponent of a stage between two scales is
``log(t2 / t1) / log(n2 / n1)`` (1.0 is linear in the number of entities).

Run: .venv/bin/python benchmarks/bench.py [--scales 1,10,30] [--rounds 3]
     [--stages validate,checklist,graph,site,serve] [--json .bench/results.json]
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import itertools
import json
import math
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthkb import make_kb  # noqa: E402
from generator.models import FOLDERS  # noqa: E402

STAGES = ("validate", "checklist", "graph", "site", "serve")
FLOOR = {"validate": "parse", "checklist": "parse", "graph": "parse", "site": "mkdocs"}


# --------------------------------------------------------------------------- workers
# Each worker runs in its own process: ``bench.py _worker NAME KB OUT`` prints
# one JSON object (seconds, peak RSS) on stdout.


def _yaml_files(kb: Path) -> list[Path]:
    return sorted(kb.rglob("*.yaml"))


def work_parse(kb: Path, out: Path) -> dict[str, Any]:
    """The floor of reading the KB: its YAML through the C loader and its bibliography through bibtexparser."""
    import bibtexparser
    import yaml

    start, cpu = time.perf_counter(), time.process_time()
    for path in _yaml_files(kb):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    bibtexparser.parse_string((kb / "references.bib").read_text(encoding="utf-8"))
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def work_validate(kb: Path, out: Path) -> dict[str, Any]:
    from generator.pipeline import check_folder

    start, cpu = time.perf_counter(), time.process_time()
    checked = check_folder(kb)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    errors = [f for f in checked.findings if f.severity.name == "ERROR"]
    assert not errors, errors[:3]
    return {"seconds": seconds, "cpu": cpu, "entities": len(checked.kb.entries)}


def work_checklist(kb: Path, out: Path) -> dict[str, Any]:
    from generator.checklist import compose, export
    from generator.pipeline import check_folder

    start, cpu = time.perf_counter(), time.process_time()
    checked = check_folder(kb)
    middle = time.perf_counter()
    size = 0
    for scenario in checked.kb.of_type("scenario"):
        checklist = compose.compose(checked, compose.Query(scenario=scenario.id), commit="bench")
        for fmt in export.FORMATS:
            size += len(export.export(checklist, fmt))
    end = time.perf_counter()
    return {"seconds": end - start, "cpu": time.process_time() - cpu, "export_seconds": end - middle, "bytes": size}


def work_graph(kb: Path, out: Path) -> dict[str, Any]:
    from generator.pipeline import check_folder
    from generator.render.exports import graph_graphml, graph_json

    start, cpu = time.perf_counter(), time.process_time()
    checked = check_folder(kb)
    middle = time.perf_counter()
    size = len(graph_json(checked.graph)) + len(graph_graphml(checked.graph))
    end = time.perf_counter()
    return {"seconds": end - start, "cpu": time.process_time() - cpu, "export_seconds": end - middle, "bytes": size}


def work_pages(kb: Path, out: Path) -> dict[str, Any]:
    """Write the docs folder a plain MkDocs build of the generated pages needs (the site floor)."""
    from generator.write.mkdocs_hooks import generated_files

    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(ROOT / "docs", out)
    for path, content in generated_files(kb).items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return {"seconds": 0.0}


WORKERS = {
    "parse": work_parse,
    "validate": work_validate,
    "checklist": work_checklist,
    "graph": work_graph,
    "pages": work_pages,
}


def worker_main(name: str, kb: str, out: str) -> None:
    result = WORKERS[name](Path(kb), Path(out))
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# --------------------------------------------------------------------------- runners


def run_child(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``command``; return (wall seconds, peak RSS in MB of it and its children, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}):\n{stderr.decode()[-3000:]}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, rss, stdout.decode()


def run_worker(name: str, kb: Path, out: Path) -> dict[str, Any]:
    _, _, stdout = run_child([sys.executable, __file__, "_worker", name, str(kb), str(out)], env=_env())
    return json.loads(stdout.strip().splitlines()[-1])


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def floor_config(docs: Path, dest: Path) -> Path:
    """``mkdocs.yml`` without the hook, reading the pre-generated ``docs`` folder."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^hooks:\n(  - .*\n)+", "", text, flags=re.MULTILINE)
    text = text.replace("docs_dir: docs", f"docs_dir: {docs}")
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = text.replace("[!relative $config_dir]", f"[{ROOT}]")
    dest.write_text(text, encoding="utf-8")
    return dest


def _peak_rss_of(proc: subprocess.Popen[bytes]) -> tuple[int, float, float]:
    """Exit code, peak RSS (MB) and CPU seconds (user + system, its waited-for children included)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def mkdocs_build(config: Path, site: Path, kb: Path, *, strict: bool) -> dict[str, Any]:
    """One ``mkdocs build``: wall seconds and peak RSS (of that process alone)."""
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    command.append("--strict" if strict else "--no-strict")
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=_env(KB_DIR=str(kb)), stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    code, rss, cpu = _peak_rss_of(proc)
    seconds = time.perf_counter() - start
    if code != 0:
        raise RuntimeError(f"mkdocs build failed ({code}):\n{stderr.decode()[-3000:]}")
    return {"seconds": seconds, "cpu": cpu, "max_rss_mb": rss}


#: Where the output's bytes go (:func:`output_category`), in the order the table lists them.
OUTPUT_CATEGORIES = (
    "page chrome (theme header, navigation, footer)",
    "entity pages, content",
    "scenario checklist pages, content",
    "print pages, content",
    "other pages, content",
    "checklist builder data",
    "downloads (kb.json, graph, CSV, schemas)",
    "search index",
    "theme and vendored assets",
    "other files (sitemap, feed, tags.json)",
)


def output_category(relative: Path) -> str:
    """Which of :data:`OUTPUT_CATEGORIES` a non-page file (or a page's content) belongs to."""
    top = relative.parts[0] if len(relative.parts) > 1 else ""
    if relative.suffix == ".html":
        if top in FOLDERS.values() and relative.name != "index.html" and "index" not in relative.parts[1:-1]:
            return OUTPUT_CATEGORIES[1]
        if top == "checklists" and relative.name != "index.html":
            return OUTPUT_CATEGORIES[2]
        if top == "print" or (relative.name == "print.html" and not top):
            return OUTPUT_CATEGORIES[3]
        return OUTPUT_CATEGORIES[4]
    if top == "checklists" and relative.name.endswith(".data.js"):
        return OUTPUT_CATEGORIES[5]
    return {"downloads": OUTPUT_CATEGORIES[6], "search": OUTPUT_CATEGORIES[7], "assets": OUTPUT_CATEGORIES[8]}.get(
        top, OUTPUT_CATEGORIES[9]
    )


#: The whole-KB downloads the project was designed around (the KB as JSON, the
#: graph as node-link JSON and GraphML, the JSON Schemas); the CSV tables,
#: ``datapackage.json`` and ``references.bib`` came later and are left out.
CORE_DOWNLOADS = ("downloads/kb.json", "downloads/graph.json", "downloads/graph.graphml", "downloads/schemas/")


def in_core(relative: Path, category: str | None = None) -> bool:
    """Whether a file is part of the site's core: what no build can drop without dropping a designed feature.

    The core is every entity page (with its chrome), the whole-KB downloads of
    :data:`CORE_DOWNLOADS`, the checklist builder's data and the search index.
    Index pages, the workflow, coverage and taxonomy pages, scenario checklists,
    print pages and CSV tables are outside it, so the core is a lower bound on
    what a complete site weighs, not an estimate of it. ``category`` is the
    file's :func:`output_category` when the caller already has it.
    """
    if category is None:
        category = output_category(relative)
    if category in (OUTPUT_CATEGORIES[1], OUTPUT_CATEGORIES[5], OUTPUT_CATEGORIES[7]):
        return True
    name = relative.as_posix()
    return any(name == core or (core.endswith("/") and name.startswith(core)) for core in CORE_DOWNLOADS)


def site_sizes(site: Path, entities: int) -> dict[str, Any]:
    """Output bytes per entity, where they go, the largest page and what a first visit fetches.

    A page's bytes outside its ``<article>`` are the theme's chrome (the same
    on every page); the rest is the page's content, by kind of page.
    """
    total = 0
    core = 0
    largest = (0, "")
    breakdown = dict.fromkeys(OUTPUT_CATEGORIES, 0)
    for path in site.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            relative = path.relative_to(site)
            category = output_category(relative)
            if in_core(relative, category):
                core += size
            if path.suffix == ".html":
                largest = max(largest, (size, str(relative)))
                page = path.read_bytes()
                start, end = page.find(b"<article"), page.find(b"</article>")
                content = end - start if 0 <= start < end else size
                breakdown[OUTPUT_CATEGORIES[0]] += size - content
                breakdown[category] += content
            else:
                breakdown[category] += size
    index = site / "search" / "search_index.js"
    if not index.exists():
        index = site / "search" / "search_index.json"
    index_gz = len(gzip.compress(index.read_bytes(), 9, mtime=0)) if index.exists() else 0
    return {
        "output_bytes": total,
        "bytes_per_entity": total / entities,
        "breakdown_per_entity": {category: size / entities for category, size in breakdown.items()},
        "core_bytes_per_entity": core / entities,
        "largest_page_bytes": largest[0],
        "largest_page": largest[1],
        "search_index_gz_per_entity": index_gz / entities,
        "first_visit": {page: first_visit_bytes(site, page) for page in FIRST_VISIT_PAGES if (site / page).exists()},
    }


FIRST_VISIT_PAGES = ("index.html", "checklists/pytorch-to-onnx-runtime.html", "workflow.html", "coverage.html")
_ASSET = re.compile(r"""(?<=\s)(?:src|href)="([^"#?]+)(?:\?[^"]*)?\"""")


def first_visit_bytes(site: Path, page: str) -> int:
    """Gzipped bytes of ``page`` and the local scripts, styles and images it references (no search index).

    What a browser transfers on a first visit with an empty cache, over a
    server that compresses text (as GitHub Pages does).
    """
    html = (site / page).read_text(encoding="utf-8")
    seen: set[Path] = set()
    total = len(gzip.compress(html.encode(), 6, mtime=0))
    for ref in _ASSET.findall(html):
        if ref.startswith(("http:", "https:", "data:", "mailto:")) or not ref.endswith(
            (".js", ".css", ".svg", ".png", ".woff2", ".json", ".ico")
        ):
            continue
        path = ((site / page).parent / ref).resolve()
        if path in seen or not path.is_file() or "search_index" in path.name:
            continue
        seen.add(path)
        total += len(gzip.compress(path.read_bytes(), 6, mtime=0))
    return total


def serve_edit(kb: Path, workdir: Path, edits: int = 2) -> dict[str, Any]:
    """Start ``mkdocs serve``, edit one practice's summary, time until the page shows the new text."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    practice = sorted((kb / "practices").glob("*.yaml"))[0]
    url = f"http://127.0.0.1:{port}{_site_path()}practices/{practice.stem}.html"
    log = (workdir / "serve.log").open("wb")
    # What `make serve` runs (an older tree without that target: a plain `mkdocs serve`).
    incremental = "KB_SERVE_INCREMENTAL=1" in (ROOT / "Makefile").read_text(encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    command += ["--dirty", "--no-strict"] if incremental else []
    env = _env(KB_DIR=str(kb), **({"KB_SERVE_INCREMENTAL": "1"} if incremental else {}))
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    original = practice.read_text(encoding="utf-8")
    try:
        first = _wait_for(url, None, proc, timeout=1800) - start
        latencies = []
        for n in range(edits):
            token = f"benchedit{n}x{int(time.time())}"
            time.sleep(1.0)  # a clear gap after the previous build, as a person editing would leave
            practice.write_text(
                re.sub(r"^summary: (>-\n  )?", rf"summary: \g<1>{token} ", original, count=1, flags=re.M)
            )
            edited = time.perf_counter()
            latencies.append(_wait_for(url, token, proc, timeout=900) - edited)
    finally:
        practice.write_text(original, encoding="utf-8")
        os.killpg(proc.pid, 15)
        proc.wait()
        log.close()
    return {"first_build_seconds": first, "seconds": statistics.median(latencies), "all": latencies}


def _site_path() -> str:
    """The path ``mkdocs serve`` mounts the site at: the path of ``site_url``."""
    match = re.search(r"^site_url: *(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    path = urllib.parse.urlsplit(match.group(1)).path if match else "/"
    return path if path.endswith("/") else path + "/"


def _wait_for(url: str, token: str | None, proc: subprocess.Popen[bytes], timeout: float) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited ({proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8", "replace")
            if token is None or token in body:
                return time.perf_counter()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {url}")


# --------------------------------------------------------------------------- the benchmark


def prepare(scale: int, work: Path) -> tuple[Path, int]:
    kb = work / f"kb-{scale}x"
    make_kb(ROOT / "kb", kb, scale)
    entities = len([p for p in kb.rglob("*.yaml") if p.parent != kb])
    return kb, entities


def one_round(scale: int, kb: Path, entities: int, stages: list[str], work: Path) -> dict[str, dict[str, Any]]:
    row: dict[str, dict[str, Any]] = {}
    needs_parse = any(FLOOR.get(s) == "parse" for s in stages)
    if needs_parse:
        row["parse"] = run_worker("parse", kb, work)
    for stage in ("validate", "checklist", "graph"):
        if stage in stages:
            row[stage] = run_worker(stage, kb, work)
    if "site" in stages:
        docs = work / f"floor-docs-{scale}x"
        run_worker("pages", kb, docs)
        config = floor_config(docs, work / f"floor-mkdocs-{scale}x.yml")
        site = work / f"site-{scale}x"
        row["site"] = mkdocs_build(ROOT / "mkdocs.yml", site, kb, strict=True)
        row["site"].update(site_sizes(site, entities))
        row["mkdocs"] = mkdocs_build(config, work / f"floor-site-{scale}x", kb, strict=False)
    if "serve" in stages:
        row["serve"] = serve_edit(kb, work)
    return row


def median_of(rounds: list[dict[str, Any]], stage: str, key: str = "seconds") -> float | None:
    values = [r[stage][key] for r in rounds if stage in r and key in r[stage]]
    return statistics.median(values) if values else None


def summarise(results: dict[int, dict[str, Any]], stages: list[str]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for scale, res in results.items():
        rounds = res["rounds"]
        row: dict[str, Any] = {"entities": res["entities"]}
        for stage in stages:
            seconds = median_of(rounds, stage)
            if seconds is None:
                continue
            cell: dict[str, Any] = {"seconds": seconds, "max_rss_mb": median_of(rounds, stage, "max_rss_mb")}
            cell["cpu"] = median_of(rounds, stage, "cpu")
            floor = FLOOR.get(stage)
            if floor is not None:
                cell["floor_cpu"] = median_of(rounds, floor, "cpu")
                ratios = [r[stage]["cpu"] / r[floor]["cpu"] for r in rounds if stage in r and floor in r]
                cell["ratio"] = statistics.median(ratios)
            summary_extra = rounds[-1][stage]
            for key in (
                "bytes_per_entity",
                "breakdown_per_entity",
                "core_bytes_per_entity",
                "largest_page_bytes",
                "largest_page",
                "search_index_gz_per_entity",
                "first_visit",
                "first_build_seconds",
                "export_seconds",
            ):
                if key in summary_extra:
                    cell[key] = summary_extra[key]
            row[stage] = cell
        summary[str(scale)] = row
    scales = sorted(results)
    growth: dict[str, dict[str, float]] = {}
    for a, b in itertools.pairwise(scales):
        na, nb = results[a]["entities"], results[b]["entities"]
        for stage in [*stages, "parse", "mkdocs"]:
            key = "seconds" if stage == "serve" else "cpu"
            ta, tb = median_of(results[a]["rounds"], stage, key), median_of(results[b]["rounds"], stage, key)
            if ta and tb:
                growth.setdefault(stage, {})[f"{a}x->{b}x"] = math.log(tb / ta) / math.log(nb / na)
    summary["growth"] = growth
    return summary


def print_table(summary: dict[str, Any], stages: list[str]) -> None:
    scales = [k for k in summary if k != "growth"]
    head = ["stage"] + [f"{s}x ({summary[s]['entities']} entities)" for s in scales] + ["growth"]
    lines = [head, ["---"] * len(head)]
    for stage in stages:
        cells = [stage]
        for s in scales:
            cell = summary[s].get(stage)
            if cell is None:
                cells.append("-")
            elif "ratio" in cell:
                cells.append(f"{cell['ratio']:.2f}x floor ({cell['cpu']:.2f} / {cell['floor_cpu']:.2f} CPU s)")
            else:
                cells.append(f"{cell['seconds']:.2f} s wall")
        cells.append(", ".join(f"{k}: {v:.2f}" for k, v in summary["growth"].get(stage, {}).items()) or "-")
        lines.append(cells)
    extra = [
        ("peak RSS, MB", lambda c: f"{c['max_rss_mb']:.0f}", "site"),
        ("site output, KB per entity", lambda c: f"{c['bytes_per_entity'] / 1024:.1f}", "site"),
        (
            "  of it the core (entity pages, kb.json, graph, schemas, builder data, search), KB per entity",
            lambda c: f"{c['core_bytes_per_entity'] / 1024:.1f}",
            "site",
        ),
        ("largest page, KB", lambda c: f"{c['largest_page_bytes'] / 1024:.0f} ({c['largest_page']})", "site"),
        ("search index gz, B per entity", lambda c: f"{c['search_index_gz_per_entity']:.0f}", "site"),
        (
            "first visit gz, KB (home / checklist)",
            lambda c: " / ".join(f"{v / 1024:.0f}" for v in c["first_visit"].values()),
            "site",
        ),
        ("serve: first build, s", lambda c: f"{c['first_build_seconds']:.1f}", "serve"),
    ]
    for label, fmt, stage in extra:
        if stage not in stages:
            continue
        cells = [label]
        for s in scales:
            cell = summary[s].get(stage)
            try:
                cells.append(fmt(cell) if cell else "-")
            except KeyError:
                cells.append("-")
        cells.append("-")
        lines.append(cells)
    if "site" in stages:
        for category in OUTPUT_CATEGORIES:
            cells = [f"  {category}, KB per entity"]
            for s in scales:
                per = (summary[s].get("site") or {}).get("breakdown_per_entity", {})
                cells.append(f"{per[category] / 1024:.1f}" if category in per else "-")
            cells.append("-")
            lines.append(cells)
    for line in lines:
        print("| " + " | ".join(line) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "1,10,30"))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")))
    parser.add_argument("--stages", default=os.environ.get("BENCH_STAGES", ",".join(STAGES)))
    parser.add_argument("--work", type=Path, default=ROOT / ".bench")
    parser.add_argument("--json", type=Path, default=None, help="default: WORK/results.json")
    parser.add_argument("--big-rounds", type=int, default=1, help="rounds at scales above 10x (slow)")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    stages = [s for s in args.stages.split(",") if s]
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages: {sorted(unknown)}")
    args.work.mkdir(parents=True, exist_ok=True)
    prepared = {scale: prepare(scale, args.work) for scale in scales}
    results: dict[int, dict[str, Any]] = {s: {"entities": prepared[s][1], "rounds": []} for s in scales}
    for n in range(args.rounds):
        for scale in scales:
            if scale > 10 and n >= args.big_rounds:
                continue
            kb, entities = prepared[scale]
            print(f"round {n + 1}/{args.rounds}, {scale}x ...", file=sys.stderr, flush=True)
            results[scale]["rounds"].append(one_round(scale, kb, entities, stages, args.work))
    summary = summarise(results, stages)
    print_table(summary, stages)
    out = args.json or args.work / "results.json"
    meta = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()} {platform.release()}",
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "scales": scales,
        "rounds": args.rounds,
    }
    out.write_text(json.dumps({"meta": meta, "summary": summary, "raw": results}, indent=2, default=str))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_worker":
        worker_main(*sys.argv[2:5])
    else:
        main()
