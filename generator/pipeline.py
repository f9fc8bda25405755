"""The pipeline in one call: load -> validate -> link.

Used by the CLI, the MkDocs adapter and the tests, so they all see the same
findings for the same knowledge base.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.findings import sort_findings
from generator.graph import build_graph
from generator.kb import Checked
from generator.load.files import RawKB, read_kb
from generator.validate.rules import run_rules
from generator.validate.schema import build_kb


@contextmanager
def no_collector_pauses() -> Iterator[None]:
    """Hold CPython's cyclic garbage collector while the pipeline (or an export) runs.

    Checking builds many small objects that all live until it returns; the
    collector re-scanned every one of them again and again, a third of
    validation at 30x the KB and growing faster than the KB. Exports
    allocate many short-lived objects while the checked KB is alive, which
    set the collector off over the whole KB again (40% of the checklist
    exports at 10x). Reference counting still frees everything that is
    dropped. Also a decorator; nested uses leave the collector held.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(raw: RawKB) -> Checked:
    """Validate and link an in-memory knowledge base (no disk access)."""
    with no_collector_pauses():
        kb, findings = build_kb(raw)
        findings += run_rules(kb, findings)
        return Checked(kb, build_graph(kb), sort_findings(findings))


def check_folder(root: Path | str) -> Checked:
    """Read a knowledge-base folder, then :func:`check` it.

    Raises:
        generator.load.files.KbNotFound: if the folder does not exist.
    """
    return check(read_kb(root))
