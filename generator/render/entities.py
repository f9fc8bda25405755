"""One page per entity: summary, field card, details, relations, evidence.

Every page has the same frame (front matter, summary, card, edit link);
:func:`content_sections` adds what each entity type carries (a practice's
steps and checklist items, a defect type's symptoms, figures and examples).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from markupsafe import Markup, escape

from generator import urls as paths
from generator.checklist.compose import Query, compose
from generator.findings import processing
from generator.graph import related
from generator.kb import Checked
from generator.markup import counted, front_matter, markdown_block, markdown_inline, plain
from generator.models import Applicability, Challenge, Defect, Entity, Paradigm, Practice, Scenario, Stage
from generator.pipeline import no_collector_pauses
from generator.render.checklists import practice_item_view
from generator.render.context import KIND_LABELS, KIND_PLURALS, Link, Site
from generator.render.evidence import case_table, effect_notes, importance_note, scope_notes
from generator.render.figures import figure_rows
from generator.render.incremental import PageMemo, page_key, shared_digest
from generator.render.neighbourhood import neighbourhood_dot
from generator.render.relations import evidence_rank, relation_groups
from generator.render.svg import inline, render_all
from generator.render.templating import render, render_part
from generator.render.views import (
    CardRow,
    Chip,
    Citations,
    Section,
    chips,
    link_citations,
    ordered_chips,
    tag_chips,
    tag_names,
)

IMPORTANCE = {"essential": "Essential", "recommended": "Recommended", "situational": "Situational"}
COMPONENTS = {
    "environment": "Environment",
    "data-pipeline": "Data pipeline",
    "modeling": "Modeling",
    "training": "Training",
    "conversion": "Conversion",
    "cross-cutting": "Cross-cutting",
}


def _text(*values: str) -> list[Chip]:
    return [Chip(v) for v in values]


def _terms(site: Site, terms: list[str]) -> list[Chip]:
    return [Chip(site.label(t), kind="term") for t in terms]


def _applies_rows(site: Site, practice: Practice) -> list[CardRow]:
    aw = practice.applies_when
    rows = []
    for label, terms in (("Source frameworks", aw.source), ("Target frameworks", aw.target), ("Hardware", aw.hardware)):
        if terms:
            rows.append(CardRow(label, _terms(site, terms)))
    if aw.precision:
        rows.append(CardRow("Precision", _text(*aw.precision)))
    if aw.model_family:
        rows.append(CardRow("Model families", _terms(site, aw.model_family)))
    conditions = aw.conditions()
    if conditions:
        rows.append(CardRow("Applies when", _text(*conditions)))
    return rows


def card_rows(site: Site, entity: Entity, doc: str) -> list[CardRow]:
    """The labelled fields of an entity's card, in reading order."""
    rows = [CardRow("Type", [Chip(KIND_LABELS[entity.kind], paths.href(doc, paths.index_path(entity.kind)))])]
    if isinstance(entity, Practice):
        rows += [
            CardRow("Stage", chips(site, doc, [entity.stage])),
            CardRow("Paradigms", chips(site, doc, entity.paradigms)),
            CardRow("Importance", _text(IMPORTANCE[entity.importance])),
        ]
        rows += _applies_rows(site, entity)
    elif isinstance(entity, Challenge):
        rows.append(CardRow("Paradigms", chips(site, doc, entity.paradigms)))
        if entity.stages:
            rows.append(CardRow("Stages", chips(site, doc, entity.stages)))
    elif isinstance(entity, Defect):
        rows.append(CardRow("Component", _text(COMPONENTS[entity.component])))
        if entity.parent:
            rows.append(CardRow("Parent type", chips(site, doc, [entity.parent])))
    elif isinstance(entity, Stage):
        total = len(site.kb.of_type("stage"))
        rows.append(CardRow("Order", _text(f"{entity.order} of {total}")))
        if entity.next:
            rows.append(CardRow("Next", chips(site, doc, entity.next)))
    elif isinstance(entity, Paradigm):
        rows.append(CardRow("Activities", _text(*(a.capitalize() for a in entity.activities))))
    elif isinstance(entity, Scenario):
        rows += _scenario_rows(site, entity, doc)
    if entity.tags:
        rows.append(CardRow("Tags", tag_chips(site, doc, entity)))
    if entity.reviewed:
        rows.append(CardRow("Reviewed", _text(entity.reviewed)))
    if entity.review_by:
        rows.append(CardRow("Review by", _text(entity.review_by)))
    return rows


