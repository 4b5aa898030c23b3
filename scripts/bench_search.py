"""How well residents find things: the resident-query set run in Chromium against Pagefind.

Serves a built site on loopback, types every query of ``tests/resident_queries.yml`` into the
search page and prints, per kind of query and in all: found first, found in the top five,
queries with no result at all, and the bytes the first query of a fresh visit transfers
(gzip, as a production server sends them). Usage: python scripts/bench_search.py [site] [-v]
(-v lists the queries that missed). tests/test_search_residents.py holds the budgets.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

QUERIES = Path(__file__).resolve().parent.parent / "tests" / "resident_queries.yml"
PRECOMPRESSED = (".pf_index", ".pf_meta", ".pf_fragment", ".pagefind")  # Pagefind gzips these


@dataclass
class Query:
    kind: str
    q: str
    expect: list[str]


@dataclass
class Outcome:
    query: Query
    results: list[str]  # site-relative paths, best first

    @property
    def first(self) -> bool:
        return bool(self.results) and self.results[0] in self.query.expect

    @property
    def top5(self) -> bool:
        return any(r in self.query.expect for r in self.results[:5])


def load_queries(path: Path = QUERIES) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Query(kind, e["q"], list(e["expect"])) for kind, items in data.items() for e in items]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


_RESULTS = "els => els.map(a => a.href)"


def _paths(hrefs: list[str], base: str) -> list[str]:
    return [h.split("?")[0].split("#")[0].removeprefix(base) for h in hrefs]


def run_queries(page: Any, base: str, queries: list[Query]) -> list[Outcome]:
    """Type each query into the search page of ``base``; one page for all of them when the
    search script marks the query it has shown (``data-pufa-query``), else one load each."""
    page.goto(base + "search/")
    page.wait_for_function("document.getElementById('pufa-results') !== null")
    in_page = page.evaluate(
        "() => { const l = document.getElementById('pufa-results');"
        " return l.hasAttribute('data-pufa-query'); }"
    )
    out = []
    for query in queries:
        if in_page:
            page.fill("#pufa-search-q", query.q)
            page.press("#pufa-search-q", "Enter")
            page.wait_for_function(
                "q => document.getElementById('pufa-results').dataset.pufaQuery === q",
                arg=query.q,
                timeout=15000,
            )
        else:  # a site from before the query mark: load the page per query
            page.goto(base + "search/?q=" + query.q)
            page.wait_for_function(
                "document.getElementById('pufa-search-status').textContent.indexOf('正在') < 0",
                timeout=15000,
            )
        hrefs = page.eval_on_selector_all("#pufa-results li.pufa-result > a", _RESULTS)
        out.append(Outcome(query, _paths(hrefs, base)))
    return out


def first_query_bytes(browser: Any, base: str, q: str) -> int:
    """Bytes a fresh visit's first search transfers for Pagefind (script, WebAssembly,
    index chunks, fragments), counted gzipped as a production server sends them."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    sizes: dict[str, int] = {}

    def record(response: Any) -> None:
        url = response.url
        if "/pagefind/" not in url:
            return
        body = response.body()
        pre = url.split("?")[0].endswith(PRECOMPRESSED)
        sizes[url] = len(body) if pre else len(gzip.compress(body, 6))

    page = context.new_page()
    page.on("response", record)
    page.goto(base + "search/?q=" + q)
    page.wait_for_function(
        "document.getElementById('pufa-search-status').textContent.indexOf('正在') < 0",
        timeout=15000,
    )
    page.wait_for_timeout(300)  # fragments of the shown results finish loading
    context.close()
    return sum(sizes.values())


def summary(outcomes: list[Outcome]) -> dict[str, tuple[int, int, int, int]]:
    """kind → (queries, first, top 5, no result); the key "全部" for all of them."""
    rows: dict[str, list[int]] = {}
    for o in outcomes:
        for key in (o.query.kind, "全部"):
            row = rows.setdefault(key, [0, 0, 0, 0])
            row[0] += 1
            row[1] += o.first
            row[2] += o.top5
            row[3] += not o.results
    return {k: (r[0], r[1], r[2], r[3]) for k, r in rows.items()}


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    from site_builder.chromium import CHROMIUM, CHROMIUM_ARGS

    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    site = Path(args[0] if args else "site")
    queries = load_queries()
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        outcomes = run_queries(page, base, queries)
        size = first_query_bytes(browser, base, queries[0].q)
        browser.close()
    for kind, (n, first, top5, zero) in summary(outcomes).items():
        print(
            f"{kind}\t{n} 条\t第一 {first} ({first / n:.0%})\t前五 {top5} ({top5 / n:.0%})"
            f"\t无结果 {zero}"
        )
    print(f"首次搜索传输\t{size / 1024:.1f} KB（gzip）")
    if verbose:
        for o in outcomes:
            if not o.first:
                mark = "前五" if o.top5 else "未中"
                print(f"  {mark}\t{o.query.q}\t→ {o.results[:5]}\t（应为 {o.query.expect[0]}）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
