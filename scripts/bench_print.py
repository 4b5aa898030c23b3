"""Benchmark: build the example county cold and warm; print one figure per line.

Usage: python scripts/bench_print.py   (or `make bench`)
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from site_builder.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pufa-bench-"))
    try:
        opts = BuildOptions(
            content=ROOT / "content",
            out=work / "site",
            config=ROOT / "mkdocs.yml",
            themes=ROOT / "themes",
            work=work / "work",
        )
        t = time.perf_counter()
        cold = build(opts)
        cold_s = time.perf_counter() - t
        t = time.perf_counter()
        warm = build(opts)
        warm_s = time.perf_counter() - t
        assert cold.print and warm.print
        pdfs = list((work / "site" / "print").rglob("*.pdf"))
        pages = cold.print.laid_out_pages
        size = sum(p.stat().st_size for p in (work / "site").rglob("*") if p.is_file())
        html = max((p.stat().st_size for p in (work / "site").rglob("*.html")), default=0)
        print(f"county_cold_build: {cold_s:.2f} s")
        print(f"county_warm_build: {warm_s:.2f} s")
        print(f"pages_built: {cold.pages} pages")
        print(f"print_artifacts_rendered_cold: {len(cold.print.rendered)} artifacts")
        print(f"print_artifacts_rendered_warm: {len(warm.print.rendered)} artifacts")
        print(f"print_pdf_files: {len(pdfs)} files")
        cpu = cold.print.cpu_per_page
        print(
            f"print_cpu_per_page: {sum(cpu.values()) * 1000:.0f} ms"
            " (layout + PDFs + PNGs on one core, per laid-out page)"
        )
        for part, seconds in cpu.items():
            print(f"print_cpu_per_page_{part}: {seconds * 1000:.0f} ms")
        print(f"print_laid_out_pages: {pages} pages")
        print(f"largest_html_page: {html} bytes")
        print(f"site_size: {size / 1e6:.1f} MB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak_memory: {max(peak, children):.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
