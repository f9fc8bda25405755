"""The finding-code registry is complete: every code the tools emit is documented, and only those."""

from __future__ import annotations

import ast
import re

import pytest

from generator.codes import CODES, REGISTRY, STAGES
from generator.findings import Severity
from generator.pipeline import check_folder
from generator.render.findings import render_findings
from tests.conftest import BASE_KB, ROOT, TESTS

#: Calls whose first argument is a finding code.
EMITTERS = {"error", "warning", "YamlProblem"}
#: Non-literal first arguments that pass on a code emitted elsewhere (a YamlProblem's) or chosen
#: from literals assigned to ``code`` in the same function (the schema's pydantic mapping).
PASS_THROUGH = {"code", "problem.code", "exc.code"}


def chosen(value: ast.expr) -> list[str]:
    """The string literals an expression can evaluate to (``"a" if test else "b"``)."""
    if isinstance(value, ast.IfExp):
        return chosen(value.body) + chosen(value.orelse)
    assert isinstance(value, ast.Constant) and isinstance(value.value, str), ast.unparse(value)
    return [value.value]


def emitter_calls(tree: ast.AST) -> list[ast.Call]:
    """Calls of error(), warning() and YamlProblem() (not log.warning())."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in EMITTERS and node.args
    ]


def emitted_codes() -> dict[str, list[str]]:
    """Every finding code in generator/, with where it is emitted."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "generator").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT).as_posix()
        for call in emitter_calls(tree):
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, []).append(f"{where}:{call.lineno}")
            else:
                assert ast.unparse(first) in PASS_THROUGH, (
                    f"{where}:{call.lineno}: a finding code computed as {ast.unparse(first)!r}; "
                    "emit literal codes so the registry test can see them"
                )
        # A function that emits `code` chooses it from literals assigned to `code`.
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            if not any(ast.unparse(c.args[0]) == "code" for c in emitter_calls(func)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "code" for t in node.targets
                ):
                    for value in chosen(node.value):
                        found.setdefault(value, []).append(f"{where}:{node.lineno}")
    return found


def test_every_emitted_code_is_in_the_registry_and_nothing_else() -> None:
    emitted = emitted_codes()
    missing = {code: sites for code, sites in emitted.items() if code not in REGISTRY}
    assert missing == {}, "add these codes to generator/codes.py (meaning, example, fix)"
    assert sorted(set(REGISTRY) - set(emitted)) == [], "the registry lists codes nothing emits"
    assert len(CODES) == len(REGISTRY), "a code is listed twice"


@pytest.mark.parametrize("code", CODES, ids=lambda c: c.code)
def test_each_entry_is_complete_and_its_example_is_a_real_report_line(code: object) -> None:
    from generator.codes import Code

    assert isinstance(code, Code)
    assert code.stage in STAGES
    assert re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)*", code.code)
    for text in (code.meaning, code.fix):
        assert text[:1].isupper() and text.endswith((".", ")")), text
    pattern = rf"kb/[\w./-]+(?::\d+:\d+)?: {code.severity.value}\[{re.escape(code.code)}\] \S.*"
    assert re.fullmatch(pattern, code.example), code.example


def test_failure_mode_outputs_use_registered_codes_with_their_severity() -> None:
    seen = set()
    for expected in sorted((TESTS / "failures").glob("*/expected.txt")):
        for severity, code in re.findall(r": (error|warning)\[([a-z0-9-]+)\]", expected.read_text()):
            assert code in REGISTRY, f"{expected}: {code}"
            assert REGISTRY[code].severity is Severity(severity), f"{expected}: {code}"
            seen.add(code)
    assert len(seen) >= 15


def test_the_page_lists_every_code_under_its_stage() -> None:
    page = render_findings(check_folder(BASE_KB))["findings.md"]
    assert isinstance(page, str)
    assert page.startswith('---\ntitle: "Finding codes"\n---\n')
    assert f"lists all {len(CODES)} codes" in page
    headings = re.findall(r"^## (.+)$", page, re.M)
    assert headings == list(STAGES.values())
    anchors = re.findall(r'<div class="kb-finding-code" id="([a-z0-9-]+)">', page)
    assert anchors == [c.code for key in STAGES for c in CODES if c.stage == key]
    unknown = REGISTRY["unknown-reference"]
    assert "error[unknown-reference] unknown challenge &#39;undocumented-model&#39;" in page
    assert f"<p><strong>Fix:</strong> {unknown.fix}</p>" in page
