"""Validate stage, part one: each file against the schema of its type.

Turns the :class:`~generator.load.files.RawKB` into typed entities. Every problem
becomes a :class:`~generator.findings.Finding` with the line and column of
the key it concerns; nothing is raised.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from generator.findings import Finding, Location, error, warning
from generator.ids import did_you_mean, suggestion
from generator.kb import Entry, KnowledgeBase, Source
from generator.load.bibtex import Bibliography, parse_bibtex
from generator.load.files import RawFile, RawKB
from generator.load.yamlstrict import YamlProblem, decode, parse
from generator.models import FOLDERS, MODELS, KbMeta, Vocabulary

META_FILE = "kb.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
BIB_FILE = "references.bib"
SCHEMA_DIR = "schemas"
TYPE_BY_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}


def modeline(kind: str, depth: int) -> str:
    """The yaml-language-server comment that points editors at the schema."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{kind}.schema.json"


# ------------------------------------------------------------------ parsing


def _parse_yaml(raw: RawFile) -> tuple[Source | None, list[Finding]]:
    try:
        doc = parse(raw.data)
    except YamlProblem as problem:
        return None, [error(problem.code, problem.message, Location(raw.path, problem.line, problem.col))]
    text = raw.data.decode("utf-8")
    source = Source(raw.path, raw.rel, doc, text)
    if not isinstance(doc.data, dict):
        found = type(doc.data).__name__
        return None, [
            error("not-a-mapping", f"the file must be a mapping of fields, found a {found}.", source.location())
        ]
    return source, []


def _key_path_text(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that holds the key at the end of ``loc``."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip list/Optional/Annotated to the item type."""
    while True:
        origin = get_origin(annotation)
        args = [a for a in get_args(annotation) if a is not type(None)]
        if origin is None or not args:
            return annotation
        annotation = args[-1] if origin is dict else args[0]


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def schema_findings(exc: ValidationError, model: type[BaseModel], source: Source, label: str) -> list[Finding]:
    """Turn pydantic errors into findings with positions and fixes."""
    out: list[Finding] = []
    errors = exc.errors(include_url=False)
    # A misspelt required key shows up twice: as unknown and as missing. Keep
    # only the "unknown key ... did you mean" finding, which names the fix.
    misspelt = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            holder = _model_at(model, tuple(err["loc"]))
            match = did_you_mean(str(err["loc"][-1]), holder.model_fields) if holder else None
            if match:
                misspelt.add((*err["loc"][:-1], match))
    for err in errors:
        if err["type"] == "missing" and tuple(err["loc"]) in misspelt:
            continue
        loc = tuple(err["loc"])
        key = _key_path_text(loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            holder = _model_at(model, loc)
            allowed = sorted(holder.model_fields) if holder else []
            hint = suggestion(str(loc[-1]), allowed) or (f" Allowed keys: {', '.join(allowed)}." if allowed else "")
            out.append(error("unknown-key", f"unknown key '{key}' in {label}.{hint}", source.location(loc)))
        elif kind == "missing":
            out.append(error("missing-field", f"missing required field '{key}' in {label}.", source.location(loc)))
        else:
            code = (
                "invalid-type"
                if kind.endswith("_type") or kind in {"model_type", "dict_type", "list_type"}
                else "invalid-value"
            )
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            where = f"'{key}'" if key else label
            out.append(
                error(
                    code,
                    f"{where}: {message[0].lower()}{message[1:]}; found {_shown(err['input'])}.",
                    source.location(loc),
                )
            )
    return out


def _validate_model(model: type[BaseModel], source: Source, label: str) -> tuple[Any, list[Finding]]:
    try:
        return model.model_validate(source.doc.data), []
    except ValidationError as exc:
        return None, schema_findings(exc, model, source, label)


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
        if file is None:
            findings.append(error("missing-file", f"'{raw.root}/{name}' is missing.", Location(f"{raw.root}/{name}")))
            continue
        source, problems = _parse_yaml(file)
        findings += problems
        if source is not None:
            findings += _check_modeline(source, name.removesuffix(".yaml"), 1)
            value, problems = _validate_model(model, source, label)
            findings += problems
            if model is KbMeta:
                meta = value
            else:
                vocabulary = value

    bib_file = by_rel.get(BIB_FILE)
    bib_path = f"{raw.root}/{BIB_FILE}"
    bibliography = Bibliography(bib_path, {})
    if bib_file is None:
        findings.append(error("missing-file", f"'{bib_path}' is missing.", Location(bib_path)))
    else:
        try:
            bib_text = decode(bib_file.data)
        except YamlProblem as problem:
            findings.append(error(problem.code, problem.message, Location(bib_path, problem.line, problem.col)))
        else:
            bibliography, problems = parse_bibtex(bib_text, bib_path)
            findings += problems

    kb = KnowledgeBase(raw.root, meta, vocabulary, bibliography, files_checked=len(raw.files))
    for file in raw.files:
        if file.rel in (META_FILE, VOCABULARY_FILE, BIB_FILE):
            continue
        entry, problems = _load_entity_file(file)
        findings += problems
        if entry is not None:
            kb.entries.append(entry)
            stem = PurePosixPath(file.rel).stem
            if entry.entity.id != stem:  # references by file name would all echo the mismatch
                kb.broken[stem] = entry.entity.kind
        elif problems and (parts := PurePosixPath(file.rel).parts)[0] in TYPE_BY_FOLDER:
            kb.broken[PurePosixPath(parts[-1]).stem] = TYPE_BY_FOLDER[parts[0]]
    return kb, findings


def _load_entity_file(file: RawFile) -> tuple[Entry | None, list[Finding]]:
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
    source, problems = _parse_yaml(file)
    if source is None:
        return None, problems
    problems += _check_modeline(source, kind, 2)
    model = MODELS[kind]
    entity, more = _validate_model(model, source, f"{kind} '{PurePosixPath(name).stem}'")
    return (Entry(entity, source) if entity is not None else None), problems + more
