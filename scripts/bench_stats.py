"""Benchmark of ``pufa stats``: N generated access-log lines (default 10 million) → report.

    .venv/bin/python scripts/bench_stats.py [--lines 10000000] [--site site] [--keep DIR]

Builds the example county (unless ``--site`` names a built one), writes the lines as 30 days
of rotated, gzipped nginx logs (a portal's mix: other departments' paths, assets, crawlers,
link previews, untagged visits, tagged scans of the printed codes, searches and a few damaged
lines), then runs ``pufa stats`` on them in a child process and prints lines per second and
the child's peak memory (budget on this machine: ≤ 2 minutes, ≤ 300 MB).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
SITE_URL = "https://pufa.example.cn/"
PHONES = [
    "Mozilla/5.0 (Linux; Android {a}; V{m}A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230701 "
    "MicroMessenger/8.0.{m}.2420 WeChat/arm64 Weixin NetType/4G Language/zh_CN",
    "Mozilla/5.0 (iPhone; CPU iPhone OS {a}_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Mobile/15E148 MicroMessenger/8.0.{m}(0x18002a2f) NetType/WIFI Language/zh_CN",
]
ROBOTS = [
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "facebookexternalhit/1.1",
    "pufa-check/1.0",
]


def build_site(base: Path) -> tuple[Path, Path]:
    from site_builder.build import BuildOptions, build

    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    out = base / "site"
    build(BuildOptions(content, out, ROOT / "mkdocs.yml", ROOT / "themes", base / "work"))
    return content, out


def targets(site: Path) -> tuple[list[str], list[str]]:
    """Page paths of the site, and the tagged paths of its printed codes."""
    from site_builder.stats.counter import site_pages
    from site_builder.stats.placements import entry_tags

    pages = ["/" + p for p in sorted(site_pages(site))]
    entries = json.loads((site / "print" / "manifest.json").read_text(encoding="utf-8"))
    tagged = sorted(
        {
            "/" + url[len(SITE_URL) :] + "?m=" + tag
            for e in entries
            if e["kind"] != "pack"
            for url, tag in entry_tags(e).items()
        }
    )
    return pages, tagged


def generate(
    folder: Path, n: int, pages: list[str], tagged: list[str], days: int = 30
) -> list[Path]:
    rnd = random.Random(20)
    assets = ["/assets/stylesheets/main.css", "/assets/pufa.4f2a.js", "/favicon.png"]
    others = ["/xwzx/index.html", "/zwgk/list_12.html", "/bsfw/", "/images/banner.jpg"]
    terms = ["%E6%8A%BC%E9%87%91", "%E7%A6%BB%E5%A9%9A", "%E5%B7%A5%E8%B5%84", "13812345678"]
    per_day = n // days
    files = []
    written = 0
    for d in range(days):
        day = 1 + d % 28
        month = 10 + d // 28
        stamp = f"{day:02d}/{MONTHS[month - 1]}/2026"
        residents = [
            (
                ".".join(str(rnd.randint(1, 223 if j == 0 else 254)) for j in range(4)),
                PHONES[i % 2].format(a=10 + i % 7, m=i % 97),
            )
            for i in range(20_000)
        ]
        count = per_day if d < days - 1 else n - written
        path = folder / f"access.log.{days - d}.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
            out = []
            for k in range(count):
                addr, ua = residents[rnd.randrange(20_000)]
                r = rnd.random()
                status = 200
                if r < 0.35:
                    target = rnd.choice(assets)
                elif r < 0.50:
                    target = rnd.choice(others)
                elif r < 0.60:
                    target, ua = rnd.choice(pages), rnd.choice(ROBOTS)
                elif r < 0.85:
                    target = rnd.choice(pages)
                elif r < 0.97:
                    target = rnd.choice(tagged)
                elif r < 0.99:
                    target = "/search/?q=" + rnd.choice(terms)
                elif r < 0.999:
                    target, status = "/no-such-page/", 404
                else:
                    out.append("garbage \x00 line\n")
                    continue
                clock = f"{k * 86399 // count // 3600:02d}:{k * 86399 // count // 60 % 60:02d}:00"
                out.append(
                    f'{addr} - - [{stamp}:{clock} +0800] "GET {target} HTTP/1.1" {status} 5120 '
                    f'"-" "{ua}"\n'
                )
                if len(out) >= 50_000:
                    fh.writelines(out)
                    out.clear()
            fh.writelines(out)
        written += count
        files.append(path)
    random.Random(1).shuffle(files)  # rotated files in any order
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lines", type=int, default=10_000_000)
    ap.add_argument("--site", type=Path, help="a built site of the example county")
    ap.add_argument("--keep", type=Path, help="keep the logs and the report here")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-stats-"))
    try:
        if args.site:
            content, site = ROOT / "content", args.site
        else:
            t = time.perf_counter()
            content, site = build_site(base)
            print(f"built the example site in {time.perf_counter() - t:.1f} s")
        pages, tagged = targets(site)
        logs = base / "logs"
        logs.mkdir()
        t = time.perf_counter()
        files = generate(logs, args.lines, pages, tagged)
        size = sum(f.stat().st_size for f in files)
        print(
            f"generated {args.lines:,} lines in {len(files)} .gz files "
            f"({size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
        )
        out = base / "report"
        cmd = [sys.executable, "-m", "site_builder.cli", "stats", *map(str, files)]
        cmd += ["--content", str(content), "--site", str(site), "--out", str(out)]
        cmd += ["--config", str(ROOT / "mkdocs.yml")]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - t
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(proc.stdout.strip())
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        notes = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        print("\n".join(notes[:3]))
        ip = re.compile(rb"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")
        leaked = [
            f.name for f in out.iterdir() if f.suffix == ".html" and ip.search(f.read_bytes())
        ]
        print(
            f"pufa stats: {args.lines:,} lines in {seconds:.1f} s = "
            f"{args.lines / seconds:,.0f} lines/s, peak memory {peak_mb:.0f} MB"
            f"{'; ADDRESS IN ' + ', '.join(leaked) if leaked else ''}"
        )
        if args.keep:
            shutil.copytree(base, args.keep, dirs_exist_ok=True)
        ok = seconds <= 120 and peak_mb <= 300 and not leaked
        print("within budget (≤ 120 s, ≤ 300 MB)" if ok else "OVER BUDGET (≤ 120 s, ≤ 300 MB)")
        return 0 if ok else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
