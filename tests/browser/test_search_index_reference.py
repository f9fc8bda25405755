"""The real site's search index has the other spellings the straightforward code finds (issue 15).

:mod:`tests.render.searchindex_reference` searches every synonym pattern in
every text; the build uses the quick way. For every entry of the real index,
``syn`` and ``alt`` are what the reference makes of the entry's text, title
and tags, and the text and title keep no bound prefix unbound.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import RealSite
from tests.render import searchindex_reference as ref
from tests.site_fixtures import search_index

# A MkDocs build of the real KB (shared with the other site tests).
pytestmark = [pytest.mark.site, pytest.mark.browser]


def test_every_entry_has_the_other_spellings_of_the_reference(real_site: RealSite) -> None:
    docs = search_index(real_site.root)["docs"]
    assert len(docs) > 500
    for doc in docs:
        text, title, tags = doc["text"], doc["title"], doc.get("tags", [])
        expected = ref.new_words(ref.extra_words(text), text)
        if "more" in doc:
            # The prose behind ``more`` (a checklist item's how-to) is not in the index,
            # so its spellings cannot be recomputed here (test_searchindex_speed compares
            # them on the raw texts): the text's own spellings must all be there.
            syn = doc.get("syn", "")
            assert set(expected.split()) <= set(syn.split()), doc["location"]
            assert not set(doc["more"].split()) & set(f"{text} {syn}".lower().split()), doc["location"]
            continue
        assert doc.get("syn", "") == expected, doc["location"]
        assert doc.get("alt", "") == ref.alt_words(title, doc["location"], tags), doc["location"]
        assert (ref.bind_prefixes(text), ref.bind_prefixes(title)) == (text, title), doc["location"]
    assert sum("syn" in doc for doc in docs) > len(docs) // 2
