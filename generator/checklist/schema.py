"""The shape of an exported checklist (``--format json``), declared once.

The JSON export is built from these models, and ``schemas/checklist.schema.json``
is generated from them, so the published schema cannot drift from the
output. It imports only generator.models (for shared vocabularies), so the schema
exporter can list it without import cycles.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.ids import ITEM_UID_PATTERN
from generator.models import Importance, Precision

FORMAT = "reengineering-kb/checklist"
FORMAT_VERSION = 3


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KbStamp(_Closed):
    """Which knowledge base, at which version and commit, the checklist comes from."""

    name: str = Field(description="Name of the knowledge base.")
    version: str = Field(description="Content version of the knowledge base (kb/kb.yaml).")
    commit: str = Field(description="Git commit the checklist was generated from, or 'unknown'.")
    site_url: str = Field(description="Base URL of the published site.")


class QueryModel(_Closed):
    """The generation query: a scenario, ad-hoc filters, or both."""

    scenario: str | None = Field(description="Scenario id, or null.")
    paradigms: list[str] = Field(description="Paradigm ids given as filters.")
    stages: list[str] = Field(description="Stage ids given as filters.")
    source: str | None = Field(description="Source framework given as a filter.")
    target: str | None = Field(description="Target framework given as a filter.")
    hardware: list[str] = Field(description="Target hardware given as filters.")
    tags: list[str] = Field(description="Tags given as filters.")
    importance: Importance | None = Field(description="Minimum importance of the practices kept, or null for all.")
    trains: bool | None = Field(description="Whether the port trains (null: not given).")
    reference_code: bool | None = Field(description="Whether reference code can be run (null: not given).")
    reference_weights: bool | None = Field(description="Whether reference weights exist (null: not given).")
    multi_device: bool | None = Field(description="Whether the port uses several devices at once (null: not given).")
    precision: list[Precision] = Field(description="Target precisions given as filters.")
    model_family: list[str] = Field(description="Model families given as filters.")


class SelectionModel(_Closed):
    """The effective filters: the scenario's values, replaced by the query's where given."""

    paradigms: list[str]
    stages: list[str]
    source: str | None
    target: str | None
    hardware: list[str]
    tags: list[str]
    include: list[str] = Field(description="Practices the scenario adds whatever the filters say.")
    exclude: list[str] = Field(description="Practices the scenario removes whatever the filters say.")
    importance: Importance | None = Field(description="Minimum importance of the practices kept, or null for all.")
    trains: bool | None = Field(description="Whether the port trains (null: unknown, excludes nothing).")
    reference_code: bool | None = Field(description="Whether reference code can be run (null: unknown).")
    reference_weights: bool | None = Field(description="Whether reference weights exist (null: unknown).")
    multi_device: bool | None = Field(description="Whether the port uses several devices at once (null: unknown).")
    precision: list[Precision] = Field(description="Target precisions (empty: unknown).")
    model_family: list[str] = Field(description="Model families (empty: unknown).")
    essential: list[str] = Field(description="The scenario's essential item ids (empty: practice importance decides).")
    order: list[str] = Field(description="The scenario's stage order (empty: the workflow order).")


class StageModel(_Closed):
    """A workflow stage that has items in this checklist."""

    id: str
    title: str
    order: int


class DocModel(_Closed):
    """A section of official documentation."""

    title: str
    url: str = Field(description="http(s) URL.")


class ApplicabilityModel(_Closed):
    """When an item applies: its practice's 'applies_when' narrowed by its own (absent: any)."""

    trains: bool | None
    reference_code: bool | None
    reference_weights: bool | None
    multi_device: bool | None
    source: list[str]
    target: list[str]
    hardware: list[str]
    precision: list[Precision]
    model_family: list[str]


class ItemModel(_Closed):
    """One checklist item."""

    id: str = Field(description="Stable item id, '<practice-id>/<item-id>'.", pattern=ITEM_UID_PATTERN)
    practice: str = Field(description="Id of the practice the item belongs to.")
    item: str = Field(description="Id of the item within its practice.")
    text: str = Field(description="The action to tick off.")
    stage: str = Field(description="Id of the workflow stage.")
    importance: Literal["essential", "recommended", "situational"]
    status: Literal["open", "done"] = Field(description="Whether the item is done.")
    addresses: list[str] = Field(description="Challenges the practice addresses.")
    prevents: list[str] = Field(description="Defect types the practice prevents.")
    detects: list[str] = Field(description="Defect types the practice detects.")
    evidence: list[str] = Field(description="BibTeX keys backing the practice.")
    url: str = Field(description="Page of the practice on the site.")
    how: str | None = Field(description="How to do it: tool, API or command (Markdown code spans).")
    done_when: str | None = Field(description="The artefact or threshold that shows it is done.")
    checked_with: str | None = Field(description="Versions 'how' was checked against.")
    docs: list[DocModel] = Field(description="Sections of the official documentation.")
    failures: list[str] = Field(description="URLs of real failures this item would have caught.")
    severity: Literal["blocker", "major", "minor"] | None = Field(description="What skipping it risks.")
    effort: Literal["minutes", "hours", "days"] | None = Field(description="Rough time it takes.")
    essential: bool = Field(description="On the scenario's essential list (ad hoc: the practice is essential).")
    applies_when: ApplicabilityModel = Field(description="When the item applies.")


class EntityModel(_Closed):
    """An entity an item refers to."""

    type: str
    title: str
    url: str


class ChecklistExport(_Closed):
    """A checklist exported from the DL model reengineering knowledge base."""

    format: Literal["reengineering-kb/checklist"] = Field(description="Marks the file as a checklist export.")
    format_version: Literal[3] = Field(
        description="Version of this format (2: items say how and when done; 3: queries and applicability state "
        "multi_device and model_family)."
    )
    title: str
    summary: str
    scope: str = Field(description="The scenario id, or 'custom' for ad-hoc filters.")
    kb: KbStamp
    query: QueryModel
    query_string: str = Field(description="The query in canonical form, e.g. 'scenario=pytorch-to-onnx-runtime'.")
    selection: SelectionModel
    stages: list[StageModel]
    items: list[ItemModel]
    entities: dict[str, EntityModel] = Field(description="Stages, practices, challenges and defect types, by id.")
    references: dict[str, str] = Field(description="Cited BibTeX keys and their entry on the bibliography page.")
