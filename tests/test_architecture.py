"""The shape of generator/: layered stages, no cycles, a readable top level.

The contracts themselves live in pyproject.toml ([tool.importlinter]); this
test runs them so the edit loop (`make test-fast`) catches an import against
the stage order, not only `make lint`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "generator"


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def _modules_loaded_by(module: str) -> list[str]:
    code = f"import sys, json, {module}; print(json.dumps(sorted(m for m in sys.modules if m.startswith('generator'))))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def test_importing_the_checklist_loads_no_renderer() -> None:
    for module in ("generator.checklist", "generator.checklist.compose", "generator.checklist.export"):
        loaded = _modules_loaded_by(module)
        assert [m for m in loaded if m.startswith(("generator.render", "generator.write", "generator.cli"))] == []
        assert "generator.checklist.compose" in loaded or module == "generator.checklist"


def test_importing_the_pipeline_loads_no_product() -> None:
    loaded = _modules_loaded_by("generator.pipeline")
    products = ("generator.render", "generator.checklist", "generator.history", "generator.contrib", "generator.cli")
    assert [m for m in loaded if m.startswith(products)] == []
    assert {"generator.load.files", "generator.validate.rules", "generator.graph"} <= set(loaded)


def test_the_top_level_stays_small_and_every_package_says_what_it_holds() -> None:
    entries = sorted(p.name for p in GENERATOR.iterdir() if p.name != "__pycache__")
    assert len(entries) <= 20, entries
    packages = [p for p in GENERATOR.iterdir() if (p / "__init__.py").is_file()]
    stages = {"load", "validate", "render", "checklist", "history", "contrib", "write", "cli"}
    assert {p.name for p in packages} >= stages
    for package in packages:
        text = (package / "__init__.py").read_text(encoding="utf-8")
        assert text.startswith('"""'), f"{package.name}/__init__.py has no docstring"


def test_every_cli_message_goes_through_say() -> None:
    """Messages on stderr echo what the user typed (paths, refs, keys): one escaping helper prints them all."""
    for module in (GENERATOR / "cli").glob("*.py"):
        lines = module.read_text(encoding="utf-8").splitlines()
        direct = [n for n, line in enumerate(lines, 1) if "err=True" in line and "visible_lines(message)" not in line]
        assert direct == [], f"{module.name}:{direct}: use generator.cli.common.say for messages"
