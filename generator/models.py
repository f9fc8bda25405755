"""The shape of every knowledge-base entity, declared once.

One pydantic model per entity type; each field has a description (shown in
editors through the exported JSON Schema), unknown keys are rejected and
values are strict (no string-to-number or ``yes``-to-bool coercion).

Relations to other entities are plain id strings annotated with
:class:`Ref`, so the reference checker, the graph builder and the schema
exporter all read the relation kinds from this one place.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic import Tag as FormTag

from generator.ids import (
    CITE_KEY_PATTERN,
    ID_MAX_LENGTH,
    ID_MIN_LENGTH,
    ID_PATTERN,
    ITEM_ID_PATTERN,
    ITEM_UID_PATTERN,
    url_problem,
)

# --------------------------------------------------------------------- vocab

#: Folder under ``kb/`` for each entity type, in the order pages list them.
FOLDERS: dict[str, str] = {
    "paradigm": "paradigms",
    "stage": "stages",
    "challenge": "challenges",
    "practice": "practices",
    "defect": "defects",
    "scenario": "scenarios",
}

Component = Literal["environment", "data-pipeline", "modeling", "training", "conversion", "cross-cutting"]
EvidenceKind = Literal[
    "mining-study",
    "interview-study",
    "survey",
    "experiment",
    "experience-report",
    "literature-review",
    "position-paper",
    "documentation",
]
#: How strong an evidence item is, derived from its kind (see :data:`STRENGTH_BY_KIND`).
Strength = Literal["measured", "counted", "reported", "documented", "judgement"]

#: The one place where an evidence kind becomes the strength a reader sees as a badge.
STRENGTH_BY_KIND: dict[str, Strength] = {
    "experiment": "measured",
    "mining-study": "counted",
    "survey": "reported",
    "interview-study": "reported",
    "experience-report": "reported",
    "literature-review": "reported",
    "documentation": "documented",
    "position-paper": "judgement",
}

#: What each strength means, for badges' tooltips and docs/about.md.
STRENGTH_MEANING: dict[Strength, str] = {
    "measured": "measured in a controlled experiment",
    "counted": "counted in mined data (issues, repositories)",
    "reported": "reported by people (interviews, surveys, experience reports, reviews)",
    "documented": "stated in a tool's official documentation",
    "judgement": "expert judgement or argument, not measured",
}


def strength_of(kind: str) -> Strength:
    """The strength of evidence of ``kind`` (the badge shown on pages)."""
    return STRENGTH_BY_KIND[kind]


Activity = Literal["reusing", "replicating", "adapting", "enhancing", "porting", "converting"]
Importance = Literal["essential", "recommended", "situational"]
Status = Literal["active", "deprecated"]
Dataset = Literal["cv-reengineering-defects", "onnx-converter-failures"]
#: The relations by which a practice claims an effect; each carries a basis.
EffectRelation = Literal["addresses", "prevents", "detects"]
EFFECT_RELATIONS: tuple[EffectRelation, ...] = ("addresses", "prevents", "detects")
Precision = Literal["fp32", "fp16", "bf16", "int8"]
Severity = Literal["blocker", "major", "minor"]
Effort = Literal["minutes", "hours", "days"]

#: Keys that were renamed: old key -> (new key, how to move the value). Old keys stay rejected.
RENAMED_KEYS: dict[str, tuple[str, str]] = {
    "applies_to": (
        "applies_when",
        "'applies_to' was renamed: move 'frameworks' to 'target' (or 'source') and keep 'hardware' as it is",
    ),
    "frameworks": ("target", "'applies_when' names the 'source' and the 'target' frameworks separately"),
}

#: The most items a scenario's essential list may hold.
ESSENTIAL_MAX = 25

# --------------------------------------------------------------------- types


@dataclass(frozen=True)
class Ref:
    """Marks a string field as a reference to an entity of ``target`` type."""

    target: str
    edge: str


EntityId = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=ID_MIN_LENGTH, max_length=ID_MAX_LENGTH)]
CiteKey = Annotated[str, StringConstraints(pattern=CITE_KEY_PATTERN)]
ItemId = Annotated[str, StringConstraints(pattern=ITEM_ID_PATTERN, min_length=3, max_length=60)]
Title = Annotated[str, StringConstraints(min_length=3, max_length=100)]
Summary = Annotated[str, StringConstraints(min_length=30, max_length=400)]
Sentence = Annotated[str, StringConstraints(min_length=10, max_length=600)]
Rationale = Annotated[str, StringConstraints(min_length=30, max_length=1500)]
Body = Annotated[str, StringConstraints(min_length=1, max_length=12000)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=60)]
Description = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Locator = Annotated[str, StringConstraints(max_length=60)]
Tag = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=40)]
ItemUid = Annotated[str, StringConstraints(pattern=ITEM_UID_PATTERN)]


def _web_url(value: str) -> str:
    problem = url_problem(value)
    if problem is not None:
        raise ValueError(f"the URL {problem}")
    return value


# No backslash before the quotes: JSON Schema patterns are ECMA-262 regexes, and
# in unicode mode (check-jsonschema, ajv) an escaped quote is a syntax error.
HttpUrl = Annotated[
    str, StringConstraints(pattern=r"""^https?://[^\s<>"'\\]+$""", max_length=500), AfterValidator(_web_url)
]


