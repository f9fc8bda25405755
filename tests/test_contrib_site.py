"""Contributor workflow on the site and in CI: redirects, guide, configs, annotations."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.load.files import raw_kb_from_mapping
from generator.pipeline import check
from generator.render import RENDERERS
from generator.render.redirects import render_redirects
from tests.conftest import BASE_KB, ROOT, run_cli
from tests.site_fixtures import search_index

PRACTICE = BASE_KB / "practices" / "read-the-reference-code.yaml"
RENAMED = (
    PRACTICE.read_text()
    .replace("id: read-the-reference-code", "id: read-reference-code-first")
    .replace("evidence:", "aliases: [read-the-reference-code]\nevidence:")
)


def _renamed_kb() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()
    }
    del files["practices/read-the-reference-code.yaml"]
    files["practices/read-reference-code-first.yaml"] = RENAMED
    return files


def test_each_alias_gets_a_redirect_page() -> None:
    checked = check(raw_kb_from_mapping(_renamed_kb()))
    assert [f for f in checked.findings if f.severity.value == "error"] == []
    pages = render_redirects(checked)
    assert list(pages) == ["practices/read-the-reference-code.html"]
    page = pages["practices/read-the-reference-code.html"]
    assert isinstance(page, str)
    assert '<meta http-equiv="refresh" content="0; url=read-reference-code-first.html">' in page
    assert '<a href="read-reference-code-first.html">Read the reference code</a>' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "<script" not in page
    assert render_redirects in RENDERERS


@pytest.mark.site
def test_old_url_serves_a_redirect_in_the_built_site(tmp_path: Path) -> None:
    assert shutil.which("git") is not None, "git is a development requirement (see CONTRIBUTING.md)"
    kb = tmp_path / "kb"
    for rel, content in _renamed_kb().items():
        (kb / rel).parent.mkdir(parents=True, exist_ok=True)
        (kb / rel).write_bytes(content if isinstance(content, bytes) else content.encode())
    site = tmp_path / "site"
    env = {**os.environ, "KB_DIR": str(kb), "NO_MKDOCS_2_WARNING": "1"}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    redirect = (site / "practices/read-the-reference-code.html").read_text()
    assert 'url=read-reference-code-first.html"' in redirect
    assert (site / "practices/read-reference-code-first.html").is_file()
    index = search_index(site)
    assert not [d for d in index["docs"] if "read-the-reference-code" in d["location"]]
    contributing = (site / "contributing.html").read_text()
    assert "What reviewers look for" in contributing and "--8&lt;--" not in contributing
    assert "Not released yet" in (site / "changelog.html").read_text()


# --------------------------------------------------- guide and changelog


def test_the_site_page_includes_the_guide_so_they_never_drift() -> None:
    page = (ROOT / "docs/contributing.md").read_text()
    assert page.rstrip().endswith('--8<-- "CONTRIBUTING.md"')
    assert "pymdownx.snippets" in (ROOT / "mkdocs.yml").read_text()


def test_the_guide_has_no_relative_links() -> None:
    # The guide is shown on GitHub and on the site; a relative link works in one place only.
    text = (ROOT / "CONTRIBUTING.md").read_text()
    targets = re.findall(r"\]\(([^)]+)\)", text)
    assert [t for t in targets if not t.startswith(("http://", "https://"))] == []


def test_the_guide_names_only_commands_that_exist() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text()
    for command in sorted(set(re.findall(r"python -m generator ([a-z]+)", text))):
        assert run_cli([command, "--help"]).exit_code == 0, command
    makefile = (ROOT / "Makefile").read_text()
    for target in sorted(set(re.findall(r"`make ([a-z-]+)`", text))):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_project_changelog_has_an_unreleased_section() -> None:
    assert "\n## Unreleased\n" in (ROOT / "CHANGELOG.md").read_text()


# ------------------------------------------------------ CI configuration


def _yaml(rel: str) -> dict[str, object]:
    data = yaml.safe_load((ROOT / rel).read_text())
    assert isinstance(data, dict), rel
    return data


def test_workflows_run_the_makefile_targets() -> None:
    pr = _yaml(".github/workflows/pr.yml")
    runs = " ".join(
        str(step.get("run", ""))
        for job in pr["jobs"].values()  # type: ignore[attr-defined]
        for step in job["steps"]
    )
    for command in ("make kb-check KB_FORMAT=github", "make site", "make lint", "make test", "schema --check"):
        assert command in runs
    pages = _yaml(".github/workflows/pages.yml")
    steps = pages["jobs"]["build"]["steps"]  # type: ignore[index]
    assert any(step.get("run") == "make site" for step in steps)
    assert any(
        str(step.get("uses", "")).startswith("actions/deploy-pages@") for step in pages["jobs"]["deploy"]["steps"]
    )  # type: ignore[index]


@pytest.mark.parametrize("rel", ["propose-practice.yml", "report-error.yml"])
def test_issue_forms_are_well_formed(rel: str) -> None:
    form = _yaml(f".github/ISSUE_TEMPLATE/{rel}")
    assert {"name", "description", "body"} <= set(form)
    ids = [item["id"] for item in form["body"] if "id" in item]  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids))
    assert all(item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"} for item in form["body"])  # type: ignore[attr-defined]


def test_pre_commit_config_is_valid() -> None:
    config = _yaml(".pre-commit-config.yaml")
    hooks = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]  # type: ignore[attr-defined]
    assert hooks == ["kb-validate", "kb-fmt", "kb-yamllint", "ruff-format", "ruff"]
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit:
        proc = subprocess.run([pre_commit, "validate-config", ".pre-commit-config.yaml"], cwd=ROOT, check=False)
        assert proc.returncode == 0


def test_pr_template_has_the_reviewer_checklist() -> None:
    text = (ROOT / ".github/pull_request_template.md").read_text()
    assert text.count("- [ ]") >= 5 and "make kb-check" in text


# ------------------------------------------- annotations on the right line

TYPO = PRACTICE.read_text().replace("addresses: [under-documented-reference-model]", "addresses: [undocumented-model]")


def test_a_wrong_edit_is_annotated_on_its_line(kb_copy) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy({"practices/read-the-reference-code.yaml": TYPO})
    line = TYPO.splitlines().index("addresses: [undocumented-model]") + 1
    result = run_cli(["validate", "--format", "github"], cwd=cwd)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"::error file=kb/practices/read-the-reference-code.yaml,line={line},col=13,title=unknown-reference::"
        "unknown challenge 'undocumented-model' in 'addresses'. Did you mean 'under-documented-reference-model'?"
    )


def test_the_guides_example_entry_is_canonical_and_valid() -> None:
    from generator.contrib.fmt import format_entity
    from generator.load.yamlstrict import parse
    from generator.models import Practice

    text = (ROOT / "CONTRIBUTING.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example is not None
    entry = example.group(1)
    assert format_entity(entry, "practice") == entry
    practice = Practice.model_validate(parse(entry.encode()).data)
    assert f'new practice "{practice.title}"' in text
    assert f"kb/practices/{practice.id}.yaml" in text
