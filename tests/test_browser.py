"""Pages in a real browser (Debian's Chromium) at phone width: text, tel links, no third party."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("url", "texts", "tel"),
    [
        (
            "cases/lease-deposit/",
            ["房东不退押金，社区法律顾问这样调解", "法律依据", "律师说法"],
            "tel:12348",
        ),
        (
            "villages/lanxin/",
            ["蓝欣社区", "郭晓", "负面清单（不允许的行为）", "高空抛物"],
            "tel:13800000101",
        ),
    ],
)
def test_page_reads_at_phone_width(
    phone_page: Any, served_site: str, url: str, texts: list[str], tel: str
) -> None:
    phone_page.goto(served_site + url, wait_until="networkidle")
    body = phone_page.inner_text("article")
    for t in texts:
        assert t in body
    link = phone_page.locator(f'a[href="{tel}"]').first
    assert link.is_visible()
    box = link.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    # Nothing wider than the phone: no sideways scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    size = phone_page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('article p:not([class])')).fontSize)"
    )
    assert size >= 18
    others = [u for u in phone_page.requests if not u.startswith(served_site)]
    assert others == []
    assert len(phone_page.requests) > 1  # the page did load its own assets


def test_every_page_renders_readable_chinese_at_phone_width(
    phone_page: Any, served_site: str, built_site: Any
) -> None:
    """Every HTML page of the example site: Chinese text, no sideways scrolling, no English
    words a resident would read."""
    import re

    page = phone_page
    urls = sorted(
        str(p.parent.relative_to(built_site)).replace(".", "") + "/"
        for p in built_site.rglob("index.html")
        if "print" not in p.parts
    )
    assert len(urls) > 80
    for url in urls:
        page.goto(served_site + url.lstrip("/"))
        text = page.inner_text("body")
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 20, url
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        words = set(re.findall(r"[A-Za-z]{4,}", text)) - {"ICP"}
        assert not words, (url, words)
