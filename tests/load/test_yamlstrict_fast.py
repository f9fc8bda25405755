"""The fast path of the strict reader agrees with the careful one on every file both accept."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import yamlstrict
from generator.load.yamlstrict import YamlProblem, _build_fast, _Fallback, _parse_careful, decode, parse

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for folder in ("kb", "tests") for p in (ROOT / folder).rglob("*.yaml"))
HOSTILE = ROOT / "tests" / "hostile"
#: The hostile corpus runs with the other corpus tests (marker ``sweep``), outside ``make test-fast``.
PARAMS = [pytest.param(p, marks=pytest.mark.sweep) if HOSTILE in p.parents else p for p in FILES]


@pytest.mark.parametrize("path", PARAMS, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_path_equals_careful_path(path: Path) -> None:
    try:
        text = decode(path.read_bytes())
    except YamlProblem:
        return  # decoding is shared by both paths
    try:
        careful = _parse_careful(text)
    except YamlProblem:
        with pytest.raises(_Fallback):
            _build_fast(text)
        return
    fast = _build_fast(text)
    assert fast.data == careful.data
    assert fast.positions == careful.positions
    assert list(fast.positions) == list(careful.positions)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "? [a]\n: 1\n",
        "a: 1\n---\nb: 2\n",
        "",
        "a: [\n",
        "a:\n" + "".join("  " * i + "- \n" for i in range(1, 30)),
        "a: 'b\x07'\n",
    ],
)
def test_problems_read_the_same_as_on_the_careful_path(text: str) -> None:
    raw = text.encode()
    with pytest.raises(YamlProblem) as fast:
        parse(raw)
    with pytest.raises(YamlProblem) as careful:
        _parse_careful(decode(raw))
    assert (fast.value.code, fast.value.message, fast.value.line, fast.value.col) == (
        careful.value.code,
        careful.value.message,
        careful.value.line,
        careful.value.col,
    )


def test_clean_files_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str) -> None:
        raise AssertionError("careful path used")

    monkeypatch.setattr(yamlstrict, "_parse_careful", fail)
    assert parse(b"a: [1, no, '2']\nb: {c: null}\n").data == {"a": [1, "no", "2"], "b": {"c": None}}
