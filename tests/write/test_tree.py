"""``render -o DIR``: the complete Markdown tree, written atomically; bad input is a located error."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator.load.gitinfo import last_changed
from generator.pipeline import check_folder
from generator.render import BuildInfo, render_build
from generator.write.files import OutsideRoot
from generator.write.mkdocs_hooks import generated_files
from generator.write.sitebuild import build_site
from tests.conftest import BASE_KB, run_cli


def test_render_writes_hand_written_and_generated_pages(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "assets" / "site.css").write_text("body{}\n", encoding="utf-8")
    out = tmp_path / "tree"
    result = run_cli(["render", "--kb", str(BASE_KB), "--docs", str(docs), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    generated = set(generated_files(BASE_KB))
    assert written == generated | {"index.md", "assets/site.css"}
    assert result.stderr.endswith(f"{len(generated)} generated files written in {out}/\n")
    assert (out / "practices" / "read-the-reference-code.md").read_text(encoding="utf-8").startswith("---")


def test_render_generated_only(tmp_path: Path) -> None:
    out = tmp_path / "tree"
    result = run_cli(["render", "--kb", str(BASE_KB), "--generated-only", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == set(generated_files(BASE_KB))


def test_render_generated_only_needs_no_docs_folder(tmp_path: Path) -> None:
    """Run outside the repository, where no docs/ exists: --generated-only must not ask for one."""
    out = tmp_path / "tree"
    result = run_cli(["render", "--kb", str(BASE_KB), "--generated-only", "-o", str(out)], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (out / "practices" / "read-the-reference-code.md").is_file()
    result = run_cli(["render", "--kb", str(BASE_KB), "-o", str(tmp_path / "other")], cwd=tmp_path)
    assert result.exit_code == 2
    assert "hand-written pages folder 'docs' not found; name it with --docs, or pass --generated-only" in (
        result.stderr.replace("\n", " ").replace("  ", " ")
    )
    assert not (tmp_path / "other").exists()


def test_render_a_broken_kb_is_a_located_error_and_keeps_the_old_tree(kb_copy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cwd = kb_copy({"stages/testing.yaml": "id: [unclosed\n"})
    out = tmp_path / "tree"
    out.mkdir()
    (out / "old.md").write_text("previous\n", encoding="utf-8")
    result = run_cli(["render", "--kb", str(cwd / "kb"), "--generated-only", "-o", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "render: the knowledge base has errors:"
    assert lines[1].startswith(f"{cwd / 'kb'}/stages/testing.yaml:2:1: error[yaml-syntax]")
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["old.md"]


def test_render_refuses_to_shadow_a_hand_written_page(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "coverage.md").write_text("# Mine\n", encoding="utf-8")
    result = run_cli(["render", "--kb", str(BASE_KB), "--docs", str(docs), "-o", str(tmp_path / "tree")])
    assert result.exit_code == 1
    assert result.stderr == "render: docs/coverage.md is hand-written; rename it, the generator writes that page\n"
    assert not (tmp_path / "tree").exists()


def test_render_a_missing_kb_is_a_clean_error(tmp_path: Path) -> None:
    result = run_cli(["render", "--kb", str(tmp_path / "nowhere"), "--generated-only", "-o", str(tmp_path / "t")])
    assert result.exit_code == 2
    assert str(tmp_path / "nowhere") in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------ last-changed dates from git


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env |= {"GIT_AUTHOR_DATE": f"{date}T12:00:00Z", "GIT_COMMITTER_DATE": f"{date}T12:00:00Z"}
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


def test_last_changed_is_the_newest_commit_per_file(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    (kb / "practices").mkdir(parents=True)
    _git(tmp_path, "init", "-q")
    (kb / "practices" / "a.yaml").write_text("one\n")
    (kb / "practices" / "b.yaml").write_text("one\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first", date="2026-01-02")
    (kb / "practices" / "a.yaml").write_text("two\n")
    (tmp_path / "outside.txt").write_text("x\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "second", date="2026-03-04")
    (kb / "practices" / "new.yaml").write_text("uncommitted\n")
    assert last_changed(kb) == {"practices/a.yaml": "2026-03-04", "practices/b.yaml": "2026-01-02"}


def test_last_changed_survives_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """With core.quotepath=false git prints names as raw bytes; one bad name in the history broke every build."""
    kb = tmp_path / "kb"
    (kb / "practices").mkdir(parents=True)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "core.quotepath", "false")
    (kb / "practices" / "a.yaml").write_text("one\n")
    (kb / "practices" / os.fsdecode(b"\xff.yaml")).write_text("one\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first", date="2026-01-02")
    assert last_changed(kb)["practices/a.yaml"] == "2026-01-02"


def test_last_changed_outside_git_is_empty(tmp_path: Path) -> None:
    assert last_changed(tmp_path) == {}
    assert last_changed(tmp_path / "missing") == {}


def test_entity_page_shows_when_its_file_last_changed() -> None:
    checked = check_folder(BASE_KB)
    pages = render_build(checked, BuildInfo(last_changed={"practices/read-the-reference-code.yaml": "2026-05-06"}))
    page = pages["practices/read-the-reference-code.md"]
    assert isinstance(page, str)
    assert 'last changed <time datetime="2026-05-06">2026-05-06</time>' in page
    others = [p for p in pages if p.startswith("practices/") and p.endswith(".md") and "read-the-reference" not in p]
    assert others and not any("last changed" in str(pages[p]) for p in others)


def test_render_refuses_an_output_folder_that_would_replace_the_current_folder(tmp_path: Path) -> None:
    """An output folder above the current one would delete it (the repository), even when the KB is elsewhere."""
    work = tmp_path / "work"
    (work / "docs").mkdir(parents=True)
    result = run_cli(["render", "--kb", str(BASE_KB), "--generated-only", "-o", str(tmp_path)], cwd=work)
    assert result.exit_code == 1
    assert "which replacing it would delete" in result.stderr
    assert work.is_dir()


def test_site_refuses_a_site_folder_that_overlaps_what_the_build_reads(tmp_path: Path) -> None:
    """``site -d kb`` (or docs, or the repository) would swap the built site in place of the sources."""
    (tmp_path / "kb").mkdir()
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ndocs_dir: docs\nx: !!python/name:os.getcwd\n", encoding="utf-8")
    for site in (tmp_path / "kb", tmp_path / "kb" / "site", tmp_path / "docs", tmp_path):
        with pytest.raises(OutsideRoot, match="overlaps"):
            build_site(site, config=config, env={"KB_DIR": str(tmp_path / "kb")})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "kb", "mkdocs.yml"]
