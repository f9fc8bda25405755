"""Validate stage, part one: each file against the schema of its type.

Turns the :class:`~generator.load.files.RawKB` into typed entities. Every problem
becomes a :class:`~generator.findings.Finding` with the line and column of
the key it concerns; nothing is raised.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath

from generator.findings import Finding, Location, error, processing, warning
from generator.ids import suggestion
from generator.kb import Entry, KnowledgeBase, Source
from generator.load.bibtex import MAX_BIB_BYTES, Bibliography, parse_bibtex
from generator.load.datasets import DATA_DIR
from generator.load.files import RawFile, RawKB, Refused
from generator.load.studies import STUDIES_FILE, StudiesFile
from generator.load.yamlstrict import YamlProblem, decode
from generator.models import FOLDERS, MODELS, KbMeta, Vocabulary
from generator.validate.datasets import load_datasets
from generator.validate.documents import parse_source, validate_model

META_FILE = "kb.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
BIB_FILE = "references.bib"
SCHEMA_DIR = "schemas"
TYPE_BY_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}


def modeline(kind: str, depth: int) -> str:
    """The yaml-language-server comment that points editors at the schema."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{kind}.schema.json"


# ------------------------------------------------------------------ parsing


def _check_modeline(source: Source, kind: str, depth: int) -> list[Finding]:
    expected = modeline(kind, depth)
    first = source.text.split("\n", 1)[0].rstrip()
    if first == expected:
        return []
    return [
        warning(
            "missing-modeline",
            f"first line should be '{expected}' so editors validate the file while you type.",
            Location(source.path, 1, 1),
        )
    ]


# ------------------------------------------------------------------ loading


def _duplicate_terms(vocabulary: Vocabulary, source: Source) -> list[Finding]:
    """A term id defined in two groups: tags resolve to one label and the other is lost."""
    first: dict[str, str] = {}
    findings = []
    for group in Vocabulary.model_fields:  # the groups, in the model's order
        for term in getattr(vocabulary, group):
            if term in first:
                findings.append(
                    error(
                        "duplicate-term",
                        f"term '{term}' is defined in both '{first[term]}' and '{group}'; a tag names one "
                        "term, so one of the two labels would be lost. Keep it in one group.",
                        source.location((group, term)),
                    )
                )
            else:
                first[term] = group
    return findings


def build_kb(raw: RawKB) -> tuple[KnowledgeBase, list[Finding]]:
    """Parse and schema-check every file of a raw knowledge base.

    Args:
        raw: The files as read by :func:`generator.load.files.read_kb`.

    Returns:
        The typed knowledge base (only valid entities) and all findings.
    """
    findings: list[Finding] = []
    by_rel = {f.rel: f for f in raw.files}
    meta: KbMeta | None = None
    vocabulary: Vocabulary | None = None

    for name, model, label in ((META_FILE, KbMeta, "kb metadata"), (VOCABULARY_FILE, Vocabulary, "vocabulary")):
        file = by_rel.get(name)
        if file is None and any(r.rel == name for r in raw.refused):
            continue  # reported as refused (a link, too large...)
        if file is None:
            findings.append(error("missing-file", f"'{raw.root}/{name}' is missing.", Location(f"{raw.root}/{name}")))
            continue
        with processing(file.path):
            source, problems = parse_source(file)
        findings += problems
        if source is not None:
            findings += _check_modeline(source, name.removesuffix(".yaml"), 1)
            value, problems = validate_model(model, source, label)
            findings += problems
            if model is KbMeta:
                meta = value
            else:
                vocabulary = value
                if isinstance(value, Vocabulary):
                    findings += _duplicate_terms(value, source)

    bib_file = by_rel.get(BIB_FILE)
    bib_path = f"{raw.root}/{BIB_FILE}"
    bibliography = Bibliography(bib_path, {}, loaded=False)  # unreadable: citations are not checked against it
    if bib_file is None and any(r.rel == BIB_FILE for r in raw.refused):
        pass  # reported as refused
    elif bib_file is None:
        findings.append(error("missing-file", f"'{bib_path}' is missing.", Location(bib_path)))
    else:
        try:
            bib_text = decode(bib_file.data, MAX_BIB_BYTES)
        except YamlProblem as problem:
            findings.append(error(problem.code, problem.message, Location(bib_path, problem.line, problem.col)))
        else:
            with processing(bib_path):
                bibliography, problems = parse_bibtex(bib_text, bib_path)
            findings += problems

    kb = KnowledgeBase(raw.root, meta, vocabulary, bibliography, files_checked=len(raw.files) + len(raw.refused))
    for refused in raw.refused:
        findings.append(refused_finding(refused))
        parts = PurePosixPath(refused.rel).parts
        if len(parts) == 2 and parts[0] in TYPE_BY_FOLDER:
            kb.broken[PurePosixPath(parts[1]).stem] = TYPE_BY_FOLDER[parts[0]]
    studies_file = by_rel.get(STUDIES_FILE)
    if studies_file is not None:
        source, problems = parse_source(studies_file)
        findings += problems
        if source is not None:
            findings += _check_modeline(source, "studies", 1)
            value, problems = validate_model(StudiesFile, source, "studies")
            findings += problems
            if value is not None:
                kb.studies, kb.studies_source = dict(value.studies), source
    data_files = [f for f in raw.files if f.rel.startswith(f"{DATA_DIR}/")]
    kb.datasets, broken_data, problems = load_datasets(data_files)
    kb.broken.update(dict.fromkeys(broken_data, "dataset"))
    findings += problems
    for file in raw.files:
        if file.rel in (META_FILE, VOCABULARY_FILE, BIB_FILE, STUDIES_FILE) or file in data_files:
            continue
        with processing(file.path):
            entry, found = _load_entity_file(file)
        findings += found
        if entry is not None:
            kb.entries.append(entry)
            stem = PurePosixPath(file.rel).stem
            if entry.entity.id != stem:  # references by file name would all echo the mismatch
                kb.broken[stem] = entry.entity.kind
        elif found and (parts := PurePosixPath(file.rel).parts)[0] in TYPE_BY_FOLDER:
            kb.broken[PurePosixPath(parts[-1]).stem] = TYPE_BY_FOLDER[parts[0]]
    return kb, findings


