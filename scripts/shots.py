"""Screenshot pages of a built site at phone width in Debian's Chromium (for looking at).

Usage: python scripts/shots.py [site] [outdir] [url-path ...]
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from site_builder.chromium import CHROMIUM, CHROMIUM_ARGS


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else ".pufa-build/shots")
    paths = sys.argv[3:] or ["", "cases/lease-deposit/", "villages/caozhen/", "advisors/guo-xiao/"]
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
        for path in paths:
            page.goto(base + path)
            name = (path.strip("/").replace("/", "_") or "home") + ".png"
            page.screenshot(path=str(out / name), full_page=True)
            print(out / name)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
