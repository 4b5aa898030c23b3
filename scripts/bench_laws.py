"""Benchmark the statute library: what parsing and checking the laws adds to a build.

- laws_import: importing site_builder.content.laws in a fresh interpreter after what every build
  imports anyway (site_builder.content, pypinyin, PyYAML);
- laws_parse_cold: load_library() the first time in a process (every ``pufa build``),
  index read with libyaml, all 37 bundled files parsed; best of 5 with caches emptied;
- laws_parse_cached: load_library() again in the same process (``pufa serve`` rebuilds):
  the files are hashed, nothing parsed;
- laws_check_example: every citation of the example county's cases checked;
- laws_added_to_build: import + cold + check, the figure the 0.5 s budget applies to.

A disk cache was measured and rejected: unpickling the parsed library took ~70 ms, more
than parsing the texts (~55 ms).
Usage: python scripts/bench_laws.py [content]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from site_builder.content import load
from site_builder.content.laws import check_cases, library, load_library

ROOT = Path(__file__).resolve().parent.parent


def best(fn: object, runs: int = 5, reset: bool = False) -> float:
    times = []
    for _ in range(runs):
        if reset:
            library._BUNDLED.clear()
            library._PARSED.clear()
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    content_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
    code = (
        "import time, site_builder.content, pypinyin, yaml; t = time.perf_counter(); "
        "import site_builder.content.laws; print(time.perf_counter() - t)"
    )
    imp = float(subprocess.check_output([sys.executable, "-c", code], cwd=ROOT, text=True))
    cold = best(lambda: load_library(content_dir), reset=True)
    cached = best(lambda: load_library(content_dir))
    content = load(content_dir)
    lib = load_library(content_dir)
    check = best(lambda: check_cases(content.cases.values(), lib))
    print(f"laws_import: {imp:.3f} s")
    print(f"laws_parse_cold: {cold:.3f} s")
    print(f"laws_parse_cached: {cached:.4f} s")
    print(f"laws_check_example: {check:.4f} s ({len(content.cases)} cases)")
    print(f"laws_added_to_build: {imp + cold + check:.3f} s (budget 0.5 s)")


if __name__ == "__main__":
    main()
