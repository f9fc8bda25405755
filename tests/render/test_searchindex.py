"""The search index step (issues 14 and 15): what is kept, what is dropped, and the other spellings added."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import material

from generator.render import searchindex as si
from generator.render.bibliography import cited_by_path
from generator.render.searchindex import LUNR_STOP_WORDS, SEPARATOR, bind_prefixes, compact_index, extra_words
from generator.urls import BIBLIOGRAPHY_PAGE, url_of

CONFIG = {
    "separator": r"[\s\-]+",
    "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1e6}},
}


def compact(*docs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = compact_index({"config": CONFIG, "docs": list(docs)})
    return {doc["location"]: doc for doc in out["docs"]}


def test_sections_that_repeat_other_pages_are_dropped_from_entity_pages_only() -> None:
    out = compact(
        {"location": "practices/p.html", "title": "P", "text": "<p>Summary.</p>"},
        {"location": "practices/p.html#relations", "title": "Relations", "text": "Addresses challenges"},
        {"location": "practices/p.html#references", "title": "References", "text": "[1] Doe"},
        {"location": "practices/p.html#why-it-is-essential", "title": "Why it is essential", "text": "x"},
        {"location": "challenges/c.html#evidence", "title": "Evidence", "text": "A study found it."},
        {"location": "practices/p.html#steps", "title": "Steps", "text": "<ol><li>Do it.</li></ol>"},
        # names the ports the page is not for: a query for them must not land here
        {"location": "practices/p.html#when-it-does-not-apply", "title": "When it does not apply", "text": "Node.js"},
        {"location": "about.html#references", "title": "References", "text": "kept"},
        {"location": "print.html", "title": "The whole knowledge base", "text": "everything again"},
    )
    assert sorted(out) == ["about.html#references", "practices/p.html", "practices/p.html#steps"]


def test_listing_pages_keep_their_first_paragraph_only() -> None:
    out = compact(
        {"location": "practices/index.html", "title": "Practices", "text": "<p>What to do.</p><table>P1 P2</table>"},
        {"location": "workflow.html#model-analysis", "title": "Model analysis", "text": "P1 P2"},
    )
    assert out == {"practices/index.html": out["practices/index.html"]}
    assert out["practices/index.html"]["text"] == "What to do."


def test_checklist_bookkeeping_leaves_and_the_item_and_the_words_of_its_how_to_stay() -> None:
    text = (
        "<p>Exported checklists include these items. Tick them.</p> <ol> <li>1.Seed all generators. "
        "<code>p/seed-everything</code>severity: majoreffort: minutes"
        "<p>How: Call <code>torch.manual_seed(s)</code>.</p>"
        "<p>Done when: Two runs match.</p><p>Docs: PyTorch: Reproducibility</p></li> </ol>"
    )
    out = compact({"location": "practices/p.html#checklist-items", "title": "Checklist items", "text": text})
    entry = out["practices/p.html#checklist-items"]
    assert entry["text"] == "Seed all generators."
    # the how-to's words stay searchable, its prose does not fill the index
    assert entry["more"].split() == ["call", "torch", "manual_seed", "s"]
    assert entry["boost"] < 1  # a short list of items weighs less than the page's own entry


def test_how_to_words_that_cannot_match_a_query_are_left_out() -> None:
    text = (
        "<p>Exported checklists include these items.</p> <ol> <li>1.Pin the opset."
        "<p>How: Do not rely on the default; pass <code>opset_version</code> (PyTorch Contributors, 2026f).</p>"
        "</li> </ol>"
    )
    entry = compact({"location": "practices/p.html#checklist-items", "title": "Checklist items", "text": text})
    # "do", "not", "on" and "the" are the theme's stop words; "2026f" is a citation's year and letter
    more = entry["practices/p.html#checklist-items"]["more"].split()
    assert {"rely", "default", "pass", "pytorch", "contributors"} <= set(more)
    assert not {"do", "not", "on", "the", "2026f"} & set(more)


def test_how_to_words_the_page_has_elsewhere_are_left_out() -> None:
    """A page is found by a word in any of its entries: a how-to's copy of it adds bytes, not a way to find it."""
    how = "<p>How: Call <code>torch.manual_seed</code> in the data loader too.</p>"
    items = f"<ol><li>1.Seed all generators.{how}</li></ol>"
    out = compact(
        {"location": "practices/p.html", "title": "Control randomness", "text": "<p>Seed every run.</p>"},
        {"location": "practices/p.html#steps", "title": "Steps", "text": "<p>Call the loader's worker_init_fn.</p>"},
        {"location": "practices/p.html#checklist-items", "title": "Checklist items", "text": items},
        {"location": "practices/q.html#checklist-items", "title": "Checklist items", "text": items},
    )
    # "call" is in the steps of p; q has it only in its how-to
    assert out["practices/p.html#checklist-items"]["more"].split() == ["torch", "manual_seed", "data"]
    assert out["practices/q.html#checklist-items"]["more"].split() == ["call", "torch", "manual_seed", "data"]
    everything = {
        "location": "practices/r.html#checklist-items",
        "title": "Checklist items",
        "text": "<ol><li>1.Call the loader.<p>How: Call the loader.</p></li></ol>",
    }
    assert "more" not in compact(everything)["practices/r.html#checklist-items"]


