"""Look at the built site as a person would: every page type, two widths, two palettes.

Used by the browser tests (the measurements) and as a script that saves
screenshots for people to look at::

    .venv/bin/python -m tests.browser.look site test-artifacts/screens

For each page type, width (1366, 390) and palette (light, dark): a full-page
screenshot, the horizontal overflow of the page, the smallest diagram label
and target on screen, and the serious or critical axe-core violations.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SEVERE = {"serious", "critical"}
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
PALETTES = ("light", "dark")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]

#: One page per page type of the real site (paths relative to the site root).
PAGE_TYPES: dict[str, str] = {
    "home": "index.html",
    "about": "about.html",
    "practice": "practices/check-converted-model-equivalence.html",
    "challenge": "challenges/converter-failures.html",
    "defect": "defects/environment-defects.html",
    "defect-child": "defects/converter-crash.html",
    "stage": "stages/portability.html",
    "paradigm": "paradigms/deployment-reuse.html",
    "scenario": "scenarios/pytorch-to-onnx-runtime.html",
    "practice-index": "practices/index.html",
    "challenge-index": "challenges/index.html",
    "defect-index": "defects/index.html",
    "stage-index": "stages/index.html",
    "paradigm-index": "paradigms/index.html",
    "scenario-index": "scenarios/index.html",
    "workflow": "workflow.html",
    "taxonomy": "taxonomy.html",
    "coverage": "coverage.html",
    "matrix": "matrix.html",
    "checklist": "checklists/pytorch-to-onnx-runtime.html",
    "builder": "checklists/index.html",
    "references": "references.html",
    "downloads": "downloads.html",
    "tags": "tags.html",
    "findings": "findings.html",
    "changelog": "changelog.html",
    "contributing": "contributing.html",
    "404": "404.html",
}

#: Measures one loaded page: overflow and, for inline diagrams, label and target sizes on screen.
MEASURE = """() => {
  const doc = document.documentElement;
  const out = {overflow: Math.max(doc.scrollWidth, document.body.scrollWidth) - window.innerWidth,
               labels: null, targets: null, nodes: 0, wide: []};
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    const framed = '.kb-table-wrap, .kb-matrix-wrap, .kb-diagram, .md-sidebar, .md-search, .md-nav, pre, '
      + '.md-typeset__scrollwrap';
    if (r.width && r.right > window.innerWidth + 1 && !el.closest(framed)) {
      const name = typeof el.className === 'string' ? el.className : '';
      out.wide.push(el.tagName.toLowerCase() + '.' + name + ' ' + Math.round(r.right));
      if (out.wide.length > 5) break;
    }
  }
  const svgs = [...document.querySelectorAll('figure.kb-diagram svg.kb-graph')];
  let labels = [], targets = [];
  for (const svg of svgs) {
    for (const a of svg.querySelectorAll('g.node a, g.cluster a')) {
      const r = a.getBoundingClientRect();
      if (!r.width) continue;
      targets.push(Math.min(r.width, r.height));
    }
    for (const t of svg.querySelectorAll('g.node text, g.cluster text')) {
      const r = t.getBoundingClientRect();
      if (!r.width) continue;
      const size = parseFloat(t.getAttribute('font-size') || '14');
      const m = t.getScreenCTM();
      labels.push(size * Math.abs(m ? m.a : 1));
    }
  }
  out.nodes = targets.length;
  out.labels = labels.length ? Math.min(...labels) : null;
  out.targets = targets.length ? Math.min(...targets) : null;
  return out;
}"""


@dataclass
class Look:
    """What one page looked like at one width in one palette."""

    page: str
    width: str
    palette: str
    overflow: int
    wide: list[str]
    labels: float | None
    targets: float | None
    nodes: int
    axe: list[str]


def open_page(browser: Browser, url: str, width: str, palette: str) -> Page:
    """A new page at ``width`` whose stored palette is ``palette``, loaded."""
    w, h = WIDTHS[width]
    context = browser.new_context(
        viewport={"width": w, "height": h},
        color_scheme="dark" if palette == "dark" else "light",
        service_workers="block",
    )
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    return page


def evaluate_on(browser: Browser, url: str, width: str, palette: str, script: str) -> Any:
    """What ``script`` returns on ``url`` opened by :func:`open_page` (its context closed afterwards)."""
    page = open_page(browser, url, width, palette)
    try:
        return page.evaluate(script)
    finally:
        page.context.close()


def axe_severe(page: Page) -> list[str]:
    """Serious and critical axe-core violations of the loaded page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in SEVERE
    ]


def look(page: Page, name: str, width: str, palette: str, *, axe: bool = True, shot: Path | None = None) -> Look:
    """Measure (and screenshot) a loaded page."""
    if shot is not None:
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot.with_name(shot.stem + "-full.png")), full_page=True)
        page.screenshot(path=str(shot))
    m: dict[str, Any] = page.evaluate(MEASURE)
    return Look(
        name, width, palette, int(m["overflow"]), m["wide"], m["labels"], m["targets"], m["nodes"],
        axe_severe(page) if axe else [],
    )  # fmt: skip


def main(site: str, out: str, only: list[str]) -> int:
    from tests.site_fixtures import serve

    results = []
    with serve(Path(site)) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path in PAGE_TYPES.items():
            if only and name not in only:
                continue
            if not (Path(site) / path).exists():
                print(f"{name}: {path} missing", file=sys.stderr)
                continue
            for width in WIDTHS:
                for palette in PALETTES:
                    page = open_page(browser, base + path, width, palette)
                    result = look(page, name, width, palette, shot=Path(out) / f"{name}-{width}-{palette}.png")
                    page.context.close()
                    results.append(result)
                    print(json.dumps(asdict(result)))
        browser.close()
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args[0], args[1], args[2:]))
