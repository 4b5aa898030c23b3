"""Trustworthy output: privacy of case explainers, repealed statutes, sanitised HTML."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from pypdf import PdfReader

from site_builder.build import build
from site_builder.cli import main
from site_builder.content.privacy import personal_data
from site_builder.pages.sanitize import sanitize
from tests.conftest import build_opts

ADVISORS = {"郭晓", "王磊", "何建国"}


@pytest.mark.parametrize(
    ("text", "what", "found"),
    [
        ("身份证号410402198001011234已核实", "身份证号", "410402198001011234"),
        ("银行卡6222021234567890128转账", "银行卡号", "6222021234567890128"),
        ("联系电话13912345678", "手机号码", "13912345678"),
        ("座机0375-7654321", "固定电话", "0375-7654321"),
        ("肇事车辆豫D12345逃逸", "车牌号", "豫D12345"),
        ("家住3号楼2单元501室", "详细地址", "3号楼"),
        ("住在该村5组12号", "详细地址", "5组12号"),
        ("村民李建国与邻居发生纠纷", "真实姓名", "李建国"),
        ("房东张伟拒绝退还押金", "真实姓名", "张伟"),
        ("13岁的孩子王小明在校受伤", "未成年人姓名", "王小明"),
    ],
)
def test_personal_data_is_found(text: str, what: str, found: str) -> None:
    findings = [(f.what, f.text) for f in personal_data(text, ADVISORS)]
    assert (what, found) in findings


@pytest.mark.parametrize(
    "text",
    [
        "村民李某某与邻居张某发生纠纷",
        "法律顾问郭晓律师分头做工作",
        "人民调解员何建国上门调解",
        "拨打公共法律服务热线 12348，或者报警 110",
        "押金 3000 元，扣除 200 元清洁费",
        "老人今年八十岁，三个儿子都说该别人养",
        "2021 年 1 月 1 日起施行",
        "13岁的孩子王某在校受伤",
    ],
)
def test_clean_text_is_not_flagged(text: str) -> None:
    assert list(personal_data(text, ADVISORS)) == []


CASE = """---
title: 测试案例
category: 赡养
date: 2021-01-01
summary: 村民李建国不赡养老人。
law:
  - 《中华人民共和国继承法》第十条
{extra}---
## 案情

