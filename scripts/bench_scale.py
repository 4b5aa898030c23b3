"""Benchmark builds at county and prefecture size; one `name: value unit` line per figure.

Usage: python scripts/bench_scale.py [villages ...]   (default: 300 3000)
Each size: generated content, a cold build, a rebuild with nothing changed, a rebuild after
editing one case; at county size also plain mkdocs-material on the same pages (all pages in
its navigation, its own search) for comparison.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUN = """
import json, resource, sys, time
from pathlib import Path
from typing import Any
from site_builder.build import BuildOptions, build
o = BuildOptions(content=Path(sys.argv[1]), out=Path(sys.argv[2]), config=Path(sys.argv[3]),
                 themes=Path(sys.argv[4]), work=Path(sys.argv[5]))
marks = []
t = time.perf_counter()
r = build(o, lambda stage: marks.append(time.perf_counter()))
marks.append(time.perf_counter())
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"seconds": time.perf_counter() - t, "pages": r.pages, "peak_mb": peak,
                  "rendered": len(r.print.rendered) if r.print else 0,
                  "print_cpu": r.print.cpu_per_page if r.print else {},
                  "laid_out": r.print.laid_out_pages if r.print else 0,
                  "stages": [b - a for a, b in zip(marks, marks[1:])]}))
"""


STAGES = ["load", "plan_print", "generate", "pages", "search", "print_finish_and_verify"]


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and all its descendants (shared pages of forked
    workers counted once), in MB; 0 for processes that are gone."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += next(int(ln.split()[1]) for ln in rollup.splitlines() if ln.startswith("Pss:"))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def run_build(content: Path, out: Path, work: Path) -> dict[str, Any]:
    """One build in a fresh interpreter; its peak memory sampled every second over the
    whole process tree."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            RUN,
            str(content),
            str(out),
            str(ROOT / "mkdocs.yml"),
            str(ROOT / "themes"),
            str(work),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, tree_pss_mb(proc.pid))
        time.sleep(1.0)  # reading smaps of big processes costs CPU: not too often
    stdout, stderr = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"build failed:\n{stderr[-2000:]}")
    result = dict(json.loads(stdout.strip().splitlines()[-1]))
    result["peak_mb"] = max(peak, result["peak_mb"])
    return result


def plain_material(docs: Path, tmp: Path) -> tuple[float, int]:
    """The same generated pages built by plain mkdocs-material: every page in the nav,
    Material's own search."""
    pages = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md"))
    cfg = {
        "site_name": "plain",
        "docs_dir": str(docs),
        "site_dir": str(tmp / "plain-site"),
        "theme": {"name": "material", "language": "zh"},
        "plugins": ["search"],
        "nav": pages,
        "markdown_extensions": ["attr_list", "md_in_html"],
    }
    (tmp / "plain.yml").write_text(json.dumps(cfg, ensure_ascii=False), encoding="utf-8")
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp / "plain.yml")],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - t
    largest = max(p.stat().st_size for p in (tmp / "plain-site").rglob("*.html"))
    return seconds, largest


def measure(villages: int, tmp: Path) -> dict[str, float]:
    label = "county" if villages < 1000 else "prefecture"
    content, out, work = tmp / "content", tmp / "site", tmp / "work"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "site_builder.cli",
            "demo-data",
            "--villages",
            str(villages),
            "--out",
            str(content),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    cold = run_build(content, out, work)
    warm = run_build(content, out, work)
    case = sorted((content / "cases").glob("*.md"))[0]
    case.write_text(
        case.read_text(encoding="utf-8").replace("## 案情", "## 案情（修订）"), encoding="utf-8"
    )
    text = case.read_text(encoding="utf-8").replace("双方达成协议", "双方当场达成协议")
    case.write_text(text, encoding="utf-8")  # the summary too: its posters must change
    edited = run_build(content, out, work)
    html = [p.stat().st_size for p in out.rglob("*.html")]
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    figures = {
        f"{label}_villages": (villages, "villages"),
        f"{label}_cold_build": (cold["seconds"], "s"),
        f"{label}_cold_peak_memory": (cold["peak_mb"], "MB"),
        f"{label}_pages_built": (cold["pages"], "pages"),
        f"{label}_print_artifacts_rendered": (cold["rendered"], "artifacts"),
        f"{label}_build_time_per_page": (1000 * cold["seconds"] / cold["pages"], "ms"),
        f"{label}_print_pages_laid_out": (cold["laid_out"], "pages"),
        f"{label}_print_cpu_per_page": (1000 * sum(cold["print_cpu"].values()), "ms"),
        f"{label}_nochange_rebuild": (warm["seconds"], "s"),
        f"{label}_nochange_rebuild_share": (100 * warm["seconds"] / cold["seconds"], "%"),
        f"{label}_nochange_rendered": (warm["rendered"], "artifacts"),
        f"{label}_nochange_peak_memory": (warm["peak_mb"], "MB"),
        f"{label}_one_case_rebuild": (edited["seconds"], "s"),
        f"{label}_one_case_rendered": (edited["rendered"], "artifacts"),
        f"{label}_largest_html": (max(html), "bytes"),
        f"{label}_site_size": (size / 1e6, "MB"),
    }
    if label == "county":
        plain_s, plain_largest = plain_material(work / "docs", tmp)
        figures["county_plain_material_build"] = (plain_s, "s")
        figures["county_plain_material_largest_html"] = (plain_largest, "bytes")
        figures["county_largest_html_ratio_plain_to_ours"] = (plain_largest / max(html), "x")
    for part, seconds in cold["print_cpu"].items():
        figures[f"{label}_print_cpu_per_page_{part}"] = (1000 * seconds, "ms")
    # The stages build() announces, in order; print is laid out during "pages" and "search".
    for stage, seconds in zip(STAGES, cold["stages"], strict=False):
        figures[f"{label}_cold_stage_{stage}"] = (seconds, "s")
    for name, (value, unit) in figures.items():
        print(
            f"{name}: {value:.2f} {unit}"
            if isinstance(value, float)
            else f"{name}: {value} {unit}",
            flush=True,
        )
    return {k: float(v[0]) for k, v in figures.items()}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [300, 3000]
    results = {}
    for villages in sizes:
        tmp = Path(tempfile.mkdtemp(prefix=f"pufa-bench-{villages}-"))
        try:
            results[villages] = measure(villages, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if 300 in results and 3000 in results:
        c, p = results[300], results[3000]
        print(
            f"largest_html_ratio_prefecture_to_county: "
            f"{p['prefecture_largest_html'] / c['county_largest_html']:.2f} x"
        )
        print(
            f"time_per_page_ratio_prefecture_to_county: "
            f"{p['prefecture_build_time_per_page'] / c['county_build_time_per_page']:.2f} x"
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bench_peak_memory_self: {own:.0f} MB")


if __name__ == "__main__":
    main()
