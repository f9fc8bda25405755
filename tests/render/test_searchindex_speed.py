"""The search index's other spellings, found quickly (issue 15): the same words as the straightforward code.

:mod:`tests.render.searchindex_reference` is the code before the speed-up
(every synonym pattern searched in every text). Here the two are compared on
every text of the real KB, on generated texts made of the words and
separators that matter, and on arbitrary Unicode; and the work done is
counted: patterns tried only where a run may start them, each distinct text
expanded once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.render import searchindex as si
from tests.conftest import ROOT
from tests.render import searchindex_reference as ref

SOME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Words and phrases the synonym patterns, bound prefixes and spellings are about, with near misses.
VOCABULARY = [
    "NMS", "nms", "non-maximum", "non-max", "suppression", "Non-Determinism", "nondeterministic", "determinism",
    "non", "int8", "uint8", "INT4", "dequantized", "quantise", "Quantization", "low", "precision",
    "low-precision", "ptq", "QAT", "fp16", "bf16", "float16", "half", "mixed-precision", "amp", "AMP",
    "autocast", "example", "fp32", "float32", "single", "tensorflow", "TF", "TF2", "tf3", "keras", "Keras",
    "tflite", "TensorFlow", "lite", "litert", "onnx", "ONNX", "runtime", "onnxruntime", "ORT", "hugging",
    "face", "HuggingFace", "HF", "transformers", "batch", "norm", "batchnorm", "BatchNorm", "normalisation",
    "BN", "learning", "rate", "rates", "learning-rate", "LR", "lr", "TPU", "TPUs", "XLA", "GPUs", "CUDA",
    "cuDNN", "out", "of", "memory", "OOM", "output", "random", "seed", "seeds", "seeding", "seeded",
    "hyper-parameter", "hyperparameters", "pre-processing", "preprocess", "pre-trained", "pretrained",
    "fine-tuning", "finetune", "convert", "converted", "conversions", "converter", "verify", "verification",
    "reproducible", "reproducibility", "evaluate", "evaluation", "tolerance", "allclose", "atol", "rtol",
    "opset", "opset_version", "leakage", "leaks", "contaminated", "docker", "Dockerfile", "container",
    "containerise", "containerized", "conda", "virtualenv", "venv", "requirements.txt", "requirements",
    "lockfile", "lock", "file", "files", "checkpoint", "ckpt", "mAP", "MAP", "mean", "average", "data",
    "loader", "dataloaders", "licence", "licensed", "licensing", "modelling", "modeled", "modeler", "labelled",
    "labeling", "centre", "centers", "analyse", "analyzed", "gray", "grey", "optimisation", "optimized",
    "Optimiser", "tokenizer", "serialise", "realised", "precise", "exercise", "size", "behaviour", "behavioral",
    "colour", "colors", "flavour", "labour", "favourite", "re-verify", "co-design", "multi-GPU",
    "post-processing", "sub-module", "anti-pattern", "semi-supervised", "bi-directional", "un-do",
    "mid-training", "Re-Run", "PRE-TRAINED", "x-ray", "2-d", "torch.manual_seed", "v1.2", "e.g.", "data.",
    ".data", "a.b.c", "_x", "x_", "8int",
]  # fmt: skip
#: What goes between words: spaces, hyphens (also non-breaking), dots, slashes, tags and nothing.
SEPARATORS = [" ", " ", " ", "-", "\u2011", ".", ". ", "/", "_", "", ", ", "(", ") ", "--", " -", "- ", "\n"]
SEPARATORS += ["<code>", "</code>", "<p>", "</p> ", "<li>", "</li>", " <ol> ", "<", ">", "&amp;"]
#: Letters that case-insensitive matching folds into ASCII ones, and other non-ASCII.
ODD = ["\u017f", "\u212a", "\u0130", "\u0131", "\u00e9", "\u00df", "\u2011", "\u00a0", "\u0660"]

WORD = st.one_of(st.sampled_from(VOCABULARY), st.sampled_from(VOCABULARY).map(str.upper), st.sampled_from(ODD))
TEXTS = st.lists(st.tuples(WORD, st.sampled_from(SEPARATORS)), max_size=25).map(
    lambda pairs: "".join(word + separator for word, separator in pairs)
)
ANY_TEXT = st.text(max_size=80)


def kb_strings(data: Any) -> Iterator[str]:
    """Every string of a parsed YAML document."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from kb_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from kb_strings(value)