def _scenario_rows(site: Site, scenario: Scenario, doc: str) -> list[CardRow]:
    rows = []
    for label, end in (("Source", scenario.source), ("Target", scenario.target)):
        values = ([end.framework] if end.framework else []) + end.hardware
        if values:
            rows.append(CardRow(label, _terms(site, values)))
    rows.append(CardRow("Paradigms", chips(site, doc, scenario.paradigms)))
    if scenario.stages:
        rows.append(CardRow("Stages", chips(site, doc, scenario.stages)))
    if scenario.select_tags:
        rows.append(CardRow("Selects tags", _terms(site, scenario.select_tags)))
    context = scenario.context
    conditions = Applicability(
        trains=context.trains,
        reference_code=context.reference_code,
        reference_weights=context.reference_weights,
        multi_device=context.multi_device,
    ).conditions()
    if conditions:
        rows.append(CardRow("Context", _text(*conditions)))
    if context.precision:
        rows.append(CardRow("Precision", _text(*context.precision)))
    if context.model_family:
        rows.append(CardRow("Model families", _terms(site, context.model_family)))
    if scenario.order:
        rows.append(CardRow("Stage order", ordered_chips(site, doc, scenario.order)))
    return rows


#: Code in a step written as prose: a dotted call (``torch.onnx.export(model, x)``,
#: one level of nested parentheses), a dotted API name of a common library, or
#: a shell command. Wrapped in backticks so the page shows it as code.
_CODE_RE = re.compile(
    r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\((?:[^()`]|\([^()`]*\))*\)"
    r"|\b(?:torch|tf|onnx|onnxruntime|numpy|np|keras|jax|transformers|tflite_runtime|ort)(?:\.[A-Za-z_]\w*)+"
    r"|\b(?:pip install|python -m|conda (?:env|install|create)|docker (?:run|build)|git (?:tag|rev-parse|log))"
    r"(?: [\w./=:<>+@-]*[\w/=:<>+@-])+"
)


def code_spans(text: str) -> str:
    """``text`` with prose-written code (calls, API names, commands) in backticks; existing code spans kept."""
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") else _CODE_RE.sub(lambda m: f"`{m.group(0)}`", part) for part in parts)


def _listing(heading: str, items: list[str], *, ordered: bool = False) -> list[Section]:
    if not items:
        return []
    return [Section(heading, "ordered" if ordered else "list", [markdown_inline(i) for i in items])]


def content_sections(site: Site, entity: Entity, doc: str, cites: Citations) -> list[Section]:
    """The sections that hold an entity's own text, by type."""
    out = [Section("Details", "html", link_citations(markdown_block(entity.body), cites))] if entity.body else []
    if isinstance(entity, Practice):
        out.append(Section("Why it works", "html", link_citations(markdown_block(entity.rationale), cites)))
        note = importance_note(entity.importance_basis, cites)
        if note is not None:
            out.append(Section(f"Why it is {IMPORTANCE[entity.importance].lower()}", "importance", note))
        out += _listing("Steps", [code_spans(step) for step in entity.steps], ordered=True)
        out += _listing("When it does not apply", entity.not_applicable_when)
    elif isinstance(entity, Challenge | Defect):
        out += _listing("Symptoms", entity.symptoms)
    if isinstance(entity, Defect) and entity.figures:
        rows = figure_rows(entity.figures, cites)
        notes = tuple(scope_notes(site, cites, [f.cite for f in entity.figures]))
        out.append(Section("Figures from studies", "figures", rows, notes=notes))
    if isinstance(entity, Defect) and entity.examples:
        examples = [(Link(ex.url, ex.url.split("://", 1)[-1]), markdown_inline(ex.note)) for ex in entity.examples]
        out.append(Section("Real examples", "examples", examples))
    if isinstance(entity, Defect):
        table = case_table(site, entity.id, cites)
        if table is not None:
            out.append(Section(f"All cases in the study data ({table.count})", "cases", table))
        else:
            # Say so rather than show nothing: a reader should not wonder whether cases were left out.
            names = ", ".join(sorted(site.kb.datasets)) or "none"
            no_cases = (
                "The study data in the repository (data sets: "
                f"{names}) holds no coded issue of this type; its figures come from the cited "
                "studies' experiments or tables, not from mined issues."
            )
            out.append(Section("Cases in the study data", "html", markdown_block(no_cases)))
    return out


