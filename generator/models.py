"""The shape of every knowledge-base entity, declared once.

One pydantic model per entity type; each field has a description (shown in
editors through the exported JSON Schema), unknown keys are rejected and
values are strict (no string-to-number or ``yes``-to-bool coercion).

Relations to other entities are plain id strings annotated with
:class:`Ref`, so the reference checker, the graph builder and the schema
exporter all read the relation kinds from this one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from generator.ids import CITE_KEY_PATTERN, ID_MAX_LENGTH, ID_MIN_LENGTH, ID_PATTERN, ITEM_ID_PATTERN

# --------------------------------------------------------------------- vocab

EntityType = Literal["paradigm", "stage", "challenge", "practice", "defect", "scenario"]

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
]
Activity = Literal["reusing", "replicating", "adapting", "enhancing", "porting", "converting"]
Importance = Literal["essential", "recommended", "situational"]
Status = Literal["active", "deprecated"]
Dataset = Literal["cv-reengineering-defects"]

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
# No backslash before the quotes: JSON Schema patterns are ECMA-262 regexes, and
# in unicode mode (check-jsonschema, ajv) an escaped quote is a syntax error.
HttpUrl = Annotated[str, StringConstraints(pattern=r"""^https?://[^\s<>"']+$""", max_length=500)]

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


class Strict(BaseModel):
    """Base for every model: unknown keys rejected, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)


# ------------------------------------------------------------------ evidence


class Evidence(Strict):
    """A claim's support: a BibTeX key and what the source shows, in your own words."""

    cite: CiteKey = Field(description="BibTeX key of the source in kb/references.bib.")
    kind: EvidenceKind = Field(description="How the source obtained the evidence.")
    shows: Sentence = Field(description="What the source shows (a figure, a count, a finding), in your own words.")
    locator: Locator | None = Field(
        default=None, description="Where in the source: a section, table or figure, e.g. 'Table 3'."
    )


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
    review_by: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = Field(
        default=None, description="Date (YYYY-MM-DD) by which the entry should be reviewed again."
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


class ChecklistItem(Strict):
    """One thing to check before or during a port."""

    id: ItemId = Field(description="Stable id, unique within the practice; the item's global id is 'practice/id'.")
    text: Sentence = Field(description="An action a person can tick off, in the imperative.")


class Applicability(Strict):
    """Where a practice applies. Empty lists mean 'any'."""

    frameworks: list[Tag] = Field(default_factory=list, description="Frameworks from the vocabulary.")
    hardware: list[Tag] = Field(default_factory=list, description="Hardware targets from the vocabulary.")


class Practice(Entity):
    """A practice that helps: what to do, when, and which problems it guards against."""

    kind: ClassVar[str] = "practice"

    stage: InStage = Field(description="The workflow stage where the practice is done.")
    paradigms: list[InParadigm] = Field(min_length=1, description="Reuse paradigms the practice applies to.")
    addresses: list[Addresses] = Field(default_factory=list, description="Challenges this practice helps with.")
    prevents: list[Prevents] = Field(default_factory=list, description="Defect types it prevents.")
    detects: list[Detects] = Field(default_factory=list, description="Defect types it detects.")
    importance: Importance = Field(default="recommended", description="How strongly to recommend it.")
    rationale: Rationale = Field(description="Why it works, with the evidence in mind.")
    steps: list[Sentence] = Field(min_length=1, description="Concrete steps: commands, tolerances, what to compare.")
    not_applicable_when: list[Sentence] = Field(
        default_factory=list, description="Situations where the practice does not apply or does not pay off."
    )
    applies_to: Applicability = Field(default_factory=Applicability, description="Frameworks and hardware.")
    checklist: list[ChecklistItem] = Field(default_factory=list, description="Items for exported checklists.")


class DataQuery(Strict):
    """How to recompute a figure from a shared dataset (checked by the tests)."""

    dataset: Dataset = Field(description="Which dataset the figure comes from.")
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


class Endpoint(Strict):
    """One side of a port: framework and hardware."""

    framework: Tag | None = Field(default=None, description="Framework from the vocabulary.")
    hardware: list[Tag] = Field(default_factory=list, description="Hardware from the vocabulary.")


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
    site_url: HttpUrl = Field(description="Where the site is published; used in exported checklists.")
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
    fields = []
    for name, info in model.model_fields.items():
        direct = next((m for m in info.metadata if isinstance(m, Ref)), None)
        found, many = (direct, False) if direct else _find_ref(info.annotation)
        if found is not None:
            fields.append(RefField(name, found, many))
    return fields


def references(entity: Entity) -> list[tuple[RefField, int | None, str]]:
    """Every reference an entity makes: (field, index in list or None, target id)."""
    out: list[tuple[RefField, int | None, str]] = []
    for field_ in ref_fields(type(entity)):
        value = getattr(entity, field_.name)
        if field_.many:
            out.extend((field_, i, target) for i, target in enumerate(value))
        elif value is not None:
            out.append((field_, None, value))
    return out
