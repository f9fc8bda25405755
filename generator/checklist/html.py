"""Export a checklist as one standalone, printable HTML page (pure function).

No external requests: the CSS is inline, there is no script. The print
stylesheet keeps practices together on a page, prints link targets after
practice titles and leaves room to fill in who did what. Entry text is
escaped by Jinja's autoescape; item texts go through the site's Markdown
sanitiser, so code spans render and nothing else can be injected.
"""

from __future__ import annotations

from collections.abc import Collection

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from generator.checklist.compose import Checklist, Item, item_facts
from generator.load.gitinfo import short_commit
from generator.markup import counted, export_text, failure_label, markdown_inline, plain

_CSS = """
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #3f51b5; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--fg);
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1rem; margin: 0 0 .2rem; }
a { color: var(--accent); }
.summary { margin: 0 0 .4rem; }
.meta, .guards, .evidence, .uid, footer { color: var(--muted); font-size: .85rem; }
.meta code, .uid { font-family: "Liberation Mono", monospace; }
.fill { margin: .8rem 0 0; font-size: .9rem; }
.fill span { display: inline-block; width: 9rem; border-bottom: 1px solid var(--muted); margin-right: .8rem; }
.practice { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; margin: .6rem 0; }
.importance { font-size: .7rem; font-weight: normal; text-transform: uppercase; letter-spacing: .04em;
              border: 1px solid var(--line); border-radius: 4px; padding: 0 .3rem; vertical-align: middle; }
.importance-essential { border-color: #bc4c00; color: #bc4c00; }
.guards, .evidence { margin: .1rem 0; }
ul.items { list-style: none; padding: 0; margin: .4rem 0 0; }
ul.items li { display: grid; grid-template-columns: 1.05rem 1fr; column-gap: .6rem; align-items: baseline;
              padding: .25rem 0; border-top: 1px dotted var(--line); }
ul.items input { width: 1.05rem; height: 1.05rem; margin: 0; position: relative; top: .15rem; }
.uid { grid-column: 2; font-size: .65rem; }
.facts, .how, .done-when, .checked-with, .docs, .failures { grid-column: 2; margin: .15rem 0 0; font-size: .85rem; }
.checked-with, .docs, .failures { color: var(--muted); }
.fact { border: 1px solid var(--line); border-radius: 4px; padding: 0 .3rem; margin-right: .3rem; font-size: .7rem; }
.fact-strong { border-color: #bc4c00; color: #bc4c00; }
code { font-family: "Liberation Mono", monospace; font-size: .9em; }
footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  .practice { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  h3 a::after { content: " \\2014  " attr(href); font-weight: normal; font-size: .7rem; color: var(--muted);
                word-break: break-all; }
}
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{ cl.kb_name }} {{ cl.kb_version }}">
<title>Checklist: {{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<header>
<h1>Checklist: {{ title }}</h1>
<p class="summary">{{ summary }}</p>
<p class="meta">{{ counted(cl.items | length, "item") }} in {{ counted(cl.stages | length, "stage") }}
 &middot; {{ cl.kb_name }} {{ cl.kb_version }} &middot; commit <code>{{ commit }}</code>
 &middot; query <code>{{ query or "all practices" }}</code></p>
<p class="fill">Model: <span></span> Owner: <span></span> Date: <span></span></p>
</header>
<main>
{% if not cl.items %}<p>No practice matches this query.</p>{% endif %}
{% for stage, groups in cl.grouped() %}
<section class="stage">
<h2>Stage {{ stage.order }}: {{ stage.title }}</h2>
{% for practice, items in groups %}
{% if compact %}
<ul class="items">
{% else %}
<div class="practice">
<h3><a href="{{ practice.url }}">{{ practice.title }}</a>
 <span class="importance importance-{{ practice.importance }}">{{ practice.importance }}</span></h3>
{% set guards = guards_of(items[0]) %}
{% if guards %}<p class="guards">Guards against: {{ guards | join("; ") }}</p>{% endif %}
{% if items[0].evidence %}<p class="evidence">Evidence: {{ items[0].evidence | join(", ") }}</p>{% endif %}
<ul class="items">
{% endif %}
{% for item in items %}
{% set n = counter.next() %}
<li><input type="checkbox" id="item-{{ n }}"{% if item.uid in done %} checked{% endif %}>
<label for="item-{{ n }}">{{ text(item.text) }}</label> <span class="uid">{{ item.uid }}</span>
{% if not compact %}
{% set facts = facts_of(item) %}
{% if facts %}<span class="facts">
{% for fact in facts %}
<span class="fact{% if fact in strong %} fact-strong{% endif %}">{{ fact }}</span>
{% endfor %}
</span>{% endif %}
{% if item.how %}<p class="how"><b>How:</b> {{ text(item.how) }}</p>{% endif %}
{% if item.done_when %}<p class="done-when"><b>Done when:</b> {{ text(item.done_when) }}</p>{% endif %}
{% if item.checked_with %}<p class="checked-with">Checked with: {{ item.checked_with }}</p>{% endif %}
{% if item.docs %}<p class="docs">Docs:
{% for doc in item.docs %} <a href="{{ doc.url }}">{{ doc.title }}</a>{{ ";" if not loop.last }}{% endfor %}</p>
{% endif %}
{% if item.failures %}<p class="failures">Real failures:
{% for url in item.failures %} <a href="{{ url }}">{{ label(url) }}</a>{{ "," if not loop.last }}{% endfor %}</p>
{% endif %}
{% endif %}
</li>
{% endfor %}
</ul>
{% if not compact %}
</div>
{% endif %}
{% endfor %}
</section>
{% endfor %}
</main>
<footer>Generated from {{ cl.kb_name }} {{ cl.kb_version }} (commit {{ cl.commit }}).
Item ids stay stable across versions: run <code>checklist status</code> on a filled Markdown or CSV
export to see what changed.</footer>
</body>
</html>
"""


class _Counter:
    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_COMPILED = _ENV.from_string(_TEMPLATE)


def to_html(cl: Checklist, done: Collection[str] = (), *, compact: bool = False) -> str:
    """The checklist as a standalone, printable HTML page (``compact``: only the boxes)."""

    def guards_of(item: Item) -> list[str]:
        return list(dict.fromkeys(plain(cl.names.get(e, e)) for _, e in cl.guards(item)))

    def text(value: str) -> Markup:
        return markdown_inline(value)

    # Every value is escaped by the template; this drops control, bidi and zero-width characters from all of them.
    return export_text(
        _COMPILED.render(
            cl=cl,
            title=plain(cl.title),
            summary=plain(cl.summary),
            commit=short_commit(cl.commit),
            query=cl.query.to_string(),
            css=Markup(_CSS),
            done=set(done),
            guards_of=guards_of,
            text=text,
            counter=_Counter(),
            counted=counted,
            compact=compact,
            strong=("essential", "severity: blocker"),
            facts_of=item_facts,
            label=failure_label,
        )
    )
