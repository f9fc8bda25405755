"""The site search index, made to find what engineers type.

Material's search (lunr) splits words at spaces and hyphens and matches the
stemmed tokens. So "non-determinism" and "nondeterminism", "NMS" and
"non-maximum suppression", "int8" and "quantisation", British and American
spellings find different pages. :func:`expand_index` adds, to every indexed
section that mentions a term of a synonym group, the other spellings of that
group (in a field of its own, so result previews still show the page's text).

It is a pure function over the parsed ``search_index.json``; the MkDocs hook
reads and writes the file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

#: Groups of spellings an engineer may type for one idea. Each entry is a
#: regular expression (matched case-insensitively on word boundaries) and the
#: words added to a section that matches any of the group.
SYNONYMS: list[tuple[str, str]] = [
    # lunr splits "non-determinism" into "non" and "determinism"; "non" alone would match too much
    (r"non-?determinis(?:m|tic)\w*", "nondeterminism nondeterministic determinism deterministic"),
    (r"NMS|non-?max(?:imum)?[ -]suppression", "nms nonmaximum maximum suppression"),
    (
        r"int8|int4|quanti[sz]\w*|low[ -]precision",
        "int8 quantisation quantization quantise quantize quantised quantized",
    ),
    (r"fp16|bf16|half[ -]precision|mixed[ -]precision", "fp16 bf16 half-precision mixed-precision float16"),
    (r"tflite|tensorflow lite|litert", "tflite tensorflow-lite litert"),
    (r"onnx ?runtime|onnxruntime", "onnxruntime onnx-runtime ort"),
    (r"random seeds?|seeding|seeded", "seed seeds seeding random-seed"),
    (r"hyper-?parameters?", "hyperparameter hyperparameters hyper-parameter"),
    (r"pre-?process\w*", "preprocessing pre-processing preprocess"),
    (r"pre-?trained", "pretrained pre-trained"),
    (r"fine-?tun\w*", "finetune finetuning fine-tune fine-tuning"),
    (r"tolerances?|allclose|atol|rtol", "tolerance allclose atol rtol"),
    (r"opset\w*", "opset opset_version"),
    (r"leak\w*|contaminat\w*", "leakage leak leaks contamination"),
]

#: British spellings in the KB and the American ones people type.
_BRITISH = re.compile(r"\b(\w{3,})(is)(e|es|ed|ing|ation|ations|er|ers)\b", re.I)
_OUR = re.compile(r"\b(behavio|colo|flavo|labo|favo)(ur)(s|al|ed|ing|ite|ites)?\b", re.I)
_TAGS = re.compile(r"<[^>]+>")
_GROUPS = [(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.I), words) for pattern, words in SYNONYMS]

#: The American endings of a British "-is-" word that are real words: only
#: stems the KB uses with "ise" (optimise, normalise, ...) are turned into
#: "ize"; words such as "precise", "exercise", "advise" keep theirs.
_IZE_STEMS = {
    "optim",
    "normal",
    "quant",
    "serial",
    "initial",
    "regular",
    "organ",
    "special",
    "general",
    "minim",
    "maxim",
    "util",
    "standard",
    "custom",
    "parallel",
    "visual",
    "summar",
    "categor",
    "prioriti",
    "recogn",
    "real",
    "tokenis",
    "vector",
    "synchron",
    "character",
    "parametr",
    "central",
    "final",
    "stabil",
    "author",
    "random",
    "discret",
    "binar",
    "emphas",
    "memor",
    "modular",
    "harmon",
    "generalis",
    "localis",
}


def _americanised(text: str) -> set[str]:
    words = set()
    for match in _BRITISH.finditer(text):
        stem = match.group(1).lower()
        if stem in _IZE_STEMS:
            words.add(f"{stem}iz{match.group(3).lower()}")
    for match in _OUR.finditer(text):
        words.add(f"{match.group(1).lower()}r{(match.group(3) or '').lower()}")
    return words


@lru_cache(maxsize=1 << 16)
def extra_words(text: str) -> str:
    """The words to add to a section whose title and text are ``text``.

    Cached: ``make serve`` expands the whole index after every edit, and
    almost every section's text is the one of the previous build.
    """
    plain = _TAGS.sub(" ", text)
    words: list[str] = []
    for pattern, group in _GROUPS:
        if pattern.search(plain):
            words.extend(group.split())
    words.extend(sorted(_americanised(plain)))
    seen: dict[str, None] = dict.fromkeys(words)
    return " ".join(seen)


def expand_index(index: dict[str, Any]) -> dict[str, Any]:
    """A copy of a parsed ``search_index.json`` with synonyms added to its sections.

    The words go into the ``tags`` field, which Material indexes (boosted) and
    shows only as small chips, not in the result's text preview. A section
    that already has tags keeps them.
    """
    docs = []
    for doc in index.get("docs", []):
        words = extra_words(f"{doc.get('title', '')} {doc.get('text', '')}")
        if words:
            doc = {**doc, "syn": words}
        docs.append(doc)
    config = dict(index.get("config", {}))
    fields = dict(config.get("fields", {}))
    fields.setdefault("syn", {"boost": 1000.0})
    config["fields"] = fields
    return {**index, "config": config, "docs": docs}
