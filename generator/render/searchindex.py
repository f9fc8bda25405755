"""The site search index, made small and made to find what engineers type.

Material's search (lunr) indexes every section of every page, splits words
at spaces and hyphens, does not stem English, and gives every query word a
trailing wildcard ("crash" finds "crashes", "conversion" does not find
"converted"). Two problems follow:

* **Noise and size.** Entity pages carry sections that only repeat other
  pages (relation lists, the bibliography, sub-type aggregates, study-case
  tables, a scenario's list of practices) and every section repeats the
  page's tags. They made up over half of the index and put pages that merely
  *link* to a topic above the page *about* it. :func:`compact_index` drops
  them, the ``print.html`` copy of every page, the sections of pages that
  list other pages, and bookkeeping text (checklist item ids, severity and
  effort, scope notes, BibTeX keys). Material weights tags a thousand times
  the title; here they weigh less, so the stage "Code review" comes before
  the practices tagged with it.
* **Spelling.** The query "non-maximum suppression" is "non" + "maximum" +
  "suppression", and "non" used to match every title about
  non-determinism. :func:`bind_prefixes` writes the hyphen after a bound
  prefix ("non-", "re-") as a non-breaking hyphen, which looks the same but
  keeps the word whole, and :func:`extra_words` adds, for each section, the
  other ways to type what it says: the parts and joined forms of its
  hyphenated words ("non-determinism": "determinism", "nondeterminism"),
  both "-ise" and "-ize" forms, and the other members of a synonym group
  (:data:`SYNONYMS`: "NMS" and "non-maximum suppression", "int8" and
  "quantisation", "BN" and "batchnorm", ...). They go into a field of their
  own (``syn``, weighted like the text), so result previews still show the
  page's words. A page's id words (ids are curated short names, such as
  ``guard-against-split-leakage``) and its title's other spellings go into
  ``alt``, weighted like the title.

Everything is done once, at build time, on the parsed ``search_index.json``
(pure functions; the MkDocs hook reads and writes the file).
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from generator.models import FOLDERS
from generator.urls import (
    BIBLIOGRAPHY_PAGE,
    COVERAGE_PAGE,
    FINDINGS_PAGE,
    MATRIX_PAGE,
    PRINT_PAGE,
    TAGS_PAGE,
    TAXONOMY_PAGE,
    WORKFLOW_PAGE,
    index_path,
    url_of,
)

#: How the index splits text into words: at spaces, hyphens and slashes, and
#: at a dot between words (``torch.manual_seed``). Lunr splits the query at
#: spaces and hyphens itself.
SEPARATOR = r"[\s\-/]+|\.(?=[A-Za-z_])"

#: Groups of spellings an engineer may type for one idea. Each entry is a
#: regular expression (matched case-insensitively on word boundaries) and the
#: words added to a section that matches any of the group. Abbreviations are
#: matched in upper case only where the lower-case word is common English.
SYNONYMS: list[tuple[str, str]] = [
    (r"non-?determinis(?:m|tic)\w*", "nondeterminism nondeterministic determinism deterministic"),
    (r"NMS|non-?max(?:imum)?[ -]suppression", "nms non nonmaximum maximum suppression"),
    (
        r"u?int8|int4|(?:de)?quanti[sz]\w*|low[ -]precision|ptq|qat",
        "int8 quantisation quantization quantised quantized quantising quantizing",
    ),
    (
        r"fp16|bf16|float16|half[ -]precision|mixed[ -]precision|amp|autocast",
        "fp16 bf16 float16 half precision mixed amp",
    ),
    (r"fp32|float32|single[ -]precision", "fp32 float32"),
    (r"tensorflow|TF[12]?|keras", "tf tensorflow"),
    (r"tflite|tensorflow lite|litert", "tflite tensorflow lite litert"),
    (r"onnx ?runtime|onnxruntime|ORT", "onnxruntime onnx runtime ort"),
    (r"hugging ?face|HF|transformers", "hf huggingface hugging face"),
    (r"batch ?norm\w*|batch normali[sz]ation|BN", "bn batchnorm batchnormalization"),
    (r"learning[ -]rates?|LR", "lr learning rate"),
    (r"TPUs?|XLA", "tpu xla"),
    (r"GPUs?|CUDA|cuDNN", "gpu cuda"),
    (r"out[ -]of[ -]memory|OOM", "oom memory"),
    (r"random seeds?|seeding|seeded", "seed seeds seeding random"),
    (r"hyper-?parameters?", "hyperparameter hyperparameters"),
    (r"pre-?process\w*", "preprocessing preprocess"),
    (r"pre-?trained", "pretrained"),
    (r"fine-?tun\w*", "finetune finetuning"),
    (r"conver(?:t|ts|ted|ting|sions?|ters?)", "convert converted conversion converter"),
    (r"verif(?:y|ies|ied|ying|ication)", "verify verified verification"),
    (r"reproduc(?:e|ed|es|ing|tion|ible|ibility)", "reproduce reproduced reproduction reproducible reproducibility"),
    (r"evaluat(?:e|ed|es|ing|ion|ions)", "evaluate evaluated evaluation"),
    (r"tolerances?|allclose|atol|rtol", "tolerance allclose atol rtol"),
    (r"opset\w*", "opset opset_version"),
    (r"leak\w*|contaminat\w*", "leakage leak leaks contamination"),
    (r"docker\w*|containers?|containeri[sz]\w*", "docker container containerise containerize"),
    (r"conda|virtualenv|venv|requirements\.txt|lock ?files?", "conda venv virtualenv requirements"),
    (r"checkpoints?|ckpt", "checkpoint ckpt"),
    (r"mAP|mean average precision", "map mean average precision"),
    (r"data ?loaders?", "dataloader loader"),
    (r"licen[cs]e[sd]?|licensing", "licence license"),
    (r"model{1,2}(?:ing|ed|er)", "modelling modeling"),
    (r"label{1,2}(?:ing|ed)", "labelling labeling labelled labeled"),
    (r"cent(?:re|er)s?", "centre center"),
    (r"analy[sz](?:e|ed|es|ing)", "analyse analyze"),
    (r"gray|grey", "gray grey"),
]

#: Prefixes that are not words of their own: "non" alone would match every
#: page about non-determinism. Their hyphen is indexed as a non-breaking
#: hyphen (it looks the same in previews), so "non-maximum" is one word.
BOUND_PREFIXES = frozenset({"non", "pre", "re", "post", "multi", "co", "de", "un", "sub", "semi", "anti", "mid", "bi"})

#: Sections of entity pages (by the start of their anchor) that only repeat
#: other pages: relation lists, the bibliography, the diagram's neighbours,
#: a scenario's list of practices, what parent types collect from their
#: sub-types, and the table of every study case behind a defect type.
REPEATED_SECTIONS = (
    "relations",
    "references",
    "neighbourhood",
    "what-it-includes",
    "all-cases-in-the-study-data",
    "practices-for-its-sub-types",
    "figures-of-its-sub-types",
    "real-examples-of-its-sub-types",
    "why-it-is-essential",  # why a practice is essential or recommended: its evidence, said again
    "why-it-is-recommended",
)

#: Pages that repeat every other page.
REPEATED_PAGES = frozenset({url_of(PRINT_PAGE)})

_BIBLIOGRAPHY = url_of(BIBLIOGRAPHY_PAGE)
_ENTITY_FOLDERS = tuple(f"{folder}/" for folder in FOLDERS.values())
#: Pages that list other pages (their titles and summaries): only their own
#: entry and its first paragraph are kept.
LISTING_PAGES = frozenset(
    {
        *(url_of(index_path(kind)) for kind in FOLDERS),
        *(url_of(page) for page in (WORKFLOW_PAGE, COVERAGE_PAGE, MATRIX_PAGE, TAXONOMY_PAGE, TAGS_PAGE)),
    }
)

#: Bookkeeping in the text of entity sections and the bibliography: a
#: checklist item's number, id, severity and effort, when it is done, what
#: it was checked with, its issue links and documentation links (the item's
#: text and how-to stay), scope notes on evidence, the sentence introducing
#: the items, BibTeX keys and the list of entries citing a source.
_BOOKKEEPING = [
    re.compile(r"(?<=<li>)\d+\."),
    re.compile(r"<code>[a-z0-9-]+/[a-z0-9-]+</code>"),
    re.compile(r"severity: \w+\s*effort: [\w ]+?(?=<p>|</li>)"),
    re.compile(r"<p>(?:Docs|Done when|Checked with|Real failures): .*?</p>"),
    re.compile(r"\s*<p>Scope(?: \[\d+\])? .*?</p>"),
    re.compile(r"BibTeX key <code>[^<]*</code>"),
    re.compile(r"\s*Cited by: .*?(?=\s*</li>)"),
    re.compile(r"<p>Exported checklists include these items\..*?</p>\s*"),
]
_FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.S)
#: Paragraph and list tags: a result preview is a few lines of running text.
_BLOCK_TAGS = re.compile(r"\s*</?(?:p|ol|ul|li)>\s*")

#: Pages whose example blocks only repeat their text (the finding codes'
#: sample messages).
EXAMPLE_PAGES = frozenset({url_of(FINDINGS_PAGE)})
_EXAMPLE = re.compile(r"\s*<pre>.*?</pre>", re.S)
_WORD_SPLIT = re.compile(rf"(?:{SEPARATOR}|[^\w\u2011.])+")

_BRITISH = re.compile(r"\b(\w{3,})(is|iz)(e|es|ed|ing|ation|ations|er|ers)\b", re.I)
_OUR = re.compile(r"\b(behavio|colo|flavo|labo|favo)(ur|r)(s|al|ed|ing|ite|ites)?\b", re.I)
_TAGS = re.compile(r"<[^>]+>")
_GROUPS = [(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.I), words) for pattern, words in SYNONYMS]
_COMPOUND = re.compile(r"\b[A-Za-z][\w]*(?:[-\u2011][A-Za-z0-9]\w*)+")
_PREFIXED = re.compile(rf"\b({'|'.join(sorted(BOUND_PREFIXES))})-(?=[A-Za-z])", re.I)

#: Stems whose "-ise" and "-ize" forms are both real words (optimise and
#: optimize, tokeniser and tokenizer); "precise", "exercise", "advise" and
#: "size" have no other form.
_IZE_STEMS = {
    "optim", "normal", "quant", "serial", "initial", "regular", "organ", "special", "general",
    "minim", "maxim", "util", "standard", "custom", "parallel", "visual", "summar", "categor",
    "prioriti", "recogn", "real", "token", "vector", "synchron", "character", "parametr",
    "central", "final", "stabil", "author", "random", "discret", "binar", "emphas", "memor",
    "modular", "harmon", "generalis", "localis", "local", "container", "capital", "penal",
    "linear", "material", "operational",
}  # fmt: skip


def _other_spellings(text: str) -> list[str]:
    """The "-ise" and "-ize" forms of a word in either spelling, and "-our"/"-or".

    Search matches the start of a word ("optimis" finds "optimised") but
    does not stem, so "optimization" finds "optimise" only if the index has
    "optimization": each stem gets its past, noun, gerund and agent forms in
    both spellings.
    """
    words: list[str] = []
    for match in _BRITISH.finditer(text):
        stem = match.group(1).lower()
        if stem in _IZE_STEMS:
            words.extend(f"{stem}i{s}{end}" for s in "sz" for end in ("ed", "ation", "ing", "er"))
    for match in _OUR.finditer(text):
        other = "r" if match.group(2).lower() == "ur" else "ur"
        words.append(f"{match.group(1).lower()}{other}{(match.group(3) or '').lower()}")
    return words


def _compound_forms(text: str, *, prefixes: bool) -> list[str]:
    """The ways to type each hyphenated word: joined runs of its parts ("postprocessing").

    The parts of "post-processing" are words of the index already; those of
    "non\u2011maximum" (bound by :func:`bind_prefixes`) are added, the bare
    prefix only if ``prefixes``.
    """
    words: list[str] = []
    for match in _COMPOUND.finditer(text):
        word = match.group(0).lower()
        parts = re.split(r"[-\u2011]", word)
        if "\u2011" in word:
            words.extend(part for part in parts if prefixes or part not in BOUND_PREFIXES)
        words.extend(a + b for a, b in itertools.pairwise(parts))  # "nonmaximum", "maximumsuppression"
        if len(parts) > 2:
            words.append("".join(parts))
    return words


def _new_words(words: str, text: str) -> str:
    """The words of ``words`` that ``text`` does not already have."""
    have = {word.strip(".") for word in _WORD_SPLIT.split(_TAGS.sub(" ", text).lower())}
    return " ".join(word for word in dict.fromkeys(words.split()) if word not in have)


def extra_words(text: str, *, prefixes: bool = True) -> str:
    """Other ways to type the words of ``text`` (HTML), in first-seen order.

    A bare prefix ("non" of "non-maximum") is among them only if ``prefixes``:
    lunr splits the query "non-maximum" into "non" and "maximum", so a
    section that says "non-maximum" should match both, but a title, weighted
    a thousand times more, would then match every "non" typed.
    """
    plain = _TAGS.sub(" ", text)
    words = _compound_forms(plain, prefixes=prefixes)
    for pattern, group in _GROUPS:
        if pattern.search(plain):
            words.extend(group.split())
    words.extend(_other_spellings(plain))
    return " ".join(dict.fromkeys(words))


def bind_prefixes(text: str) -> str:
    """``text`` with the hyphen after a bound prefix ("non-", "re-") made non-breaking."""
    return _PREFIXED.sub(lambda m: f"{m.group(1)}\u2011", text)


def _repeats(location: str) -> bool:
    page, _, anchor = location.partition("#")
    if page in REPEATED_PAGES or (anchor and page in LISTING_PAGES):
        return True
    return bool(anchor) and page.startswith(_ENTITY_FOLDERS) and anchor.startswith(REPEATED_SECTIONS)


def _slug_words(location: str) -> str:
    """The words of an entity page's id: ``practices/guard-against-split-leakage.html`` -> "guard against ..."."""
    if "#" in location or not location.startswith(_ENTITY_FOLDERS) or location.endswith("/index.html"):
        return ""
    return bind_prefixes(location.rsplit("/", 1)[-1].removesuffix(".html")).replace("-", " ")


