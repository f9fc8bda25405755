"""Checklist pages: one interactive page per scenario, an index with a builder.

``checklists/<scenario>.md`` shows the scenario's checklist with checkboxes
(state kept in the browser by ``docs/assets/checklist/checklist.js``), a
progress bar, "reset" and downloads. The downloads are built in the browser
from the same templates the CLI fills (:mod:`generator.checklist.export`), so
they are byte-identical to ``checklist SCENARIO --format md|csv|json`` for
the same ticks. ``checklists/index.md`` lists the scenarios and hosts the
builder, which composes checklists live from ``checklists/index.json`` (also
embedded in the page, so it works from ``file://`` too).

Entry text reaches pages HTML-escaped by Jinja's autoescape, item texts via
the site's Markdown sanitiser; stage headings are Markdown, escaped with
:func:`generator.markup.markdown_text`; embedded JSON sits in an HTML-escaped attribute.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from generator import urls as paths
from generator.checklist.compose import Checklist, Item, Query, compose, item_facts, text_key
from generator.checklist.export import Part, templates
from generator.graph import stages_in_order
from generator.kb import Checked
from generator.markup import counted, failure_label, front_matter, markdown_inline, markdown_text, plain, scrub
from generator.models import Practice, Scenario
from generator.render.templating import render

MIME = {"md": "text/markdown", "csv": "text/csv", "json": "application/json"}


def data_json(data: Any) -> str:
    """Compact, ASCII-only JSON for a ``data-rkb-json`` attribute (the template escapes it).

    Pages carry their data in an attribute, not in a ``<script type="application/json">``:
    Material's instant navigation re-creates every script of a new page as JavaScript.
    """
    return json.dumps(data, sort_keys=True, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def _parts_json(parts: tuple[Part, ...]) -> list[Any]:
    return [part if isinstance(part, str) else {"slot": part.uid} for part in parts]


def _labels(checked: Checked) -> dict[str, str]:
    vocab = checked.kb.vocabulary
    return {tid: plain(term.label) for tid, term in vocab.all_terms().items()} if vocab else {}


def _endpoint(labels: dict[str, str], framework: str | None, hardware: list[str]) -> str:
    text = labels.get(framework, framework) if framework else "any framework"
    return f"{text} on {', '.join(labels.get(h, h) for h in hardware)}" if hardware else text


def page_data(cl: Checklist) -> dict[str, Any]:
    """What the page script needs: item ids and the download templates."""
    files = {
        fmt: {"name": f"{cl.scope}-checklist.{fmt}", "mime": MIME[fmt], "parts": _parts_json(parts)}
        for fmt, parts in templates(cl).items()
    }
    return {"scope": cl.scope, "items": [i.uid for i in cl.items], "files": files}


def item_view(item: Item, box_id: str) -> dict[str, Any]:
    """What a page shows of one item: the box, how and when it is done, links, severity and effort."""
    return {
        "box_id": box_id,
        "uid": item.uid,
        "text": markdown_inline(item.text),
        "how": markdown_inline(item.how),
        "done_when": markdown_inline(item.done_when),
        "checked_with": plain(item.checked_with or ""),
        "docs": [(plain(d.title), d.url) for d in item.docs],
        "failures": [(failure_label(url), url) for url in item.failures],
        "facts": item_facts(item),
        "essential": item.essential,
    }


def checklist_page(checked: Checked, scenario: Scenario, cl: Checklist) -> str:
    """The interactive checklist page of one scenario."""
    doc = paths.checklist_path(scenario.id)
    labels = _labels(checked)
    counter = iter(range(1, len(cl.items) + 1))
    stages = []
    for stage, groups in cl.grouped():
        practices = []
        for practice, items in groups:
            guards = [
                (cl.names.get(e, e), paths.href(doc, paths.page_path(cl.kinds[e], e))) for _, e in cl.guards(items[0])
            ]
            practices.append(
                {
                    "title": plain(practice.title),
                    "href": paths.href(doc, paths.page_path("practice", practice.id)),
                    "importance": practice.importance,
                    "guards": list(dict.fromkeys(guards)),
                    "evidence": [
                        (k, paths.href(doc, paths.BIBLIOGRAPHY_PAGE, paths.reference_anchor(k)))
                        for k in items[0].evidence
                    ],
                    "checks": [item_view(i, f"rkb-{cl.scope}-{next(counter)}") for i in items],
                }
            )
        heading = Markup(f"Stage {stage.order}: {markdown_text(stage.title)}")
        stages.append({"heading": heading, "practices": practices})
    return render(
        "checklist-page.md.j2",
        front=Markup(front_matter({"title": f"Checklist: {scenario.title}", "description": scenario.summary})),
        summary=plain(scenario.summary),
        source=_endpoint(labels, scenario.source.framework, scenario.source.hardware),
        target=_endpoint(labels, scenario.target.framework, scenario.target.hardware),
        count=f"{counted(len(cl.items), 'item')} in {counted(len(cl.stages), 'stage')}",
        scenario_href=paths.href(doc, paths.page_path("scenario", scenario.id)),
        index_href=paths.href(doc, paths.CHECKLISTS_INDEX),
        scope=cl.scope,
        total=len(cl.items),
        stages=stages,
        data=data_json(page_data(cl)),
        command=f"python -m generator checklist {scenario.id} --format md",
    )


def builder_index(checked: Checked, checklists: dict[str, Checklist]) -> dict[str, Any]:
    """The data the builder composes checklists from (``checklists/index.json``)."""
    kb = checked.kb
    doc = paths.CHECKLISTS_INDEX
    vocab = kb.vocabulary

    def terms(group: dict[str, Any]) -> list[dict[str, str]]:
        return [{"id": tid, "label": plain(term.label)} for tid, term in sorted(group.items())]

    practices = sorted((p for p in kb.of_type("practice") if isinstance(p, Practice)), key=lambda p: p.id)
    return {
        "stages": [{"id": s.id, "title": plain(s.title), "order": s.order} for s in stages_in_order(kb)],
        "paradigms": [
            {"id": p.id, "label": plain(p.title)} for p in sorted(kb.of_type("paradigm"), key=lambda e: e.id)
        ],
        "frameworks": terms(vocab.frameworks) if vocab else [],
        "hardware": terms(vocab.hardware) if vocab else [],
        "tags": terms(vocab.all_terms()) if vocab else [],
        "practices": [
            {
                "id": p.id,
                "title": plain(p.title),
                "href": paths.href(doc, paths.page_path("practice", p.id)),
                "stage": p.stage,
                "paradigms": sorted(p.paradigms),
                "frameworks": sorted(p.applies_when.target),
                "hardware": sorted(p.applies_when.hardware),
                "tags": sorted(p.tags),
                "importance": p.importance,
                "deprecated": p.status == "deprecated",
                "items": [
                    {"uid": f"{p.id}/{ci.id}", "key": text_key(ci.text), "html": str(markdown_inline(ci.text))}
                    for ci in p.checklist
                ],
            }
            for p in practices
        ],
        "scenarios": [
            {
                "id": sid,
                "title": plain(cl.title),
                "href": paths.href(doc, paths.checklist_path(sid)),
                "items": [i.uid for i in cl.items],
            }
            for sid, cl in sorted(checklists.items())
        ],
    }


def index_page(checked: Checked, checklists: dict[str, Checklist], index: dict[str, Any]) -> str:
    """The checklist index: scenarios, then the builder."""
    labels = _labels(checked)
    rows = []
    for sid, cl in sorted(checklists.items()):
        scenario = checked.kb.entities[sid]
        assert isinstance(scenario, Scenario)
        rows.append(
            {
                "href": paths.href(paths.CHECKLISTS_INDEX, paths.checklist_path(sid)),
                "title": plain(scenario.title),
                "summary": plain(scenario.summary),
                "source": _endpoint(labels, scenario.source.framework, scenario.source.hardware),
                "target": _endpoint(labels, scenario.target.framework, scenario.target.hardware),
                "count": len(cl.items),
            }
        )
    return render(
        "checklist-index.md.j2",
        front=Markup(front_matter({"title": "Checklists", "description": "Checklists before a port."})),
        rows=rows,
        index=index,
        index_json=data_json(index),
        index_href=paths.href(paths.CHECKLISTS_INDEX, paths.CHECKLISTS_JSON),
    )


def render_checklist_pages(checked: Checked, commit: str) -> dict[str, str | bytes]:
    """Every checklist page and the builder index, stamped with ``commit`` (pure)."""
    scenarios = sorted((s for s in checked.kb.of_type("scenario") if isinstance(s, Scenario)), key=lambda s: s.id)
    checklists = {s.id: compose(checked, Query(scenario=s.id), commit=commit) for s in scenarios}
    files: dict[str, str | bytes] = {
        paths.checklist_path(s.id): checklist_page(checked, s, checklists[s.id]) for s in scenarios
    }
    index = builder_index(checked, checklists)
    files[paths.CHECKLISTS_JSON] = (
        json.dumps(scrub(index), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
    )
    files[paths.CHECKLISTS_INDEX] = index_page(checked, checklists, index)
    return files
