"""Score exported checklists against held-out reference sets of real-world checks.

Each ``tests/checklist_reference/<scenario-id>.yaml`` lists checks that
sources this project did not write (official documentation, reproducibility
checklists, maintainers' answers) say a port of that kind needs::

    scenario: pytorch-to-onnx-runtime
    checks:
      - id: eval-mode-before-export
        check: Put the model in eval mode before exporting.
        source: {title: "PyTorch docs: torch.onnx", url: "https://...", locator: "section ..."}
        weight: 3            # 1..3: how much skipping it costs in real failures
        essential: true      # should be on the short list
        match: ['\\beval\\b|inference mode']

A check is *covered* by an export when one exported item's text, ``how``
and ``done_when`` (joined by spaces) match every regex in ``match``
(case-insensitive). For each scenario the script composes the checklist
(``checklist SCENARIO --format json``) and its essential list
(``--essential``), and prints:

* ``items`` / ``essential``: item counts of the two exports;
* ``recall``: weighted recall of every check over the full export;
* ``ess. recall``: weighted recall of the checks marked ``essential`` over
  the essential export;
* ``named``: the share of full-export items that name a tool, API, command
  or number (:func:`names_something`);
* ``inapplicable``: full-export items whose applicability, read again from
  the KB, excludes the scenario (should be 0).

A reference set for a port that is not a named scenario gives ``name``
(its file name) and the ``query`` an engineer would compose it with, in
the CLI's filter names::

    name: tensorflow-to-onnx-runtime-cpu
    query: {source: tensorflow, target: onnx-runtime, hardware: [cpu], trains: false, precision: [fp32]}
    checks: [...]

Run: .venv/bin/python benchmarks/checklist_recall.py [--kb kb] [--reference tests/checklist_reference]
[--format text|json] [--misses] [--targets]. Exit 1 on a bad reference file (with its location), and with
``--targets`` when a scenario misses the issue's targets.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from generator.checklist.compose import Query, compose
from generator.checklist.export import export_model
from generator.kb import Checked, KnowledgeBase
from generator.load.yamlstrict import YamlProblem, parse
from generator.models import Practice
from generator.pipeline import check_folder
from generator.validate.selection import UnknownName, exclusion, narrow, resolve, validate_query

ROOT = Path(__file__).resolve().parent.parent

#: Targets from issue 11: recall of the full list, of the essential list, most essential items, named share.
TARGETS = {"recall": 0.90, "essential_recall": 0.80, "essential_items": 25, "named": 0.70, "inapplicable": 0}

#: Tools, APIs and commands counted as "named" when they appear as a whole word (case-insensitive).
#: Bare framework names (PyTorch, TensorFlow, ONNX) do not count: naming the framework says nothing about how.
TOOL_NAMES: tuple[str, ...] = (
    "accelerate",
    "assert_allclose",
    "benchmark_model",
    "conda",
    "cuDNN",
    "DataLoader",
    "datasets",
    "docker",
    "dvc",
    "execution provider",
    "flatbuffers",
    "from_pretrained",
    "git",
    "InferenceSession",
    "Interpreter",
    "model analyzer",
    "netron",
    "numpy",
    "nvidia-smi",
    "onnx.checker",
    "onnxruntime",
    "onnxsim",
    "optuna",
    "pip",
    "pip-tools",
    "polygraphy",
    "pytest",
    "representative_dataset",
    "SavedModel",
    "state_dict",
    "TensorBoard",
    "TensorRT",
    "tf.function",
    "tf.lite",
    "TFLiteConverter",
    "torch.compile",
    "torch.export",
    "torch.jit",
    "torch.onnx",
    "torch.testing",
    "trtexec",
    "trust_remote_code",
    "uv",
    "wandb",
)
_TOOL_RE = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(n) for n in TOOL_NAMES) + r")(?![\w-])", re.I)
_CODE_RE = re.compile(r"`[^`\n]+`")
#: A number an engineer can act on: digits not glued to letters (``int8``, ``fp16``, ``onnx2tf`` do not count).
_NUMBER_RE = re.compile(r"(?<![A-Za-z_\d])\d+(?:[.,]\d+)?(?![A-Za-z_\d])")


def names_something(text: str) -> bool:
    """Tell whether item text names a tool, API, command or number.

    It does when it holds a code span in backticks, a name from
    :data:`TOOL_NAMES` as a whole word (case-insensitive), or a number whose
    digits are not glued to letters or other digits' words (``opset 17``,
    ``batch size 1``, ``2 GB`` count; ``int8``, ``fp16``, ``onnx2tf`` do not).
    """
    return bool(_CODE_RE.search(text) or _TOOL_RE.search(text) or _NUMBER_RE.search(text))


# ----------------------------------------------------------------- reference


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(_Closed):
    """Where a reference check comes from."""

    title: Annotated[str, StringConstraints(min_length=3)]
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    locator: str | None = None


class Check(_Closed):
    """One real-world check a port of this kind needs."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    check: Annotated[str, StringConstraints(min_length=5)]
    source: Source
    weight: Annotated[int, Field(ge=1, le=3)]
    essential: bool = False
    match: Annotated[list[Annotated[str, StringConstraints(min_length=1)]], Field(min_length=1)]


_Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class RefQuery(_Closed):
    """An ad-hoc checklist query, in the CLI's filter names (``--source``, ``--hardware``, ...)."""

    paradigm: list[_Id] = Field(default_factory=list)
    stage: list[_Id] = Field(default_factory=list)
    source: _Id | None = None
    target: _Id | None = None
    hardware: list[_Id] = Field(default_factory=list)
    tag: list[_Id] = Field(default_factory=list)
    trains: bool | None = None
    reference_code: bool | None = None
    reference_weights: bool | None = None
    multi_device: bool | None = None
    precision: list[_Id] = Field(default_factory=list)
    model_family: list[_Id] = Field(default_factory=list)

    def to_query(self, **extra: Any) -> Query:
        """The selection query these filters stand for."""
        return Query(
            paradigms=tuple(self.paradigm),
            stages=tuple(self.stage),
            source=self.source,
            target=self.target,
            hardware=tuple(self.hardware),
            tags=tuple(self.tag),
            trains=self.trains,
            reference_code=self.reference_code,
            reference_weights=self.reference_weights,
            multi_device=self.multi_device,
            precision=tuple(self.precision),
            model_family=tuple(self.model_family),
            **extra,
        )


class ReferenceSet(_Closed):
    """The reference checks of one scenario, or of one ad-hoc query (``name`` and ``query``)."""

    scenario: _Id | None = None
    name: _Id | None = None
    query: RefQuery | None = None
    checks: Annotated[list[Check], Field(min_length=1)]

    @property
    def label(self) -> str:
        """The scenario id, or the ad-hoc set's name."""
        return self.scenario or self.name or ""

    def to_query(self, **extra: Any) -> Query:
        """The checklist query this set scores."""
        return self.query.to_query(**extra) if self.query else Query(scenario=self.scenario, **extra)


class BadReference(Exception):
    """A reference file that cannot be used; the message names the file and line."""


def _located(path: Path, line: int, col: int, message: str) -> BadReference:
    return BadReference(f"{path}:{line}:{col}: {message}")


def _where(query: RefQuery, value: str) -> tuple[str | int, ...]:
    """The key path of the query filter that names ``value`` (the query itself if none does)."""
    for key, given in query.model_dump().items():
        if given == value:
            return ("query", key)
        if isinstance(given, list) and value in given:
            return ("query", key, given.index(value))
    return ("query",)


