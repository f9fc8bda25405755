"""Checklist pages: one interactive page per scenario, an index with a builder.

``checklists/<scenario>.md`` shows the scenario's checklist with checkboxes
(state kept in the browser by ``docs/assets/checklist/checklist.js``), a
progress bar, "reset" and downloads. ``checklists/index.md`` lists the
scenarios and hosts the builder, which composes checklists live from
``checklists/index.data.js``: compact JSON in a script, so it works from
``file://`` too, and not inlined, as it grows with the KB. It is the one
copy of that data in the site (a second, indented ``index.json`` was the
largest file after the search index).

A scenario page's downloads are the builder's for that scenario alone,
built in the browser from the same data when a reader first reaches for
the toolbar: byte-identical to ``checklist SCENARIO --format md|csv|json``
for the same ticks (``tests/test_checklist_builder.py`` runs the builder's
code against the CLI for every scenario). Per-scenario templates would
repeat every item's text once per scenario.

Entry text reaches pages HTML-escaped by Jinja's autoescape (item rows and
practice headings, built once per build by :class:`PageHtml`, by the same
:func:`markupsafe.escape`), item texts via
the site's Markdown sanitiser; stage headings are Markdown, escaped with
:func:`generator.markup.markdown_text`; data scripts are ASCII JSON with ``<``, ``>`` and ``&`` escaped.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from generator import urls as paths
from generator.checklist.compose import (
    Checklist,
    Item,
    PracticeInfo,
    Query,
    compose,
    compose_selection,
    item_facts,
    site_link,
)
from generator.checklist.export import item_entry, md_practice_line
from generator.graph import stages_in_order
from generator.kb import Checked, KnowledgeBase
from generator.markup import (
    FORMULA_STARTS,
    counted,
    failure_label,
    front_matter,
    gfm_text,
    markdown_inline,
    markdown_text,
    plain,
    scrub,
)
from generator.models import ChecklistItem, Practice, Scenario
from generator.pipeline import no_collector_pauses
from generator.render.incremental import PageMemo
from generator.render.paging import even_chunks, pagers, part_path
from generator.render.templating import environment, render
from generator.validate.selection import PRECISIONS, Selection, scenario_selection


def data_json(data: Any) -> str:
    """Compact, ASCII-only JSON (sorted keys) for the data scripts pages load."""
    return json.dumps(data, sort_keys=True, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def builder_script(index: dict[str, Any]) -> str:
    """The builder's data as the script checklist pages load (registered as ``"builder"``).

    The JSON is ASCII-only with ``<``, ``>`` and ``&`` escaped, so no entry
    text can end the script or change its meaning. Every string is export
    text (:func:`~generator.markup.scrub`: no control, bidi or zero-width
    character), as in the CLI's exports: the builder writes its CSV and JSON
    downloads from these strings, and a hidden character before a formula
    sign would slip past its formula guard.
    """
    text = data_json(scrub(index)).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"(window.rkbChecklistData = window.rkbChecklistData || {{}})[{data_json('builder')}] = {text};\n"


def _labels(checked: Checked) -> dict[str, str]:
    vocab = checked.kb.vocabulary
    return {tid: plain(term.label) for tid, term in vocab.all_terms().items()} if vocab else {}


def _endpoint(labels: dict[str, str], framework: str | None, hardware: list[str]) -> str:
    text = labels.get(framework, framework) if framework else "any framework"
    return f"{text} on {', '.join(labels.get(h, h) for h in hardware)}" if hardware else text


def details_view(
    item: ChecklistItem | Item, facts: list[str], cite: Callable[[Markup], Markup] = Markup
) -> dict[str, Any]:
    """How and when an item is done, its links and facts, as pages show them under the item.

    ``cite`` turns BibTeX keys in the text into the page's numbered references
    (on a practice page); by default the text is shown as written.
    """
    return {
        "how": cite(markdown_inline(item.how)),
        "done_when": cite(markdown_inline(item.done_when)),
        "checked_with": plain(item.checked_with or ""),
        "docs": [(plain(d.title), d.url) for d in item.docs],
        "failures": [(failure_label(url), url) for url in item.failures],
        "facts": facts,
    }


def practice_item_view(
    practice_id: str, item: ChecklistItem, cite: Callable[[Markup], Markup] = Markup
) -> dict[str, Any]:
    """What a practice page shows of one of its items (severity and effort; essential depends on the scenario)."""
    facts = [f"{name}: {value}" for name, value in (("severity", item.severity), ("effort", item.effort)) if value]
    return {
        "anchor": item.id,
        "uid": f"{practice_id}/{item.id}",
        "text": cite(markdown_inline(item.text)),
        **details_view(item, facts, cite),
    }


#: Above this many items a scenario's checklist is split into parts (pages) of at most this many,
#: cut between practices, in checklist order; no scenario of today's KB comes near it (the largest has ~130).
CHECKLIST_PART_ITEMS = 400


class PageHtml:
    """The HTML of checklist items and practice headings, made once per build and shared by every scenario's page.

    Items recur across scenarios (a practice that applies to every port is on
    every checklist): an item's row differs between pages only in its box id,
    its scenario and its essential mark, and a practice's heading only in the
    folder its links are relative to. Escaped as the template's autoescape
    would (:func:`markupsafe.escape`); the item details come from the same
    partial as a practice page's.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.details = environment().get_template("parts/checklist-item-details.html.j2")
        self._bodies: dict[tuple[str, bool], str] = {}
        self._heads: dict[tuple[str, str], str] = {}

    def row(self, item: Item, box_id: str) -> str:
        """One item's ``<li>``: its box (``box_id``), label, id and details.

        The box names neither the scenario nor the item: the page names its
        scenario once, and checklist.js reads the item's id from the
        ``<code>`` beside the box (each was repeated on every box).
        """
        body = self._bodies.get((item.uid, item.essential))
        if body is None:
            body = self._body(item)
            self._bodies[item.uid, item.essential] = body
        essential = " rkb-item--essential" if item.essential else ""
        box = escape(box_id)
        return (
            f'<li class="rkb-item{essential}"><input type="checkbox" class="rkb-box" id="{box}">'
            f'<label for="{box}">{body}</li>\n'
        )

    def _body(self, item: Item) -> str:
        details = self.details.render(check=details_view(item, item_facts(item)))
        return f'{markdown_inline(item.text)}</label> <code class="rkb-uid">{escape(item.uid)}</code>{details}'

    def head(self, cl: Checklist, practice: PracticeInfo, first: Item, doc: str) -> str:
        """A practice's section up to its items: title, importance, what it guards against, evidence."""
        folder = posixpath.dirname(doc)
        key = (practice.id, folder)
        head = self._heads.get(key)
        if head is None:
            head = self._head(cl, practice, first, doc)
            self._heads[key] = head
        return head

    def _head(self, cl: Checklist, practice: PracticeInfo, first: Item, doc: str) -> str:
        href = paths.href(doc, paths.page_path("practice", practice.id))
        importance = escape(practice.importance)
        out = [
            '<section class="rkb-practice">\n<h3 class="rkb-practice__title">'
            f'<a href="{escape(href)}">{escape(plain(practice.title))}</a> '
            f'<span class="rkb-importance rkb-importance--{importance}">{importance}</span></h3>\n'
        ]
        guards = dict.fromkeys(
            (plain(cl.names.get(e, e)), paths.href(doc, paths.page_path(cl.kinds[e], e))) for _, e in cl.guards(first)
        )
        if guards or first.evidence:
            meta = ""
            if guards:
                links = ", ".join(f'<a href="{escape(href)}">{escape(text)}</a>' for text, href in guards)
                meta = f"Guards against: {links}."
            if first.evidence:
                refs = ", ".join(
                    f'<a href="{escape(paths.href(doc, self.kb.reference_page(k), paths.reference_anchor(k)))}">'
                    f"{escape(k)}</a>"
                    for k in first.evidence
                )
                meta += f" Evidence: {refs}."
            out.append(f'<p class="rkb-practice__meta">{meta}</p>\n')
        out.append('<ul class="rkb-items">\n')
        return "".join(out)


