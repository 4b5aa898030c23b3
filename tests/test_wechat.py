"""WeChat article export: inline styles only, statute box and QR code kept."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image

from site_builder.cli import main
from site_builder.content import load
from tests.conftest import ROOT

SITE_URL = "https://pufa.example.cn/"


def export(content: Path, case: str, tmp_path: Path) -> str:
    out = tmp_path / f"{case}.html"
    code = main(
        [
            "wechat",
            "--content",
            str(content),
            case,
            "-o",
            str(out),
            "--config",
            str(ROOT / "mkdocs.yml"),
        ]
    )
    assert code == 0
    return out.read_text(encoding="utf-8")


def test_export_keeps_structure_with_inline_styles(content_copy: Path, tmp_path: Path) -> None:
    case = content_copy / "cases" / "lease-deposit.md"
    case.write_text(
        case.read_text(encoding="utf-8")
        + "\n\n温馨提示：\n\n- 签书面合同\n- 拍照留证\n\n<script>alert(1)</script>\n"
        '<p class="x" onclick="y()">点我</p>\n',
        encoding="utf-8",
    )
    html = export(content_copy, "lease-deposit", tmp_path)
    assert "<style" not in html and "class=" not in html and "<script" not in html
    assert "onclick" not in html
    for tag in ["h1", "h2", "p", "ul", "li", "section", "img"]:
        opened = re.findall(rf"<{tag}\b[^>]*>", html)
        assert opened, tag
        assert all('style="' in t for t in opened), tag
    assert re.search(r'<h2 style="[^"]*">律师说法</h2>', html)
    assert "<li style=" in html and "拍照留证" in html
    box = re.search(r'<section style="[^"]*border:2px solid[^"]*">(.*?)</section>', html, re.S)
    assert box and "法律依据" in box.group(1)
    assert "《中华人民共和国民法典》第七百零三条" in box.group(1)
    data = re.search(r'<img src="data:image/png;base64,([^"]+)"', html).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [SITE_URL + "cases/lease-deposit/"]


def test_unknown_case(content_copy: Path, capsys: Any) -> None:
    assert (
        main(
            ["wechat", "--content", str(content_copy), "nope", "--config", str(ROOT / "mkdocs.yml")]
        )
        == 1
    )
    assert "找不到案例“nope”" in capsys.readouterr().err


def test_case_page_offers_the_article(built_site: Path) -> None:
    page = (built_site / "cases/lease-deposit/index.html").read_text(encoding="utf-8")
    assert "工作人员：发到公众号" in page and 'href="wechat.html"' in page
    article = (built_site / "cases/lease-deposit/wechat.html").read_text(encoding="utf-8")
    assert "房东不退押金" in article and "class=" not in article
    assert len(load(ROOT / "content").cases) == len(list(built_site.glob("cases/*/wechat.html")))


def test_copy_button_puts_rich_text_on_the_clipboard(browser: Any, served_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_site.rstrip("/"))
    page = context.new_page()
    page.goto(served_site + "cases/lease-deposit/")
    page.click("summary:has-text('工作人员')")
    page.click("[data-pufa-wechat-copy]")
    page.wait_for_function(
        "document.querySelector('.pufa-tool-msg').textContent.includes('已复制')"
    )
    html = page.evaluate("""async () => {
      const items = await navigator.clipboard.read();
      const blob = await items[0].getType('text/html');
      return await blob.text();
    }""")
    assert "法律依据" in html and "<style" not in html
    context.close()


def test_hostile_text_stays_text_in_the_article() -> None:
    """Title, summary, category, law and publisher are escaped; the body is sanitised."""
    from dataclasses import replace
    from html.parser import HTMLParser

    from site_builder.pages.wechat import wechat_html

    bad = "\"><script>alert(1)</script><img src=x onerror=alert(2)>'&amp;</title>"
    content = load(ROOT / "content")
    case = replace(
        content.cases["lease-deposit"],
        title=bad,
        summary=bad,
        category=bad,
        law=[bad],
        body=f'{bad}\n\n<a href="javascript:alert(3)" onclick="alert(4)">x</a>\n',
    )
    content.site = replace(content.site, org=bad)
    article = wechat_html(
        case, content, SITE_URL + "cases/lease-deposit/", "data:image/png;base64,"
    )

    class Elements(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.attrs: list[tuple[str, str | None]] = []
            self.text = ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            self.attrs += attrs

        def handle_data(self, data: str) -> None:
            self.text += data

    parsed = Elements()
    parsed.feed(article)
    assert "script" not in parsed.tags and parsed.tags.count("img") == 1  # the QR code only
    assert not [a for a, _ in parsed.attrs if a.startswith("on")]
    assert not [v for a, v in parsed.attrs if a == "href" and v and "javascript" in v]
    assert parsed.text.count(bad) >= 5  # title, org, category, summary, law (and body)
