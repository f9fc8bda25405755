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
  list other pages, the later parts of such pages when a large KB splits
  them (``print/2.html``, ``practices/index/2.html``) and the pages listing
  who cites a reference, and bookkeeping text (checklist item ids, severity
  and effort, scope notes, BibTeX keys). Material weights tags a thousand times
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
* **Long previews.** A checklist item's how-to and the bibliography's
  entries are indexed as their words only (``more``, weighted half the
  text): the tools, APIs, authors and titles people type still find them,
  but their prose no longer fills the index (the how-to was a sixth of it)
  or a result preview (the bibliography was one preview two screens long).

Everything is done once, at build time, on the parsed ``search_index.json``
(pure functions; the MkDocs hook reads and writes the file). At scale most
texts repeat and most words start no synonym: each distinct text is worked
on once, and a synonym pattern is tried only where a word may start it (see
:func:`_groups`), with the words the 37 full searches would give.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
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
    reference_anchor,
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
#: sub-types, the table of every study case behind a defect type, and the
#: evidence list: each item is a source's finding that the page's own
#: sections (why it works, details, steps) already state in prose, and the
#: sources themselves are found on the references page. The evidence lists
#: were a seventh of the index (benchmarks/README.md, seventh pass). Also
#: left out: a practice's "When it does not apply" list, whose words name the
#: ports the page is *not* for ("Node.js", "another web runtime such as
#: TensorFlow.js"), so a query for those would land on the wrong page.
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
    "evidence",
    "when-it-does-not-apply",
)

#: Pages that repeat every other page (and so do their parts).
REPEATED_PAGES = frozenset({url_of(PRINT_PAGE)})

_BIBLIOGRAPHY = url_of(BIBLIOGRAPHY_PAGE)
#: Where a large KB puts the list of entries citing a reference
#: (:func:`generator.render.bibliography.cited_by_path`): the bibliography
#: shows the first few, which are bookkeeping there too.
_CITED_BY = f"{_BIBLIOGRAPHY.removesuffix('.html')}/{reference_anchor('')}"
#: A later part of a page split into parts (:func:`generator.render.paging.part_path`).
_LATER_PART = re.compile(r"(.+)/[0-9]+\.html")
_ENTITY_FOLDERS = tuple(f"{folder}/" for folder in FOLDERS.values())
#: Pages that list other pages (their titles and summaries): only their own
#: entry and its first paragraph are kept, and nothing of their later parts.
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
#: the items, BibTeX keys and the list of entries citing a source. Each
#: pattern comes with a string every match of it contains: most texts lack
#: it, and a pattern that starts with a look-behind or a space is slow to
#: run for nothing.
_BOOKKEEPING = [
    ("<li>", re.compile(r"(?<=<li>)\d+\.")),
    ("<code>", re.compile(r"<code>[a-z0-9-]+/[a-z0-9-]+</code>")),
    ("severity: ", re.compile(r"severity: \w+\s*effort: [\w ]+?(?=<p>|</li>)")),
    ("<p>", re.compile(r"<p>(?:Docs|Done when|Checked with|Real failures): .*?</p>")),
    ("<p>Scope", re.compile(r"\s*<p>Scope(?: \[\d+\])? .*?</p>")),
    ("BibTeX key <code>", re.compile(r"BibTeX key <code>[^<]*</code>")),
    ("Cited by: ", re.compile(r"\s*Cited by: .*?(?=\s*</li>)")),
    ("<p>Exported checklists", re.compile(r"<p>Exported checklists include these items\..*?</p>\s*")),
]
_FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.S)
#: Paragraph and list tags: a result preview is a few lines of running text.
_BLOCK_TAGS = re.compile(r"\s*</?(?:p|ol|ul|li)>\s*")
_SPACES = re.compile(r" {2,}")
#: How to do a checklist item: its words are indexed (the tools, APIs and
#: commands people search for), its prose is not: it was a sixth of the
#: index, and the item's own text says what the section is about. So are
#: the bibliography's entries after its first paragraph: the whole list was
#: one result preview two screens long.
_HOW = re.compile(r"<p>How: (.*?)</p>", re.S)
#: The weight of those words (field ``more``) against the text's, and of an
#: entry whose prose was cut so against the page's other entries.
MORE_WEIGHT = 0.5
SHORTENED_WEIGHT = 0.75
#: The theme's English stop words (lunr's ``stopWordFilter``, the index's
#: only pipeline step): lunr drops them as it builds the index in the
#: browser, so in the words-only field ``more`` they cost bytes and match
#: nothing. (Previews need them, so ``text`` keeps them.)
_THEME_STOP_WORDS = (  # the list in the theme's search worker, word for word
    "a able about across after all almost also am among an and any are as at be because been but by can "
    "cannot could dear did do does either else ever every for from get got had has have he her hers him his "
    "how however i if in into is it its just least let like likely may me might most must my neither no nor "
    "not of off often on only or other our own rather said say says she should since so some than that the "
    "their them then there these they this tis to too twas us wants was we were what when where which while "
    "who whom why will with would yet you your"
)
LUNR_STOP_WORDS = frozenset(_THEME_STOP_WORDS.split())
#: A citation's year and letter ("2026f", in a how-to's author-year
#: citation): bookkeeping no one types, like the BibTeX keys.
_YEAR_LABEL = re.compile(r"(?:19|20)\d\d[a-z]{1,2}")