def checklist_pages(
    checked: Checked,
    scenario: Scenario,
    cl: Checklist,
    part_items: int | None = None,
    html: PageHtml | None = None,
) -> dict[str, str]:
    """The interactive checklist page of one scenario; above ``part_items`` items, its parts.

    Every part has the whole checklist's toolbar: ticks are stored per
    scenario and item, so progress, reset and downloads cover every part.
    ``html`` shares item rows and practice headings between scenarios.
    """
    part_items = CHECKLIST_PART_ITEMS if part_items is None else part_items
    html = html or PageHtml(checked.kb)
    first = paths.checklist_path(scenario.id)
    labels = _labels(checked)
    counter = iter(range(1, len(cl.items) + 1))
    blocks: list[tuple[Any, dict[str, Any]]] = []  # (stage, practice) in checklist order
    for stage, groups in cl.grouped():
        for practice, items in groups:
            blocks.append((stage, {"practice": practice, "items": items, "boxes": [next(counter) for _ in items]}))
    parts = even_chunks(blocks, part_items, lambda b: len(b[1]["items"])) if len(cl.items) > part_items else [blocks]
    names = [_part_label(part) for part in parts]
    out: dict[str, str] = {}
    for number, (part, pager) in enumerate(zip(parts, pagers(first, names, "Part"), strict=True), 1):
        doc = part_path(first, number)
        stages: list[dict[str, Any]] = []
        for stage, block in part:
            practice, items = block["practice"], block["items"]
            if not stages or stages[-1]["id"] != stage.id:
                heading = Markup(f"Stage {stage.order}: {markdown_text(stage.title)}")
                stages.append({"id": stage.id, "heading": heading, "practices": []})
            section = stages[-1]["practices"]
            section.append(html.head(cl, practice, items[0], doc))
            section += [html.row(i, f"rkb-{n}") for i, n in zip(items, block["boxes"], strict=True)]
            section.append("</ul>\n</section>\n")
        for stage_view in stages:
            stage_view["practices"] = Markup("".join(stage_view["practices"]))  # escaped above
        title = f"Checklist: {scenario.title}"
        out[doc] = render(
            "checklist-page.md.j2",
            # Out of the search index: every item's text is already there, on its practice's page.
            front=Markup(
                front_matter(
                    {
                        "title": title if number == 1 else f"{title} (part {number}: {names[number - 1]})",
                        "description": scenario.summary,
                        "search": {"exclude": True},
                    }
                )
            ),
            summary=plain(scenario.summary),
            source=_endpoint(labels, scenario.source.framework, scenario.source.hardware),
            target=_endpoint(labels, scenario.target.framework, scenario.target.hardware),
            count=f"{counted(len(cl.items), 'item')} in {counted(len(cl.stages), 'stage')}",
            scenario_href=paths.href(doc, paths.page_path("scenario", scenario.id)),
            index_href=paths.href(doc, paths.CHECKLISTS_INDEX),
            scope=cl.scope,
            total=len(cl.items),
            on_page=sum(len(b["items"]) for _, b in part),
            pager=pager,
            stages=stages,
            data_src=paths.href(doc, paths.CHECKLISTS_DATA),
            command=f"python -m generator checklist {scenario.id} --format md",
        )
    return out


