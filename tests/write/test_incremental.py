"""``make serve``: after an edit, pages reused from the memo are the pages a full render gives.

The real ``kb/`` is copied, rendered once through a memo, edited (text,
titles, importance, relations, sub-types, the bibliography), and rendered
again through the memo; the result must equal a render without a memo of
the edited KB, byte for byte. A failed edit leaves the memo as it was.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from generator.render.incremental import PageMemo
from generator.write.mkdocs_hooks import mirror, on_env, on_page_context
from generator.write.tree import Generated, TreeError, generated_pages

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve") / "kb"
    shutil.copytree(ROOT / "kb", root)
    return root


def _edit(path: Path, change: Callable[[str], str]) -> str:
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, f"the edit did not apply to {path}"
    path.write_text(after, encoding="utf-8")
    return before


def _sub(pattern: str, replacement: str) -> Callable[[str], str]:
    return lambda text: re.sub(pattern, replacement, text, count=1, flags=re.M)


def _field_line(root: Path, folder: str, key: str) -> Path:
    return next(p for p in sorted((root / folder).glob("*.yaml")) if re.search(rf"^{key}:", p.read_text(), re.M))


def _with_parent(root: Path) -> Path:
    return next(p for p in sorted((root / "defects").glob("*.yaml")) if re.search(r"^parent: \S", p.read_text(), re.M))


def _two_addresses(root: Path) -> Path:
    for path in sorted((root / "practices").glob("*.yaml")):
        if re.search(r"^addresses:\n  - .*\n(?:    .*\n)*  - ", path.read_text(), re.M):
            return path
    raise AssertionError("no practice addresses two challenges")


EDITS: dict[str, Callable[[Path], tuple[Path, Callable[[str], str]]]] = {
    "practice summary": lambda r: (
        _field_line(r, "practices", "summary"),
        _sub(r"^summary: (>-\n  )?", r"\g<0>Edited "),
    ),
    "practice title": lambda r: (_field_line(r, "practices", "title"), _sub(r"^title: ", "title: Edited ")),
    "practice importance": lambda r: (
        _field_line(r, "practices", "importance"),
        lambda t: re.sub(
            r"^importance: (\w+)",
            lambda m: "importance: " + ("situational" if m.group(1) != "situational" else "essential"),
            t,
            count=1,
            flags=re.M,
        ),
    ),
    "practice drops a challenge": lambda r: (_two_addresses(r), _sub(r"^(addresses:\n)  - .*\n(?:    .*\n)*", r"\1")),
    "checklist item": lambda r: (
        _field_line(r, "practices", "checklist"),
        _sub(r"^(checklist:\n  - id: .*\n    text: (?:>-\n      )?)", r"\1Edited "),
    ),
    "challenge title": lambda r: (_field_line(r, "challenges", "title"), _sub(r"^title: ", "title: Edited ")),
    "sub-type title": lambda r: (_with_parent(r), _sub(r"^title: ", "title: Edited ")),
    "stage title": lambda r: (_field_line(r, "stages", "title"), _sub(r"^title: ", "title: Edited ")),
    "paradigm summary": lambda r: (
        _field_line(r, "paradigms", "summary"),
        _sub(r"^summary: (>-\n  )?", r"\g<0>Edited "),
    ),
    "bibliography": lambda r: (r / "references.bib", _sub(r"title\s*=\s*\{", "title = {Edited ")),
}


#: Edits of files every entity page reads: every page is rendered again.
GLOBAL = {"bibliography"}
#: Edits of an entry most pages link to (every practice and challenge names its paradigms).
WIDE = {"paradigm summary"}


@pytest.fixture(scope="module")
def baseline(real_kb: Path) -> tuple[PageMemo, Generated]:
    memo = PageMemo()
    return memo, generated_pages(real_kb, memo)


@pytest.mark.site  # renders the real KB three times per edit (seconds each)
@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_renders_what_a_full_build_renders(
    real_kb: Path, baseline: tuple[PageMemo, Generated], name: str
) -> None:
    memo, original = baseline
    path, change = EDITS[name](real_kb)
    before = _edit(path, change)
    try:
        incremental = generated_pages(real_kb, memo)
        full = generated_pages(real_kb)
    finally:
        path.write_text(before, encoding="utf-8")
    assert incremental.files == full.files
    if name in GLOBAL:
        assert set(memo.pages) <= set(memo.rendered)
    elif name in WIDE:
        assert memo.rendered
    else:
        assert 0 < len(memo.rendered) < len(memo.pages) / 2, "rendered nothing, or most pages"
    assert generated_pages(real_kb, memo).files == original.files  # and back


def _page(generated: Generated, path: str) -> str:
    return str(generated.files[path])


def test_a_summary_edit_renders_its_page_its_neighbours_and_the_index_only(kb_copy: Callable[..., Path]) -> None:
    root = kb_copy() / "kb"
    memo = PageMemo()
    first = generated_pages(root, memo)
    _edit(root / "practices" / "read-the-reference-code.yaml", _sub(r"^summary: ", "summary: Xyzzy "))
    second = generated_pages(root, memo)
    shown = {path for path, text in second.files.items() if "Xyzzy" in str(text)}
    own = "practices/read-the-reference-code.md"
    assert {own, "challenges/under-documented-reference-model.md", "practices/index.md", "print.md"} <= shown
    assert {own, "challenges/under-documented-reference-model.md"} <= set(memo.rendered)
    unrelated = "stages/testing.md"
    assert unrelated not in memo.rendered
    assert second.files[unrelated] is first.files[unrelated]
    for same in ("checklists/pytorch-to-onnx-runtime.md", "downloads/graph.json"):  # no summary on them: kept
        assert second.files[same] is first.files[same]
    assert second.files == generated_pages(root).files


def test_an_invalid_edit_is_a_located_error_and_leaves_the_memo(kb_copy: Callable[..., Path]) -> None:
    root = kb_copy() / "kb"
    memo = PageMemo()
    first = generated_pages(root, memo)
    kept = dict(memo.pages)
    stage = root / "stages" / "testing.yaml"
    before = _edit(stage, lambda t: "id: [unclosed\n" + t)
    with pytest.raises(TreeError, match=r"testing\.yaml"):
        generated_pages(root, memo)
    assert memo.pages == kept
    stage.write_text(before, encoding="utf-8")
    assert generated_pages(root, memo).files == first.files


def test_a_page_built_again_forgets_its_earlier_search_entries() -> None:
    """Material keeps the last index under a dirty rebuild and replaces one page's entries; we forget the rest."""
    earlier = SimpleNamespace(
        entries=[{"location": "a.html"}, {"location": "a.html#x"}, {"location": "b.html"}, {"location": "gone.html"}]
    )
    config: Any = SimpleNamespace(plugins={"material/search": SimpleNamespace(search_index_prev=earlier)})
    files: Any = SimpleNamespace(
        documentation_pages=lambda: [SimpleNamespace(url="a.html"), SimpleNamespace(url="b.html")]
    )
    on_env(None, config=config, files=files)
    assert earlier.entries == [{"location": "a.html"}, {"location": "a.html#x"}, {"location": "b.html"}]
    on_page_context({}, page=SimpleNamespace(url="a.html"), config=config, nav=None)
    assert earlier.entries == [{"location": "b.html"}]


def test_the_mirror_writes_only_what_changed(tmp_path: Path) -> None:
    assert mirror(tmp_path, "a/page.md", "one") is True
    stamp = (tmp_path / "a" / "page.md").stat().st_mtime_ns
    assert mirror(tmp_path, "a/page.md", "one") is False
    assert (tmp_path / "a" / "page.md").stat().st_mtime_ns == stamp
    assert mirror(tmp_path, "a/page.md", "two") is True
    assert (tmp_path / "a" / "page.md").read_text(encoding="utf-8") == "two"
    (tmp_path / "a" / "page.md").unlink()  # someone emptied the cache
    assert mirror(tmp_path, "a/page.md", "two") is True