def real_texts() -> list[str]:
    """Every string of the real KB, and each entry's strings joined (as a page's text joins them)."""
    texts: list[str] = []
    for path in sorted((ROOT / "kb").rglob("*.yaml")):
        strings = list(kb_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
        texts.extend(strings)
        texts.append(" <p>".join(strings))
    texts.append((ROOT / "kb" / "references.bib").read_text(encoding="utf-8"))
    return list(dict.fromkeys(texts))


def same_words(text: str) -> None:
    for prefixes in (True, False):
        assert si.extra_words(text, prefixes=prefixes) == ref.extra_words(text, prefixes=prefixes), (text, prefixes)
    assert si.bind_prefixes(text) == ref.bind_prefixes(text), text
    wanted = {word.strip(".") for word in ref._WORD_SPLIT.split(ref._TAGS.sub(" ", text).lower())}
    assert si._words_in(text) - {""} == wanted - {""}, text


# ------------------------------------------------------------------ the same words


def test_every_text_of_the_real_kb_gets_the_same_words() -> None:
    texts = real_texts()
    assert len(texts) > 1000
    for text in texts:
        same_words(text)


@SOME
@given(TEXTS)
def test_generated_texts_get_the_same_words(text: str) -> None:
    same_words(text)


@SOME
@given(ANY_TEXT)
def test_any_unicode_gets_the_same_words(text: str) -> None:
    same_words(text)


@SOME
@given(TEXTS, TEXTS)
def test_new_words_are_the_same(words: str, text: str) -> None:
    candidates = f"{words} {si.extra_words(text)} {text.lower()}"
    assert si._new_words(candidates, text) == ref.new_words(candidates, text)


LOCATIONS = [
    "practices/p.html",
    "practices/non-max-suppression.html",
    "practices/p.html#steps",
    "practices/p.html#relations",
    "practices/index.html",
    "practices/index.html#a",
    "challenges/c.html#checklist-items",
    "references.html",
    "references/ref-x.html",
    "findings.html#codes",
    "workflow.html",
    "print.html",
    "about.html#pre-trained-models",
    "index.html",
]
BOOKKEEPING = [
    "<li>1.",
    "<code>p/seed-everything</code>",
    "severity: majoreffort: minutes",
    "<p>Done when: it runs.</p>",
    "<p>Scope [2] only on GPUs.</p>",
    "BibTeX key <code>doe2024</code>",
    "Cited by: a, b",
    "<p>Exported checklists include these items. Tick.</p>",
    "<pre>example</pre>",
    "<p>How: Call <code>torch.manual_seed(s)</code> on non-negative, channels-last NMS input.</p>",
    "<p>Every source (2).</p>",
]
DOC_TEXTS = st.lists(st.one_of(TEXTS, st.sampled_from(BOOKKEEPING)), max_size=6).map("".join)
DOCS = st.lists(
    st.fixed_dictionaries(
        {"location": st.sampled_from(LOCATIONS), "title": TEXTS, "text": DOC_TEXTS},
        optional={"tags": st.lists(TEXTS, max_size=3), "boost": st.sampled_from([0.5, 2.0])},
    ),
    max_size=8,
)


@SOME
@given(DOCS)
def test_compacted_entries_are_the_same(docs: list[dict[str, Any]]) -> None:
    out = si.compact_index({"config": {}, "docs": docs})
    assert out["docs"] == ref.drop_page_words([new for new in map(ref.compact_entry, docs) if new is not None])
    assert si.compact_index({"config": {}, "docs": docs}, {}) == out  # make serve's per-entry cache


def test_forgetting_what_runs_add_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(si, "_MAX_REMEMBERED", 5)
    monkeypatch.setattr(si, "_RUNS", {})
    monkeypatch.setattr(si, "_PLAIN_RUNS", set())
    for text in real_texts()[:300]:
        same_words(text)
    assert 0 < len(si._RUNS) + len(si._PLAIN_RUNS) <= 6


# ------------------------------------------------------------------ how patterns are read


def test_the_alternatives_of_each_pattern_make_it_up() -> None:
    for pattern, _ in si.SYNONYMS:
        alternatives = si._alternatives(pattern)
        assert "|".join(alternatives) == pattern
        for alternative in alternatives:
            re.compile(alternative)
    assert si._alternatives(r"a(?:b|c)|[|]d|e\|f") == ["a(?:b|c)", "[|]d", r"e\|f"]


@pytest.mark.parametrize(
    ("alternative", "expected"),
    [
        ("u?int8", None),
        (r"(?:de)?quanti[sz]\w*", None),
        ("TPUs?", None),
        ("model{1,2}(?:ing|ed|er)", None),
        ("hugging ?face", "hugging"),
        ("out[ -]of[ -]memory", "out"),
        (r"requirements\.txt", "requirements"),
        ("non-?max(?:imum)?[ -]suppression", "non"),
        ("data ?loaders?", "data"),
        ("ab? c", "a"),
        ("(?:x|y) z", ""),
        (r"\w+ z", ""),
        ("a.b", "a"),
    ],
)
def test_the_trigger_of_an_alternative(alternative: str, expected: str | None) -> None:
    assert si._trigger(alternative) == expected


ALTERNATIVES = [(alternative, si._trigger(alternative)) for p, _ in si.SYNONYMS for alternative in si._alternatives(p)]


@SOME
@given(st.data())
def test_every_match_going_past_one_run_starts_with_its_trigger(data: st.DataObject) -> None:
    alternative, start = data.draw(st.sampled_from(ALTERNATIVES))
    match = data.draw(st.from_regex(re.compile(alternative, re.I), fullmatch=True))
    if start is None:
        assert re.fullmatch(r"\w+", match), (alternative, match)
    else:
        assume(match.isascii())
        assert match.lower().startswith(start), (alternative, match)


def test_no_synonym_pattern_matches_nothing() -> None:
    """A match is at least one run, so every match is found through the runs of a text."""
    for pattern, _ in si._GROUPS:
        assert not pattern.search(" - . "), pattern.pattern


@SOME
@given(st.data())
def test_every_bookkeeping_match_holds_its_string(data: st.DataObject) -> None:
    contained, pattern = data.draw(st.sampled_from(si._BOOKKEEPING))
    assert contained in data.draw(st.from_regex(pattern, fullmatch=True))


# ------------------------------------------------------------------ the work done


class Counting:
    """A compiled pattern whose ``match`` and ``search`` calls are counted."""

    def __init__(self, pattern: re.Pattern[str], calls: list[str]) -> None:
        self.pattern = pattern
        self.calls = calls

    def match(self, text: str, at: int = 0) -> re.Match[str] | None:
        self.calls.append("match")
        return self.pattern.match(text, at)

    def search(self, text: str) -> re.Match[str] | None:
        self.calls.append("search")
        return self.pattern.search(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(text)


@pytest.fixture
def tried(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls made to the synonym patterns (none of them searches a whole text)."""
    calls: list[str] = []
    monkeypatch.setattr(si, "_GROUPS", [(Counting(pattern, calls), words) for pattern, words in si._GROUPS])
    return calls


def test_a_long_text_without_a_trigger_tries_no_pattern(tried: list[str]) -> None:
    text = "Compare the reference results with the port's on a fixed input; keras and ORT agree. " * 2000
    assert set(si.extra_words(text).split()) >= {"tf", "tensorflow", "onnxruntime"}
    assert tried == []  # the abbreviations are whole runs; nothing else could start a group


def test_patterns_are_tried_only_where_a_run_may_start_them(tried: list[str]) -> None:
    text = "The data flows. " * 500 + "A data loader."
    assert "dataloader" in si.extra_words(text).split()
    assert tried == ["match"] * 501  # every "data", until the one that starts "data loader"
    tried.clear()
    assert "dataloader" not in si.extra_words("The data flows. " * 500).split()
    assert tried == ["match"] * 500


def test_each_distinct_text_and_run_is_worked_on_once(monkeypatch: pytest.MonkeyPatch) -> None:
    for cached in (si._section_text, si._bound, si._alt_words):
        cached.cache_clear()
    expanded: list[str] = []
    learnt: list[str] = []
    extra_words, learn = si.extra_words, si._learn

    def counted_extra_words(text: str, *, prefixes: bool = True) -> str:
        expanded.append(text)
        return extra_words(text, prefixes=prefixes)

    def counted_learn(token: str) -> si._Run | None:
        learnt.append(token)
        return learn(token)

    monkeypatch.setattr(si, "extra_words", counted_extra_words)
    monkeypatch.setattr(si, "_learn", counted_learn)
    monkeypatch.setattr(si, "_RUNS", {})
    monkeypatch.setattr(si, "_PLAIN_RUNS", set())
    text = "<p>Quantise to int8; keep the NMS threshold of the reference model.</p>"
    docs = [{"location": f"practices/p{n}.html#steps", "title": "Steps", "text": text} for n in range(300)]
    out = si.compact_index({"config": {}, "docs": docs})
    assert len(out["docs"]) == 300 and len({doc["syn"] for doc in out["docs"]}) == 1
    assert len(expanded) == 2  # the text and the title, once each
    assert (
        len(learnt)
        == len(set(learnt))
        == len(set(re.findall(r"\w+", "Quantise to int8; keep the NMS threshold of the reference model. Steps")))
    )