def _searchable(word: str) -> bool:
    """Whether a word of the ``more`` field can match a query."""
    return word not in LUNR_STOP_WORDS and not _YEAR_LABEL.fullmatch(word)


#: Pages whose example blocks only repeat their text (the finding codes'
#: sample messages).
EXAMPLE_PAGES = frozenset({url_of(FINDINGS_PAGE)})
_EXAMPLE = re.compile(r"\s*<pre>.*?</pre>", re.S)
#: Where the index splits a text into words (what :func:`_new_words` compares with).
_WORD_SPLIT = re.compile(rf"(?:{SEPARATOR}|[^\w\u2011.])+")
_DOT_BEFORE_A_LETTER = re.compile(r"\.(?=[A-Za-z_])")
_WORD = re.compile(r"[\w\u2011.]+")

_BRITISH = re.compile(r"\b(\w{3,})(is|iz)(e|es|ed|ing|ation|ations|er|ers)\b", re.I)
_OUR = re.compile(r"\b(behavio|colo|flavo|labo|favo)(ur|r)(s|al|ed|ing|ite|ites)?\b", re.I)
_TAGS = re.compile(r"<[^>]+>")
_GROUPS = [(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.I), words) for pattern, words in SYNONYMS]
_COMPOUND = re.compile(r"\b[A-Za-z][\w]*(?:[-\u2011][A-Za-z0-9]\w*)+")


def _prefixed_pattern() -> re.Pattern[str]:
    r"""A bound prefix's hyphen: the hyphen is found first (fast), then the prefix before it.

    The same hyphens as ``\b(non|pre|...)-(?=[A-Za-z])``, case-insensitive; a
    look-behind has one width, so there is one per prefix length.
    """
    by_length = itertools.groupby(sorted(BOUND_PREFIXES, key=len), key=len)
    behind = "|".join(f"(?<=\\b(?:{'|'.join(sorted(group))})-)" for _, group in by_length)
    return re.compile(f"-(?:{behind})(?=[A-Za-z])", re.I)


_PREFIXED = _prefixed_pattern()

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


