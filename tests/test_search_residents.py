"""Search as residents ask: the resident-query set's budgets in Chromium against Pagefind,
no dead end when little is found, and the thesaurus a county extends in its content."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from scripts.bench_search import first_query_bytes, load_queries, run_queries, serve, summary
from site_builder.build import build
from site_builder.content import load
from site_builder.content.thesaurus import BUNDLED, load_thesaurus
from tests.conftest import build_opts
from tests.test_check_errors import run_check

PHONE = {"width": 390, "height": 844}


def test_resident_queries_meet_the_budgets(browser: Any, served_site: str) -> None:
    """≥ 90 % in the top five, ≥ 75 % first, and no query with an answer finds nothing;
    the first query of a fresh visit transfers at most 150 KB (gzip)."""
    queries = load_queries()
    assert len(queries) >= 60 and len({q.kind for q in queries}) == 5
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    outcomes = run_queries(context.new_page(), served_site, queries)
    context.close()
    n, first, top5, _ = summary(outcomes)["全部"]
    missed = [(o.query.q, o.results[:5]) for o in outcomes if not o.top5]
    assert top5 / n >= 0.90, missed
    assert first / n >= 0.75, [(o.query.q, o.results[:3]) for o in outcomes if not o.first]
    assert [o.query.q for o in outcomes if not o.results] == []
    assert first_query_bytes(browser, served_site, queries[0].q) <= 150 * 1024


def _search(page: Any, query: str) -> list[str]:
    page.fill("#pufa-search-q", query)
    page.press("#pufa-search-q", "Enter")
    page.wait_for_function(
        "q => document.getElementById('pufa-results').dataset.pufaQuery === q", arg=query
    )
    return [
        str(a)
        for a in page.eval_on_selector_all("#pufa-results li > a", "as => as.map(a => a.href)")
    ]


def test_little_found_is_no_dead_end(browser: Any, served_site: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(served_site + "search/")
    help_box = page.locator("#pufa-search-help")
    # Nothing at all: the hotline as a big tap-to-call button and the four ways in.
    assert _search(page, "火星 飞船") == []
    assert "没有找到" in page.inner_text("#pufa-search-status")
    assert help_box.is_visible()
    call = help_box.locator("a.pufa-tel")
    assert call.get_attribute("href") == "tel:12348"
    box = call.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    ways = help_box.locator(".pufa-way").all_inner_texts()
    assert [w.split("\n")[0] for w in ways] == [
        "以案释法",
        "村规民约",
        "法律服务地图",
        "找法律顾问",
    ]
    # A word the index lacks never empties the result: the nearest matches, and the help.
    hrefs = _search(page, "押金 飞船")
    assert hrefs[0].endswith("/cases/lease-deposit/")
    assert "最接近" in page.inner_text("#pufa-search-status") and help_box.is_visible()
    # Everything found: the help steps aside.
    assert _search(page, "押金")[0].endswith("/cases/lease-deposit/")
    assert not help_box.is_visible()
    context.close()


def test_bundled_thesaurus_is_clean_and_reaches_the_search_page(built_site: Path) -> None:
    problems: list[Any] = []
    bundled = load_thesaurus(Path("/nonexistent"), problems)
    assert problems == [] and BUNDLED.is_file()
    assert "赡养费" in bundled.words["养老钱"] and "拖欠工资" in bundled.words["托欠工资"]
    assert "怎么办" in bundled.stop
    shipped = json.loads((built_site / "search" / "thesaurus.json").read_text(encoding="utf-8"))
    assert shipped["words"]["压金"] == ["押金"] and "押金" in shipped["terms"]


def test_a_county_adds_its_own_words(content_copy: Path, tmp_path: Path, browser: Any) -> None:
    """content/thesaurus.yml (dialect) is merged with the bundled list, and a resident's
    dialect word then finds the page."""
    (content_copy / "thesaurus.yml").write_text(
        # any text may be a word: not even these break the browser's lookup table
        "# 本县方言\n押金: [押头钱]\n不用搜的词: [咋个整]\n__proto__: [原型]\nhasOwnProperty: [有]\n",
        encoding="utf-8",
    )
    content = load(content_copy)
    assert content.thesaurus.words["押头钱"] == ["押金"] and "咋个整" in content.thesaurus.stop
    out = tmp_path / "site"
    build(replace(build_opts(content_copy, out, tmp_path / "work"), render_print=False))
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    with serve(out) as base:
        page.goto(base + "search/")
        assert _search(page, "房东不退押头钱咋个整")[0].endswith("/cases/lease-deposit/")
    context.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "押金: []\n",
            ["thesaurus.yml:1: 押金: 右边要写居民的说法，如 [养老钱, 养老费]，至少一个"],
            id="empty",
        ),
        pytest.param(
            "押金: [压金, 12]\n",
            ["thesaurus.yml:1: 押金: 第 2 个说法不是文字：12"],
            id="number",
        ),
        pytest.param(
            "押金:\n  - 押 金\n  - 压金\n",
            ["thesaurus.yml:2: 押金: “押 金”：一个词里不要有空格；几个说法请分开写"],
            id="space",
        ),
        pytest.param(
            "押金: [压金，押钱]\n",
            [
                "thesaurus.yml:1: 押金: “压金，押钱”：用了全角的“，”：几个说法要写在半角方括号里，"
                "用半角逗号分开，如 押金: [压金, 押钱]"
            ],
            id="fullwidth-comma",
        ),
        pytest.param(
            "- 押金\n- 压金\n",
            ["thesaurus.yml:1: 头部: 格式应为“网页里的词: [居民的说法, …]”，每行一条"],
            id="a-list",
        ),
        pytest.param(
            "12348: [热线]\n",
            ["thesaurus.yml:1: 12348: 左边要写网页里用的词（文字），不能是数字或空"],
            id="number-key",
        ),
        pytest.param(
            "押金：[压金]\n",
            [
                "thesaurus.yml:1: 押金: 用了全角冒号“：”；键名后面要用半角冒号“:”再加一个空格，如 title: 标题"
            ],
            id="fullwidth-colon",
        ),
    ],
)
def test_a_bad_thesaurus_is_reported_with_its_line(
    content_copy: Path, capsys: pytest.CaptureFixture[str], text: str, expected: list[str]
) -> None:
    (content_copy / "thesaurus.yml").write_text(text, encoding="utf-8")
    code, lines, _ = run_check(content_copy, capsys)
    assert code == 1
    assert lines[:-1] == expected


def test_an_entry_no_page_uses_is_a_warning(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content_copy / "thesaurus.yml").write_text("抚养权: [孩子归谁]\n", encoding="utf-8")
    code, lines, out = run_check(content_copy, capsys)
    assert code == 0
    assert any(
        "thesaurus.yml:1: 抚养权: 网站的内容里没有“抚养权”这个词" in line
        for line in lines + out.splitlines()
    ), (lines, out)
