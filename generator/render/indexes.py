"""Index page per entity type: a sortable, filterable table of key fields.

Sorting is done in the browser by the vendored ``tablesort``; filtering by
``assets/javascripts/tables.js``, which reads the ``data-filter-*``
attributes written here. Without JavaScript the table is a plain table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from generator import urls as paths
from generator.graph import related
from generator.kb import Checked
from generator.markup import front_matter, markdown_inline, plain
from generator.models import FOLDERS, Challenge, Defect, Entity, Paradigm, Practice, Scenario, Stage
from generator.render.context import KIND_LABELS, KIND_PLURALS, Site
from generator.render.entities import COMPONENTS, IMPORTANCE
from generator.render.paging import even_chunks, pagers, part_path
from generator.render.templating import render
from generator.render.views import Chip, chips

INTROS: dict[str, str] = {
    "practice": "What to do when reusing or porting a model, with the stage it belongs to and what it guards against.",
    "challenge": "Problems engineers meet when they reengineer a model, and how many practices address each.",
    "defect": (
        "Types of defects found in reengineered models, from the defect taxonomy. Frequency is the largest "
        "share a study reports for the type (its page says what was counted)."
    ),
    "stage": "The stages of the reengineering workflow, in order.",
    "paradigm": "The ways a model is reused: as a concept, by adaptation, or by deployment.",
    "scenario": "Typical ports and reuse set-ups; each selects the checklist items that apply.",
}


@dataclass(frozen=True)
class Cell:
    """One table cell: chips or text, and the value it sorts by."""

    chips: list[Chip] = field(default_factory=list)
    sort: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    """One entity's row: its link and summary, cells, and filter values."""

    title: str
    href: str
    summary: Markup
    cells: list[Cell]
    filters: dict[str, str]


@dataclass(frozen=True)
class Filter:
    """A drop-down filter over one ``data-filter-*`` attribute."""

    name: str
    label: str
    options: list[tuple[str, str]]


def _count(value: int) -> Cell:
    return Cell([Chip(str(value))], f"{value:04d}", numeric=True)


def _text(value: str, sort: str | None = None) -> Cell:
    return Cell([Chip(value)], sort if sort is not None else value.casefold())


def _links(site: Site, doc: str, ids: list[str]) -> Cell:
    found = chips(site, doc, ids)
    return Cell(found, " ".join(c.text.casefold() for c in found))


def _incoming(site: Site, eid: str, *relations: str) -> int:
    return len({s for r in relations for s in related(site.graph, eid, r, incoming=True)})


Columns = Callable[[Site, Entity, str], tuple[list[Cell], dict[str, str]]]


def _practice(site: Site, e: Entity, doc: str) -> tuple[list[Cell], dict[str, str]]:
    assert isinstance(e, Practice)
    stage = site.entities.get(e.stage)
    cells = [
        _links(site, doc, [e.stage]),
        _text(IMPORTANCE[e.importance], str(["essential", "recommended", "situational"].index(e.importance))),
        _links(site, doc, e.paradigms),
        _count(len(e.targets("addresses"))),
        _count(len(set(e.targets("detects")) | set(e.targets("prevents")))),
        _count(len(e.checklist)),
    ]
    order = f"{getattr(stage, 'order', 0):02d}"
    cells[0] = Cell(cells[0].chips, order)
    return cells, {"stage": e.stage, "importance": e.importance, "paradigm": " ".join(e.paradigms)}


def _challenge(site: Site, e: Entity, doc: str) -> tuple[list[Cell], dict[str, str]]:
    assert isinstance(e, Challenge)
    cells = [_links(site, doc, e.paradigms), _links(site, doc, e.stages), _count(_incoming(site, e.id, "addresses"))]
    return cells, {"paradigm": " ".join(e.paradigms), "stage": " ".join(e.stages)}


def _defect(site: Site, e: Entity, doc: str) -> tuple[list[Cell], dict[str, str]]:
    assert isinstance(e, Defect)
    parent = _links(site, doc, [e.parent]) if e.parent else _text("(root)", "")
    # How common the type is: the largest share any study reports for it.
    top = max(e.figures, key=lambda f: f.count / f.total, default=None)
    frequency = (
        Cell([Chip(f"{100 * top.count / top.total:.0f}%")], f"{1000 * top.count / top.total:07.1f}", numeric=True)
        if top
        else Cell([Chip("not counted")], "-001", numeric=True)
    )
    cells = [
        frequency,
        _text(COMPONENTS[e.component]),
        parent,
        _count(_incoming(site, e.id, "detects")),
        _count(_incoming(site, e.id, "prevents")),
        _count(len(e.figures)),
    ]
    return cells, {"component": e.component}


def _stage(site: Site, e: Entity, doc: str) -> tuple[list[Cell], dict[str, str]]:
    assert isinstance(e, Stage)
    cells = [
        Cell([Chip(str(e.order))], f"{e.order:02d}", numeric=True),
        _links(site, doc, e.next),
        _count(_incoming(site, e.id, "in-stage")),
    ]
    return cells, {}