def _ise_ize_forms(text: str) -> list[str]:
    """The "-ise" and "-ize" forms of each word of ``text`` that has both.

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
    return words


def _our_or_forms(text: str) -> list[str]:
    """The "-or" form of each "-our" word of ``text`` and the other way round ("behavioural": "behavioral")."""
    words: list[str] = []
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
    # A hyphenated word has no space in it: each distinct space-separated
    # word with a hyphen is looked at once.
    hyphenated = [word for word in dict.fromkeys(text.split()) if "-" in word or "\u2011" in word]
    words: list[str] = []
    for match in (match for part in hyphenated for match in _COMPOUND.finditer(part)):
        word = match.group(0).lower()
        parts = re.split(r"[-\u2011]", word)
        if "\u2011" in word:
            words.extend(part for part in parts if prefixes or part not in BOUND_PREFIXES)
        words.extend(a + b for a, b in itertools.pairwise(parts))  # "nonmaximum", "maximumsuppression"
        if len(parts) > 2:
            words.append("".join(parts))
    return words


# Finding the synonym groups of a text. Running all 37 patterns over every
# text cost seconds at scale; instead the text is cut once into runs of word
# characters, and what each distinct run can start is worked out once (and
# remembered). A group's pattern starts at the start of a run (the look-behind
# of _GROUPS) and ends at the end of one (the look-ahead), so a match is
# either one whole run, found by matching the run alone, or several runs
# joined by spaces, hyphens or dots, whose first run starts with the
# pattern's leading letters (its *trigger*): only there is the pattern tried,
# on the text itself. The answer is the one the 37 searches give.

#: Runs of word characters; a run after a hyphen ("-run") starts no synonym (the look-behind of _GROUPS).
_RUN = re.compile(r"-?\w+")
#: Any group's pattern, for matching one run alone.
_ANY_GROUP = re.compile("|".join(f"(?:{pattern})" for pattern, _ in SYNONYMS), re.I)
#: An alternative of a pattern that only ever matches word characters: it cannot go past one run.
_WITHIN_A_RUN = re.compile(r"(?:[A-Za-z0-9_]|\\w|\(\?:|[)|?*+]|\{\d+(?:,\d*)?\}|\[[A-Za-z0-9_]+\])*")
_GROUP_WORDS = [words.split() for _, words in SYNONYMS]


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression: split at ``|`` outside groups and classes."""
    parts: list[str] = []
    depth, start, in_class, escaped = 0, 0, False, False
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _trigger(alternative: str) -> str | None:
    """The lower-case letters that start every match of ``alternative`` that goes past one run.

    None if the alternative never goes past one run (it only matches word
    characters); "" if its start is not plain letters (every run is then a
    candidate: slower, never wrong). A letter made optional by the next
    character ("TPUs?") is not part of it.
    """
    if _WITHIN_A_RUN.fullmatch(alternative):
        return None
    literal = re.match(r"[A-Za-z0-9_]*", alternative)
    letters = literal.group(0) if literal else ""
    if alternative[len(letters) : len(letters) + 1] in ("?", "*", "{"):
        letters = letters[:-1]
    return letters.lower()


#: (trigger, group) for every alternative of a group that can match several runs.
_TRIGGERS = tuple(
    (start, group)
    for group, (pattern, _) in enumerate(SYNONYMS)
    for start in dict.fromkeys(_trigger(alternative) for alternative in _alternatives(pattern))
    if start is not None
)
_SPANNING = tuple(sorted({group for _, group in _TRIGGERS}))


@dataclass(frozen=True)
class _Run:
    """What one run of word characters (as :data:`_RUN` finds it) adds to a text's other spellings."""

    token: str
    #: Groups whose pattern matches the run alone.
    whole: tuple[int, ...]
    #: Groups whose pattern may match several runs starting with this one (tried on the text).
    starts: tuple[int, ...]
    ise_ize: tuple[str, ...]
    our_or: tuple[str, ...]


#: What each run adds, learnt once per distinct run (a pure function of the run) and kept
#: between builds (``make serve``); forgotten all at once past :data:`_MAX_REMEMBERED` runs.
_RUNS: dict[str, _Run] = {}
#: Runs that add nothing (most of them).
_PLAIN_RUNS: set[str] = set()
_MAX_REMEMBERED = 200_000


