"""Golden output tree: everything the renderers produce for the base fixture KB.

The pages, diagrams and downloads of ``tests/fixtures/base/kb`` are compared
byte for byte with ``tests/golden/base/``. A diff shows exactly what a change
does to the output. After an intended change, refresh the tree with::

    make golden
"""

from __future__ import annotations

import os
import shutil

import pytest

from generator.pipeline import check_folder
from generator.render import BuildInfo, render_build
from tests.conftest import BASE_KB, TESTS, graphviz_runs

GOLDEN = TESTS / "golden" / "base"
#: Build facts from outside the KB, fixed so the tree does not change with every commit.
BUILD = BuildInfo(commit="0123456789abcdef0123456789abcdef01234567", releases=())


def render() -> dict[str, bytes]:
    files = render_build(check_folder(BASE_KB), BUILD)
    return {path: c.encode("utf-8") if isinstance(c, str) else c for path, c in files.items()}


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return render()


def test_golden_tree(rendered: dict[str, bytes]) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, content in rendered.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(content)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(rendered) == sorted(expected), "file set differs: run 'make golden' if intended"
    changed = [path for path in rendered if rendered[path] != expected[path]]
    assert changed == [], f"output differs from tests/golden/base for {changed}: run 'make golden' if intended"


def test_rendering_is_deterministic(rendered: dict[str, bytes]) -> None:
    again, drawn = graphviz_runs(render)
    assert drawn >= 3  # the workflow, the taxonomy and the entity diagrams were drawn again
    assert again == rendered