def _compact_entry(doc: dict[str, Any]) -> dict[str, Any] | None:
    """One entry of :func:`compact_index` (None: left out): a pure function of the entry."""
    location = doc.get("location", "")
    if _repeats(location):
        return None
    text = doc.get("text", "")
    if location in LISTING_PAGES:
        first = _FIRST_PARAGRAPH.search(text)
        text = first.group(0) if first else ""
    elif location.startswith(_ENTITY_FOLDERS) or location == _BIBLIOGRAPHY:
        for pattern in _BOOKKEEPING:
            text = pattern.sub("", text)
    elif location.partition("#")[0] in EXAMPLE_PAGES:
        text = _EXAMPLE.sub("", text)
    text = _BLOCK_TAGS.sub(" ", text).strip()
    if "#" in location and not text:
        return None
    title = doc.get("title", "")
    new = {key: value for key, value in doc.items() if key not in ("text", "title", "tags")}
    new["title"] = title = bind_prefixes(title)
    new["text"] = text = bind_prefixes(text)
    tags = [bind_prefixes(tag) for tag in doc.get("tags", [])] if "#" not in location else []
    if tags:
        new["tags"] = tags
    syn = _new_words(extra_words(text), text)
    if syn:
        new["syn"] = syn
    slug = _slug_words(location)
    alt = _new_words(f"{slug} {extra_words(' '.join([title, slug, *tags]), prefixes=False)}", title)
    if alt:
        new["alt"] = alt
    return new