def _descendants(site: Site, defect_id: str) -> list[Defect]:
    """A defect type's sub-types, all levels down, in title order per level (ties in KB order)."""
    children = site.kb.memo("render: defect types by parent", lambda: _children(site))
    out: list[Defect] = []
    level = [defect_id]
    while level:
        below = sorted((d for parent in level for d in children.get(parent, [])), key=lambda d: d[:2])
        out += [d for _, _, d in below]
        level = [d.id for _, _, d in below]
    return out


def _children(site: Site) -> dict[str, list[tuple[str, int, Defect]]]:
    """Each defect type's direct sub-types with their sort key (indexed once: a page per defect type asks)."""
    out: dict[str, list[tuple[str, int, Defect]]] = {}
    for i, d in enumerate(site.kb.of_type("defect")):
        if isinstance(d, Defect) and d.parent:
            out.setdefault(d.parent, []).append((plain(d.title).casefold(), i, d))
    return out


def subtype_sections(site: Site, entity: Entity, doc: str, cites: Citations) -> list[Section]:
    """What a parent defect type gathers from its sub-types: practices, figures, examples.

    A reader asking "which practices help with environment defects, and how
    common are they?" gets the answer on the parent's page, not four clicks away.
    Practices are ranked by importance and evidence (as relation lists are).
    """
    if not isinstance(entity, Defect):
        return []
    subtypes = _descendants(site, entity.id)
    if not subtypes:
        return []
    guards: dict[str, list[tuple[str, str]]] = {}
    for sub in subtypes:
        for relation in ("detects", "prevents"):
            for guard in related(site.graph, sub.id, relation, incoming=True):
                guards.setdefault(guard, []).append((relation, sub.id))
    out: list[Section] = []
    if guards:
        items = []
        for practice_id in sorted(guards, key=lambda p: (*evidence_rank(site, p), plain(site.entities[p].title))):
            practice = site.entities[practice_id]
            link = site.link(doc, practice_id)
            what = []
            for relation in ("detects", "prevents"):
                subs = [site.link(doc, s) for r, s in guards[practice_id] if r == relation]
                if subs:
                    names = Markup(", ").join(Markup('<a href="{}">{}</a>').format(s.href, s.text) for s in subs)
                    what.append(Markup("{} {}").format(relation, names))
            importance = IMPORTANCE.get(getattr(practice, "importance", ""), "")
            items.append(
                Markup('<a href="{}">{}</a> <span class="kb-chip">{}</span>: {}').format(
                    link.href, link.text, importance, Markup("; ").join(what)
                )
            )
        out.append(
            Section(
                "Practices for its sub-types",
                "list",
                items,
                f"{len(items)} practices detect or prevent one of its {len(subtypes)} sub-types, most important first.",
            )
        )
    figures = []
    for sub in subtypes:
        for row in figure_rows(sub.figures, cites):
            figures.append(replace(row, label=f"{plain(sub.title)}: {row.label}"))
    if figures:
        out.append(Section("Figures of its sub-types", "figures", figures))
    examples = [
        (Link(ex.url, ex.url.split("://", 1)[-1]), Markup("{} ({})").format(markdown_inline(ex.note), plain(sub.title)))
        for sub in subtypes
        for ex in sub.examples
    ]
    if examples:
        out.append(Section("Real examples of its sub-types", "examples", examples))
    return out