def _site_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.query or parts.fragment or not re.fullmatch(r"[A-Za-z0-9._~/%-]*", parts.path):
        raise ValueError(
            "the site URL is the address of the site's root: no query, no fragment, "
            "and a path of letters, digits, '.', '_', '~', '-' and '/'"
        )
    return value


#: Where the site is published: an http(s) URL without query or fragment (it goes into every export).
SiteUrl = Annotated[HttpUrl, AfterValidator(_site_url)]


def _real_date(value: str) -> str:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a calendar date (YYYY-MM-DD)") from None
    return value


#: A real calendar date written as ``YYYY-MM-DD`` (YAML keeps it a string here).
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]

# References, one alias per (target type, relation): the relation kinds live here.
_IdText = StringConstraints(pattern=ID_PATTERN)
NextStage = Annotated[str, Ref("stage", "next"), _IdText]
FeedsBackTo = Annotated[str, Ref("stage", "feeds-back-to"), _IdText]
InStage = Annotated[str, Ref("stage", "in-stage"), _IdText]
InParadigm = Annotated[str, Ref("paradigm", "in-paradigm"), _IdText]
Addresses = Annotated[str, Ref("challenge", "addresses"), _IdText]
Prevents = Annotated[str, Ref("defect", "prevents"), _IdText]
Detects = Annotated[str, Ref("defect", "detects"), _IdText]
ParentDefect = Annotated[str, Ref("defect", "parent"), _IdText]
Includes = Annotated[str, Ref("practice", "includes"), _IdText]
Excludes = Annotated[str, Ref("practice", "excludes"), _IdText]

#: Tags of the two forms an effect relation item takes (a bare id, or a mapping with a basis).
BARE_TAG = "bare-id"
LINK_TAG = "link"


def _effect_form(value: Any) -> str:
    return BARE_TAG if isinstance(value, str) else LINK_TAG


class Strict(BaseModel):
    """Base for every model: unknown keys rejected, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)


# ------------------------------------------------------------------ evidence


class Evidence(Strict):
    """A claim's support: a BibTeX key and what the source shows, in your own words."""

    cite: CiteKey = Field(description="BibTeX key of the source in kb/references.bib.")
    kind: EvidenceKind = Field(description="How the source obtained the evidence.")
    shows: Sentence = Field(description="What the source shows (a figure, a count, a finding), in your own words.")
    locator: Locator = Field(
        description="Where in the source: a section, table, figure or transcript line, e.g. 'Table 3'; "
        "for a number recomputed from study data, 'data set, recomputed'.",
    )

    @property
    def strength(self) -> Strength:
        """How strong this evidence is, derived from its kind."""
        return strength_of(self.kind)


def _check_basis(why: str | None, evidence: list[str], judgement: bool) -> None:
    if judgement and evidence:
        raise ValueError("give either 'evidence' or 'judgement: true', not both")
    if not judgement and not evidence:
        raise ValueError("give 'evidence' (keys from this entry's evidence list) or 'judgement: true'")
    if len(set(evidence)) != len(evidence):
        raise ValueError("'evidence' lists a key twice")