def test_how_to_words_on_many_pages_are_left_out() -> None:
    """A word a tenth of the site has (and ten pages at least) does not single a page out."""

    def page(n: int, how: str) -> dict[str, str]:
        text = f"<ol><li>1.Check the port.<p>How: {how}</p></li></ol>"
        return {"location": f"practices/p{n}.html#checklist-items", "title": "Checklist items", "text": text}

    assert si.COMMON_PAGES == 10 and si.COMMON_SHARE == 0.1
    common = [page(n, "Call <code>torch.compile</code> with trtexec.") for n in range(si.COMMON_PAGES - 1)]
    common.append(page(9, "Call <code>torch.compile</code>."))
    out = compact(*common, page(10, "Call <code>torch.export</code>."))
    # "call" and "torch" are on eleven pages, "compile" on ten, "trtexec" on nine, "export" on one
    assert out["practices/p0.html#checklist-items"]["more"].split() == ["trtexec"]
    assert "more" not in out["practices/p9.html#checklist-items"]
    assert out["practices/p10.html#checklist-items"]["more"].split() == ["export"]
    # on a small site every word is on a tenth of the pages: the floor keeps them
    small = compact(page(0, "Call <code>torch.compile</code>."), page(1, "Run <code>trtexec</code>."))
    assert small["practices/p0.html#checklist-items"]["more"].split() == ["call", "torch", "compile"]