def scenario_includes(site: Site, scenario: Scenario, doc: str) -> Section | None:
    """What a scenario's checklist holds, stage by stage, essential items first.

    The same selection as the scenario's checklist page (one definition, in
    :func:`generator.checklist.compose.compose`), summarised per practice.
    """
    checklist = compose(site.checked, Query(scenario=scenario.id))
    if not checklist.items:
        return None
    blocks = []
    for stage, groups in checklist.grouped():
        if not groups:
            continue
        ranked = sorted(
            groups,
            key=lambda g: (
                not any(i.essential for i in g[1]),
                *evidence_rank(site, g[0].id),
                plain(g[0].title).casefold(),
            ),
        )
        rows = []
        for practice, items in ranked:
            essential = sum(i.essential for i in items)
            mark = (
                Markup(' <span class="kb-chip kb-chip--essential">{} on the essential list</span>').format(essential)
                if essential
                else Markup("")
            )
            link = site.link(doc, practice.id)
            importance = IMPORTANCE[practice.importance].lower()
            rows.append(  # an f-string with escape(): Markup.format is slow, and a scenario lists hundreds
                Markup(
                    f'<li><a href="{escape(link.href)}">{escape(link.text)}</a>{mark} <span class="kb-tree__meta">'
                    f"{escape(importance)} practice, {escape(counted(len(items), 'item'))}</span></li>"
                )
            )
        count = sum(len(items) for _, items in groups)
        blocks.append(
            Markup('<h3>{}. {} <span class="kb-count">{}</span></h3>\n<ul class="kb-list">\n{}\n</ul>').format(
                stage.order, plain(stage.title), counted(count, "item"), Markup("\n").join(rows)
            )
        )
    essential = sum(i.essential for i in checklist.items)
    href = paths.href(doc, paths.checklist_path(scenario.id))
    intro = Markup(
        '<p class="kb-intro">{} in {}; {} on the essential list. Practices with essential items come first in '
        'each stage. <a href="{}">Open the checklist</a> to tick them.</p>'
    ).format(counted(len(checklist.items), "item"), counted(len(blocks), "stage"), essential, href)
    return Section("What it includes", "html", intro + Markup("\n").join(blocks))


def page_sections(site: Site, entity: Entity, doc: str, svg: Markup) -> list[Section]:
    """Every section of an entity's page, in order."""
    cites = Citations(site, doc)
    out = content_sections(site, entity, doc, cites)
    # a parent's gathered sections come before its (long) table of cases
    cases = next((i for i, s in enumerate(out) if s.part == "cases" or s.heading.startswith("Cases")), len(out))
    out[cases:cases] = subtype_sections(site, entity, doc, cites)
    if isinstance(entity, Scenario):
        includes = scenario_includes(site, entity, doc)
        out[:0] = [includes] if includes is not None else []
    groups = relation_groups(site, entity.id, doc, effect_notes(site, entity.id, cites))
    if groups:
        out.append(Section("Relations", "relations", groups))
    if isinstance(entity, Practice) and entity.checklist:
        items = [
            practice_item_view(entity.id, item, lambda text: link_citations(text, cites)) for item in entity.checklist
        ]
        out.append(Section("Checklist items", "checklist", items, "Exported checklists include these items."))
    if groups:
        # the diagram's text alternative: the relations list above holds the same nodes and links
        intro = Markup('Click a node to open its page. The same links as text: <a href="#relations">Relations</a>.')
        out.append(Section("Neighbourhood", "diagram", svg, intro))
    evidence = cites.evidence(entity.evidence)
    if evidence:
        notes = tuple(scope_notes(site, cites, [ev.cite for ev in entity.evidence]))
        out.append(Section("Evidence", "evidence", evidence, notes=notes))
    if cites.listed:
        out.append(Section("References", "references", cites.listed))
    return out


def reading_order(site: Site, kind: str) -> list[str]:
    """The order previous/next walks a type in: practices by stage then evidence, stages by order, others by title."""
    entities = [e for e in site.kb.of_type(kind) if e.status != "deprecated"]

    def key(e: Entity) -> tuple[object, ...]:
        if isinstance(e, Practice):
            stage = site.entities.get(e.stage)
            return (getattr(stage, "order", 0), *evidence_rank(site, e.id), plain(e.title).casefold())
        if isinstance(e, Stage):
            return (e.order, e.id)
        return (plain(e.title).casefold(), e.id)

    return [e.id for e in sorted(entities, key=key)]


def neighbours(site: Site, doc: str, walk: tuple[str | None, str | None]) -> tuple[Link | None, Link | None]:
    """Links to the entries before and after one in its reading order (``walk``: their ids, None at the ends)."""
    before, after = walk
    return (site.link(doc, before) if before else None, site.link(doc, after) if after else None)