def _paradigm(site: Site, e: Entity, doc: str) -> tuple[list[Cell], dict[str, str]]:
    assert isinstance(e, Paradigm)
    kinds = [site.graph.nodes[s]["kind"] for s in related(site.graph, e.id, "in-paradigm", incoming=True)]
    cells = [
        Cell([Chip(a.capitalize()) for a in e.activities], " ".join(e.activities)),
        _count(kinds.count("practice")),
        _count(kinds.count("challenge")),
    ]
    return cells, {}


def _scenario(site: Site, e: Entity, doc: str) -> tuple[list[Cell], dict[str, str]]:
    assert isinstance(e, Scenario)

    def side(end: str | None, hardware: list[str]) -> Cell:
        values = [site.label(v) for v in ([end] if end else []) + hardware]
        return Cell([Chip(v) for v in values], " ".join(values).casefold())

    cells = [
        side(e.source.framework, e.source.hardware),
        side(e.target.framework, e.target.hardware),
        _links(site, doc, e.paradigms),
    ]
    return cells, {"paradigm": " ".join(e.paradigms)}


#: Per type: column headings (``#`` marks a numeric column) and the function that fills them.
TABLES: dict[str, tuple[list[str], Columns]] = {
    "practice": (["Stage", "Importance", "Paradigms", "Challenges#", "Defect types#", "Items#"], _practice),
    "challenge": (["Paradigms", "Stages", "Practices#"], _challenge),
    "defect": (["Frequency#", "Component", "Parent type", "Detected by#", "Prevented by#", "Figures#"], _defect),
    "stage": (["Order#", "Next", "Practices#"], _stage),
    "paradigm": (["Activities", "Practices#", "Challenges#"], _paradigm),
    "scenario": (["Source", "Target", "Paradigms"], _scenario),
}
FILTERS: dict[str, list[tuple[str, str]]] = {
    "practice": [("stage", "Stage"), ("importance", "Importance"), ("paradigm", "Paradigm")],
    "challenge": [("paradigm", "Paradigm"), ("stage", "Stage")],
    "defect": [("component", "Component")],
    "scenario": [("paradigm", "Paradigm")],
}


def _filter_options(site: Site, name: str, rows: list[Row]) -> list[tuple[str, str]]:
    values = sorted({v for row in rows for v in row.filters.get(name, "").split()})
    labels = {**IMPORTANCE, **COMPONENTS}

    def label(value: str) -> str:
        entity = site.entities.get(value)
        return plain(entity.title) if entity else labels.get(value, value)

    ordered = sorted(values, key=lambda v: getattr(site.entities.get(v), "order", 0)) if name == "stage" else values
    if name == "importance":
        ordered = [v for v in IMPORTANCE if v in values]
    return [(v, label(v)) for v in ordered]


#: Above this many entries an index page is split into parts of at most this many rows (today's largest has ~90).
INDEX_PART_ROWS = 200


def _initials(entities: list[Entity]) -> str:
    """A part's label: the first letters of its first and last titles (``A-F``)."""
    first, last = (plain(e.title)[:1].upper() or "?" for e in (entities[0], entities[-1]))
    return first if first == last else f"{first}-{last}"


def index_pages(site: Site, kind: str, part_rows: int | None = None) -> dict[str, str]:
    """The Markdown index page of one entity type; above ``part_rows`` entries, its parts (by title)."""
    part_rows = INDEX_PART_ROWS if part_rows is None else part_rows
    first = paths.index_path(kind)
    headings, columns = TABLES[kind]
    entities = site.of_type(kind)
    parts = even_chunks(entities, part_rows) if len(entities) > part_rows else [entities]
    out: dict[str, str] = {}
    for number, (part, pager) in enumerate(zip(parts, pagers(first, [_initials(p) for p in parts]), strict=True), 1):
        doc = part_path(first, number)
        rows = []
        for entity in part:
            cells, filters = columns(site, entity, doc)
            link = site.link(doc, entity.id)
            rows.append(Row(link.text, link.href, markdown_inline(entity.summary), cells, filters))
        choices = [Filter(n, label, _filter_options(site, n, rows)) for n, label in FILTERS.get(kind, [])]
        title = KIND_PLURALS[kind] if number == 1 else f"{KIND_PLURALS[kind]} ({_initials(part)})"
        out[doc] = render(
            "index.md.j2",
            front=Markup(front_matter({"title": title, "hide": ["navigation", "toc"], "search": {"boost": 0.5}})),
            intro=INTROS[kind],
            kind=kind,
            noun=KIND_LABELS[kind].lower(),
            headings=[(h.removesuffix("#"), h.endswith("#")) for h in headings],
            rows=rows,
            filters=[f for f in choices if len(f.options) > 1],
            count=len(rows),
            total=len(entities),
            pager=pager,
            siblings=[(KIND_PLURALS[k], paths.href(doc, paths.index_path(k)), k == kind) for k in FOLDERS],
        )
    return out


def render_indexes(checked: Checked) -> dict[str, str | bytes]:
    """Renderer: the index page of every entity type (in parts for a large type)."""
    site = Site(checked)
    return {path: page for kind in FOLDERS for path, page in index_pages(site, kind).items()}
