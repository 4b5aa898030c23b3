"""``pufa stats``: which posters and cards residents scan, from the web server's own logs.

logs (plain/.gz, any order) ─ sources ─▶ lines ─ logformat ─▶ records ─ counter ─▶ tally
built site: print manifest ─ placements (tag → artifact), pages ─┘         │
content: names, townships ───────────────────────────────── views ◀────────┘
                                                              ├─▶ xlsx (考核)
                                                              └─▶ html (charts)
No address, user agent or resident hash is ever written: the report holds counts, names
from the content, and search terms that pass the privacy check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PufaError
from ..safefs import Protected, atomic_write, check_output_dir, write_marker
from .counter import Counting, Tally, site_pages
from .logformat import COMBINED, LineParser, LogFormatError
from .placements import Placements, load_placements
from .sources import LogReader, ReadProblems
from .views import Names, Report, build_report

__all__ = ["StatsOptions", "StatsResult", "count_logs", "names_of", "run_stats"]

MARKER = ".pufa-stats"  # marks a report folder as made by pufa stats


@dataclass
class StatsOptions:
    logs: list[Path]
    site: Path  # the built site: print manifest and pages
    site_url: str
    out: Path
    protected: Protected
    log_format: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    village: str | None = None
    township: str | None = None


@dataclass
class StatsResult:
    report: Report
    tally: Tally
    files: list[Path] = field(default_factory=list)


def parser_for(log_format: str | None) -> LineParser:
    try:
        return LineParser(log_format or COMBINED)
    except LogFormatError as exc:
        raise PufaError(f"site.yml 的 stats.log_format 不能用：{exc}") from None


def count_logs(
    logs: list[Path],
    site: Path,
    site_url: str,
    log_format: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[Tally, Placements]:
    """Read ``logs`` against the built ``site``: the tally and the placements it refers to."""
    parser = parser_for(log_format)
    placements = load_placements(site, site_url)
    counting = Counting(site_url, site_pages(site), placements, date_from, date_to)
    reader = LogReader(logs, parser, ReadProblems())
    return counting.read(reader, parser), placements


def names_of(content: object) -> tuple[Names, set[str], str]:
    """Names of villages (with township), cases, people and services; the names the privacy
    check lets through (the site's own people); the site's name."""
    from ..content.model import Content

    assert isinstance(content, Content)
    names = Names(
        villages={k: (v.name, v.township) for k, v in content.villages.items()},
        cases={k: c.title for k, c in content.cases.items()},
        advisors={k: a.name for k, a in content.advisors.items()},
        services={k: s.name for k, s in content.services.items()},
    )
    return names, {a.name for a in content.advisors.values()}, content.site.name


def run_stats(opts: StatsOptions, content: object) -> StatsResult:
    """Count, build the report and write ``扫码统计.xlsx`` and ``扫码统计.html`` into ``out``."""
    from .html import report_html
    from .xlsx import workbook_bytes

    names, allowed, site_name = names_of(content)
    if opts.village and opts.village not in names.villages:
        raise PufaError(
            f"没有编号为“{opts.village}”的村（社区）：请写 content/villages/ 里的文件名"
        )
    if opts.township and not any(t == opts.township for _, t in names.villages.values()):
        towns = sorted({t for _, t in names.villages.values()})
        raise PufaError(f"没有“{opts.township}”：可选 {'、'.join(towns)}")
    check_output_dir(opts.out, opts.protected, marker=MARKER, what="报告文件夹", example="报告")
    for log in opts.logs:
        if not log.is_file():
            raise PufaError(f"找不到日志文件 {log}")
    tally, placements = count_logs(
        opts.logs, opts.site, opts.site_url, opts.log_format, opts.date_from, opts.date_to
    )
    report = build_report(
        tally,
        placements,
        names,
        allowed,
        village=opts.village,
        township=opts.township,
        site_name=site_name,
    )
    opts.out.mkdir(parents=True, exist_ok=True)
    write_marker(opts.out, MARKER)
    stem = "扫码统计" + (f"-{opts.village}" if opts.village else "")
    files = [opts.out / f"{stem}.xlsx", opts.out / f"{stem}.html"]
    atomic_write(files[0], workbook_bytes(report))
    atomic_write(files[1], report_html(report).encode("utf-8"))
    return StatsResult(report, tally, files)