class Basis(Strict):
    """Why a claim about an effect or importance holds: evidence keys or an explicit judgement."""

    why: Sentence = Field(description="One line: why the claim holds.")
    evidence: list[CiteKey] = Field(
        default_factory=list,
        description="BibTeX keys backing the claim; each must also appear in this entry's 'evidence' list.",
    )
    judgement: bool = Field(
        default=False, description="true when no evidence shows the effect: an explicit judgement mark."
    )

    @model_validator(mode="after")
    def _one_basis(self) -> Basis:
        _check_basis(self.why, self.evidence, self.judgement)
        return self


class EffectLink(Strict):
    """A claimed effect of a practice on a challenge or defect type, with its basis."""

    id: EntityId = Field(description="Id of the challenge or defect type.")
    why: Sentence = Field(description="One line: why the practice has this effect.")
    evidence: list[CiteKey] = Field(
        default_factory=list,
        description="BibTeX keys showing the effect; each must also appear in this entry's 'evidence' list.",
    )
    judgement: bool = Field(
        default=False, description="true when no evidence shows the effect: an explicit judgement mark."
    )

    @model_validator(mode="after")
    def _one_basis(self) -> EffectLink:
        _check_basis(self.why, self.evidence, self.judgement)
        return self


class AddressesLink(EffectLink):
    """A challenge the practice helps with, and why."""

    id: Addresses = Field(description="Id of the challenge.")


class PreventsLink(EffectLink):
    """A defect type the practice prevents, and why."""

    id: Prevents = Field(description="Id of the defect type.")


class DetectsLink(EffectLink):
    """A defect type the practice detects, and why."""

    id: Detects = Field(description="Id of the defect type.")


# An item is a bare id (accepted while entries migrate; lint flags it) or a link with a basis.
AddressesItem = Annotated[
    Annotated[Addresses, FormTag(BARE_TAG)] | Annotated[AddressesLink, FormTag(LINK_TAG)], Discriminator(_effect_form)
]
PreventsItem = Annotated[
    Annotated[Prevents, FormTag(BARE_TAG)] | Annotated[PreventsLink, FormTag(LINK_TAG)], Discriminator(_effect_form)
]
DetectsItem = Annotated[
    Annotated[Detects, FormTag(BARE_TAG)] | Annotated[DetectsLink, FormTag(LINK_TAG)], Discriminator(_effect_form)
]


@dataclass(frozen=True)
class Effect:
    """An effect relation item read the same way whatever its YAML form.

    ``why`` is None for a bare id (no basis given).
    """

    relation: str
    target: str
    why: str | None
    evidence: tuple[str, ...]
    judgement: bool

    @property
    def has_basis(self) -> bool:
        """Whether the item says why, with evidence or a judgement mark."""
        return self.why is not None


def effect_of(relation: str, item: str | EffectLink) -> Effect:
    """Normalise one effect relation item."""
    if isinstance(item, str):
        return Effect(relation, item, None, (), False)
    return Effect(relation, item.id, item.why, tuple(item.evidence), item.judgement)


class Entity(Strict):
    """Fields every entity has."""

    kind: ClassVar[str] = ""

    id: EntityId = Field(description="Stable id; must equal the file name without '.yaml'.")
    title: Title = Field(description="Short, specific title in sentence case.")
    summary: Summary = Field(description="One or two plain sentences: what this is and why it matters.")
    body: Body | None = Field(default=None, description="Longer explanation in Markdown (raw HTML is not rendered).")
    tags: list[Tag] = Field(default_factory=list, description="Terms from kb/vocabulary.yaml.")
    evidence: list[Evidence] = Field(default_factory=list, description="Sources that back the claims made here.")
    aliases: list[EntityId] = Field(
        default_factory=list, description="Former ids of this entity; their URLs redirect here."
    )
    status: Status = Field(default="active", description="'deprecated' keeps the page but warns on references.")
    replaced_by: EntityId | None = Field(
        default=None, description="For a deprecated entity: the id of the entity that replaces it."
    )
    review_by: IsoDate | None = Field(
        default=None, description="Date (YYYY-MM-DD) by which the entry should be reviewed again."
    )
    reviewed: IsoDate | None = Field(
        default=None,
        description="Date (YYYY-MM-DD) the entry was last checked against its sources; "
        "lint --strict flags it when missing or older than 18 months.",
    )

    @model_validator(mode="after")
    def _replaced_only_when_deprecated(self) -> Entity:
        if self.replaced_by is not None and self.status != "deprecated":
            raise ValueError("'replaced_by' is only allowed with 'status: deprecated'")
        return self


