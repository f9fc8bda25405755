"""The Atom feed of releases: one entry per tag, newest first, escaped, no build date."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.history.diff import EntityRef, KbDiff
from generator.history.releases import Release
from generator.pipeline import check_folder
from generator.render.changelog import render_changelog
from generator.urls import FEED_PATH
from tests.conftest import BASE_KB

A = "{http://www.w3.org/2005/Atom}"
RELEASES = [
    Release("Unreleased", None, "", KbDiff("0.2.0", None, added=(EntityRef("practice", "x", "X"),))),
    Release(
        "0.2.0",
        "kb-v0.2.0",
        "2026-06-01",
        KbDiff("0.1.0", "0.2.0", added=(EntityRef("practice", "p", "P <b>&"),), references_added=("k",)),
    ),
    Release("0.1.0", "kb-v0.1.0", "2026-01-15", None, counts=(("practice", 3), ("stage", 2))),
]


def test_feed_lists_tagged_releases_newest_first() -> None:
    files = render_changelog(check_folder(BASE_KB), RELEASES)
    text = files[FEED_PATH]
    assert isinstance(text, str)
    feed = ET.fromstring(text.encode())
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}updated") == "2026-06-01T00:00:00Z"
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == ["Version 0.2.0", "Version 0.1.0"]
    assert entries[0].findtext(f"{A}summary") == "Entries: 1 added. References: 1 added or removed."
    assert entries[1].findtext(f"{A}summary") == "First release: 3 practice entries, 2 stage entries."
    assert [e.findtext(f"{A}id") for e in entries] == [
        "https://reengineering-kb.github.io/kb/changelog.html#kb-v0.2.0",
        "https://reengineering-kb.github.io/kb/changelog.html#kb-v0.1.0",
    ]
    assert "[Atom feed](releases.xml)" in str(files["changelog.md"])


def test_feed_without_releases_is_valid_and_dated_at_the_epoch() -> None:
    feed = ET.fromstring(str(render_changelog(check_folder(BASE_KB), [])[FEED_PATH]).encode())
    assert feed.findall(f"{A}entry") == []
    assert feed.findtext(f"{A}updated") == "1970-01-01T00:00:00Z"
    assert feed.find(f"{A}author/{A}name") is not None
