"""``benchmarks/lighthouse.py`` without Lighthouse: its server gzips as a host does, its summary is a median.

Lighthouse itself (npm, Chromium, minutes per page) runs only in ``make
lighthouse``; these pin the parts whose mistakes would skew its numbers.
"""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from benchmarks.lighthouse import _first_snippet, median_row, serve


def _get(url: str, *, gzip_ok: bool) -> tuple[bytes, str | None]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.read(), response.headers.get("Content-Encoding")


def test_server_gzips_text_for_clients_that_ask(tmp_path: Path) -> None:
    page = "<p>" + "text " * 2000 + "</p>"
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "a.png").write_bytes(b"\x89PNG" + bytes(500))
    server, base = serve(tmp_path, compress=True)
    try:
        body, encoding = _get(base + "index.html", gzip_ok=True)
        assert encoding == "gzip" and gzip.decompress(body).decode() == page and len(body) < len(page) / 10
        body, encoding = _get(base, gzip_ok=True)  # a folder serves its index.html
        assert encoding == "gzip" and gzip.decompress(body).decode() == page
        assert _get(base + "index.html", gzip_ok=False) == (page.encode(), None)
        assert _get(base + "a.png", gzip_ok=True)[1] is None  # images are sent as they are
    finally:
        server.shutdown()
        server.server_close()


def test_server_without_gzip_sends_raw_bytes(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>raw</p>", encoding="utf-8")
    server, base = serve(tmp_path, compress=False)
    try:
        assert _get(base + "index.html", gzip_ok=True) == (b"<p>raw</p>", None)
    finally:
        server.shutdown()
        server.server_close()


def test_median_of_runs_and_lcp_snippet() -> None:
    runs = [
        {"performance": p, "accessibility": 100, "best-practices": 100, "seo": 100, "LCP": lcp, "TBT": 0, "CLS": 0,
         "FCP": 1, "SI": 1}
        for p, lcp in ((67, 4200.0), (56, 4500.0), (81, 2300.0))
    ]  # fmt: skip
    row = median_row(runs)
    assert row["performance"] == 67 and row["LCP"] == 4200.0
    details = {"items": [{"type": "table", "items": [{"node": {"snippet": '<p class="kb-hero">'}}]}]}
    assert _first_snippet(details) == '<p class="kb-hero">'
    assert _first_snippet({}) == ""
