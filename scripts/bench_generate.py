"""The generate stage alone (model → Markdown pages) at a given size: prints seconds.

    python scripts/bench_generate.py CONTENT_DIR

Load is done first and not timed; the figure is `generate()` writing every page into a
temporary folder (the `*_cold_stage_generate` part of bench_scale), without print links
(planning the print is its own stage and is measured by bench_scale).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from site_builder.content import load
from site_builder.pages.generate import generate


def main() -> None:
    content = load(Path(sys.argv[1]))
    site_url = "https://pufa.example.cn/"
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        urls = generate(content, Path(tmp), None, site_url)
        seconds = time.perf_counter() - started
    print(f"generate_pages: {len(urls)} pages")
    print(f"generate_seconds: {seconds:.2f} s")


if __name__ == "__main__":
    main()