# ------------------------------------------------------------------ entities


class Paradigm(Entity):
    """A reuse paradigm: conceptual, adaptation or deployment reuse."""

    kind: ClassVar[str] = "paradigm"

    activities: list[Activity] = Field(
        min_length=1, description="Typical reengineering activities under this paradigm."
    )


class Stage(Entity):
    """A stage of the reengineering workflow."""

    kind: ClassVar[str] = "stage"

    order: Annotated[int, Field(ge=1, le=99)] = Field(description="Position of the stage in the workflow, from 1.")
    next: list[NextStage] = Field(
        default_factory=list, description="Stages that follow this one (forward edges; must form a DAG)."
    )
    feeds_back_to: list[FeedsBackTo] = Field(
        default_factory=list, description="Earlier stages this one sends work back to (back-edges)."
    )


class Challenge(Entity):
    """A challenge engineers face when reengineering a model."""

    kind: ClassVar[str] = "challenge"

    paradigms: list[InParadigm] = Field(min_length=1, description="Reuse paradigms in which the challenge arises.")
    stages: list[InStage] = Field(default_factory=list, description="Workflow stages where it shows up.")
    symptoms: list[Sentence] = Field(default_factory=list, description="How engineers notice it.")


class Applicability(Strict):
    """When a practice or checklist item applies; the checklist selector reads it.

    Every key is optional and an absent key means "any". A scenario (or query)
    that leaves a key open never excludes on it.
    """

    trains: bool | None = Field(
        default=None, description="true: only when the port trains or fine-tunes; false: only inference-only ports."
    )
    reference_code: bool | None = Field(
        default=None, description="true: only when reference code can be run; false: only when it cannot."
    )
    reference_weights: bool | None = Field(
        default=None, description="true: only when reference weights exist; false: only when they do not."
    )
    multi_device: bool | None = Field(
        default=None,
        description="true: only when the port trains or runs on several devices at once; false: only on one.",
    )
    source: list[Tag] = Field(default_factory=list, description="Source framework ids (vocabulary); empty: any.")
    target: list[Tag] = Field(default_factory=list, description="Target framework ids (vocabulary); empty: any.")
    hardware: list[Tag] = Field(default_factory=list, description="Target hardware ids (vocabulary); empty: any.")
    precision: list[Precision] = Field(default_factory=list, description="Target precisions; empty: any.")
    model_family: list[Tag] = Field(
        default_factory=list, description="Model family ids (vocabulary 'model_families'); empty: any."
    )

    def is_empty(self) -> bool:
        """Tell whether no key narrows anything."""
        return self == Applicability()

    def conditions(self) -> list[str]:
        """The yes/no keys as short phrases, e.g. ``["training", "no reference code"]``."""
        phrases = {
            "trains": ("training", "inference only"),
            "reference_code": ("reference code available", "no reference code"),
            "reference_weights": ("reference weights available", "no reference weights"),
            "multi_device": ("several devices", "one device"),
        }
        out = []
        for key, (yes, no) in phrases.items():
            value = getattr(self, key)
            if value is not None:
                out.append(yes if value else no)
        return out


class DocLink(Strict):
    """A section of official documentation."""

    title: Annotated[str, StringConstraints(min_length=3, max_length=120)] = Field(
        description="What the section is, e.g. 'ONNX Runtime: Python API, InferenceSession'."
    )
    url: HttpUrl = Field(description="http(s) URL of the section.")


