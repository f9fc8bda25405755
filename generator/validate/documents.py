"""Validate stage: one YAML document against one model, with located findings.

:func:`parse_source` turns raw bytes into a :class:`~generator.kb.Source`
(positions of every key); :func:`schema_findings` turns pydantic's errors
into findings at the key they concern, with a did-you-mean for misspelt
keys. The schema stage (:mod:`generator.validate.schema`) and the study
data (:mod:`generator.validate.datasets`) both use them.
"""

from __future__ import annotations

import json
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from generator.findings import Finding, Location, error
from generator.ids import did_you_mean, suggestion
from generator.kb import Source
from generator.load.files import RawFile
from generator.load.yamlstrict import YamlProblem, parse
from generator.models import BARE_TAG, LINK_TAG, RENAMED_KEYS


def parse_source(raw: RawFile) -> tuple[Source | None, list[Finding]]:
    """Parse a YAML file that must hold a mapping; return its source or the findings."""
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
    """Strip list/Optional/Annotated to the item type (a model, where a union offers one)."""
    while True:
        origin = get_origin(annotation)
        args = [a for a in get_args(annotation) if a is not type(None)]
        if origin is None or not args:
            return annotation
        models = [a for a in args if _unwrap_model(a) is not None]
        if len(args) > 1 and models and origin is not dict:
            return _unwrap_model(models[0])
        annotation = args[-1] if origin is dict else args[0]


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None and get_origin(annotation) is not dict:
        for arg in get_args(annotation):
            found = _unwrap_model(arg)
            if found is not None:
                return found
    return None


#: Parts of pydantic error locations that name a union's arm, not a key in the file.
_FORM_TAGS = {BARE_TAG, LINK_TAG}
_FORM_HINT = "an id, or a mapping with 'id', 'why' and either 'evidence' or 'judgement: true'"


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
            loc = tuple(p for p in err["loc"] if p not in _FORM_TAGS)
            holder = _model_at(model, loc)
            match = did_you_mean(str(loc[-1]), holder.model_fields) if holder else None
            if match:
                misspelt.add((*loc[:-1], match))
    for err in errors:
        if err["type"] == "missing" and tuple(p for p in err["loc"] if p not in _FORM_TAGS) in misspelt:
            continue
        loc = tuple(p for p in err["loc"] if p not in _FORM_TAGS)
        key = _key_path_text(loc)
        kind = err["type"]
        if kind == "model_type" and err["loc"] and err["loc"][-1] == LINK_TAG:
            out.append(
                error(
                    "invalid-type",
                    f"'{key}': expected {_FORM_HINT}; found {_shown(err['input'])}.",
                    source.location(loc),
                )
            )
        elif kind == "extra_forbidden":
            holder = _model_at(model, loc)
            allowed = sorted(holder.model_fields) if holder else []
            hint = suggestion(str(loc[-1]), allowed) or (f" Allowed keys: {', '.join(allowed)}." if allowed else "")
            if str(loc[-1]) in RENAMED_KEYS:
                new_key, how = RENAMED_KEYS[str(loc[-1])]
                hint = f" Did you mean '{new_key}'? {how[0].upper()}{how[1:]}."
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


def validate_model(model: type[BaseModel], source: Source, label: str) -> tuple[Any, list[Finding]]:
    """Validate a parsed document against ``model``: the instance, or None and located findings."""
    try:
        return model.model_validate(source.doc.data), []
    except ValidationError as exc:
        return None, schema_findings(exc, model, source, label)
