"""A site under the county portal's path: the example county built for
``http://127.0.0.1:<port>/sfj/pufa/`` and served by Debian's nginx there.

One Chromium session crawls every page from the home page: no link or asset may 404 or leave
the path. The redirect of a renamed case, an offline page, the 404 page, the sitemap, JSON-LD,
the open data, vCards, every QR code and the search are checked there too.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from site_builder.build import BuildOptions, build
from site_builder.print.verify import verify_manifest
from tests.conftest import EXAMPLE, ROOT
from tests.servers import Servers, free_port, servers, static_under

__all__ = ["servers"]  # the session fixture (tests/servers.py)

PATH = "/sfj/pufa/"
RENAMED = "deposit-old"  # an earlier id of cases/lease-deposit
RETIRED = "cases/retired-case/"  # published once, gone since


@pytest.fixture(scope="module")
def subpath(tmp_path_factory: pytest.TempPathFactory, servers: Servers) -> tuple[Path, str]:
    """(built site, its base URL) — served by nginx under /sfj/pufa/."""
    base = tmp_path_factory.mktemp("subpath")
    port = free_port()
    url = f"http://127.0.0.1:{port}{PATH}"
    content = base / "content"
    shutil.copytree(EXAMPLE, content)
    case = content / "cases" / "lease-deposit.md"
    case.write_text(
        case.read_text(encoding="utf-8").replace("---\n", f"---\nrenamed_from: [{RENAMED}]\n", 1),
        encoding="utf-8",
    )
    ledger = json.loads((content / ".published.json").read_text(encoding="utf-8"))
    (content / ".published.json").write_text(json.dumps([*ledger, RETIRED]), encoding="utf-8")
    project = base / "project"
    project.mkdir()
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^site_url:.*$", f"site_url: {url}", config)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    out = base / "site"
    build(BuildOptions(content, out, project / "mkdocs.yml", ROOT / "themes", base / "work"))
    servers.nginx(static_under(PATH, out), port=port)
    return out, url


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as r:
        return bytes(r.read())


def is_page(url: str) -> bool:
    return url.endswith("/") or url.endswith(".html")


def test_crawl_every_page_link_and_asset_under_the_path(browser: Any, subpath: Any) -> None:
    site, base = subpath
    origin = base[: -len(PATH)]
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    broken: list[str] = []
    outside: list[str] = []
    page.on("response", lambda r: r.status >= 400 and broken.append(f"{r.status} {r.url}"))

    def note_request(url: str) -> None:
        if url.startswith(origin) and not url.startswith(base):
            outside.append(url)

    page.on("request", lambda r: note_request(r.url))
    queue, seen, files = [base], {base}, set()
    while queue:
        url = queue.pop()
        page.goto(url, wait_until="load")
        links = page.eval_on_selector_all(
            "a[href], link[href], [src]", "els => els.map(e => e.href || e.src)"
        )
        for link in links:
            link = urldefrag(link)[0]
            if not link.startswith(("http://", "https://")):
                continue  # tel:, mailto:
            if not link.startswith(origin):
                continue  # another host (the ICP filing site): not ours to serve
            if not link.startswith(base):
                outside.append(f"{link} (on {url})")
                continue
            if is_page(link):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
            else:
                files.add(link.split("?")[0])
    context.close()
    assert not outside, outside[:10]
    assert not broken, broken[:10]
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert len(seen) >= len(pages) * 0.8, (len(seen), len(pages))  # the crawl reached them
    bad_files = [f for f in sorted(files) if status(f) != 200]
    assert not bad_files, bad_files
    assert any(f.endswith(".pdf") for f in files) and any(f.endswith(".vcf") for f in files)


def test_redirect_offline_and_404_pages_under_the_path(browser: Any, subpath: Any) -> None:
    _, base = subpath
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    broken: list[str] = []
    page.on("response", lambda r: r.status >= 400 and broken.append(f"{r.status} {r.url}"))
    page.goto(base + f"cases/{RENAMED}/")
    page.wait_for_url(base + "cases/lease-deposit/")
    assert "房东不退押金" in page.title()
    response = page.goto(base + RETIRED)
    assert response is not None and response.status == 200
    assert "已下线" in page.inner_text("body") and "12348" in page.inner_text("body")
    assert not broken, broken
    response = page.goto(base + "no/such/page/")
    assert response is not None and response.status == 404
    assert "页面" in page.inner_text("body")
    page_assets = [b for b in broken if not b.endswith("/no/such/page/")]
    assert not page_assets, page_assets  # the 404 page's own styles and scripts load there
    context.close()


def test_sitemap_jsonld_open_data_and_vcards_stay_under_the_path(subpath: Any) -> None:
    site, base = subpath
    origin = base[: -len(PATH)]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locs and all(u.startswith(base) for u in locs)
    assert [u for u in locs[:40] if status(u) != 200] == []
    found: list[str] = []
    for html in site.rglob("*.html"):
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html.read_text(), re.S
        ):
            found += re.findall(r'"(https?://[^"]+)"', block)
    for data in [*site.glob("data/*.csv"), *site.glob("data/*.json"), *site.rglob("*.vcf")]:
        found += re.findall(r"https?://[^\s\",;]+", data.read_text(encoding="utf-8"))
    ours = [u for u in found if urlsplit(u).netloc == urlsplit(base).netloc]
    assert ours, "JSON-LD, data and vCards name pages of the site"
    assert [u for u in ours if not u.startswith(base)] == []
    assert [u for u in sorted(set(ours))[:60] if status(u) != 200] == []
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert status(base + "data/" + resource["path"].removeprefix("data/")) == 200
    assert status(origin + PATH.rstrip("/")) in (200, 301)


def test_every_qr_code_points_under_the_path_and_answers(subpath: Any) -> None:
    site, base = subpath
    count, problems = verify_manifest(site, base)  # zxing-cpp on every PDF and PNG
    assert count > 50 and problems == []
    manifest = json.loads((site / "print" / "manifest.json").read_text(encoding="utf-8"))
    urls = sorted({u for e in manifest for u in e["qr"]})
    assert urls and all(u.startswith(base) for u in urls)
    assert [u for u in urls if status(u) != 200] == []


def test_search_under_the_path(browser: Any, subpath: Any) -> None:
    _, base = subpath
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    broken: list[str] = []
    page.on("response", lambda r: r.status >= 400 and broken.append(f"{r.status} {r.url}"))
    page.goto(base + "cases/lease-deposit/")
    page.fill("#pufa-q", "赡养费")
    page.press("#pufa-q", "Enter")
    page.wait_for_url("**/sfj/pufa/search/?q=*")
    page.wait_for_function(
        "document.getElementById('pufa-search-status').textContent.indexOf('正在') < 0",
        timeout=15000,
    )
    hrefs = [a.get_attribute("href") for a in page.query_selector_all("#pufa-results a")]
    assert hrefs and any("cases/three-sons-support/" in (h or "") for h in hrefs[:5]), hrefs
    page.click("#pufa-results a[href*='three-sons-support']")
    page.wait_for_url(base + "cases/three-sons-support/")
    assert not broken, broken
    context.close()