class ChecklistItem(Strict):
    """One thing to check before or during a port."""

    id: ItemId = Field(description="Stable id, unique within the practice; the item's global id is 'practice/id'.")
    text: Sentence = Field(description="An action a person can tick off, in the imperative.")
    how: Annotated[str, StringConstraints(min_length=10, max_length=1200)] | None = Field(
        default=None, description="How to do it: the tool, API or command (code in backticks)."
    )
    done_when: Sentence | None = Field(
        default=None, description="When it is done: an artefact, or a threshold with its source or rule of thumb."
    )
    checked_with: Annotated[str, StringConstraints(min_length=2, max_length=200)] | None = Field(
        default=None, description="Versions 'how' was checked against, e.g. 'torch 2.5, onnxruntime 1.20'."
    )
    docs: list[DocLink] = Field(default_factory=list, description="Sections of the official documentation.")
    failures: list[HttpUrl] = Field(
        default_factory=list, description="Real failures this item would have caught (issue URLs)."
    )
    severity: Severity | None = Field(default=None, description="What skipping it risks: blocker, major or minor.")
    effort: Effort | None = Field(default=None, description="Rough time it takes: minutes, hours or days.")
    applies_when: Applicability = Field(
        default_factory=Applicability, description="Narrows the practice's 'applies_when' for this item."
    )


class Practice(Entity):
    """A practice that helps: what to do, when, and which problems it guards against."""

    kind: ClassVar[str] = "practice"

    stage: InStage = Field(description="The workflow stage where the practice is done.")
    paradigms: list[InParadigm] = Field(min_length=1, description="Reuse paradigms the practice applies to.")
    addresses: list[AddressesItem] = Field(
        default_factory=list,
        description="Challenges this practice helps with: {id, why, evidence: [keys]} or {id, why, judgement: true}.",
    )
    prevents: list[PreventsItem] = Field(
        default_factory=list,
        description="Defect types it prevents: {id, why, evidence: [keys]} or {id, why, judgement: true}.",
    )
    detects: list[DetectsItem] = Field(
        default_factory=list,
        description="Defect types it detects: {id, why, evidence: [keys]} or {id, why, judgement: true}.",
    )
    importance: Importance = Field(default="recommended", description="How strongly to recommend it.")
    importance_basis: Basis | None = Field(
        default=None, description="Why the importance holds: {why, evidence: [keys]} or {why, judgement: true}."
    )
    rationale: Rationale = Field(description="Why it works, with the evidence in mind.")
    steps: list[Sentence] = Field(min_length=1, description="Concrete steps: commands, tolerances, what to compare.")
    not_applicable_when: list[Sentence] = Field(
        default_factory=list, description="Situations where the practice does not apply or does not pay off."
    )
    applies_when: Applicability = Field(
        default_factory=Applicability, description="When the practice applies; its items inherit it."
    )
    checklist: list[ChecklistItem] = Field(default_factory=list, description="Items for exported checklists.")

    def effects(self, relation: EffectRelation) -> list[Effect]:
        """The items of one effect relation, normalised (bare ids have no basis)."""
        items: list[str | EffectLink] = list(getattr(self, relation))
        return [effect_of(relation, item) for item in items]

    def targets(self, relation: EffectRelation) -> list[str]:
        """The ids one effect relation points to, in file order."""
        return [effect.target for effect in self.effects(relation)]

    def all_effects(self) -> list[Effect]:
        """Every effect relation item, addresses then prevents then detects."""
        return [effect for relation in EFFECT_RELATIONS for effect in self.effects(relation)]


class DataQuery(Strict):
    """How to recompute a figure from a data set in kb/data/ (checked on every build)."""

    dataset: Dataset = Field(description="Which data set in kb/data/ the figure comes from.")
    where: dict[str, str] = Field(description="Column = value conditions selecting the counted rows.")
    within: dict[str, str] = Field(
        default_factory=dict, description="Column = value conditions selecting the population (the total)."
    )


