"""The resident's phone: Chinese search, 大字, 朗读, WCAG 2.1 AA, touch targets, WeChat."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from scripts.bench_search import Query, run_queries

PAGES = ["", "cases/lease-deposit/", "villages/lanxin/", "search/?q=赡养费"]
WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 10; V2001A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 MicroMessenger/8.0.40.2420"
)


def wait_results(page: Any) -> list[str]:
    page.wait_for_function(
        "document.getElementById('pufa-search-status').textContent.indexOf('正在') < 0",
        timeout=15000,
    )
    return [a.get_attribute("href") for a in page.query_selector_all("#pufa-results a")]


QUERIES = [
    ("赡养费", "/cases/three-sons-support/"),
    ("押金不退", "/cases/lease-deposit/"),
    ("蓝欣社区", "/villages/lanxin/"),
    ("郭晓", "/advisors/guo-xiao/"),
    ("法律援助", "/services/caozhen-yuanzhu-zhan/"),
    ("调解室", "/services/lanxin-tiaojieshi/"),
    ("物业费", "/cases/elevator-property-fee/"),
    ("家庭暴力", "/cases/domestic-violence-order/"),
    ("外嫁女 承包地", "/cases/married-daughter-land/"),
    ("土地流转", "/cases/land-transfer-rent/"),
    ("欠薪", "/cases/migrant-wages/"),
    ("电动车", "/cases/ebike-collision/"),
    ("遗嘱", "/cases/old-house-inheritance/"),
    ("借条", "/cases/iou-loan/"),
    ("司法所", "/services/caozhen-sifasuo/"),
    ("高姐说事室", "/services/gaojie-shuoshishi/"),
    ("负面清单 水费", "/villages/caozhen/"),
]


def test_chinese_query_in_the_header_box(phone_context: Any, served_site: str) -> None:
    """The header box leads to the search page; each result shows its kind and a
    highlighted excerpt; the pages' own words find their pages (the residents' words:
    tests/test_search_residents.py)."""
    page = phone_context.new_page()
    page.goto(served_site + "cases/lease-deposit/")
    page.fill("#pufa-q", QUERIES[0][0])
    page.press("#pufa-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert any(h.endswith(QUERIES[0][1]) for h in wait_results(page)[:5])
    first = page.query_selector("#pufa-results li")
    assert first.query_selector(".pufa-result-kind").inner_text()  # kind shown, e.g. 案例 · 赡养
    assert first.query_selector(".pufa-result-excerpt mark") is not None  # highlighted excerpt
    queries = [Query("法律用语", q, [expected.lstrip("/")]) for q, expected in QUERIES]
    outcomes = run_queries(page, served_site, queries)
    assert [(o.query.q, o.results[:5]) for o in outcomes if not o.top5] == []


def test_only_article_bodies_are_indexed(phone_context: Any, served_site: str) -> None:
    page = phone_context.new_page()
    page.goto(served_site + "search/?q=ICP")  # footer text (豫ICP备…): never indexed
    assert wait_results(page) == []
    assert "没有找到" in page.inner_text("#pufa-search-status")


def test_large_text_control_is_remembered(phone_context: Any, served_site: str) -> None:
    page = phone_context.new_page()
    page.goto(served_site + "cases/lease-deposit/")
    size = "parseFloat(getComputedStyle(document.querySelector('article p:not([class])')).fontSize)"
    before = page.evaluate(size)
    assert before >= 18
    page.click("[data-pufa-large]")
    after = page.evaluate(size)
    assert after >= before * 1.15
    page.reload()
    assert page.evaluate(size) == after
    assert page.get_attribute("[data-pufa-large]", "aria-pressed") == "true"
    page.click("[data-pufa-large]")
    assert page.evaluate(size) == before


def test_line_height_and_tel_buttons(phone_context: Any, served_site: str) -> None:
    page = phone_context.new_page()
    page.goto(served_site + "villages/lanxin/")
    ratio = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('article p:not([class])'));"
        " return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()"
    )
    assert ratio >= 1.5
    tel = page.locator('a[href="tel:13800000101"]').first
    assert tel.inner_text().strip().endswith("13800000101")  # the number is also plain text


STUB_VOICES = """
Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
  speaking: false, spoken: [],
  getVoices() { return [{lang: 'zh-CN', name: 'stub'}]; },
  addEventListener() {}, cancel() { this.speaking = false; },
  speak(u) { this.speaking = true; this.spoken.push(u.text); }
}});
window.SpeechSynthesisUtterance = function (t) { this.text = t; };
"""


def test_read_aloud_with_a_chinese_voice(phone_context: Any, served_site: str) -> None:
    page = phone_context.new_page()
    page.goto(served_site + "cases/lease-deposit/")
    # headless Chromium has no voice: the button is there all the same (tests/test_speech.py)
    assert page.locator("[data-pufa-speak]").is_visible()
    stubbed = phone_context.new_page()
    stubbed.add_init_script(STUB_VOICES)
    stubbed.goto(served_site + "cases/lease-deposit/")
    button = stubbed.locator("[data-pufa-speak]")
    assert button.is_visible()
    button.click()
    spoken = stubbed.evaluate("window.speechSynthesis.spoken[0]")
    assert "房东不退押金" in spoken
    assert button.inner_text() == "停止朗读"


def test_wechat_explains_downloads(browser: Any, served_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=WECHAT_UA)
    page = context.new_page()
    page.goto(served_site + "cases/lease-deposit/")
    page.click("a.pufa-download")
    tip = page.locator("[data-pufa-wechat-tip]")
    assert tip.is_visible()
    assert "点右上角 ··· 选择“在浏览器打开”" in tip.inner_text()
    assert page.url == served_site + "cases/lease-deposit/"
    context.close()


def test_copy_link(browser: Any, served_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_site.rstrip("/"))
    page = context.new_page()
    page.goto(served_site + "villages/lanxin/")
    page.click("[data-pufa-copy]")
    page.wait_for_function("document.querySelector('.pufa-tool-msg').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == served_site + "villages/lanxin/"
    context.close()


def test_reading_works_without_javascript(browser: Any, served_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "cases/lease-deposit/")
    text = page.inner_text("article")
    assert "房东不退押金" in text and "律师说法" in text
    assert page.locator("[data-pufa-large]").is_hidden()  # no dead controls
    assert page.evaluate("navigator.serviceWorker ? 1 : 1") == 1
    context.close()


@pytest.mark.parametrize("url", PAGES)
def test_wcag_21_aa_has_no_violations(phone_context: Any, served_site: str, url: str) -> None:
    page = phone_context.new_page()
    page.goto(served_site + url)
    if "search" in url:
        wait_results(page)
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        },
    )
    violations = results.response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []


@pytest.mark.parametrize("url", PAGES)
def test_every_link_and_control_is_44_px(phone_context: Any, served_site: str, url: str) -> None:
    page = phone_context.new_page()
    page.goto(served_site + url)
    if "search" in url:
        wait_results(page)
    small = page.evaluate("""() => {
      const out = [];
      for (const el of document.querySelectorAll('a[href], button, input, select, textarea, label[for]')) {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') continue;
        if (el.closest('[hidden], .md-sidebar, .md-skip, .pufa-visually-hidden')) continue;
        if (r.width < 44 || r.height < 44) out.push([el.outerHTML.slice(0, 80), r.width, r.height]);
      }
      return out;
    }""")
    assert small == []


def test_no_service_worker_and_no_other_host(phone_context: Any, served_site: str) -> None:
    page = phone_context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served_site + "search/?q=赡养费")
    wait_results(page)
    assert requests and all(u.startswith(served_site) for u in requests)
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
