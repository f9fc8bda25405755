"""Hardening (issue 12): property tests on any Unicode, linear time on long hostile input, paths.

Property tests use hypothesis with modest example counts (the suite shares
two cores); the text strategy mixes arbitrary code points (surrogates and
controls included) with the characters that broke things before.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import os
import re
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator.checklist.compose import Query, compose
from generator.checklist.export import export
from generator.checklist.status import NotAChecklist, parse_checklist
from generator.findings import visible
from generator.ids import is_device_name, url_problem
from generator.load.bibtex import MacroError, parse_bibtex, resolve_value
from generator.load.files import KbNotFound, kb_base, raw_kb_from_mapping, read_kb, walk_kb
from generator.load.yamlstrict import YamlProblem, parse
from generator.markup import (
    FORMULA_STARTS,
    attr,
    csv_cell,
    csv_uncell,
    dot_quote,
    export_json,
    export_text,
    front_matter_text,
    gfm_text,
    markdown_block,
    markdown_inline,
    markdown_text,
    scrub,
)
from generator.models import FOLDERS
from generator.pipeline import check
from generator.render import BuildInfo, render_build
from generator.render.exports import graph_graphml, graph_json, kb_json
from generator.urls import CHECKLISTS_FOLDER, RESERVED_NAMES
from generator.validate import lint_evidence, rules
from generator.write.files import OutsideRoot, write_atomic
from tests.conftest import BASE_KB

NASTY = (
    "\x00\x01\x07\x1b\x7f\x85\u2028\u2029\u202a\u202e\u2066\u2069\u200b\u200d\u2060\ufeff\ufffe\uffff\ud800\udfff\r\n\t"
)
NASTY += "=+-@＝＋－＠﹢−:\\`*_[]()<>&\"'|#!~$"
TEXT = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY)),
    max_size=60,
)
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HIDDEN = {"Cc", "Cf", "Cs"}


def _xml_legal(text: str) -> bool:
    return all(
        ch in "\t\n\r" or 0x20 <= ord(ch) <= 0xD7FF or 0xE000 <= ord(ch) <= 0xFFFD or ord(ch) >= 0x10000 for ch in text
    )


# ------------------------------------------------------------------ escapers


@FEW
@given(TEXT)
def test_visible_is_one_printable_line(text: str) -> None:
    shown = visible(text)
    shown.encode("utf-8")  # no lone surrogate survives
    assert "\n" not in shown and "\r" not in shown
    assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for ch in shown)
    if text.isprintable():
        assert shown == text


@FEW
@given(TEXT)
def test_export_text_is_xml_legal_and_has_no_hidden_characters(text: str) -> None:
    clean = export_text(text)
    clean.encode("utf-8")
    assert _xml_legal(clean)
    assert "\x00" not in clean
    assert not any(unicodedata.category(ch) in {"Cf", "Cs"} for ch in clean)
    ET.fromstring(f"<a>{html.escape(clean)}</a>")


@FEW
@given(TEXT)
def test_csv_cells_are_never_formulas_and_round_trip(text: str) -> None:
    clean = export_text(text)
    cell = csv_cell(clean)
    assert csv_uncell(cell) == clean
    assert not (cell[:1] and cell[0] in FORMULA_STARTS)
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell, "x"])
    assert next(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [cell, "x"]


@FEW
@given(TEXT)
def test_export_text_fast_path_keeps_what_the_character_scan_keeps(text: str) -> None:
    slow = "".join(
        ch for ch in text if ch in "\t\n\r" or (unicodedata.category(ch) not in HIDDEN and ch not in "\ufffe\uffff")
    )
    assert export_text(text) == slow
    assert export_text(f"line\n{text}\r\n\tend") == f"line\n{slow}\r\n\tend"


JSON_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=25,
)


@FEW
@given(JSON_DATA)
def test_export_json_is_the_standard_indented_json_of_the_scrubbed_data(data: object) -> None:
    # The checklist's JSON export and the builder page (JSON.stringify(.., null, 2)) rely on this exact text.
    expected = json.dumps(scrub(data), indent=2, sort_keys=True, ensure_ascii=False)
    assert export_json(data) == expected
    assert json.loads(export_json(data)) == json.loads(expected)


_PARSER = MarkdownIt("commonmark")


@FEW
@given(TEXT)
def test_gfm_text_is_one_line_of_plain_text(text: str) -> None:
    line = gfm_text(text)
    line.encode("utf-8")
    assert "\n" not in line
    for token in _PARSER.parse(f"- [ ] {line}"):
        assert token.type not in ("html_block", "heading_open", "hr", "fence", "code_block")
        for child in token.children or []:
            assert child.type not in ("html_inline", "link_open", "image"), (text, line)


@FEW
@given(TEXT)
def test_markdown_text_has_no_markup_and_no_shortcode(text: str) -> None:
    line = markdown_text(text)
    line.encode("utf-8")
    assert "\n" not in line and "<" not in line

    assert not re.search(r":[\w+-]+:", line)


@FEW
@given(TEXT)
def test_rendered_markdown_is_safe_html(text: str) -> None:
    for rendered in (str(markdown_block(text)), str(markdown_inline(text))):
        rendered.encode("utf-8")
        assert "<script" not in rendered.lower()
        assert "javascript:" not in rendered.lower()
        assert _xml_legal(rendered)


@FEW
@given(TEXT)
def test_dot_attr_and_front_matter_stay_quoted(text: str) -> None:
    quoted = dot_quote(text)
    inner = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"'
    assert "\n" not in quoted
    assert inner.replace("\\\\", "").replace('\\"', "").count('"') == 0
    value = str(attr(text))
    assert '"' not in value and "<" not in value
    loaded = yaml.safe_load(f"title: {front_matter_text(text)}")["title"]
    assert isinstance(loaded, str) and "<" not in loaded


# ------------------------------------------------------------------ loaders


@FEW
@given(st.binary(max_size=200))
def test_yaml_loader_never_raises_anything_else_on_bytes(data: bytes) -> None:
    try:
        parse(data)
    except YamlProblem as problem:
        assert problem.line >= 1 and problem.col >= 1


@FEW
@given(TEXT)
def test_yaml_loader_reads_any_quoted_text_or_says_why(text: str) -> None:
    source = f"title: {json.dumps(text)}\n".encode()
    try:
        doc = parse(source)
    except YamlProblem as problem:
        assert problem.code in {"invalid-character", "yaml-syntax"}
        return
    assert doc.data == {"title": text}


@FEW
@given(TEXT)
def test_yaml_loader_on_raw_text(text: str) -> None:
    try:
        parse(f"title: {text}\nkey: value\n".encode("utf-8", "surrogatepass"))
    except YamlProblem as problem:
        assert problem.line >= 1


@FEW
@given(TEXT)
def test_status_reader_never_raises_anything_else(text: str) -> None:
    for name in ("x.md", "x.csv", "x.json", "x"):
        with contextlib.suppress(NotAChecklist):
            parse_checklist(text, name)


@FEW
@given(TEXT)
def test_bibtex_reader_reports_everything_as_findings(text: str) -> None:
    parse_bibtex(f"@article{{k2024x, title = {{{text}}}, journal = {text}}}\n{text}", "refs.bib")
    with contextlib.suppress(MacroError):
        resolve_value(text, {})


@FEW
@given(TEXT)
def test_url_check_never_raises(text: str) -> None:
    url_problem(text)
    url_problem("https://" + text)


# ------------------------------------------------------------------ exports


def _kb_with(title: str, item: str) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        p.relative_to(BASE_KB).as_posix(): p.read_bytes() for p in BASE_KB.rglob("*") if p.is_file()
    }
    probe = (
        "# yaml-language-server: $schema=../../schemas/practice.schema.json\n"
        "id: hostile-probe\n"
        f"title: {json.dumps('Probe ' + title)}\n"
        "summary: A practice entry written to probe how the generator handles hostile text.\n"
        "stage: analysis\nparadigms: [conceptual-reuse]\naddresses: [under-documented-reference-model]\n"
        "rationale: Papers omit settings that the released code depends on, so read it.\n"
        "steps:\n  - Diff the paper's hyperparameter table against the code's defaults.\n"
        f"checklist:\n  - id: probe-item\n    text: {json.dumps('Compare ' + item + ' outputs')}\n"
        "evidence:\n  - cite: doe2024study\n    kind: interview-study\n"
        "    shows: Interviewees found settings in code that the paper did not mention.\n    locator: Table 1\n"
    )
    files["practices/hostile-probe.yaml"] = probe
    return files


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT)
def test_every_export_parses_back_on_any_text(title: str, item: str) -> None:
    checked = check(raw_kb_from_mapping(_kb_with(title, item)))
    assume(not any(f.severity.value == "error" for f in checked.findings))
    cl = compose(checked, Query(scenario="pytorch-to-onnx-runtime"))
    md = export(cl, "md")
    assert len(parse_checklist(md, "x.md").status) == len(cl.items)
    for token in _PARSER.parse(md):
        for child in [token, *(token.children or [])]:
            if child.type in ("html_block", "html_inline"):
                assert child.content.strip().startswith("<!--")
    text = export(cl, "csv")
    assert "\x00" not in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert len(rows) == len(cl.items) + 1
    assert all(not (c[:1] and c[0] in FORMULA_STARTS) for row in rows for c in row)
    assert len(json.loads(export(cl, "json"))["items"]) == len(cl.items)
    page = export(cl, "html")
    assert _xml_legal(page) and "\u202e" not in page
    graphml = graph_graphml(checked.graph)
    ET.fromstring(graphml.encode())
    nx.read_graphml(io.BytesIO(graphml.encode()))
    json.loads(graph_json(checked.graph))
    json.loads(kb_json(checked.kb))


# ------------------------------------------------------------------ linear time

Make = Callable[[int], str]


def _seconds(function: Callable[[str], object], text: str) -> float:
    """CPU seconds of one call, the fastest of five: other processes' load only ever adds time.

    (The median of three wall-clock runs failed the ratio at a load average of
    10-13 with helpers' test suites running beside it.)
    """
    runs = []
    for _ in range(5):
        start = time.process_time()
        function(text)
        runs.append(time.process_time() - start)
    return min(runs)


def _status(text: str) -> object:
    try:
        return parse_checklist(text, "x.md")
    except NotAChecklist:
        return None


def _macro(text: str) -> object:
    try:
        return resolve_value(text, {})
    except MacroError:
        return None


LINEAR: list[tuple[str, Callable[[str], object], Make]] = [
    ("status: blank lines", _status, lambda n: "- [ ] x\n" + "\n" * n),
    ("status: spaces then comment openers", _status, lambda n: "- [x] " + " " * n + "<!--" * n),
    ("status: open header", _status, lambda n: "<!-- reengineering-kb checklist | query:" + " " * n),
    ("status: many boxes", _status, lambda n: "- [ ] a <!-- item: a-b/c-d -->\n" * (n // 30)),
    ("gfm: backtick runs", gfm_text, lambda n: "`a``" * (n // 4)),
    ("markdown text: colons", markdown_text, lambda n: ":a" * (n // 2)),
    ("link scan: <a:<a:", lambda t: rules._LINK_RE.findall(t), lambda n: "<a:" * (n // 3)),
    ("link scan: ](](", lambda t: rules._LINK_RE.findall(t), lambda n: "](" * (n // 2)),
    ("address scrub: ](](", lambda t: lint_evidence._ADDRESS_RE.sub(" ", t), lambda n: "](" * (n // 2)),
    ("numbers: 1.1.1", lambda t: lint_evidence._NUMBER_RE.findall(t), lambda n: "1." * (n // 2) + "a"),
    ("url check: long host", url_problem, lambda n: "https://" + "a." * (n // 2)),
    ("bibtex: long concatenation", _macro, lambda n: "{a} # " * (n // 6)),
    ("visible", visible, lambda n: "\x1b\u202e" * (n // 2)),
]


@pytest.mark.parametrize(("name", "function", "make"), LINEAR, ids=[n for n, _, _ in LINEAR])
def test_linear_time_on_long_hostile_input(name: str, function: Callable[[str], object], make: Make) -> None:
    """Eight times the input takes well under 64 times as long (quadratic would): a ratio, not a wall clock."""
    small, large = 4_000, 32_000
    function(make(small))  # warm up caches and compiled patterns
    t_small = max(_seconds(function, make(small)), 1e-4)
    t_large = _seconds(function, make(large))
    assert t_large / t_small < 24 or t_large < 0.05, (name, t_small, t_large)


# ------------------------------------------------------------------ names and paths


@pytest.mark.parametrize("name", ["con", "CON", "aux", "nul", "prn", "com1", "lpt9", "con.yaml", "nul.tar.gz", "com¹"])
def test_device_names(name: str) -> None:
    assert is_device_name(name)


@pytest.mark.parametrize("name", ["console", "auxiliary", "com10", "null", "prnt", "lpt"])
def test_not_device_names(name: str) -> None:
    assert not is_device_name(name)


def test_every_generated_page_in_an_entity_folder_is_a_reserved_name() -> None:
    files = render_build(check(read_kb(BASE_KB)), BuildInfo())
    entity_ids = set(check(read_kb(BASE_KB)).kb.entities)
    folders = {*FOLDERS.values(), CHECKLISTS_FOLDER}
    for path in files:
        parts = path.split("/")
        stem = parts[-1].split(".")[0]
        if len(parts) == 1:
            assert stem in RESERVED_NAMES, path  # top level: kept free for pages that move
        elif parts[0] in folders and stem not in entity_ids:
            assert stem in RESERVED_NAMES, path  # beside entity pages: an id of that name would collide


def test_walk_refuses_links_and_kb_base_refuses_a_linked_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("secret")
    kb = tmp_path / "repo" / "kb"
    (kb / "practices").mkdir(parents=True)
    (kb / "practices" / "link.yaml").symlink_to(outside / "secret.yaml")
    (kb / "linked").symlink_to(outside)
    files, refused = walk_kb(kb)
    assert files == []
    assert sorted((r.rel, r.code) for r in refused) == [("linked", "link-in-kb"), ("practices/link.yaml", "link-in-kb")]
    (tmp_path / "repo" / "kb2").symlink_to(outside)
    with pytest.raises(KbNotFound, match="symbolic link"):
        kb_base(tmp_path / "repo" / "kb2")


def test_write_atomic_with_a_root_never_writes_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "practices").symlink_to(outside)
    with pytest.raises(OutsideRoot):
        write_atomic(kb / "practices" / "x.yaml", "x", root=kb)
    assert list(outside.iterdir()) == []
    (kb / "ok").mkdir()
    target = kb / "ok" / "file.yaml"
    target.symlink_to(outside / "victim.yaml")
    write_atomic(target, "new", root=kb)  # the link itself is replaced
    assert not target.is_symlink() and target.read_text() == "new"
    assert not (outside / "victim.yaml").exists()


# ------------------------------------------------------------------ last resort and git


def test_an_unexpected_failure_is_one_line_naming_the_file(monkeypatch: pytest.MonkeyPatch, kb_copy) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import run_cli

    def boom(self: object, entry: object, ctx: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(rules.CitationsExist, "check", boom)
    result = run_cli(["validate"], cwd=kb_copy())
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    line = result.stderr.strip()
    assert re.fullmatch(r"kb/challenges/\S+\.yaml: error\[internal-error\] KeyError: 'boom'\. This is a bug .*", line)


def test_a_link_committed_to_git_is_refused_not_followed(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from generator.load.gitrefs import read_kb_at

    repo = tmp_path / "repo"
    shutil.copytree(BASE_KB, repo / "kb")
    (repo / "kb" / "practices" / "evil.yaml").symlink_to("/etc/passwd")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@e"
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    raw = read_kb_at(repo / "kb", "HEAD")
    assert [(r.rel, r.code) for r in raw.refused] == [("practices/evil.yaml", "link-in-kb")]
    assert "practices/evil.yaml" not in {f.rel for f in raw.files}


def test_mkdocs_refuses_a_page_reached_through_a_link(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from generator.write.mkdocs_hooks import _check_docs_links

    docs = tmp_path / "docs"
    (docs / "real").mkdir(parents=True)
    (docs / "real" / "page.md").write_text("# ok")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("secret")
    (docs / "linked").symlink_to(outside)
    config = SimpleNamespace(docs_dir=str(docs))
    good = SimpleNamespace(abs_src_path=str(docs / "real" / "page.md"))
    _check_docs_links([good], config)  # type: ignore[arg-type]
    bad = SimpleNamespace(abs_src_path=str(docs / "linked" / "secret.md"))
    with pytest.raises(PluginError, match=r"docs/linked: error\[link-in-docs\]"):
        _check_docs_links([good, bad], config)  # type: ignore[arg-type]


def test_site_never_builds_into_a_linked_folder(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "site").symlink_to(outside)
    result = run_cli(["site", "-d", "site"], cwd=repo)
    assert result.exit_code == 1
    assert "'site' is a symbolic link" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


def test_mkdocs_refuses_a_linked_docs_folder(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from generator.write.mkdocs_hooks import _check_docs_links

    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "docs").symlink_to(outside)
    with pytest.raises(PluginError, match=r"the docs folder is a symbolic link"):
        _check_docs_links([], SimpleNamespace(docs_dir=str(tmp_path / "docs")))  # type: ignore[arg-type]


@FEW
@given(TEXT, TEXT)
def test_fmt_writes_any_text_back_unchanged_or_refuses(title: str, step: str) -> None:
    from generator.contrib.fmt import format_entity
    from generator.contrib.yamlfmt import FormatError

    source = (
        "id: hostile-probe\n"
        f"title: {json.dumps(title)}\n"
        "summary: A practice entry written to probe how the generator handles hostile text.\n"
        f"steps:\n  - {json.dumps(step)}\n"
    )
    try:
        before = parse(source.encode()).data
        after = format_entity(source, "practice")
    except (YamlProblem, FormatError):
        return
    assert parse(after.encode()).data == before
