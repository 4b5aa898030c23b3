"""Benchmark a resident's phone on a weak 3G signal: bytes and time to first content.

Serves site/ with gzip on localhost, drives Debian's Chromium with CDP network emulation
(400 ms latency, 50,000 bytes/s down and up) and prints one figure per line.
Usage: python scripts/bench_phone.py [site]
"""

from __future__ import annotations

# ruff: noqa: B023 - the CDP callbacks run within the loop iteration that defines them
import gzip
import http.server
import sys
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from site_builder.chromium import CHROMIUM, CHROMIUM_ARGS

TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".vcf", "/")
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


def server(site: Path) -> http.server.ThreadingHTTPServer:
    class Gzip(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: Any, **kw: Any) -> None:
            super().__init__(*a, directory=str(site), **kw)

        def log_message(self, *args: Any) -> None:
            pass

        def end_headers(self) -> None:
            if "Cache-Control" not in str(self._headers_buffer):  # type: ignore[attr-defined]
                self.send_header("Cache-Control", "max-age=600")
            super().end_headers()

        def send_head(self) -> Any:  # gzip text the way a production server would
            path = self.translate_path(self.path)
            if Path(path).is_dir():
                path = str(Path(path) / "index.html")
            if (
                "gzip" in self.headers.get("Accept-Encoding", "")
                and Path(path).is_file()
                and self.path.split("?")[0].endswith(TEXT)
            ):
                body = gzip.compress(Path(path).read_bytes())
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                import io

                return io.BytesIO(body)
            return super().send_head()

    s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gzip)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    return s


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    site = Path(args[0] if args else "site").resolve()
    srv = server(site)
    base = f"http://127.0.0.1:{srv.server_address[1]}/"
    other_hosts = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, url in [
            ("home", ""),
            ("case", "cases/lease-deposit/"),
            ("village", "villages/lanxin/"),
        ]:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", SLOW)
            total = [0]
            sizes: dict[str, int] = {}
            urls: dict[str, str] = {}

            def sent(e: dict[str, Any]) -> None:
                urls[e["requestId"]] = e["request"]["url"]

            def finished(e: dict[str, Any]) -> None:
                total[0] += e["encodedDataLength"]
                sizes[urls.get(e["requestId"], "?")] = e["encodedDataLength"]

            cdp.on("Network.requestWillBeSent", sent)
            cdp.on("Network.loadingFinished", finished)
            hosts: list[str] = []
            page.on("request", lambda r: hosts.append(r.url))
            page.goto(base + url, wait_until="commit")
            page.wait_for_function(
                "(() => { const h = document.querySelector('article h1');"
                " const p = document.querySelector('article p');"
                " return h && p && h.getBoundingClientRect().height > 0"
                " && p.getBoundingClientRect().height > 0; })()",
                timeout=60_000,
            )
            shown = page.evaluate("performance.now()")
            page.wait_for_load_state("networkidle", timeout=120_000)
            print(f"{name}_first_content: {shown / 1000:.2f} s")
            print(f"{name}_first_view_bytes: {total[0]} bytes")
            other_hosts += len([h for h in hosts if not h.startswith(base)])
            if name == "case":
                # A search from here: the search page, then a two-word query.
                # The first view is cached now, as on a real phone.
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
                total[0] = 0
                page.goto(base + "search/", wait_until="networkidle")
                page.fill("#pufa-search-q", "赡养 协议")
                page.wait_for_function(
                    "document.querySelectorAll('#pufa-results li').length > 0", timeout=60_000
                )
                page.wait_for_load_state("networkidle", timeout=120_000)
                print(f"search_bytes: {total[0]} bytes")
                if "-v" in sys.argv:
                    for u, n in sorted(sizes.items(), key=lambda x: -x[1])[:12]:
                        print(f"  {n:>8} {u[len(base) :]}")
            context.close()
        browser.close()
    print(f"requests_to_other_hosts: {other_hosts} requests")
    srv.shutdown()


if __name__ == "__main__":
    main()
