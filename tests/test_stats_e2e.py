"""扫码统计 end to end with real parts: the example county built for a portal path, Debian's
nginx serving it on loopback with its own access log, the QR codes decoded from the printed
PNGs and card PDFs (zxing-cpp), simulated phones (distinct loopback source addresses and user
agents) scanning them on several days (nginx's log rotated with USR1 between the days, the
rotated files dated back and partly gzipped), crawlers and link previews, then ``pufa stats``
on those logs: exact counts per village, product and case, residents once per day."""

from __future__ import annotations

import datetime as dt
import gzip
import http.client
import json
import re
import shutil
import signal
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from site_builder.build import build
from site_builder.cli import main
from site_builder.content.tags import parse_tag, placement_tag, tagged_url
from site_builder.print.catalog import product
from site_builder.print.verify import decode_pdf, decode_png
from tests.conftest import ROOT, build_opts
from tests.servers import HOST, Nginx, Servers, servers, static_under  # noqa: F401

SITE_URL = "https://www.zhanhe.gov.cn/sfj/pufa/"
PREFIX = "/sfj/pufa/"
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 12; V2036A Build/SP1A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230701 "
    "MMWEBID/{n} MicroMessenger/8.0.40.2420(0x28002837) WeChat/arm64 Weixin NetType/4G "
    "Language/zh_CN ABI/arm64"
)
ROBOT_UAS = [
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0 A",
    "TelegramBot (like TwitterBot)",
    "pufa-check/1.0",
    "curl/7.88.1",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Phone:
    addr: str  # loopback source address the request is sent from
    ua: str


PHONES = [Phone(f"127.0.0.{i + 2}", PHONE_UA.format(n=i)) for i in range(5)]
# Two browsers behind one address (a family's Wi-Fi): two residents.
PHONES.append(Phone(PHONES[0].addr, PHONES[0].ua.replace("Android 12", "Android 13")))


@pytest.fixture(scope="module")
def portal_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(content, site, mkdocs.yml): the example county built for a portal's department path."""
    base = tmp_path_factory.mktemp("stats-e2e")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    config = base / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {SITE_URL}", text), "utf-8")
    opts = build_opts(content, base / "site", base / "work")
    opts.config = config
    build(opts)
    return content, base / "site", config


@dataclass(frozen=True)
class Code:
    """One printed code as a phone reads it: the artifact and the URL it opens."""

    kind: str
    village: str | None
    source: str
    url: str


@pytest.fixture(scope="module")
def codes(portal_site: tuple[Path, Path, Path]) -> dict[tuple[str, str | None, str], Code]:
    """Every code decoded from the printed PNGs and card PDFs, by (kind, village, source):
    each carries its artifact's placement tag, as recorded in the manifest."""
    _, site, _ = portal_site
    entries = json.loads((site / "print" / "manifest.json").read_text(encoding="utf-8"))
    found: dict[tuple[str, str | None, str], Code] = {}
    for e in entries:
        f = site / e["file"]
        if f.suffix == ".png":
            texts = decode_png(f)
        elif e["kind"] in ("card", "card-sheet", "person-card"):
            texts = decode_pdf(f, pages=list(product(e["kind"]).qr_pages))
        else:
            continue
        assert texts, f"no code decoded in {e['file']}"
        for text in set(texts):
            plain = text.partition("?")[0]
            assert plain in e["qr"], (e["file"], text)
            tag = placement_tag(e["kind"], e.get("village"), e["source"], plain)
            assert parse_tag(text) == e["tags"][plain] == tag, (e["file"], text)
            assert text == tagged_url(plain, tag)
            url = text
            found[(e["kind"], e.get("village"), e["source"])] = Code(
                e["kind"], e.get("village"), e["source"], url
            )
    return found


def _get(port: int, target: str, phone: Phone) -> int:
    """One GET from ``phone``'s own loopback address (nginx logs the socket's address; an
    X-Forwarded-For header would not be trusted)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10, source_address=(phone.addr, 0))
    try:
        conn.request("GET", target, headers={"User-Agent": phone.ua, "Host": "www.zhanhe.gov.cn"})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def _target(url: str) -> str:
    assert url.startswith(SITE_URL)
    return PREFIX + url[len(SITE_URL) :]


def _rotate(nginx: Nginx, to: Path, phone: Phone) -> None:
    """logrotate's way: move the log away, USR1, and wait until nginx writes the new file."""
    nginx.access_log.rename(to)
    assert nginx.proc is not None
    nginx.proc.send_signal(signal.SIGUSR1)
    for i in range(100):
        _get(nginx.port, f"/probe-{i}", phone)  # outside the site's path: never counted
        if nginx.access_log.is_file() and f"/probe-{i}" in nginx.access_log.read_text():
            return
        time.sleep(0.05)
    raise AssertionError("nginx did not reopen its log")


def _redate(path: Path, day: str, out: Path, gz: bool) -> Path:
    """The rotated file's lines moved to ``day`` (``05/Nov/2026``), time of day kept."""
    text = re.sub(r"\[\d\d/\w{3}/\d{4}:", f"[{day}:", path.read_text(encoding="utf-8"))
    if gz:
        out.write_bytes(gzip.compress(text.encode()))
    else:
        out.write_text(text, encoding="utf-8")
    path.unlink()
    return out


def _sheet(xlsx: Path, title: str) -> list[tuple[object, ...]]:
    wb = load_workbook(xlsx)
    return [tuple(r) for r in wb[title].iter_rows(values_only=True)]


def test_scans_from_nginx_logs_counted_exactly(
    portal_site: tuple[Path, Path, Path],
    codes: dict[tuple[str, str | None, str], Code],
    servers: Servers,  # noqa: F811
    tmp_path: Path,
) -> None:
    content, site, config = portal_site
    nginx = servers.nginx(static_under(PREFIX, site) + '\n    location /other/ { return 200 "x"; }')
    lanxin = {k: c for k, c in codes.items() if c.village == "lanxin"}
    kinds_lanxin = {c.kind for c in lanxin.values()}
    assert {"card", "card-sheet", "board", "service-map", "rules-poster", "case-poster"} <= (
        kinds_lanxin
    )
    sheet = codes[("card-sheet", "lanxin", "villages/lanxin.md")]
    board = codes[("board", "lanxin", "villages/lanxin.md")]
    poster = codes[("case-poster", "lanxin", "cases/lease-deposit.md")]
    generic = codes[("case-poster", None, "cases/lease-deposit.md")]
    caozhen = codes[("board", "caozhen", "villages/caozhen.md")]
    person = next(c for c in codes.values() if c.kind == "person-card")
    p = PHONES
    # day → (phone, code) scans; the same scan twice is a reload
    plan: dict[int, list[tuple[Phone, Code]]] = {
        0: [(p[0], sheet), (p[0], sheet), (p[0], board), (p[1], poster), (p[5], sheet)],
        1: [(p[0], sheet), (p[2], caozhen), (p[3], generic), (p[3], person)],
        2: [(p[1], poster), (p[2], poster), (p[4], sheet), (p[4], caozhen)],
    }
    today = dt.date.today()
    dates = [today - dt.timedelta(days=40), today - dt.timedelta(days=9), today]
    days = [f"{d.day:02d}/{MONTHS[d.month - 1]}/{d.year}" for d in dates[:2]]  # rotated days
    logs: list[Path] = []
    for d, scans in plan.items():
        for phone, code in scans:
            assert _get(nginx.port, _target(code.url), phone) == 200
        if d == 1:  # untagged: a code printed before tags, and a page opened by link
            assert _get(nginx.port, _target(sheet.url.partition("?")[0]), p[1]) == 200
            assert _get(nginx.port, PREFIX + "cases/", p[1]) == 200
        if d == 2:
            for robot in ROBOT_UAS:  # crawlers and link previews of a tagged code
                assert _get(nginx.port, _target(sheet.url), Phone("127.0.0.9", robot)) == 200
            for phone in p[:3]:  # search terms typed into the header box
                _get(nginx.port, PREFIX + "search/?q=%E6%8A%BC%E9%87%91", phone)  # 押金
            _get(nginx.port, PREFIX + "search/?q=13812345678", p[0])
            _get(nginx.port, PREFIX + "search/?q=13812345678", p[1])
            _get(nginx.port, PREFIX + "search/?q=13812345678", p[2])
            _get(nginx.port, "/other/villages/lanxin/?m=" + parse_tag(sheet.url), p[0])  # type: ignore[operator]
            _get(nginx.port, PREFIX + "no-such-page/?m=abcde", p[0])
            _get(nginx.port, PREFIX + "villages/lanxin/?m=zzzzz", p[3])  # an unknown tag
        if d < 2:
            rotated = nginx.folder / f"rotated-{d}"
            _rotate(nginx, rotated, p[0])
            logs.append(
                _redate(
                    rotated,
                    days[d],
                    tmp_path / f"access.log.{2 - d}{'.gz' if d == 0 else ''}",
                    gz=d == 0,
                )
            )
    logs.append(nginx.access_log)
    with nginx.access_log.open("a", encoding="utf-8") as fh:  # a damaged line: skipped
        fh.write('127.0.0.2 - - [garbage "GET / HTTP/1.1" 200\n\x00\x01 binary\n')
    time.sleep(0.2)

    # Expected: one scan per phone, day and artifact; residents once per phone and day.
    scan_set = {(d, ph, (c.kind, c.village, c.source)) for d, s in plan.items() for ph, c in s}
    by_village: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    by_case: Counter[str] = Counter()
    for _, _, (kind, village, source) in scan_set:
        subject = village or (source.split("/")[1][:-3] if source.startswith("villages/") else None)
        if subject:
            by_village[subject] += 1
        by_kind[kind] += 1
        if source.startswith("cases/"):
            by_case[source.split("/")[1][:-3]] += 1
    present = {(d, ph) for d, s in plan.items() for ph, _ in s}
    present |= {(1, p[1]), (2, p[0]), (2, p[1]), (2, p[2]), (2, p[3])}  # visits, searches
    residents = Counter(d for d, _ in present)

    out = tmp_path / "report"
    order = [logs[2], logs[0], logs[1]]  # rotated files in any order
    argv = ["stats", *map(str, order), "--content", str(content), "--site", str(site)]
    argv += ["--config", str(config), "--out", str(out)]
    assert main(argv) == 0
    xlsx = out / "扫码统计.xlsx"
    names = {"lanxin": "蓝欣社区", "caozhen": "曹镇村"}
    villages = {r[0]: r[2] for r in _sheet(xlsx, "按村（社区）")[1:-1]}
    general = len(scan_set) - sum(by_village.values())  # the generic poster, the person card
    expected = {names.get(k, k): n for k, n in by_village.items()} | {"（不分村的印刷品）": general}
    assert villages == expected, villages
    kind_names = {
        "card-sheet": "便民卡拼版",
        "board": "联系公示牌",
        "case-poster": "案例海报",
        "person-card": "个人联系卡",
    }
    products = {r[0]: r[1] for r in _sheet(xlsx, "按印刷品")[1:-1]}
    assert products == {kind_names[k]: n for k, n in by_kind.items()}
    cases = {r[0]: r[1] for r in _sheet(xlsx, "按案例")[1:-1] if r[1]}
    assert cases == {"房东不退押金，社区法律顾问这样调解": by_case["lease-deposit"]}
    day_rows = {r[0]: (r[1], r[2]) for r in _sheet(xlsx, "按日")[1:-1]}
    iso = [d.isoformat() for d in dates]
    assert {d: v[1] for d, v in day_rows.items()} == {iso[d]: residents[d] for d in plan}
    scans_per_day = Counter(d for d, _, _ in scan_set)
    assert {d: v[0] for d, v in day_rows.items()} == {iso[d]: scans_per_day[d] for d in plan}
    overview = dict(_sheet(xlsx, "概况")[2:10])  # type: ignore[arg-type]
    assert overview["无法对应印刷品的扫码（旧版或已删除的二维码）"] == 1
    assert overview["格式不对、已跳过的行"] == 2
    assert overview["搜索引擎、链接预览等机器访问（未计入）"] == len(ROBOT_UAS)
    terms = _sheet(xlsx, "搜索词")[1:]
    assert terms == [("押金", 3)]  # the phone number, typed by three, is left out

    # The village's view: which of its posters and cards were scanned, and when.
    assert main([*argv[:-1], str(tmp_path / "lanxin"), "--village", "lanxin"]) == 0
    html = (tmp_path / "lanxin" / "扫码统计-lanxin.html").read_text(encoding="utf-8")
    assert "蓝欣社区：哪些印刷品被扫码了" in html
    assert "print/card-sheet/lanxin.pdf" in html and iso[0] in html and iso[2] in html
    assert "没有扫码记录的印刷品" in html and "print/service-map/lanxin.pdf" in html

    # No address in any output file (the .xlsx unzipped).
    for f in [*out.iterdir(), *(tmp_path / "lanxin").iterdir()]:
        texts = [f.read_bytes()]
        if f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                texts = [z.read(n) for n in z.namelist()]
        for data in texts:
            assert not re.search(rb"127\.0\.0\.\d", data), f
            assert b"MicroMessenger" not in data, f


def test_tags_stable_across_rebuilds_and_tagged_page_drops_tag(
    portal_site: tuple[Path, Path, Path],
    codes: dict[tuple[str, str | None, str], Code],
    servers: Servers,  # noqa: F811
    browser: object,
    tmp_path: Path,
) -> None:
    content, site, config = portal_site
    # A rebuild (print cache reused) gives the same manifest, so the same tags.
    opts = build_opts(content, tmp_path / "site", site.parent / "work")
    opts.config = config
    build(opts)
    again = json.loads((tmp_path / "site" / "print" / "manifest.json").read_text("utf-8"))
    before = json.loads((site / "print" / "manifest.json").read_text("utf-8"))
    key = ("kind", "village", "source", "qr")

    def tags(entries: list[dict[str, object]]) -> set[str]:
        return {
            placement_tag(str(e["kind"]), e.get("village"), str(e["source"]), u)  # type: ignore[arg-type]
            for e in entries
            for u in e["qr"]  # type: ignore[attr-defined]
        }

    assert [tuple(str(e.get(k)) for k in key) for e in again] == [
        tuple(str(e.get(k)) for k in key) for e in before
    ]
    assert tags(again) == tags(before)
    # A page opened from a tagged code: canonical URL without the tag, address bar cleaned.
    nginx = servers.nginx(static_under(PREFIX, site))
    code = codes[("board", "lanxin", "villages/lanxin.md")]
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(f"http://{HOST}:{nginx.port}{_target(code.url)}")
        page.wait_for_function("!location.search")
        assert page.evaluate("location.pathname") == PREFIX + "villages/lanxin/"
        canonical = page.eval_on_selector("link[rel=canonical]", "e => e.href")
        assert canonical == SITE_URL + "villages/lanxin/"
    finally:
        page.close()
    assert f"?m={parse_tag(code.url)}" in nginx.access_log.read_text()