class Figure(Strict):
    """A count from a study: ``count`` of ``total`` (the share is derived)."""

    label: Sentence = Field(description="What is counted, e.g. 'environment defects caused by API defects'.")
    count: Annotated[int, Field(ge=0)] = Field(description="How many.")
    total: Annotated[int, Field(ge=1)] = Field(description="Out of how many.")
    cite: CiteKey = Field(description="BibTeX key of the study.")
    locator: Locator | None = Field(default=None, description="Table or figure in the source.")
    recompute: DataQuery | None = Field(default=None, description="Query that recomputes count and total.")

    @model_validator(mode="after")
    def _count_within_total(self) -> Figure:
        if self.count > self.total:
            raise ValueError(f"count {self.count} is larger than total {self.total}")
        return self

    @property
    def share(self) -> float:
        """The count as a fraction of the total."""
        return self.count / self.total


class CaseQuery(Strict):
    """Which rows of a data set are the real cases of a defect type."""

    dataset: Dataset = Field(description="Which data set in kb/data/ holds the cases.")
    where: dict[str, str] = Field(
        description="Column = value conditions selecting this defect type's rows ({} selects every row)."
    )


class Example(Strict):
    """A real issue that shows the defect type."""

    url: HttpUrl = Field(description="http(s) URL of the issue.")
    note: Sentence = Field(description="One line on what went wrong, in your own words.")


class Defect(Entity):
    """A defect type: a node of the defect taxonomy tree."""

    kind: ClassVar[str] = "defect"

    parent: ParentDefect | None = Field(
        default=None, description="Parent defect type; omit for a root of the taxonomy."
    )
    component: Component = Field(description="The part of the system where the defect lives.")
    symptoms: list[Sentence] = Field(default_factory=list, description="How the defect shows itself.")
    figures: list[Figure] = Field(default_factory=list, description="Counts and shares from studies.")
    examples: list[Example] = Field(default_factory=list, description="Real issues, one line each.")
    cases: CaseQuery | None = Field(
        default=None,
        description="The rows of a study's data that are this type's real cases (all listed on its page); "
        "a parent type without it lists its sub-types' cases.",
    )


class Endpoint(Strict):
    """One side of a port: framework and hardware."""

    framework: Tag | None = Field(default=None, description="Framework from the vocabulary.")
    hardware: list[Tag] = Field(default_factory=list, description="Hardware from the vocabulary.")


class ScenarioContext(Strict):
    """What a scenario knows about the port; the selector reads it against 'applies_when'."""

    trains: bool | None = Field(default=None, description="Whether the port trains or fine-tunes (null: unknown).")
    reference_code: bool | None = Field(default=None, description="Whether reference code can be run.")
    reference_weights: bool | None = Field(default=None, description="Whether reference weights exist.")
    multi_device: bool | None = Field(
        default=None, description="Whether the port trains or runs on several devices at once (null: unknown)."
    )
    precision: list[Precision] = Field(default_factory=list, description="Target precisions (empty: unknown).")
    model_family: list[Tag] = Field(
        default_factory=list, description="Model families from the vocabulary (empty: unknown)."
    )


class Scenario(Entity):
    """A port or reuse scenario that selects checklist items."""

    kind: ClassVar[str] = "scenario"

    source: Endpoint = Field(default_factory=Endpoint, description="Where the model comes from.")
    target: Endpoint = Field(default_factory=Endpoint, description="Where the model goes.")
    paradigms: list[InParadigm] = Field(min_length=1, description="Paradigms whose practices apply.")
    stages: list[InStage] = Field(default_factory=list, description="Restrict to these stages (empty: all).")
    select_tags: list[Tag] = Field(
        default_factory=list, description="Keep only practices carrying one of these tags (empty: no tag filter)."
    )
    include: list[Includes] = Field(default_factory=list, description="Practices added whatever the filters say.")
    exclude: list[Excludes] = Field(default_factory=list, description="Practices removed whatever the filters say.")
    context: ScenarioContext = Field(
        default_factory=ScenarioContext,
        description="Training, reference code and weights, devices, precision, model family.",
    )
    essential: list[ItemUid] = Field(
        default_factory=list,
        max_length=ESSENTIAL_MAX,
        description=f"Item uids ('practice/item') of this scenario's short list (at most {ESSENTIAL_MAX}).",
    )
    order: list[EntityId] = Field(
        default_factory=list, description="Every stage id, in the order of this scenario's path (empty: workflow)."
    )


