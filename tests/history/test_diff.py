"""diff between git refs, the changelog from kb-v* tags, and the pure comparison."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.history import releases
from generator.history.diff import diff_kbs
from generator.history.releases import Release
from generator.load import gitrefs
from generator.load.files import RawKB, raw_kb_from_mapping
from generator.load.gitrefs import GitError, read_kb_at, release_tags
from generator.pipeline import check, check_folder
from generator.render.changelog import changelog_page
from tests.conftest import BASE_KB, run_cli

RENAMED = """\
# yaml-language-server: $schema=../../schemas/practice.schema.json
id: read-reference-code-first
title: Read the reference code first
summary: List every hyperparameter that the reference code sets but the paper omits.
stage: analysis
paradigms: [conceptual-reuse]
addresses: [under-documented-reference-model]
detects: [missing-hyperparameter]
rationale: Papers omit settings that the released code depends on.
steps:
  - Diff the paper's hyperparameter table against the code's defaults.
applies_when:
  source: [pytorch]
checklist:
  - id: list-hidden-settings
    text: List settings found in the code but not in the paper.
tags: [testing]
evidence:
  - cite: doe2024study
    kind: interview-study
    shows: Interviewees found settings in code that the paper did not mention.
    locator: Section 4
aliases: [read-the-reference-code]
"""

RELEASE_STAGE = """\
# yaml-language-server: $schema=../../schemas/stage.schema.json
id: release
title: Release
summary: Publish the weights, the code and the results with their versions.
order: 3
"""


def _git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2025-01-02T03:04:05Z",
        "GIT_COMMITTER_DATE": "2025-01-02T03:04:05Z",
        "PATH": "/usr/bin:/bin",
        "HOME": str(repo),
    }
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with two tagged versions of the base fixture KB."""
    assert shutil.which("git") is not None, "git is a development requirement (see CONTRIBUTING.md)"
    _git(tmp_path, "init", "-q", "-b", "main")
    shutil.copytree(BASE_KB, tmp_path / "kb")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "first")
    _git(tmp_path, "tag", "kb-v0.1.0")
    kb = tmp_path / "kb"
    (kb / "practices/read-the-reference-code.yaml").unlink()
    (kb / "practices/read-reference-code-first.yaml").write_text(RENAMED)
    (kb / "stages/release.yaml").write_text(RELEASE_STAGE)
    testing = kb / "stages/testing.yaml"
    testing.write_text(testing.read_text().replace("feeds_back_to: [analysis]", "feeds_back_to: []\nnext: [release]"))
    (kb / "scenarios/pytorch-to-onnx-runtime.yaml").unlink()
    (kb / "kb.yaml").write_text((kb / "kb.yaml").read_text().replace("version: 0.1.0", "version: 0.2.0"))
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "second")
    _git(tmp_path, "tag", "kb-v0.2.0")
    return tmp_path


EXPECTED_TEXT = """\
kb kb-v0.1.0 (version 0.1.0) -> kb-v0.2.0 (version 0.2.0)
added (1):
  + stage release: Release
removed (1):
  - scenario pytorch-to-onnx-runtime: PyTorch to ONNX Runtime
renamed (1):
  > practice read-the-reference-code -> read-reference-code-first
      title: "Read the reference code" -> "Read the reference code first"
changed (1):
  ~ stage testing
      next: +release
      feeds_back_to: -analysis
1 added, 1 removed, 1 renamed, 1 changed, 0 references added or removed
"""


def test_diff_between_two_tags(repo: Path) -> None:
    result = run_cli(["diff", "kb-v0.1.0", "kb-v0.2.0"], cwd=repo)
    assert result.exit_code == 0
    assert result.stdout == EXPECTED_TEXT
    assert result.stderr == ""