def _part_label(part: list[tuple[Any, dict[str, Any]]]) -> str:
    """A part's label: the stages it covers (``Stages 2-4``) and its item count."""
    orders = [stage.order for stage, _ in part]
    items = sum(len(b["items"]) for _, b in part)
    if not orders:
        return "no items"
    span = f"Stage {orders[0]}" if orders[0] == orders[-1] else f"Stages {orders[0]}-{orders[-1]}"
    return f"{span}, {counted(items, 'item')}"


def builder_index(checked: Checked, commit: str = "") -> dict[str, Any]:
    """The data the builder composes checklists and their downloads from (``checklists/index.data.js``).

    Each practice carries its own ``applies_when`` and each item its
    effective one, so the page's selector applies the same rules as
    :mod:`generator.validate.selection`; each item also carries what the
    exports need (its JSON export entry and Markdown pieces), so the page's
    downloads are byte-identical to ``checklist ... --format md|csv|json``.
    A scenario carries its selection, not its items: the builder composes
    them, as it does for any filters.
    """
    kb = checked.kb
    doc = paths.CHECKLISTS_INDEX
    vocab = kb.vocabulary

    def terms(group: dict[str, Any]) -> list[dict[str, str]]:
        return [{"id": tid, "label": plain(term.label)} for tid, term in sorted(group.items())]

    practices = sorted((p for p in kb.of_type("practice") if isinstance(p, Practice)), key=lambda p: p.id)
    # Every item of every practice, deprecated ones included (a scenario may 'include' them).
    every = compose_selection(checked, Query(), Selection(include=tuple(p.id for p in practices)), commit=commit)
    items = {i.uid: i for i in every.items}
    exported = {i.uid: item_entry(every, i) for i in every.items}
    first: dict[str, Item] = {}
    for i in every.items:
        first.setdefault(i.practice, i)

    scenarios = [s for s in kb.of_type("scenario") if isinstance(s, Scenario)]
    tagged = {t for p in practices for t in p.tags}
    return {
        "kb": {"name": every.kb_name, "version": every.kb_version, "commit": every.commit, "site_url": every.site_url},
        "stages": [
            {"id": s.id, "title": plain(s.title), "raw_title": s.title, "md_title": gfm_text(s.title), "order": s.order}
            for s in stages_in_order(kb)
        ],
        "paradigms": [
            {"id": p.id, "label": plain(p.title)} for p in sorted(kb.of_type("paradigm"), key=lambda e: e.id)
        ],
        "frameworks": terms(vocab.frameworks) if vocab else [],
        "hardware": terms(vocab.hardware) if vocab else [],
        "model_families": terms(vocab.model_families) if vocab else [],
        # only the tags a practice carries: any other tag would select nothing
        "tags": [t for t in terms(vocab.all_terms()) if t["id"] in tagged] if vocab else [],
        "precisions": list(PRECISIONS),
        # The signs the CSV download neutralises, the CLI's own (checklist.js csvCell): one list for both.
        "formula_starts": FORMULA_STARTS,
        "entities": {
            eid: {"type": e.kind, "title": e.title, "url": every.urls.get(eid) or site_link_of(every, e.kind, eid)}
            for eid, e in sorted(kb.entities.items())
            if e.kind in ("stage", "practice", "challenge", "defect")
        },
        "references": {k.removeprefix("cite:"): url for k, url in sorted(every.urls.items()) if k.startswith("cite:")},
        "md": {
            "kb_link": f"[{gfm_text(every.kb_name)}]({every.site_url})" if every.site_url else gfm_text(every.kb_name)
        },
        "practices": [
            {
                "id": p.id,
                "title": plain(p.title),
                "raw_title": p.title,
                "rationale": p.rationale,
                "url": site_link_of(every, "practice", p.id),
                "href": paths.href(doc, paths.page_path("practice", p.id)),
                "stage": p.stage,
                "paradigms": sorted(p.paradigms),
                "tags": sorted(p.tags),
                "importance": p.importance,
                "deprecated": p.status == "deprecated",
                "applies_when": p.applies_when.model_dump(mode="json"),
                "md_line": md_practice_line(every, every.practices[p.id], item) if (item := first.get(p.id)) else "",
                **_guarded(first.get(p.id)),
                "items": [
                    builder_item(items[uid], exported[uid], p.applies_when.model_dump(mode="json"))
                    for uid in (f"{p.id}/{ci.id}" for ci in p.checklist)
                ],
            }
            for p in practices
        ],
        "scenarios": [
            {
                "id": s.id,
                "title": plain(s.title),
                "md_title": gfm_text(s.title),
                "summary": s.summary,
                "md_summary": gfm_text(s.summary),
                "href": paths.href(doc, paths.checklist_path(s.id)),
                "selection": scenario_selection(s).as_dict(),
            }
            for s in sorted(scenarios, key=lambda s: s.id)
        ],
    }