MODELS: dict[str, type[Entity]] = {
    "paradigm": Paradigm,
    "stage": Stage,
    "challenge": Challenge,
    "practice": Practice,
    "defect": Defect,
    "scenario": Scenario,
}


# ---------------------------------------------------------------- metadata


class Term(Strict):
    """A controlled-vocabulary term."""

    label: Label = Field(description="Display name, e.g. 'PyTorch'.")
    description: Description | None = Field(default=None, description="What the term covers.")


class Vocabulary(Strict):
    """Controlled vocabulary for tags and applicability (kb/vocabulary.yaml)."""

    frameworks: dict[Tag, Term] = Field(description="Frameworks, runtimes and converters.")
    hardware: dict[Tag, Term] = Field(description="Hardware targets.")
    model_families: dict[Tag, Term] = Field(description="Model families and architectures.")
    topics: dict[Tag, Term] = Field(description="Other topics.")

    def all_terms(self) -> dict[str, Term]:
        """All terms of every category, by id."""
        return {**self.topics, **self.model_families, **self.hardware, **self.frameworks}


class KbMeta(Strict):
    """Knowledge-base metadata (kb/kb.yaml)."""

    name: Title = Field(description="Name of the knowledge base.")
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")] = Field(
        description="Semantic version of the content."
    )
    site_url: SiteUrl = Field(description="Where the site is published; used in exported checklists.")
    repo_url: HttpUrl = Field(description="Repository URL; used for 'edit this entry' links.")
    edit_branch: Tag = Field(default="main", description="Branch for edit links.")


# ---------------------------------------------------------------- relations


@dataclass(frozen=True)
class RefField:
    """A field of a model that refers to other entities."""

    name: str
    ref: Ref
    many: bool


def _find_ref(annotation: Any) -> tuple[Ref | None, bool]:
    """Find a :class:`Ref` in an annotation, and whether it is inside a list."""
    from typing import get_args, get_origin

    if get_origin(annotation) is Annotated:
        for meta in get_args(annotation)[1:]:
            if isinstance(meta, Ref):
                return meta, False
    if get_origin(annotation) is list:
        found, _ = _find_ref(get_args(annotation)[0])
        return found, True
    for arg in get_args(annotation):
        found, many = _find_ref(arg)
        if found:
            return found, many
    return None, False


def ref_fields(model: type[Entity]) -> list[RefField]:
    """List the reference fields of an entity model, in declaration order."""
    return list(_ref_fields(model))


@functools.cache
def _ref_fields(model: type[Entity]) -> tuple[RefField, ...]:
    """:func:`ref_fields`, computed once per model (it is asked once per reference check)."""
    fields = []
    for name, info in model.model_fields.items():
        direct = next((m for m in info.metadata if isinstance(m, Ref)), None)
        found, many = (direct, False) if direct else _find_ref(info.annotation)
        if found is not None:
            fields.append(RefField(name, found, many))
    return tuple(fields)


def _target(value: Any) -> str:
    """The id a reference value names: a bare id, or the ``id`` of a link mapping."""
    return value.id if isinstance(value, EffectLink) else str(value)


def references(entity: Entity) -> list[tuple[RefField, int | None, str]]:
    """Every reference an entity makes: (field, index in list or None, target id)."""
    out: list[tuple[RefField, int | None, str]] = []
    for field_ in _ref_fields(type(entity)):
        value = getattr(entity, field_.name)
        if field_.many:
            out.extend((field_, i, _target(item)) for i, item in enumerate(value))
        elif value is not None:
            out.append((field_, None, _target(value)))
    return out


def reference_key_path(entity: Entity, field_: RefField, index: int | None) -> tuple[str | int, ...]:
    """Key path of one reference in its file (the ``id`` key of a link mapping)."""
    if index is None:
        return (field_.name,)
    item = getattr(entity, field_.name)[index]
    return (field_.name, index, "id") if isinstance(item, EffectLink) else (field_.name, index)