def _learn(token: str) -> _Run | None:
    """What ``token`` adds (None: nothing), remembered in :data:`_RUNS` or :data:`_PLAIN_RUNS`."""
    if len(_PLAIN_RUNS) + len(_RUNS) > _MAX_REMEMBERED:
        _PLAIN_RUNS.clear()
        _RUNS.clear()
    run = token.removeprefix("-")
    whole: tuple[int, ...] = ()
    starts: tuple[int, ...] = ()
    if run == token:  # not after a hyphen
        if _ANY_GROUP.fullmatch(run):
            whole = tuple(group for group, (pattern, _) in enumerate(_GROUPS) if pattern.fullmatch(run))
        if not run.isascii():  # case-insensitive matching folds some letters into ASCII ones
            starts = _SPANNING
        else:
            lower = run.lower()
            starts = tuple(sorted({group for start, group in _TRIGGERS if lower.startswith(start)}))
    info = _Run(token, whole, starts, tuple(_ise_ize_forms(run)), tuple(_our_or_forms(run)))
    if not (whole or starts or info.ise_ize or info.our_or):
        _PLAIN_RUNS.add(token)
        return None
    _RUNS[token] = info
    return info


def _runs(plain: str) -> list[_Run]:
    """The distinct runs of ``plain`` that add something, in first-seen order."""
    runs = []
    for token in dict.fromkeys(_RUN.findall(plain)):
        if token not in _PLAIN_RUNS:
            info = _RUNS.get(token) or _learn(token)
            if info is not None:
                runs.append(info)
    return runs


def _occurrences(text: str, token: str) -> Iterator[int]:
    """Where ``token`` occurs in ``text`` (also inside longer words: the pattern tried there says no)."""
    at = text.find(token)
    while at >= 0:
        yield at
        at = text.find(token, at + 1)


def _groups(plain: str, runs: list[_Run]) -> list[int]:
    """The synonym groups whose pattern :data:`_GROUPS` finds in ``plain``, in order."""
    found = {group for run in runs for group in run.whole}
    for run in runs:
        for group in run.starts:
            if group not in found:
                pattern = _GROUPS[group][0]
                if any(pattern.match(plain, at) for at in _occurrences(plain, run.token)):
                    found.add(group)
    return sorted(found)


def _words_in(text: str) -> set[str]:
    """The words of ``text`` (HTML) as the index splits them, lower case, without dots at either end.

    The words :data:`_WORD_SPLIT` leaves, found in two quicker passes: a dot
    before a letter is a space, then a word is a run of word characters,
    non-breaking hyphens and dots.
    """
    words = set(_dotted_words(text))
    for word in [word for word in words if "." in word]:
        words.discard(word)
        words.add(word.strip("."))
    return words


def _dotted_words(text: str) -> list[str]:
    """The words of ``text`` (HTML), lower case, in order, dots at their ends kept."""
    return _WORD.findall(_DOT_BEFORE_A_LETTER.sub(" ", _TAGS.sub(" ", text).lower()))


def _ordered_words(text: str) -> list[str]:
    """The words of ``text`` (HTML) as :func:`_words_in` finds them, in first-seen order."""
    return list(dict.fromkeys(word.strip(".") for word in _dotted_words(text) if word.strip(".")))


def _new_words(words: str, text: str) -> str:
    """The words of ``words`` that ``text`` does not already have."""
    have = _words_in(text)
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
    runs = _runs(plain)
    for group in _groups(plain, runs):
        words.extend(_GROUP_WORDS[group])
    words.extend(word for run in runs for word in run.ise_ize)
    words.extend(word for run in runs for word in run.our_or)
    return " ".join(dict.fromkeys(words))


def bind_prefixes(text: str) -> str:
    """``text`` with the hyphen after a bound prefix ("non-", "re-") made non-breaking."""
    return _PREFIXED.sub("\u2011", text)


def _first_part(page: str) -> str:
    """The page that ``page`` is a later part of (``print/2.html``: ``print.html``), else ``page``."""
    later = _LATER_PART.fullmatch(page)
    return f"{later.group(1)}.html" if later else page


