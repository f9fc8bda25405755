"""The pipeline in one call: load -> validate -> link.

Used by the CLI, the MkDocs adapter and the tests, so they all see the same
findings for the same knowledge base.
"""

from __future__ import annotations

from pathlib import Path

from generator.findings import sort_findings
from generator.graph import build_graph
from generator.kb import Checked
from generator.load.files import RawKB, read_kb
from generator.validate.rules import run_rules
from generator.validate.schema import build_kb


def check(raw: RawKB) -> Checked:
    """Validate and link an in-memory knowledge base (no disk access)."""
    kb, findings = build_kb(raw)
    findings += run_rules(kb, findings)
    return Checked(kb, build_graph(kb), sort_findings(findings))


def check_folder(root: Path | str) -> Checked:
    """Read a knowledge-base folder, then :func:`check` it.

    Raises:
        generator.load.files.KbNotFound: if the folder does not exist.
    """
    return check(read_kb(root))