def compact_index(index: dict[str, Any], cache: dict[str, dict[str, Any] | None] | None = None) -> dict[str, Any]:
    """A copy of a parsed ``search_index.json``, with what helps find pages and their other spellings.

    Sections that repeat other pages are dropped (:data:`REPEATED_SECTIONS`,
    :data:`REPEATED_PAGES`) and so is bookkeeping in the text; tags stay on
    the page's own entry only (Material ranks a page by its best entry and
    lists its sections under it). Each entry gets ``syn``: other spellings of
    its text's words, weighted like the text; a page's entry also gets ``alt``:
    its id's words and other spellings of its title, weighted like the title.
    A section's entry gets the other spellings of its heading there. Text, titles and
    tags have their bound prefixes joined (:func:`bind_prefixes`), and the
    index splits words at :data:`SEPARATOR`.

    ``cache`` (``make serve``: kept between rebuilds) maps an entry, as JSON,
    to its compacted form: after an edit almost every entry is the previous
    build's.
    """
    docs = []
    seen: set[str] = set()
    for doc in index.get("docs", []):
        if cache is None:
            new = _compact_entry(doc)
        else:
            key = json.dumps(doc, sort_keys=True, ensure_ascii=False)
            seen.add(key)
            if key not in cache:
                cache[key] = _compact_entry(doc)
            new = cache[key]
        if new is not None:
            docs.append(new)
    if cache is not None:
        for key in set(cache) - seen:  # entries no longer in the index
            del cache[key]
    config = dict(index.get("config", {}))
    fields = dict(config.get("fields", {}))
    title_boost = fields.get("title", {}).get("boost", 1000.0)
    text_boost = fields.get("text", {}).get("boost", 1.0)
    # Material weights tags a thousand times the title: every page tagged
    # "Code review" would come before the page about code review.
    fields["tags"] = {"boost": title_boost * 0.3}
    fields["syn"] = {"boost": text_boost}
    fields["alt"] = {"boost": title_boost}
    config["fields"] = fields
    config["separator"] = SEPARATOR
    return {**index, "config": config, "docs": docs}