def _repeats(location: str) -> bool:
    page, _, anchor = location.partition("#")
    first = _first_part(page)
    if first in REPEATED_PAGES or page.startswith(_CITED_BY):
        return True
    if first in LISTING_PAGES and (anchor or first != page):
        return True
    return bool(anchor) and page.startswith(_ENTITY_FOLDERS) and anchor.startswith(REPEATED_SECTIONS)


def _slug_words(location: str) -> str:
    """The words of an entity page's id: ``practices/guard-against-split-leakage.html`` -> "guard against ..."."""
    if "#" in location or not location.startswith(_ENTITY_FOLDERS) or location.endswith("/index.html"):
        return ""
    return bind_prefixes(location.rsplit("/", 1)[-1].removesuffix(".html")).replace("-", " ")


def _kind(location: str) -> str:
    """Which bookkeeping :func:`_section_text` takes out of the text at ``location``."""
    if location in LISTING_PAGES:
        return "listing"
    if _first_part(location) == _BIBLIOGRAPHY:
        return "bibliography"
    if location.startswith(_ENTITY_FOLDERS):
        return "entity"
    if location.partition("#")[0] in EXAMPLE_PAGES:
        return "example"
    return ""


# Texts, titles and tags repeat across pages (a section says what another
# page's section says; every section of a page has its title): each distinct
# one is worked on once (pure functions, remembered in bounded caches).


@functools.lru_cache(maxsize=4096)
def _section_text(kind: str, text: str) -> tuple[str, str, str]:
    """An entry's text as indexed, its other spellings (``syn``) and the words of what previews leave out (``more``).

    For a page of this :func:`_kind`.
    """
    if kind == "listing":
        first = _FIRST_PARAGRAPH.search(text)
        text = first.group(0) if first else ""
    elif kind in ("entity", "bibliography"):
        for contained, pattern in _BOOKKEEPING:
            if contained in text:
                text = pattern.sub("", text)
    elif kind == "example":
        text = _EXAMPLE.sub("", text)
    more = ""
    if kind == "entity" and "<p>How: " in text:
        more = " ".join(_HOW.findall(text))
        text = _HOW.sub(" ", text)
    elif kind == "bibliography" and (first := _FIRST_PARAGRAPH.search(text)):
        more = f"{text[: first.start()]} {text[first.end() :]}"
        text = first.group(0)
    text = bind_prefixes(_SPACES.sub(" ", _BLOCK_TAGS.sub(" ", text)).strip())
    if not more.strip():
        return text, _new_words(extra_words(text), text), ""
    more = bind_prefixes(more)
    syn = _new_words(extra_words(f"{text} {more}"), text)
    words = " ".join(word for word in _ordered_words(more) if _searchable(word))
    return text, syn, _new_words(words, f"{text} {syn}")


_bound = functools.lru_cache(maxsize=4096)(bind_prefixes)


@functools.lru_cache(maxsize=4096)
def _alt_words(title: str, slug: str, tags: tuple[str, ...]) -> str:
    """An entry's id words and the other spellings of its title and tags (``alt``).

    A word that starts a title word is left out: the theme gives every query
    word a trailing wildcard, so any query word that would match it matches
    the title word too, and the page would score twice for one word of the
    query ("convert" beside "Converters ...").
    """
    words = f"{slug} {extra_words(' '.join([title, slug, *tags]), prefixes=False)}".split()
    title_words = _words_in(title)
    return " ".join(w for w in dict.fromkeys(words) if not any(t.startswith(w.lower()) for t in title_words))