def entity_page(
    site: Site,
    entity: Entity,
    svg: Markup,
    walk: tuple[str | None, str | None] | None = None,
    changed: str | None = None,
) -> str:
    """The Markdown page of one entity.

    Args:
        site: The KB's lookups.
        entity: The page's entity.
        svg: Its neighbourhood diagram, ready to inline.
        walk: The ids before and after it in its type's reading order (default: computed).
        changed: When its YAML file last changed in git.
    """
    doc = paths.page_path(entity.kind, entity.id)
    replaced = site.link(doc, entity.replaced_by) if entity.replaced_by else None
    meta = front_matter(
        {
            "title": entity.title,
            "description": entity.summary,
            "tags": tag_names(site, entity),
            "hide": ["navigation", "tags"],
            # entity pages rank above the checklist pages that repeat their items; a scenario, where a
            # port starts, above the practices whose text names the same frameworks
            "search": {"boost": 3 if isinstance(entity, Scenario) else 2},
        }
    )
    rel = site.source_rel(entity.id)
    checklist = paths.href(doc, paths.checklist_path(entity.id)) if isinstance(entity, Scenario) else ""
    if walk is None:
        walk = _walks(reading_order(site, entity.kind)).get(entity.id, (None, None))
    previous, following = neighbours(site, doc, walk)
    return render(
        "entity.md.j2",
        front=Markup(meta),  # every value escaped by front_matter
        kind=entity.kind,
        kind_label=KIND_LABELS[entity.kind],
        deprecated=entity.status == "deprecated",
        replaced_by=replaced,
        summary=markdown_inline(entity.summary),
        card=card_rows(site, entity, doc),
        edit_url=site.edit_url(entity.id),
        checklist_url=checklist,
        yaml_path=paths.source_path(rel) if rel else "",
        changed=changed,
        sections=[
            (section, render_part(section), render_part(section, "scope") if section.notes else "")
            for section in page_sections(site, entity, doc, svg)
        ],
        title=plain(entity.title),
        crumbs=[
            Link(paths.href(doc, "index.md"), "Home"),
            Link(paths.href(doc, paths.index_path(entity.kind)), KIND_PLURALS[entity.kind]),
        ],
        previous=previous,
        following=following,
    )


@no_collector_pauses()
def render_entities(
    checked: Checked,
    last_changed: Mapping[str, str] | None = None,
    memo: PageMemo | None = None,
    digests: Mapping[str, str] | None = None,
) -> dict[str, str | bytes]:
    """Renderer: one page per entity (diagrams rendered in parallel).

    Args:
        checked: The checked KB.
        last_changed: When each YAML file last changed, by path inside the KB folder.
        memo: Pages of earlier builds (:mod:`generator.render.incremental`): a page
            whose inputs are unchanged is taken from it; updated with this build's pages.
        digests: Digest of each KB file's bytes, by path inside the KB folder (needed with ``memo``).
    """
    site = Site(checked)
    entities = sorted(site.entities.values(), key=lambda e: (e.kind, e.id))
    docs = [paths.page_path(e.kind, e.id) for e in entities]
    orders = {kind: reading_order(site, kind) for kind in {e.kind for e in entities}}
    walks = {eid: walk for order in orders.values() for eid, walk in _walks(order).items()}
    keys: list[str | None] = [None] * len(entities)
    if memo is not None and digests is not None:
        shared = shared_digest(site, digests)
        for i, entity in enumerate(entities):
            rel = site.source_rel(entity.id)
            changed = (last_changed or {}).get(rel) if rel else None
            walk = walks.get(entity.id, (None, None))
            keys[i] = page_key(site, entity.id, digests, shared, walk, changed)
    kept = {
        doc: memo.pages[doc][1]
        for doc, key in zip(docs, keys, strict=True)
        if memo is not None and key is not None and memo.pages.get(doc, ("",))[0] == key
    }
    todo = [(e, doc) for e, doc in zip(entities, docs, strict=True) if doc not in kept]
    svgs = render_all([neighbourhood_dot(site, e.id, doc) for e, doc in todo])
    out: dict[str, str | bytes] = {}
    sources = checked.kb.sources
    rendered = {}
    for (entity, doc), svg in zip(todo, svgs, strict=True):
        label = f"Neighbourhood of {plain(entity.title)}"
        rel = site.source_rel(entity.id)
        changed = (last_changed or {}).get(rel) if rel else None
        with processing(sources[entity.id].path if entity.id in sources else doc):
            walk = walks.get(entity.id, (None, None))
            # the diagram's tooltips only repeated each node's label with its type
            rendered[doc] = entity_page(site, entity, inline(svg, label, tooltips=False), walk, changed)
    for doc in docs:
        out[doc] = kept[doc] if doc in kept else rendered[doc]
    if memo is not None:
        memo.pages = {doc: (key, str(out[doc])) for doc, key in zip(docs, keys, strict=True) if key is not None}
        memo.rendered = sorted(rendered)
    return out


def _walks(order: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """The entries before and after each entry of a reading order."""
    padded: list[str | None] = [None, *order, None]
    return {eid: (padded[i], padded[i + 2]) for i, eid in enumerate(order)}
