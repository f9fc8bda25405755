"""A deterministic synthetic knowledge base: the real ``kb/`` cloned ``scale`` times.

Copy ``k`` (1 <= k < scale) of every challenge, defect type and practice
gets the id ``<id>-x<k>``, and every mention of a cloned id in the
copy (relations, essential item lists, links in the body) points to the
copy ``k`` of that entity, so each copy is a self-contained slice of the
graph linked to the shared stages, paradigms and vocabulary.
Titles get `` (copy k)``. The BibTeX entries that cloned entries cite are
cloned the same way (``<key>-x<k>``), because a KB ten times larger cites
about ten times the documentation; the studies (the keys in
``studies.yaml``, whose coded data are in ``kb/data``) stay shared. Stages,
paradigms, scenarios, the vocabulary, the studies and their data are the
fixed frame a larger KB grows inside. (A scenario's checklist is every
item that applies to it, so cloned scenarios would each list the items of
every copy: checklists of ``scenarios x items``, quadratic by definition.
A KB grows in practices far faster than in scenarios.)

The output depends only on ``kb/`` and ``scale`` (sorted walks, no clock,
no randomness), so two runs give byte-identical trees.

Run: .venv/bin/python benchmarks/synthkb.py kb /tmp/kb-10x --scale 10
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

CLONED = ("challenges", "defects", "practices")
"""Folders whose entries are cloned; the others are shared by every copy."""

_TITLE = re.compile(r"^(title: )(?![>|])(.+)$", re.MULTILINE)

_BIB_HEAD = re.compile(r"^@(\w+)\{([^,\s]+),", re.MULTILINE)
"""The head of a BibTeX entry: its type and key."""

_NOT_ENTRIES = frozenset({"string", "comment", "preamble"})

_STUDY_KEY = re.compile(r"^  ([A-Za-z][A-Za-z0-9_:-]*):\s*$", re.MULTILINE)
"""A study's key in ``studies.yaml`` (the mapping under ``studies:``)."""


def _id_pattern(ids: list[str]) -> re.Pattern[str]:
    """Match any of ``ids`` as a whole token (longest first, so ``a-b`` wins over ``a``)."""
    alternation = "|".join(re.escape(i) for i in sorted(ids, key=lambda s: (-len(s), s)))
    return re.compile(rf"(?<![A-Za-z0-9_-])({alternation})(?![A-Za-z0-9_-])")


def clone_text(text: str, pattern: re.Pattern[str], copy: int) -> str:
    """One file's text for copy ``copy``: cloned ids renamed, title marked."""
    text = pattern.sub(lambda m: f"{m.group(1)}-x{copy}", text)

    def title(m: re.Match[str]) -> str:
        value = m.group(2)
        if value[:1] in "\"'" and value[-1:] == value[:1]:  # quoted: mark inside the quotes
            return f"{m.group(1)}{value[:-1]} (copy {copy}){value[-1]}"
        return f"{m.group(1)}{value} (copy {copy})"

    return _TITLE.sub(title, text, count=1)


def bib_entries(text: str) -> dict[str, str]:
    """Each BibTeX entry's text (from its ``@`` to the next entry), by key."""
    heads = list(_BIB_HEAD.finditer(text))
    out: dict[str, str] = {}
    for head, following in zip(heads, [*heads[1:], None], strict=True):
        if head.group(1).lower() in _NOT_ENTRIES:
            continue
        end = following.start() if following else len(text)
        out[head.group(2)] = text[head.start() : end].rstrip() + "\n"
    return out


def cited_keys(source: Path, files: list[Path]) -> list[str]:
    """The BibTeX keys the ``files`` mention, studies excepted, in file order."""
    entries = bib_entries((source / "references.bib").read_text(encoding="utf-8"))
    studies_file = source / "studies.yaml"
    studies = set(_STUDY_KEY.findall(studies_file.read_text(encoding="utf-8"))) if studies_file.exists() else set()
    pattern = _id_pattern(sorted(set(entries) - studies))
    return sorted({m.group(1) for path in files for m in pattern.finditer(path.read_text(encoding="utf-8"))})


def make_kb(source: Path, dest: Path, scale: int) -> int:
    """Write a KB of ``scale`` copies of ``source`` to ``dest``; return the number of entity files.

    ``dest`` is replaced if it exists.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(source, dest)
    files = sorted(p for folder in CLONED for p in (source / folder).glob("*.yaml"))
    keys = cited_keys(source, files)
    pattern = _id_pattern([p.stem for p in files] + keys)
    for copy in range(1, scale):
        for path in files:
            text = path.read_text(encoding="utf-8")
            target = dest / path.parent.name / f"{path.stem}-x{copy}.yaml"
            target.write_text(clone_text(text, pattern, copy), encoding="utf-8")
    entries = bib_entries((source / "references.bib").read_text(encoding="utf-8"))
    with (dest / "references.bib").open("a", encoding="utf-8") as bib:
        for copy in range(1, scale):
            for key in keys:
                head, rest = entries[key].split(",", 1)
                bib.write(f"\n{head}-x{copy},{rest}")
    return sum(1 for _ in dest.rglob("*.yaml")) - 1  # kb.yaml is not an entity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    count = make_kb(args.source, args.dest, args.scale)
    print(f"{args.dest}: {count} YAML files at {args.scale}x")


if __name__ == "__main__":
    main()
