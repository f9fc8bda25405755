"""Escaping of entry text for every page sink (markdown-it HTML, front matter, SVG)."""

from __future__ import annotations

import pytest
import yaml

from generator.markup import dot_quote, front_matter, markdown_block, markdown_inline, safe_link
from generator.render.svg import inline, svg_of


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href='#' onclick=alert(1)>x</a>",
        "<!-- comment --><style>body{}</style>",
    ],
)
def test_raw_html_is_escaped(text: str) -> None:
    html = markdown_block(text)
    assert "<script" not in html and "<img" not in html and "<a href='#'" not in html and "<style" not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "&#106;avascript:alert(1)",
    ],
)
def test_unsafe_links_are_not_links(url: str) -> None:
    html = markdown_block(f"[click]({url})")
    assert "href" not in html


@pytest.mark.parametrize("url", ["https://example.org/a", "http://example.org", "mailto:a@example.org", "../x.html"])
def test_safe_links_stay(url: str) -> None:
    assert safe_link(url)
    assert f'href="{url}"' in markdown_inline(f"[x]({url})")


def test_images_become_links_not_requests() -> None:
    html = markdown_block("![pixel](https://evil.example/p.png)")
    assert "<img" not in html and 'href="https://evil.example/p.png"' in html


def test_attr_list_and_snippets_stay_text() -> None:
    html = markdown_block('Para\n{: onclick="alert(1)" }\n\n--8<-- "README.md"')
    assert "onclick=&quot;" in html and "--8&lt;--" in html


def test_entry_headings_are_shifted_below_the_page_sections() -> None:
    html = markdown_block("# One\n\n## Two\n\n###### Six")
    assert "<h3>One</h3>" in html and "<h4>Two</h4>" in html and "<h6>Six</h6>" in html and "<h1" not in html


@pytest.mark.parametrize(
    "title",
    ['say "hi"', "ends with \\", "</title><script>alert(1)</script>", "colon: and # hash", "line\nbreak", "a & b"],
)
def test_front_matter_is_valid_yaml_and_html_escaped(title: str) -> None:
    meta = yaml.safe_load(front_matter({"title": title, "tags": [title]}).strip("-\n"))
    assert "<" not in meta["title"] and '"' not in meta["title"]
    assert meta["tags"] == [meta["title"]]
    assert "\n" not in meta["title"]


def test_diagram_labels_cannot_break_out_of_dot_quoting() -> None:
    label = dot_quote('ends with backslash \\" ] ; <b>x</b> \\')
    source = f'digraph {{ a [label={label}, URL="x.html"]; b [label="<script>"]; a -> b }}'
    svg = inline(svg_of(source), 'label "with" <markup>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-label="label &#34;with&#34; &lt;markup&gt;"' in svg
    assert "<?xml" not in svg and "<!--" not in svg and " id=" not in svg
