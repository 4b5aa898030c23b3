"""The hosting guide's nginx configuration, taken from docs/hosting.md as written: every page
of the example site loads in Chromium without a Content-Security-Policy violation, and the
headers (cache, gzip, nosniff, Referrer-Policy) are what the guide says."""

from __future__ import annotations

import gzip
import re
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from site_builder.publish.csp import csp_hashes
from tests.conftest import ROOT
from tests.servers import Nginx, Servers, servers

__all__ = ["servers"]  # the session fixture (tests/servers.py)

GUIDE = ROOT / "docs" / "hosting.md"
PATH = "/sfj/pufa/"
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));
"""


def guide_part(name: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(rf"# pufa:{name}-begin\n(.*?)# pufa:{name}-end", text, re.S)
    assert found, f"docs/hosting.md lost its {name} block"
    return found.group(1)


@pytest.fixture(scope="module")
def guide_nginx(
    tmp_path_factory: pytest.TempPathFactory, built_site: Path, servers: Servers
) -> Nginx:
    www = tmp_path_factory.mktemp("www")
    (www / "sfj").mkdir()
    (www / "sfj" / "pufa").symlink_to(built_site)
    body = guide_part("server").replace("/var/www", str(www))
    return servers.nginx(body, http=guide_part("http"), log_format="pufa")


def headers(url: str, gz: bool = False) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gz else {})
    with urllib.request.urlopen(request, timeout=10) as r:
        return {k.lower(): v for k, v in r.headers.items()}, r.read()


def test_the_build_writes_the_hashes_of_its_inline_scripts(built_site: Path) -> None:
    hashes = csp_hashes(built_site)
    assert 3 <= len(hashes) <= 20 and all(h.startswith("'sha256-") for h in hashes)
    policy = (built_site / ".pufa" / "csp.txt").read_text(encoding="utf-8")
    assert all(h in policy for h in hashes) and "unsafe-inline" not in policy
    conf = (built_site / ".pufa" / "nginx-csp.conf").read_text(encoding="utf-8")
    assert "add_header Content-Security-Policy" in conf


def test_every_page_loads_without_a_csp_violation(
    browser: Any, built_site: Path, guide_nginx: Nginx
) -> None:
    base = guide_nginx.url + PATH
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and console.append(m.text))
    violations: dict[str, list[str]] = {}
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    for rel in pages:
        url = base + rel.removesuffix("index.html")
        page.goto(url, wait_until="load")
        found = page.evaluate("window.__csp")
        if found:
            violations[rel] = found
    page.goto(base + "search/?q=赡养费")  # Pagefind: WebAssembly and a worker under the CSP
    status = "document.getElementById('pufa-search-status').textContent"
    deadline = time.monotonic() + 15  # polled from here: wait_for_function would eval()
    while "正在" in page.evaluate(status) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert page.query_selector_all("#pufa-results a")
    if page.evaluate("window.__csp"):
        violations["search/?q=赡养费"] = page.evaluate("window.__csp")
    context.close()
    assert violations == {}, violations
    assert console == [], console[:5]
    assert len(pages) > 100


def test_guide_headers_cache_and_gzip(built_site: Path, guide_nginx: Nginx) -> None:
    base = guide_nginx.url + PATH
    h, body = headers(base, gz=True)
    assert "script-src 'self'" in h["content-security-policy"]
    assert "unsafe-inline" not in h["content-security-policy"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "strict-origin-when-cross-origin"
    assert h["cache-control"] == "no-cache" and h["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (built_site / "index.html").read_bytes()
    css = next((built_site / "assets" / "stylesheets").glob("main.*.min.css")).name
    h, _ = headers(base + "assets/stylesheets/" + css)
    assert "immutable" in h["cache-control"] and h["x-content-type-options"] == "nosniff"
    h, _ = headers(base + "print/manifest.json")
    assert h["cache-control"] == "public, max-age=3600"
    wechat = next(built_site.glob("cases/*/wechat.html")).parent.name
    h, _ = headers(base + f"cases/{wechat}/wechat.html")
    assert "script-src" not in h["content-security-policy"]  # default-src 'none': no scripts
    with pytest.raises(urllib.error.HTTPError) as denied:
        headers(base + ".pufa/csp.txt")
    assert denied.value.code == 403
    log = guide_nginx.access_log.read_text(encoding="utf-8")
    assert f'"GET {PATH} HTTP/1.1" 200' in log  # the guide's access-log format