def test_the_stop_words_are_the_themes() -> None:
    worker = next((Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js"))
    listed = re.search(r"generateStopWordFilter\(\[([^\]]*)\]\)", worker.read_text(encoding="utf-8"))
    assert listed is not None
    assert frozenset(re.findall(r'"([^"]+)"', listed.group(1))) == LUNR_STOP_WORDS


def test_the_words_of_a_how_to_weigh_less_than_the_text() -> None:
    fields = compact_index({"config": CONFIG, "docs": []})["config"]["fields"]
    assert 0 < fields["more"]["boost"] < fields["text"]["boost"] == fields["syn"]["boost"]


def test_the_bibliography_previews_its_first_paragraph_and_indexes_the_words_of_its_entries() -> None:
    text = (
        "<p>Every source the knowledge base cites (2).</p><ol><li>Eric Breck. (2017). The ML Test Score. "
        "BibTeX key <code>breck2017</code></li><li>Andrej Karpathy. (2019). A Recipe for Training.</li></ol>"
    )
    entry = compact({"location": url_of(BIBLIOGRAPHY_PAGE), "title": "References", "text": text})[
        url_of(BIBLIOGRAPHY_PAGE)
    ]
    assert entry["text"] == "Every source the knowledge base cites (2)."
    assert {"breck", "ml", "score", "karpathy", "recipe"} <= set(entry["more"].split())
    assert "breck2017" not in entry["more"]  # bookkeeping stays out


def test_tags_stay_on_the_page_entry_and_weigh_less_than_the_title() -> None:
    out = compact_index(
        {
            "config": CONFIG,
            "docs": [
                {"location": "stages/s.html", "title": "Code review", "text": "x", "tags": ["Workflow stage"]},
                {"location": "stages/s.html#details", "title": "Details", "text": "y", "tags": ["Workflow stage"]},
            ],
        }
    )
    assert [doc.get("tags") for doc in out["docs"]] == [["Workflow stage"], None]
    fields = out["config"]["fields"]
    assert fields["tags"]["boost"] < fields["title"]["boost"] == fields["alt"]["boost"]
    assert fields["syn"]["boost"] == fields["text"]["boost"]
    assert out["config"]["separator"] == SEPARATOR


def test_a_page_entry_gains_its_id_words_and_title_spellings() -> None:
    out = compact(
        {"location": "practices/guard-against-split-leakage.html", "title": "Keep test data apart", "text": "x"}
    )
    alt = out["practices/guard-against-split-leakage.html"]["alt"].split()
    assert {"guard", "split", "leakage", "contamination"} <= set(alt)
    assert "data" not in alt  # already in the title


def test_bound_prefixes_keep_their_word_whole_and_look_the_same() -> None:
    assert bind_prefixes("Non-determinism and re-verify, cross-framework") == (
        "Non\u2011determinism and re\u2011verify, cross-framework"
    )
    assert not re.fullmatch(SEPARATOR, "\u2011")
    out = compact(
        {"location": "challenges/c.html", "title": "Training non-determinism", "text": "x", "tags": ["Non-determinism"]}
    )
    page = out["challenges/c.html"]
    assert page["title"] == "Training non\u2011determinism" and page["tags"] == ["Non\u2011determinism"]
    assert "determinism" in page["alt"].split() and "non" not in page["alt"].split()


def test_other_spellings_are_not_repeated_from_the_text() -> None:
    out = compact({"location": "practices/p.html#steps", "title": "Steps", "text": "<p>Quantise to int8 with NMS.</p>"})
    syn = out["practices/p.html#steps"]["syn"].split()
    assert {"quantization", "quantisation", "suppression"} <= set(syn)
    assert "int8" not in syn and "nms" not in syn and len(syn) == len(set(syn))


def test_ise_and_ize_forms_cover_what_people_type() -> None:
    words = set(extra_words("Give each environment its own container; containerise it.").split())
    assert {"containerization", "containerisation", "containerized"} <= words
    assert {"license", "licence"} <= set(extra_words("Licence and provenance gaps").split())
    assert {"tf", "tensorflow"} <= set(extra_words("Keras model").split())


def test_later_parts_of_split_pages_and_the_lists_of_citing_entries_are_dropped() -> None:
    """A large KB splits listing pages and the print page into parts; they list, or repeat, other pages."""
    out = compact(
        {"location": "print/2.html", "title": "Print", "text": "<p>Every entry, in parts.</p>"},
        {"location": "print/2.html#practices", "title": "Practices", "text": "P1 P2"},
        {"location": "practices/index.html", "title": "Practices", "text": "<p>What to do.</p><table>P1</table>"},
        {"location": "practices/index/2.html", "title": "Practices", "text": "<p>What to do.</p><table>P2</table>"},
        {"location": "tags/2.html#tag:gpu", "title": "GPU", "text": "P1 P2"},
        {"location": "coverage/3.html", "title": "Coverage", "text": "<p>How well.</p>"},
        {"location": url_of(cited_by_path("doe2024")), "title": "Cited by: doe2024", "text": "<p>The 9 entries</p>"},
        {"location": "references/ref-doe2024/2.html", "title": "Cited by: doe2024", "text": "<p>The 9 entries</p>"},
        {"location": "references.html", "title": "References", "text": "<p>Doe (2024): Porting.</p>"},
        {"location": "practices/p.html", "title": "P", "text": "<p>Summary.</p>"},
    )
    assert sorted(out) == ["practices/index.html", "practices/p.html", "references.html"]


def test_alt_leaves_out_words_that_start_a_title_word() -> None:
    """Query words get a trailing wildcard: "convert" in alt would score "Converters ..." twice for one word."""
    out = compact(
        {"location": "practices/upgrade-dependencies-deliberately.html", "title": "Upgrade converters", "text": "x"}
    )
    alt = out["practices/upgrade-dependencies-deliberately.html"]["alt"].split()
    assert "conversion" in alt and "dependencies" in alt  # other words still reach the title's weight
    assert not {"convert", "converter", "upgrade"} & set(alt)
