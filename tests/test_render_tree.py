"""``render -o DIR``: the complete Markdown tree, written atomically; bad input is a located error."""

from __future__ import annotations

from pathlib import Path

from generator.write.mkdocs_hooks import generated_files
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