def refused_finding(refused: Refused) -> Finding:
    """The located error for an entry of the KB folder that was not read (a link, a pipe, too large)."""
    where = Location(refused.path)
    if refused.code == "not-a-file":
        return error("not-a-file", refused.message, where)
    if refused.code == "file-too-large":
        return error("file-too-large", refused.message, where)
    if refused.code == "too-many-files":
        return error("too-many-files", refused.message, where)
    if refused.code == "unreadable":
        return error("unreadable", refused.message, where)
    return error("link-in-kb", refused.message, where)


@lru_cache(maxsize=1 << 14)
def _load_entity_file(file: RawFile) -> tuple[Entry | None, tuple[Finding, ...]]:
    """Parse and validate one entity file (cached by its path and bytes).

    A pure function of the file: ``make serve`` checks the whole KB after
    every edit, and every file but the edited one is read from this cache.
    Entities are frozen; the findings come back as a tuple.
    """
    entry, problems = _parse_entity_file(file)
    return entry, tuple(problems)


def _parse_entity_file(file: RawFile) -> tuple[Entry | None, list[Finding]]:
    parts = PurePosixPath(file.rel).parts
    where = Location(file.path)
    if PurePosixPath(file.rel).suffix.lower() in {".md", ".txt"}:
        return None, []
    if len(parts) != 2:
        folders = ", ".join(f"{f}/" for f in TYPE_BY_FOLDER)
        return None, [warning("unexpected-file", f"file is not in an entity folder ({folders}); it is ignored.", where)]
    folder, name = parts
    kind = TYPE_BY_FOLDER.get(folder)
    if kind is None:
        hint = suggestion(folder, TYPE_BY_FOLDER)
        return None, [error("unknown-folder", f"'{folder}/' is not an entity folder.{hint}", where)]
    if not name.endswith(".yaml"):
        fix = " Rename it to '.yaml'." if name.endswith(".yml") else ""
        return None, [error("wrong-extension", f"entity files end in '.yaml'.{fix}", where)]
    source, problems = parse_source(file)
    if source is None:
        return None, problems
    problems += _check_modeline(source, kind, 2)
    model = MODELS[kind]
    entity, more = validate_model(model, source, f"{kind} '{PurePosixPath(name).stem}'")
    return (Entry(entity, source) if entity is not None else None), problems + more