def test_diff_json_gives_fields_in_full(repo: Path) -> None:
    result = run_cli(["diff", "kb-v0.1.0", "kb-v0.2.0", "--format", "json"], cwd=repo)
    data = json.loads(result.stdout)
    assert data["from"] == {"ref": "kb-v0.1.0", "version": "0.1.0"}
    assert data["renamed"] == [
        {
            "kind": "practice",
            "id": "read-reference-code-first",
            "old_id": "read-the-reference-code",
            "title": "Read the reference code first",
            "fields": {"title": {"old": "Read the reference code", "new": "Read the reference code first"}},
        }
    ]
    assert data["changed"][0]["fields"]["next"] == {"old": [], "new": ["release"]}


def test_diff_against_the_work_tree(repo: Path) -> None:
    (repo / "kb/stages/release.yaml").write_text(RELEASE_STAGE.replace("order: 3", "order: 4"))
    result = run_cli(["diff", "kb-v0.2.0"], cwd=repo)
    assert result.stdout == (
        "kb kb-v0.2.0 (version 0.2.0) -> work tree (version 0.2.0)\n"
        "changed (1):\n  ~ stage release\n      order: 3 -> 4\n"
        "0 added, 0 removed, 0 renamed, 1 changed, 0 references added or removed\n"
    )
    same = run_cli(["diff", "HEAD", "HEAD"], cwd=repo)
    assert same.stdout == "kb HEAD (version 0.2.0) -> HEAD (version 0.2.0)\nno changes to entities or references\n"