def load_reference(path: Path, kb: KnowledgeBase | None = None) -> tuple[ReferenceSet, list[list[re.Pattern[str]]]]:
    """Read and check one reference file; return it with its compiled regexes (one list per check).

    With ``kb``, an ad-hoc set's query must name only scenarios, stages,
    paradigms and vocabulary terms that ``kb`` has.

    Raises:
        BadReference: with ``file:line:col`` for YAML, shape and regex errors.
    """
    try:
        doc = parse(path.read_bytes())
    except YamlProblem as exc:
        raise _located(path, exc.line, exc.col, exc.message) from None
    try:
        ref = ReferenceSet.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(err["loc"])
        mark = doc.mark(loc)
        key = ".".join(str(p) for p in loc) or "file"
        raise _located(path, mark.line, mark.col, f"{key}: {err['msg']}") from None
    if (ref.scenario is None) == (ref.query is None):
        raise _located(path, 1, 1, "give either 'scenario' or 'name' and 'query'")
    if ref.query is not None and ref.name is None:
        mark = doc.mark(("query",))
        raise _located(path, mark.line, mark.col, "an ad-hoc set ('query') needs a 'name'")
    if ref.scenario is not None and ref.name is not None:
        mark = doc.mark(("name",))
        raise _located(path, mark.line, mark.col, "a scenario set takes its name from 'scenario'")
    if ref.label != path.stem:
        key = "scenario" if ref.scenario else "name"
        mark = doc.mark((key,))
        raise _located(path, mark.line, mark.col, f"{key} '{ref.label}' differs from the file name")
    if ref.query is not None and kb is not None:
        try:
            validate_query(kb, ref.to_query())
        except UnknownName as exc:
            mark = doc.mark(_where(ref.query, exc.value))
            raise _located(path, mark.line, mark.col, f"query: {exc}") from None
    compiled: list[list[re.Pattern[str]]] = []
    seen: set[str] = set()
    for i, chk in enumerate(ref.checks):
        if chk.id in seen:
            mark = doc.mark(("checks", i, "id"))
            raise _located(path, mark.line, mark.col, f"check id '{chk.id}' is used twice")
        seen.add(chk.id)
        patterns = []
        for j, pattern in enumerate(chk.match):
            try:
                patterns.append(re.compile(pattern, re.I))
            except re.error as exc:
                mark = doc.mark(("checks", i, "match", j))
                raise _located(path, mark.line, mark.col, f"check '{chk.id}': invalid regex: {exc}") from None
        compiled.append(patterns)
    return ref, compiled


# ------------------------------------------------------------------- scoring


@dataclass
class Score:
    """What the script prints for one scenario."""

    scenario: str
    items: int
    essential_items: int
    recall: float
    essential_recall: float
    named: float
    inapplicable: int
    checks: int
    missed: list[str] = field(default_factory=list)
    missed_essential: list[str] = field(default_factory=list)


def item_texts(checked: Checked, query: Query) -> list[tuple[str, str]]:
    """``(uid, text + how + done_when)`` of each item of the JSON export for ``query``."""
    model = export_model(compose(checked, query))
    return [(i.id, " ".join(t for t in (i.text, i.how, i.done_when) if t)) for i in model.items]


def covered(patterns: list[re.Pattern[str]], texts: list[tuple[str, str]]) -> bool:
    """Tell whether one item's text matches every pattern."""
    return any(all(p.search(text) for p in patterns) for _, text in texts)


def _recall(
    ref: ReferenceSet, compiled: list[list[re.Pattern[str]]], texts: list[tuple[str, str]], only_essential: bool
) -> tuple[float, list[str]]:
    total = hit = 0
    missed = []
    for chk, patterns in zip(ref.checks, compiled, strict=True):
        if only_essential and not chk.essential:
            continue
        total += chk.weight
        if covered(patterns, texts):
            hit += chk.weight
        else:
            missed.append(chk.id)
    return (hit / total if total else 1.0), missed


def inapplicable(checked: Checked, query: Query, uids: list[str]) -> int:
    """Items whose applicability, read again from the KB, excludes the query's selection."""
    sel = resolve(checked.kb, query)
    count = 0
    for uid in uids:
        pid, iid = uid.split("/", 1)
        practice = checked.kb.entities.get(pid)
        assert isinstance(practice, Practice)
        item = next(ci for ci in practice.checklist if ci.id == iid)
        if exclusion(narrow(practice.applies_when, item.applies_when), sel) is not None:
            count += 1
    return count


