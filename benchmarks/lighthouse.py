"""``make lighthouse``: Lighthouse mobile scores of the built site, served over HTTP.

Builds the real site (``mkdocs build --strict``) into a temporary folder,
serves it from a small static server on 127.0.0.1 that gzips text as a
real host does (``--no-gzip`` serves it raw, as ``python -m http.server``
does), and runs the pinned Lighthouse (``benchmarks/npm/package-lock.json``,
installed by ``npm ci`` into its git-ignored ``node_modules/``) against each page
with the default mobile form factor and simulated throttling (Moto G Power,
slow 4G, 4x CPU slowdown) in headless Chromium.

Each page runs ``--runs`` times (default 3) and the table shows the median
of every figure: Lighthouse's performance score moves by several points
between runs on a loaded 2-core machine. Every run's figures, the largest
contentful paint element and the failing audits go to ``--json``
(default ``.bench/lighthouse.json``).

Run: .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--pages index.html,...]
     [--site DIR (skip the build)] [--no-gzip] [--json .bench/lighthouse.json]
     [--reports DIR (every whole report)]
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import http.server
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "benchmarks" / "npm"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"

#: The pages issue 14 names: home, a practice, a scenario checklist, the workflow.
PAGES = (
    "index.html",
    "practices/check-converted-model-equivalence.html",
    "checklists/pytorch-to-onnx-runtime.html",
    "workflow.html",
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "first-contentful-paint": "FCP",
    "speed-index": "SI",
}
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage"
#: Types a static host compresses (GitHub Pages, Netlify, nginx's usual list).
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


# --------------------------------------------------------------------------- serving


def make_handler(root: Path, *, compress: bool) -> type[http.server.SimpleHTTPRequestHandler]:
    """A quiet static handler for ``root`` that gzips text when asked to."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def send_head(self) -> Any:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            ctype = self.guess_type(str(path))
            wants = "gzip" in self.headers.get("Accept-Encoding", "")
            if not (compress and wants and path.is_file() and ctype.startswith(GZIP_TYPES)):
                return super().send_head()
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return io.BytesIO(body)

    return Handler


def serve(root: Path, *, compress: bool) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` on a free local port from a daemon thread; returns the server and base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(root, compress=compress))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --------------------------------------------------------------------------- running


def build(dest: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--strict", "-q", "-d", str(dest)], cwd=ROOT, env=env, check=True)


def chrome_path() -> str:
    found = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        sys.exit("no Chromium found: install it (make browser-deps) or set CHROME_PATH")
    return found


def lighthouse(url: str, chrome: str, keep: Path | None = None) -> dict[str, Any]:
    """One Lighthouse run (mobile, default throttling); the figures we report and the failing audits.

    ``keep``: also write the whole report (JSON) there, to read the audits' details.
    """
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, env=dict(os.environ, CHROME_PATH=chrome), check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    if keep is not None:
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.write_text(done.stdout)
    audits = report["audits"]
    run: dict[str, Any] = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    for audit_id, short in METRICS.items():
        run[short] = audits[audit_id]["numericValue"]
    lcp = audits.get("largest-contentful-paint-element", {}).get("details", {})
    run["lcp_element"] = _first_snippet(lcp)
    run["failing"] = sorted(
        f"{a['id']}: {a.get('displayValue') or a['title']}"
        for a in audits.values()
        if a.get("score") is not None
        and a["score"] < 0.9
        and a.get("scoreDisplayMode") in ("numeric", "binary", "metricSavings")
    )
    return run


def _first_snippet(details: dict[str, Any]) -> str:
    """The LCP element's HTML snippet (Lighthouse nests it one table deep since v11)."""
    for item in details.get("items", []):
        if "node" in item:
            return str(item["node"].get("snippet", ""))
        found = _first_snippet(item)
        if found:
            return found
    return ""


def median_row(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [*CATEGORIES, *METRICS.values()]
    return {key: statistics.median(run[key] for run in runs) for key in keys}


def print_table(rows: dict[str, dict[str, Any]]) -> None:
    print("| page | perf | a11y | best practices | SEO | LCP | TBT | CLS | FCP |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for page, m in rows.items():
        print(
            f"| {page} | {m['performance']:.0f} | {m['accessibility']:.0f} | {m['best-practices']:.0f} "
            f"| {m['seo']:.0f} | {m['LCP'] / 1000:.1f} s | {m['TBT']:.0f} ms | {m['CLS']:.3f} "
            f"| {m['FCP'] / 1000:.1f} s |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated paths under the site")
    parser.add_argument("--site", type=Path, help="serve this built site instead of building one")
    parser.add_argument("--no-gzip", action="store_true", help="serve uncompressed, as python -m http.server does")
    parser.add_argument("--json", type=Path, default=ROOT / ".bench" / "lighthouse.json")
    parser.add_argument("--reports", type=Path, help="also keep every run's whole Lighthouse report in this folder")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"Lighthouse is not installed: run `npm ci --ignore-scripts` in {NODE_DIR.relative_to(ROOT)}")
    chrome = chrome_path()
    pages = [p for p in args.pages.split(",") if p]

    with tempfile.TemporaryDirectory(prefix="kb-lighthouse-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            print(f"building the site into {site}", file=sys.stderr)
            build(site)
        missing = [p for p in pages if not (site / p).is_file()]
        if missing:
            sys.exit(f"not in the built site: {', '.join(missing)}")
        server, base = serve(site, compress=not args.no_gzip)
        try:
            runs: dict[str, list[dict[str, Any]]] = {p: [] for p in pages}
            # Interleaved (every page once, then again) so a burst of load hits all pages alike.
            for i in range(args.runs):
                for page in pages:
                    print(f"run {i + 1}/{args.runs}: {page}", file=sys.stderr)
                    keep = args.reports / f"{page.replace('/', '_')}.{i + 1}.json" if args.reports else None
                    runs[page].append(lighthouse(base + page, chrome, keep))
        finally:
            server.shutdown()
        server.server_close()

    rows = {page: median_row(page_runs) for page, page_runs in runs.items()}
    print_table(rows)
    load = os.getloadavg()
    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "load_average_after": [round(x, 2) for x in load],
        "lighthouse": json.loads((NODE_DIR / "package.json").read_text())["dependencies"]["lighthouse"],
        "chrome": subprocess.run([chrome, "--version"], capture_output=True, text=True, check=False).stdout.strip(),
        "gzip": not args.no_gzip,
        "median": rows,
        "runs": runs,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; every run in {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