def _compact_entry(doc: dict[str, Any]) -> dict[str, Any] | None:
    """One entry of :func:`compact_index` (None: left out): a pure function of the entry."""
    location = doc.get("location", "")
    if _repeats(location):
        return None
    text, syn, more = _section_text(_kind(location), doc.get("text", ""))
    if "#" in location and not text:
        return None
    new = {key: value for key, value in doc.items() if key not in ("text", "title", "tags")}
    new["title"] = title = _bound(doc.get("title", ""))
    new["text"] = text
    tags = tuple(_bound(tag) for tag in doc.get("tags", [])) if "#" not in location else ()
    if tags:
        new["tags"] = list(tags)
    if syn:
        new["syn"] = syn
    if more:
        new["more"] = more
        # Without the how-to's prose the list of item texts is short, and a
        # short text scores high for a word it only mentions in passing
        # ("input" in "the converter input"): the section weighs a little
        # less than the page's own entry, as much as before it was cut.
        new["boost"] = doc.get("boost", 1) * SHORTENED_WEIGHT
    alt = _alt_words(title, _slug_words(location), tags)
    if alt:
        new["alt"] = alt
    return new


@functools.lru_cache(maxsize=4096)
def _entry_words(title: str, text: str, tags: tuple[str, ...], syn: str, alt: str) -> frozenset[str]:
    """The words an entry can be found by, apart from ``more``."""
    return frozenset(_words_in(" ".join([title, text, *tags]))) | frozenset(f"{syn} {alt}".split())


#: A how-to word on at least this share of the site's pages, and on at least
#: :data:`COMMON_PAGES` of them, leaves ``more`` (:func:`drop_words_the_page_has`).
#: Rules of thumb: such a word typed alone already lists a tenth of the site,
#: where a page that has it only in a how-to (weighted half the text) ranks
#: low; the floor keeps small sites, where every word is on a tenth of the
#: pages, as they are.
COMMON_SHARE = 0.1
COMMON_PAGES = 10


def drop_words_the_page_has(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``docs`` with each ``more`` cut to the words its page has nowhere else and the site has on few pages.

    ``more`` (a how-to's words) is there so that a page is found by the
    tools and APIs its how-tos name. A word the page already has in a title,
    text, tag or other spelling of any of its entries finds the page without
    it: such words were a tenth of ``more``. A word that is on many of the
    site's pages (:data:`COMMON_SHARE`, :data:`COMMON_PAGES`: "same", "run",
    "model", "torch") does not single the page out: such words were a fifth
    of what was left. Entries are not changed in place (``make serve`` keeps
    them between builds).
    """
    have: dict[str, set[str]] = {}
    said: dict[str, set[str]] = {}
    for doc in docs:
        page = doc["location"].partition("#")[0]
        words = _entry_words(
            doc["title"], doc["text"], tuple(doc.get("tags", ())), doc.get("syn", ""), doc.get("alt", "")
        )
        have.setdefault(page, set()).update(words)
        said.setdefault(page, set()).update(doc.get("more", "").split())
    pages_with: Counter[str] = Counter()
    for page, found in have.items():
        pages_with.update(found | said[page])
    floor = max(COMMON_PAGES, COMMON_SHARE * len(have))
    out = []
    for doc in docs:
        if "more" in doc:
            page = have[doc["location"].partition("#")[0]]
            more = " ".join(w for w in doc["more"].split() if w not in page and pages_with[w] < floor)
            doc = {key: value for key, value in doc.items() if key != "more"}
            if more:
                doc["more"] = more
        out.append(doc)
    return out


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
    index splits words at :data:`SEPARATOR`. Last, ``more`` loses the words
    its page has elsewhere and those on many pages (:func:`drop_words_the_page_has`).

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
    docs = drop_words_the_page_has(docs)
    config = dict(index.get("config", {}))
    fields = dict(config.get("fields", {}))
    title_boost = fields.get("title", {}).get("boost", 1000.0)
    text_boost = fields.get("text", {}).get("boost", 1.0)
    # Material weights tags a thousand times the title: every page tagged
    # "Code review" would come before the page about code review.
    fields["tags"] = {"boost": title_boost * 0.3}
    fields["syn"] = {"boost": text_boost}
    fields["alt"] = {"boost": title_boost}
    fields["more"] = {"boost": text_boost * MORE_WEIGHT}
    config["fields"] = fields
    config["separator"] = SEPARATOR
    return {**index, "config": config, "docs": docs}