def test_diff_usage_errors(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    unknown = run_cli(["diff", "kb-v9.9.9"], cwd=repo)
    assert unknown.exit_code == 2 and "Error: unknown git ref 'kb-v9.9.9'" in unknown.stderr
    elsewhere = tmp_path_factory.mktemp("nogit")
    shutil.copytree(BASE_KB, elsewhere / "kb")
    outside = run_cli(["diff", "HEAD"], cwd=elsewhere)
    assert outside.exit_code == 2 and "Error: " in outside.stderr


def test_changelog_from_tags(repo: Path) -> None:
    (repo / "kb/stages/release.yaml").write_text(RELEASE_STAGE.replace("order: 3", "order: 4"))
    result = run_cli(["changelog"], cwd=repo)
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith("---\ntitle: Changelog\n") and "\n---\n\n# Changelog\n" in page
    body = page.split("## ", 1)[1]
    assert "## " + body == (
        "## Unreleased\n\n### Changed\n\n- stage: [Release](stages/release.md): `order`\n\n"
        "## 0\\.2\\.0 \\(2025\\-01\\-02\\)\n\n"
        "### Added\n\n- stage: [Release](stages/release.md)\n\n"
        "### Renamed\n\n- practice: `read-the-reference-code` is now "
        "[Read the reference code first](practices/read-reference-code-first.md) (old links redirect)\n\n"
        "### Changed\n\n- stage: [Testing](stages/testing.md): `next`, `feeds_back_to`\n\n"
        "### Removed\n\n- scenario: PyTorch to ONNX Runtime (`pytorch-to-onnx-runtime`)\n\n"
        "## 0\\.1\\.0 \\(2025\\-01\\-02\\)\n\n"
        "First release: 1 paradigms, 2 stages, 1 challenges, 1 practices, 2 defects, 1 scenarios.\n"
    )


def _base_files() -> dict[str, str | bytes]:
    return {p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()}


def test_pure_diff_reports_deprecation_and_references() -> None:
    old = check(raw_kb_from_mapping(_base_files())).kb
    files = _base_files()
    files["challenges/under-documented-reference-model.yaml"] = (
        files["challenges/under-documented-reference-model.yaml"].decode() + "status: deprecated\n"  # type: ignore[union-attr]
    )
    files["references.bib"] = files["references.bib"].decode() + (  # type: ignore[union-attr]
        "\n@misc{new2025key, author={N, N}, title={New}, year={2025}, eprint={2501.00001}}\n"
    )
    new = check(raw_kb_from_mapping(files)).kb
    diff = diff_kbs(old, new)
    assert [r.id for r in diff.deprecated] == ["under-documented-reference-model"]
    assert diff.references_added == ("new2025key",)
    assert [(c.id, [f.describe() for f in c.fields]) for c in diff.changed] == [
        ("under-documented-reference-model", ['status: "active" -> "deprecated"'])
    ]


def test_changelog_page_escapes_titles_and_links_only_existing_pages() -> None:
    checked = check(raw_kb_from_mapping(_base_files()))
    old = check(raw_kb_from_mapping({**_base_files()})).kb
    files = _base_files()
    files["stages/testing.yaml"] = files["stages/testing.yaml"].replace(  # type: ignore[union-attr]
        b"title: Testing", b'title: "Testing <b>*bold*</b> [x](javascript:alert(1))"'
    )
    newer = check(raw_kb_from_mapping(files)).kb
    page = changelog_page([Release("0.2.0", "kb-v0.2.0", "2025-01-02", diff_kbs(old, newer))], checked)
    assert "&lt;b&gt;\\*bold\\*&lt;/b&gt; \\[x\\]\\(javascript:alert\\(1\\)\\)" in page
    assert "<b>" not in page


def test_release_history_reads_each_tagged_commit_once(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _git(repo, "tag", "-a", "kb-v0.3.0", "-m", "annotated release")
    head = _git(repo, "rev-parse", "HEAD").strip()
    tags = release_tags(repo / "kb")
    assert [(t.name, t.commit) for t in tags] == [
        ("kb-v0.1.0", _git(repo, "rev-parse", "kb-v0.1.0^{commit}").strip()),
        ("kb-v0.2.0", head),
        ("kb-v0.3.0", head),  # the annotated tag's commit, not the tag object
    ]
    reads: list[str] = []

    def counting_read(kb_root: Path, ref: str) -> RawKB:
        reads.append(ref)
        return read_kb_at(kb_root, ref)

    monkeypatch.setattr(releases, "read_kb_at", counting_read)
    releases.released_kb.cache_clear()
    current = check_folder(repo / "kb")
    first = releases.history(repo / "kb", current)
    second = releases.history(repo / "kb", current)
    assert first == second
    assert [r.version for r in first] == ["0.3.0", "0.2.0", "0.1.0"]
    assert sorted(reads) == sorted({t.commit for t in tags})  # two commits, each read once for both calls


def test_release_reader_applies_the_work_tree_limits_before_reading(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tagged commit may hold a blob of any size: it is refused from its listed size, never read into memory."""
    (repo / "kb/practices/huge.yaml").write_bytes(b"# " + b"x" * 5000 + b"\n")
    (repo / "kb/.hidden.yaml").write_bytes(b"# " + b"x" * 5000 + b"\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "huge")
    monkeypatch.setattr(gitrefs, "MAX_FILE_BYTES", 1000)
    raw = gitrefs.read_kb_at(repo / "kb", "HEAD")
    assert [(r.rel, r.code) for r in raw.refused] == [("practices/huge.yaml", "file-too-large")]
    assert "practices/huge.yaml" not in {f.rel for f in raw.files}
    monkeypatch.setattr(gitrefs, "MAX_ENTRIES", 3)
    raw = gitrefs.read_kb_at(repo / "kb", "HEAD")
    assert len(raw.files) == 3
    assert raw.refused[-1].code == "too-many-files"


def test_a_tag_name_that_is_not_utf8_is_skipped(repo: Path) -> None:
    """Git allows any byte in a ref name; such a tag broke the changelog and every site build."""
    _git(repo, "tag", os.fsdecode(b"kb-v\xff"))
    assert [t.name for t in release_tags(repo / "kb")] == ["kb-v0.1.0", "kb-v0.2.0"]
    result = run_cli(["changelog"], cwd=repo)
    assert result.exit_code == 0, result.stderr


def _tag_kb_replaced_by(repo: Path, make: Callable[[Path], object]) -> None:
    """Tag kb-v0.3.0 on a commit where ``make`` put something else at 'kb'; the work tree gets kb-v0.2.0's KB back."""
    _git(repo, "rm", "-q", "-r", "kb")
    shutil.rmtree(repo / "kb", ignore_errors=True)
    make(repo / "kb")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "kb is not a folder")
    _git(repo, "tag", "kb-v0.3.0")
    (repo / "kb").unlink()
    _git(repo, "checkout", "-q", "kb-v0.2.0", "--", "kb")


def test_a_release_where_the_kb_path_is_a_file_reads_as_no_kb(repo: Path) -> None:
    """A tagged commit whose 'kb' is a file gave an entry with an empty path: IndexError in every build."""
    _tag_kb_replaced_by(repo, lambda kb: kb.write_text("not a folder\n"))
    raw = read_kb_at(repo / "kb", "kb-v0.3.0")
    assert raw.files == () and raw.refused == ()
    assert read_kb_at(repo / "kb", "kb-v0.1.0").files  # the earlier tags still read
    for args in (["changelog"], ["diff", "kb-v0.2.0", "kb-v0.3.0"]):
        result = run_cli(args, cwd=repo)
        assert result.exit_code == 0, result.stderr
        assert "internal-error" not in result.stderr


def test_a_release_where_the_kb_path_is_a_link_is_refused(repo: Path) -> None:
    """A tagged 'kb' that is a symbolic link read as an empty KB (every entry 'removed'); it is refused, unread."""
    _tag_kb_replaced_by(repo, lambda kb: kb.symlink_to("/etc"))
    with pytest.raises(GitError, match=r"'kb' is a symbolic link at kb-v0\.3\.0, not a folder"):
        read_kb_at(repo / "kb", "kb-v0.3.0")
    result = run_cli(["diff", "kb-v0.2.0", "kb-v0.3.0"], cwd=repo)
    assert result.exit_code == 2
    assert "'kb' is a symbolic link at kb-v0.3.0" in result.stderr and "removed" not in result.stdout
    result = run_cli(["changelog"], cwd=repo)  # the tag is skipped, as any tag git cannot read, and said so
    assert result.exit_code == 0, result.stderr
    assert "0\\.3\\.0" not in result.stdout and "## 0\\.2\\.0" in result.stdout
    assert "warning: release tag 'kb-v0.3.0' cannot be read: 'kb' is a symbolic link" in result.stderr


@pytest.mark.parametrize("what", ["tree", "blob"])
def test_a_release_tag_on_a_tree_or_blob_is_named_not_dropped(repo: Path, what: str) -> None:
    """A tag on a tree or blob has no commit, hence no KB: the changelog used to drop it without a word."""
    target = _git(repo, "rev-parse", "HEAD^{tree}" if what == "tree" else "HEAD:kb/vocabulary.yaml").strip()
    _git(repo, "tag", "kb-v0.3.0", target)
    assert [(t.name, t.kind) for t in release_tags(repo / "kb")][-1] == ("kb-v0.3.0", what)
    assert releases.skipped_releases(repo / "kb") == [
        f"release tag 'kb-v0.3.0' names a {what}, not a commit; tag a commit"
    ]
    result = run_cli(["changelog"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert f"warning: release tag 'kb-v0.3.0' names a {what}, not a commit" in result.stderr
    assert "0\\.3\\.0" not in result.stdout and "## 0\\.2\\.0" in result.stdout


def test_a_release_with_a_missing_object_is_a_clean_error(repo: Path) -> None:
    """A partial or damaged clone lacks a blob of a tagged commit: diff says so, the changelog skips the tag."""
    sha = _git(repo, "rev-parse", "kb-v0.1.0:kb/practices/read-the-reference-code.yaml").strip()
    (repo / ".git" / "objects" / sha[:2] / sha[2:]).unlink()
    result = run_cli(["diff", "kb-v0.1.0", "kb-v0.2.0"], cwd=repo)
    assert result.exit_code == 2
    assert f"git cannot read 'kb/practices/read-the-reference-code.yaml' at kb-v0.1.0 (object {sha}" in result.stderr
    result = run_cli(["changelog"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "## 0\\.2\\.0" in result.stdout
    assert "warning: release tag 'kb-v0.1.0' cannot be read: git cannot read" in result.stderr