电话13912345678。
"""


def _check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check", "--content", str(content)])
    err = capsys.readouterr().err
    return code, [line.removeprefix(f"{content.as_posix()}/") for line in err.splitlines()]


def test_privacy_errors_with_lines_and_law_warnings(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content_copy / "cases" / "t.md").write_text(CASE.format(extra=""), encoding="utf-8")
    code, lines = _check(content_copy, capsys)
    assert code == 1
    assert lines == [
        "cases/t.md:5: summary: 疑似真实姓名“李建国”：当事人姓名写成“李某某”或“李某”；确需保留时写进 privacy_allow",
        "cases/t.md:11: 正文: 疑似手机号码“13912345678”：删去手机号码，或改写为“电话略”；确需保留时写进 privacy_allow",
        "发现 2 个问题，请按上面的提示修改后再试。",
    ]


def test_privacy_allow_and_warn_mode(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content_copy / "cases" / "t.md").write_text(
        CASE.format(extra='privacy_allow: ["李建国"]\n'), encoding="utf-8"
    )
    site = content_copy / "site.yml"
    site.write_text(
        site.read_text(encoding="utf-8").replace("privacy: error", "privacy: warn"),
        encoding="utf-8",
    )
    code, lines = _check(content_copy, capsys)
    assert code == 0
    assert lines == [
        "cases/t.md:7: law: 《继承法》已于2021年1月1日废止，现行的是《中华人民共和国民法典》，请改引民法典的相应条文（提醒）",
        "cases/t.md:12: 正文: 疑似手机号码“13912345678”：删去手机号码，或改写为“电话略”；确需保留时写进 privacy_allow（提醒）",
    ]


def test_sanitize_removes_active_content() -> None:
    html = sanitize(
        '<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:alert(2)">b</a>'
        '<iframe src="https://evil.example/"></iframe><img src="x.png" onerror="y()">'
        '<a href="tel:12348" class="pufa-tel">c</a>'
    )
    assert html == '<p>a</p><a>b</a><img src="x.png"><a href="tel:12348" class="pufa-tel">c</a>'


def test_hostile_html_never_reaches_a_page(content_copy: Path, tmp_path: Path) -> None:
    case = content_copy / "cases" / "iou-loan.md"
    case.write_text(
        case.read_text(encoding="utf-8")
        + '\n<script>alert(1)</script>\n\n<p onclick="steal()">点我</p>\n\n'
        '[链接](javascript:alert(2))\n\n<iframe src="https://evil.example/"></iframe>\n',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    build(build_opts(content_copy, out, tmp_path / "work"))
    page = (out / "cases/iou-loan/index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    for bad in ["<script>alert", "onclick", "javascript:", "<iframe", "evil.example"]:
        assert bad not in article
    assert "<p>点我</p>" in article


def test_drafts_appear_nowhere(content_copy: Path, tmp_path: Path) -> None:
    case = content_copy / "cases" / "iou-loan.md"
    case.write_text(
        case.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8"
    )
    out = tmp_path / "site"
    build(build_opts(content_copy, out, tmp_path / "work"))
    title = "借钱给亲戚只有微信转账"
    # It was published before (the ledger): its old address answers "offline", nothing more.
    gone = (out / "cases/iou-loan/index.html").read_text(encoding="utf-8")
    assert "此内容已下线" in gone and title not in gone
    assert not list((out / "print").rglob("iou-loan*"))
    for page in out.rglob("*.html"):
        assert title not in page.read_text(encoding="utf-8"), page
    manifest = (out / "print" / "manifest.json").read_text(encoding="utf-8")
    assert "iou-loan" not in manifest
    for pack in (out / "print" / "pack").glob("*.pdf"):
        assert title[:6] not in PdfReader(pack).pages[0].extract_text()


def test_published_addresses_keep_working(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    opts = build_opts(content_copy, out, tmp_path / "work")
    build(opts)
    ledger = (content_copy / ".published.json").read_text(encoding="utf-8")
    assert '"cases/lease-deposit/"' in ledger and '"villages/lanxin/"' in ledger
    # Rename one case (keeping its old id), remove another.
    old = content_copy / "cases" / "lease-deposit.md"
    text = old.read_text(encoding="utf-8").replace(
        "---\n", "---\nrenamed_from: [lease-deposit]\n", 1
    )
    (content_copy / "cases" / "deposit-dispute.md").write_text(text, encoding="utf-8")
    old.unlink()
    (content_copy / "cases" / "iou-loan.md").unlink()
    assert main(["check", "--content", str(content_copy)]) == 0
    err = capsys.readouterr().err
    assert (
        ".published.json:1: cases/iou-loan/: 以前发布过的网址 /cases/iou-loan/ 已没有对应的内容"
        in err
    )
    assert "renamed_from: [iou-loan]" in err
    assert "lease-deposit" not in err
    build(opts)
    redirect = (out / "cases/lease-deposit/index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=../deposit-dispute/"' in redirect
    gone = (out / "cases/iou-loan/index.html").read_text(encoding="utf-8")
    assert "此内容已下线" in gone and 'href="tel:12348"' in gone
    # Search engines are told to drop the offline page; the sitemap lists live pages only.
    assert '<meta name="robots" content="noindex">' in gone
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/cases/deposit-dispute/</loc>" in sitemap and "/cases/iou-loan/" not in sitemap
    assert gzip.decompress((out / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
    live = (out / "cases/deposit-dispute/index.html").read_text(encoding="utf-8")
    assert 'name="robots"' not in live
    assert (out / "cases/deposit-dispute/index.html").is_file()


def test_redirect_works_in_the_browser(content_copy: Path, tmp_path: Path, browser: object) -> None:
    import functools
    import http.server
    import threading

    from tests.conftest import _Quiet

    old = content_copy / "cases" / "lease-deposit.md"
    text = old.read_text(encoding="utf-8").replace(
        "---\n", "---\nrenamed_from: [lease-deposit]\n", 1
    )
    (content_copy / "cases" / "deposit-dispute.md").write_text(text, encoding="utf-8")
    old.unlink()
    out = tmp_path / "site"
    build(build_opts(content_copy, out, tmp_path / "work"))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()  # type: ignore[attr-defined]
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        page.goto(base + "cases/lease-deposit/")
        page.wait_for_url(base + "cases/deposit-dispute/")
        assert "房东不退押金" in page.inner_text("h1")
        page.close()
    finally:
        server.shutdown()