def score(checked: Checked, ref: ReferenceSet, compiled: list[list[re.Pattern[str]]]) -> Score:
    """Score one scenario's (or query's) full and essential exports against its reference set."""
    full = item_texts(checked, ref.to_query())
    short = item_texts(checked, ref.to_query(importance="essential"))
    recall, missed = _recall(ref, compiled, full, only_essential=False)
    essential_recall, missed_essential = _recall(ref, compiled, short, only_essential=True)
    named = sum(names_something(text) for _, text in full) / len(full) if full else 0.0
    return Score(
        scenario=ref.label,
        items=len(full),
        essential_items=len(short),
        recall=recall,
        essential_recall=essential_recall,
        named=named,
        inapplicable=inapplicable(checked, ref.to_query(), [uid for uid, _ in full]),
        checks=len(ref.checks),
        missed=missed,
        missed_essential=missed_essential,
    )


def meets_targets(s: Score) -> bool:
    """Tell whether a scenario meets issue 11's targets."""
    return (
        s.recall >= TARGETS["recall"]
        and s.essential_recall >= TARGETS["essential_recall"]
        and s.essential_items <= TARGETS["essential_items"]
        and s.named >= TARGETS["named"]
        and s.inapplicable <= TARGETS["inapplicable"]
    )


def table(scores: list[Score], misses: bool) -> str:
    """The scores as a fixed-width table (one row per scenario)."""
    width = max([len("reference set"), *(len(s.scenario) for s in scores)])
    head = f"{'reference set':<{width}}  checks  items  essential  recall  ess. recall  named  inapplicable"
    lines = [head]
    for s in scores:
        lines.append(
            f"{s.scenario:<{width}}  {s.checks:>6}  {s.items:>5}  {s.essential_items:>9}  {s.recall:>6.1%}  "
            f"{s.essential_recall:>11.1%}  {s.named:>5.1%}  {s.inapplicable:>12}"
        )
    if misses:
        for s in scores:
            lines.append(f"{s.scenario}: missed {', '.join(s.missed) or 'none'}")
            lines.append(f"{s.scenario}: missed in the essential list {', '.join(s.missed_essential) or 'none'}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Score every reference set; print a table or JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=ROOT / "kb", help="knowledge-base folder")
    parser.add_argument("--reference", type=Path, default=ROOT / "tests" / "checklist_reference")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--misses", action="store_true", help="list the checks each export misses")
    parser.add_argument("--targets", action="store_true", help="exit 1 when a scenario misses issue 11's targets")
    args = parser.parse_args(argv)

    files = sorted(args.reference.glob("*.yaml")) if args.reference.is_dir() else []
    if not files:
        print(f"error: no reference sets (*.yaml) in {args.reference}", file=sys.stderr)
        return 1
    checked = check_folder(args.kb)
    if any(f.severity == "error" for f in checked.findings):
        print(f"error: {args.kb} does not validate; run 'python -m generator validate'", file=sys.stderr)
        return 1
    scenarios = {e.id for e in checked.kb.of_type("scenario")}
    scores = []
    try:
        for path in files:
            ref, compiled = load_reference(path, checked.kb)
            if ref.scenario is not None and ref.scenario not in scenarios:
                raise BadReference(f"{path}:1:1: scenario '{ref.scenario}' is not in {args.kb}")
            scores.append(score(checked, ref, compiled))
    except BadReference as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        data: list[dict[str, Any]] = [asdict(s) | {"meets_targets": meets_targets(s)} for s in scores]
        print(json.dumps({"targets": TARGETS, "scenarios": data}, indent=2, sort_keys=True))
    else:
        sys.stdout.write(table(scores, args.misses))
    return 1 if args.targets and not all(meets_targets(s) for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
