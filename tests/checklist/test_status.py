"""Round trip: export a checklist, tick some items, read it back, compare with a newer KB."""

from __future__ import annotations

import csv
import io
import json

import pytest

from generator.checklist.compose import Query, all_item_ids, compose
from generator.checklist.export import to_csv, to_json, to_markdown
from generator.checklist.status import NotAChecklist, compare, parse_checklist, report_json, report_text
from tests.checklist_kb import FILES, checked_kb

QUERY = Query(scenario="pytorch-to-onnx-runtime")
TICKED = {"pin-environment/lock-file", "compare-converted-outputs/record-tolerance"}


@pytest.fixture(scope="module")
def kb():
    return checked_kb()


@pytest.fixture(scope="module")
def checklist(kb):
    return compose(kb, QUERY, commit="abc1234")


def tick_markdown(text: str, uids: set[str]) -> str:
    """Tick items the way GitHub does: '[ ]' becomes '[x]' on the item's line."""
    lines = []
    for line in text.splitlines(keepends=True):
        if any(f"<!-- item: {uid} -->" in line for uid in uids):
            line = line.replace("- [ ]", "- [x]", 1)
        lines.append(line)
    return "".join(lines)


def tick_csv_like_a_spreadsheet(text: str, uids: set[str]) -> str:
    """Fill the status column with 'x' and save with ';' as LibreOffice does in many locales."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    at = rows[0].index("status")
    for row in rows[1:]:
        row[at] = "x" if row[0] in uids else ""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue()


def test_markdown_round_trip(kb, checklist) -> None:
    filled = parse_checklist(tick_markdown(to_markdown(checklist), TICKED), "todo.md")
    assert filled.fmt == "md"
    assert filled.query == QUERY
    assert (filled.kb_version, filled.commit) == ("1.2.3", "abc1234")
    assert list(filled.status) == [i.uid for i in checklist.items]
    report = compare(filled, checklist, all_item_ids(kb.kb))
    assert set(report.done) == TICKED
    assert report.open == ["pin-environment/pin-versions", "compare-converted-outputs/compare-outputs"]
    assert (report.gone, report.new) == ([], [])


def test_markdown_export_with_ticks_reads_back_the_same(checklist) -> None:
    assert parse_checklist(to_markdown(checklist, TICKED), "x.md").status == {
        i.uid: i.uid in TICKED for i in checklist.items
    }


def test_markdown_pasted_into_an_issue_keeps_working(checklist) -> None:
    # GitHub may turn line endings into CRLF and people add their own notes.
    text = tick_markdown(to_markdown(checklist), TICKED).replace("\n", "\r\n") + "\r\n- [x] my own note\r\n"
    filled = parse_checklist(text, "issue.txt")
    assert {uid for uid, done in filled.status.items() if done} == TICKED
    assert filled.query == QUERY


def test_csv_round_trip_through_a_spreadsheet(kb, checklist) -> None:
    filled = parse_checklist(tick_csv_like_a_spreadsheet(to_csv(checklist), TICKED), "todo.csv")
    assert filled.fmt == "csv"
    assert filled.query == QUERY
    report = compare(filled, checklist, all_item_ids(kb.kb))
    assert set(report.done) == TICKED
    assert len(report.open) == 2


def test_csv_exported_with_ticks_reads_back(checklist) -> None:
    filled = parse_checklist(to_csv(checklist, TICKED), "todo.csv")
    assert {uid for uid, done in filled.status.items() if done} == TICKED


def test_json_round_trip(kb, checklist) -> None:
    filled = parse_checklist(to_json(checklist, TICKED), "todo.json")
    assert (filled.fmt, filled.query, filled.commit) == ("json", QUERY, "abc1234")
    assert {uid for uid, done in filled.status.items() if done} == TICKED


def test_removed_and_new_items_are_reported(checklist) -> None:
    exported = tick_markdown(to_markdown(checklist), {"pin-environment/lock-file"})
    # The KB moves on: 'lock-file' is removed, a new item is added, and compare-converted-outputs
    # now requires TFLite, so the scenario stops selecting it.
    newer = checked_kb(
        {
            "practices/pin-environment.yaml": FILES["practices/pin-environment.yaml"]
            .replace("  - id: lock-file\n    text: Install from a lock file in CI.\n", "")
            .replace(
                "checklist:\n",
                "checklist:\n  - id: hash-wheels\n    text: Verify the hashes of every installed wheel.\n",
            ),
            "practices/compare-converted-outputs.yaml": FILES["practices/compare-converted-outputs.yaml"].replace(
                "target: [onnx, onnx-runtime, tflite]", "target: [tflite]"
            ),
        }
    )
    filled = parse_checklist(exported, "todo.md")
    current = compose(newer, filled.query or Query(), commit="def5678")
    report = compare(filled, current, all_item_ids(newer.kb))
    assert report.done == []
    assert report.open == ["pin-environment/pin-versions"]
    assert report.gone == [
        ("pin-environment/lock-file", "removed from the knowledge base"),
        ("compare-converted-outputs/compare-outputs", "no longer selected by this query"),
        ("compare-converted-outputs/record-tolerance", "no longer selected by this query"),
    ]
    assert report.new == ["pin-environment/hash-wheels"]
    assert report_text(report, current, "todo.md") == (
        "todo.md: query 'scenario=pytorch-to-onnx-runtime', exported from KB 1.2.3 at commit abc1234; "
        "current KB 1.2.3 at commit def5678\n"
        "done: 0 of 1 (0%)\n"
        "open (1):\n"
        "  [ ] pin-environment/pin-versions  Record the exact versions of every dependency.\n"
        "no longer in the checklist (3):\n"
        "  [x] pin-environment/lock-file  (removed from the knowledge base)\n"
        "  [ ] compare-converted-outputs/compare-outputs  (no longer selected by this query)\n"
        "  [ ] compare-converted-outputs/record-tolerance  (no longer selected by this query)\n"
        "new since export (1):\n"
        "  [ ] pin-environment/hash-wheels  Verify the hashes of every installed wheel.\n"
    )
    data = json.loads(report_json(report))
    assert data["gone"][0] == {
        "id": "pin-environment/lock-file",
        "reason": "removed from the knowledge base",
        "done": True,
    }
    assert data["new"] == ["pin-environment/hash-wheels"]


def test_items_with_the_same_text_stay_separate(kb) -> None:
    text = "- [x] Record versions. <!-- item: pin-environment/pin-versions -->\n"
    current = compose(kb, Query(paradigms=("conceptual-reuse",)))
    report = compare(parse_checklist(text, "a.md"), current, all_item_ids(kb.kb))
    assert (report.done, report.gone) == (["pin-environment/pin-versions"], [])
    assert "read-the-reference-code/note-versions" in report.new


def test_a_file_without_its_query_still_reports_progress(kb) -> None:
    text = "- [x] one <!-- item: pin-environment/lock-file -->\n- [ ] two <!-- item: gone-practice/item -->\n"
    filled = parse_checklist(text, "notes.md")
    assert filled.query is None
    report = compare(filled, None, all_item_ids(kb.kb))
    assert report.done == ["pin-environment/lock-file"]
    assert report.gone == [("gone-practice/item", "removed from the knowledge base")]
    assert report.new is None
    assert "new since export: unknown" in report_text(report, None, "notes.md")


def test_query_parts_this_version_cannot_read_are_named(checklist) -> None:
    """A hand-edited or newer query keeps what it can; what it drops is said, in every format."""
    odd = "scenario=pytorch-to-onnx-runtime&trains=maybe&colour=blue"
    md = to_markdown(checklist).replace("query: scenario=pytorch-to-onnx-runtime", f"query: {odd}", 1)
    data = json.loads(to_json(checklist))
    data["query_string"] = odd
    rows = list(csv.reader(io.StringIO(to_csv(checklist).removeprefix("\ufeff"), newline="")))
    at = rows[0].index("query")
    for row in rows[1:]:
        row[at] = odd
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    for name, text in (("a.md", md), ("a.json", json.dumps(data)), ("a.csv", out.getvalue())):
        filled = parse_checklist(text, name)
        assert filled.query == QUERY, name
        assert filled.unread == ("trains=maybe", "colour=blue"), name
    assert parse_checklist(to_markdown(checklist), "a.md").unread == ()
    assert Query.unread("trains=TRUE&multi_device=false&hardware=quantum") == ()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.md", "# Just notes\n- [ ] no ids here\n", "no checklist items found"),
        ("a.csv", "name,done\nx,yes\n", "needs 'id' and 'status' columns"),
        ("a.csv", "", "the CSV file is empty"),
        ("a.csv", "id,status\nnot an id,done\n", "no rows with an item id"),
        ("a.json", "{not json", "not valid JSON"),
        ("a.json", '{"items": []}', "not a checklist export"),
    ],
)
def test_unreadable_files(name: str, text: str, message: str) -> None:
    with pytest.raises(NotAChecklist, match=message):
        parse_checklist(text, name)


def test_format_is_sniffed_without_a_suffix(checklist) -> None:
    assert parse_checklist(to_csv(checklist), "download").fmt == "csv"
    assert parse_checklist(to_json(checklist), "download").fmt == "json"
    assert parse_checklist(to_markdown(checklist), "download").fmt == "md"