def _guarded(item: Item | None) -> dict[str, list[str]]:
    """What every item of a practice guards against, and its evidence (stored once per practice)."""
    if item is None:
        return {"addresses": [], "prevents": [], "detects": [], "evidence": []}
    return {
        "addresses": list(item.addresses),
        "prevents": list(item.prevents),
        "detects": list(item.detects),
        "evidence": list(item.evidence),
    }


def html_of_plain(text: str) -> str:
    """Text as HTML when it holds no Markdown: what markdown-it escapes (checklist.js ``escapeHtml``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def builder_item(item: Item, entry: dict[str, Any], practice_when: dict[str, Any]) -> dict[str, Any]:
    """One item in the builder's data: each fact once; checklist.js (``expandItem``) rebuilds the rest on load.

    The JSON export entry is the item's own fields plus its practice's (id,
    stage, importance, url, what it guards against, evidence: stored with the
    practice); an empty field is left out, and ``applies_when`` when it is
    the practice's. The item's HTML and Markdown forms are stored only where
    they differ from its text (``as_html``: rendered Markdown; ``as_md``:
    escaped for GitHub), as most texts hold no markup; ``md_details``, the lines
    under a Markdown box, is rebuilt from them.
    """
    data: dict[str, Any] = {"uid": item.uid, "text": item.text}
    for key in ("how", "done_when", "checked_with", "severity", "effort", "docs", "failures"):
        if entry[key] is not None and entry[key] != []:
            data[key] = entry[key]
    if entry["applies_when"] != practice_when:
        data["applies_when"] = entry["applies_when"]
    html = {
        key: str(markdown_inline(text))
        for key, text in (("text", item.text), ("how", item.how), ("done_when", item.done_when))
        if text and str(markdown_inline(text)) != html_of_plain(text)
    }
    md: dict[str, str | list[str]] = {
        key: gfm_text(text)
        for key, text in (
            ("text", item.text),
            ("how", item.how),
            ("done_when", item.done_when),
            ("checked_with", item.checked_with),
        )
        if text and gfm_text(text) != text
    }
    if any(gfm_text(d.title) != d.title for d in item.docs):
        md["docs"] = [gfm_text(d.title) for d in item.docs]
    if item.failures:  # labels: checklist.js has failureLabel, but the Markdown escapes them (owner/repo\#1)
        md["failures"] = [gfm_text(failure_label(u)) for u in item.failures]
    if html:
        data["as_html"] = html
    if md:
        data["as_md"] = md
    return data


def site_link_of(cl: Checklist, kind: str, eid: str) -> str:
    """The absolute site URL of an entity, as exports write it."""
    return site_link(cl.site_url, paths.page_url(kind, eid))


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
        data_src=paths.href(paths.CHECKLISTS_INDEX, paths.CHECKLISTS_DATA),
    )


@no_collector_pauses()
def render_checklist_pages(
    checked: Checked, commit: str, memo: PageMemo | None = None, part_items: int | None = None
) -> dict[str, str | bytes]:
    """Every checklist page (in parts above ``part_items`` items) and the builder index, stamped with ``commit`` (pure).

    The pages are a function of the scenarios, their composed checklists, the
    builder's data, the vocabulary's labels, the part size and ``commit``
    only. With ``memo`` (``make serve``), when all of these equal the previous
    build's, that build's files are returned instead of being written again
    (most edits change no checklist: a summary is on no checklist page).
    """
    part_items = CHECKLIST_PART_ITEMS if part_items is None else part_items
    scenarios = sorted((s for s in checked.kb.of_type("scenario") if isinstance(s, Scenario)), key=lambda s: s.id)
    checklists = {s.id: compose(checked, Query(scenario=s.id), commit=commit) for s in scenarios}
    index = builder_index(checked, commit)
    inputs = (commit, part_items, _labels(checked), scenarios, checklists, index)
    if memo is not None and memo.checklists is not None and memo.checklists[0] == inputs:
        return dict(memo.checklists[1])
    files = _checklist_files(checked, scenarios, checklists, index, part_items)
    if memo is not None:
        memo.checklists = (inputs, dict(files))
    return files


def _checklist_files(
    checked: Checked,
    scenarios: list[Scenario],
    checklists: dict[str, Checklist],
    index: dict[str, Any],
    part_items: int,
) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    html = PageHtml(checked.kb)
    for s in scenarios:
        files.update(checklist_pages(checked, s, checklists[s.id], part_items, html))
    files[paths.CHECKLISTS_DATA] = builder_script(index)
    files[paths.CHECKLISTS_INDEX] = index_page(checked, checklists, index)
    return files
