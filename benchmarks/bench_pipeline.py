"""Benchmark: how load -> validate -> link scales with the size of the KB.

Generates synthetic knowledge bases of 1x, 2x, 4x and 8x a base size in
memory (no disk), runs the pipeline several times on each and prints the
median time as a ratio to the 1x run. On a noisy machine ratios are what
to read: linear scaling shows as time ratios close to the size ratios.

Run: .venv/bin/python benchmarks/bench_pipeline.py [--base 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from generator.load.files import RawKB, raw_kb_from_mapping
from generator.pipeline import check

MODELINE = "# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"


def synthetic_kb(n: int) -> RawKB:
    """A valid KB with ``n`` challenges, practices and defect types."""
    files: dict[str, str | bytes] = {
        "kb.yaml": "# yaml-language-server: $schema=../schemas/kb.schema.json\nname: Bench KB\nversion: 1.0.0\n"
        "site_url: https://example.org/\nrepo_url: https://example.org/repo\n",
        "vocabulary.yaml": "# yaml-language-server: $schema=../schemas/vocabulary.schema.json\n"
        "frameworks: {pytorch: {label: PyTorch}}\nhardware: {cpu: {label: CPU}}\n"
        "model_families: {cnn: {label: CNN}}\ntopics: {testing: {label: Testing}}\n",
        "references.bib": "@misc{bench2024x,\n  author = {B},\n  title = {T},\n  year = {2024},\n  eprint = {1}\n}\n",
        "paradigms/conceptual.yaml": MODELINE.format(kind="paradigm")
        + "id: conceptual\ntitle: Conceptual\nsummary: A paradigm used by the synthetic benchmark KB.\n"
        "activities: [replicating]\n",
        "stages/analysis.yaml": MODELINE.format(kind="stage")
        + "id: analysis\ntitle: Analysis\nsummary: The only stage of the synthetic benchmark KB.\norder: 1\n",
        "defects/root-defects.yaml": MODELINE.format(kind="defect")
        + "id: root-defects\ntitle: Root\nsummary: Root of the synthetic benchmark defect taxonomy.\n"
        "component: training\n",
    }
    for i in range(n):
        files[f"challenges/challenge-{i}.yaml"] = MODELINE.format(kind="challenge") + (
            f"id: challenge-{i}\ntitle: Challenge {i}\nsummary: Synthetic challenge number {i} for the benchmark.\n"
            "paradigms: [conceptual]\nstages: [analysis]\n"
        )
        files[f"defects/defect-{i}.yaml"] = MODELINE.format(kind="defect") + (
            f"id: defect-{i}\ntitle: Defect {i}\nsummary: Synthetic defect type number {i} for the benchmark.\n"
            "parent: root-defects\ncomponent: training\n"
        )
        files[f"practices/practice-{i}.yaml"] = MODELINE.format(kind="practice") + (
            f"id: practice-{i}\ntitle: Practice {i}\nsummary: Synthetic practice number {i} for the benchmark.\n"
            f"stage: analysis\nparadigms: [conceptual]\naddresses: [challenge-{i}]\ndetects: [defect-{i}]\n"
            "rationale: Synthetic rationale that is long enough to pass.\n"
            "steps:\n  - Do the first synthetic step.\n"
            "checklist:\n  - id: first-item\n    text: Tick the first synthetic item.\n"
            "evidence:\n  - cite: bench2024x\n    kind: experiment\n    shows: The synthetic source shows this.\n"
        )
    return raw_kb_from_mapping(files)


def median_seconds(raw: RawKB, repeat: int) -> float:
    """Median wall time of ``check(raw)`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        checked = check(raw)
        times.append(time.perf_counter() - start)
        assert not checked.findings, checked.findings[:3]
    return statistics.median(times)


def main() -> None:
    """Print one row per scale: size ratio, time ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=50, help="challenges/practices/defects at 1x")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base = None
    print(f"{'scale':>5}  {'entities':>8}  {'median s':>9}  {'time ratio':>10}")
    for scale in (1, 2, 4, 8):
        raw = synthetic_kb(args.base * scale)
        seconds = median_seconds(raw, args.repeat)
        base = base or seconds
        print(f"{scale:>5}x  {3 * args.base * scale + 3:>8}  {seconds:>9.3f}  {seconds / base:>10.2f}")


if __name__ == "__main__":
    main()
