"""法条 for residents: article texts on case pages, a page per cited article, /laws/, the
WeChat box, the poster lines, and search finding the article (Chromium, Pagefind)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from site_builder.content import load
from site_builder.content.laws import Article, ArticleNo, Library, Paragraph, load_library
from site_builder.content.laws.cited import Ref, cases_by_article, normalised_citations
from site_builder.content.types import Case
from site_builder.pages.generate import generate
from site_builder.pages.laws import FOLD_KEEP, FOLD_OVER, LawPages, article_view
from site_builder.pages.wechat import law_box_html
from tests.conftest import EXAMPLE

MFD = "中华人民共和国民法典"


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library()


def case(ident: str, law: list[str], body: str = "", day: int = 1) -> Case:
    return Case(
        id=ident,
        title=f"案例{ident}",
        category="赡养",
        summary="要点",
        law=law,
        body=body,
        date=dt.date(2024, 1, day),
        source=f"cases/{ident}.md",
    )


# --- poster lines (pure) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "lines"),
    [
        (
            ["《中华人民共和国民法典》第一千零六十七条"],
            ["《中华人民共和国民法典》第一千零六十七条"],
        ),
        (  # short name → the official title, once; the articles after it
            ["《民法典》第1067条", "《民法典》第一千零六十九条", "《老年人权益保障法》第十四条"],
            [
                "《中华人民共和国民法典》第一千零六十七条、第一千零六十九条",
                "《中华人民共和国老年人权益保障法》第十四条",
            ],
        ),
        (  # 款 and 项, a list, a range, a repeated article
            [
                "《劳动合同法》第三十条第一款",
                "《民法典》第七百零三条、第七百一十条",
                "《民法典》第七百零三条至第七百零五条",
                "民法典第703条",
            ],
            [
                "《中华人民共和国劳动合同法》第三十条第一款",
                "《中华人民共和国民法典》第七百零三条、第七百一十条、第七百零三条至第七百零五条",
            ],
        ),
        (  # a judicial interpretation by its short name: its full title, inner 〈〉
            ["《婚姻家庭编解释（一）》第八条"],
            ["《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第八条"],
        ),
        (  # unknown law: as written; no citation at all: the entry as it is
            ["《某某省养犬管理条例》第十条", "村规民约第三条"],
            ["《某某省养犬管理条例》第十条", "村规民约第三条"],
        ),
        ([], []),
    ],
)
def test_normalised_citations(lib: Library, entries: list[str], lines: list[str]) -> None:
    assert normalised_citations(case("x", entries), lib) == lines


def test_cases_by_article_newest_first_with_body_and_ranges(lib: Library) -> None:
    cases = [
        case("old", ["《民法典》第一千零六十七条"], day=1),
        case("new", [], body="依照《民法典》第1067条第二款，子女应当给付赡养费。", day=9),
        case("range", ["《民法典》第七百零三条至第七百零五条"], day=5),
    ]
    got = cases_by_article(cases, lib)
    assert [c.id for c in got[(MFD, "1067")]] == ["new", "old"]
    assert [k[1] for k in got if k[1] != "1067"] == ["703", "704", "705"]


def test_long_articles_fold_after_a_few_lines(lib: Library) -> None:
    law = lib.laws[MFD]
    short = article_view(Ref(law, law.articles["1067"]))
    assert not short.folded and len(short.shown) == 2
    long = article_view(Ref(law, law.articles["1127"]))  # 217 characters, 2 项 and 4 款
    assert long.chars > FOLD_OVER and long.folded
    assert sum(len(x.text) + len(x.item) for x in long.shown) <= FOLD_KEEP
    assert [x.text for x in long.shown + long.folded] == [
        x.text for x in article_view(Ref(law, law.articles["1127"]), fold=False).shown
    ]
    # One long first 款 (a local regulation, say): cut at a sentence, the rest folded as
    # its continuation.
    text = "本条例所称的村规民约应当经村民会议讨论通过。" * 15  # 22 × 15 characters
    one = Article(ArticleNo(9), (Paragraph(1, text),))
    view = article_view(Ref(law, one))
    assert view.folded and view.folded[0].cont
    assert view.shown[0].text + view.folded[0].text == text
    assert view.shown[0].text.endswith("。") and len(view.shown[0].text) <= FOLD_KEEP


# --- pages (generated Markdown: fast, no MkDocs) --------------------------------------------


@pytest.fixture
def example() -> Any:
    return load(EXAMPLE)


def test_case_context_box_body_links_and_related(example: Any) -> None:
    view = LawPages.of(example)
    c = example.cases["dog-leash-elderly"]
    ctx = view.case_context(c, "cases/dog-leash-elderly/")
    labels = [a.label for en in ctx["law_entries"] for a in en.articles]
    assert labels == [
        "《民法典》第一千二百四十六条",
        "《民法典》第一千二百四十五条",
        "《民法典》第一千一百七十九条",
    ]
    assert ctx["law_sources"] == [
        ("《民法典》", "2021年1月1日起施行 · 文本来源：国家法律法规数据库，截至2025年4月19日")
    ]
    # 第1246条 in the body links to its text in the box (an anchor on the same page).
    assert "[《民法典》第1246条](#fa-minfadian-1246)" in ctx["law_body"]
    related = {r.case.id: r.articles for r in ctx["law_related"]}
    assert related["dog-bite-child"] == [
        "《民法典》第一千二百四十六条",
        "《民法典》第一千二百四十五条",
    ]
    assert related["ebike-collision"] == ["《民法典》第一千一百七十九条"]
    assert list(related)[0] == "dog-bite-child"  # most shared articles first


def test_body_citation_of_an_article_not_in_the_box_links_to_its_page(example: Any) -> None:
    c = dataclasses.replace(
        example.cases["dog-bite-child"],
        body="见《民法典》第1067条。`《民法典》第703条` [《民法典》第710条](https://x.cn/)",
    )
    body = LawPages.of(example).linked_body(c, "cases/dog-bite-child/", [])
    assert "[《民法典》第1067条](../../laws/minfadian/1067/)" in body
    assert "`《民法典》第703条`" in body and "[《民法典》第710条](https://x.cn/)" in body


def write_docs(content: Any, docs: Path) -> list[str]:
    return generate(content, docs)


def test_article_pages_only_for_cited_articles_and_paginated(example: Any, tmp_path: Path) -> None:
    cases = example.items["cases"]
    base = cases["three-sons-support"]
    for i in range(120):
        cid = f"extra-{i:03d}"
        cases[cid] = dataclasses.replace(
            base, id=cid, title=f"赡养案例{i:03d}", date=dt.date(2010, 1, 1) + dt.timedelta(i)
        )
    urls = write_docs(example, tmp_path)
    laws = [u for u in urls if u.startswith("laws/")]
    assert "laws/" in laws and "laws/minfadian/" in laws
    assert "laws/minfadian/1067/" in laws and "laws/minfadian/1067/2/" in laws
    assert "laws/minfadian/1067/3/" not in laws  # 122 cases: 100 + 22
    assert "laws/minfadian/1/" not in laws  # no case cites it
    first = (tmp_path / "laws/minfadian/1067/index.md").read_text(encoding="utf-8")
    second = (tmp_path / "laws/minfadian/1067/2/index.md").read_text(encoding="utf-8")
    assert first.count('class="pufa-case-item"') == 100
    assert second.count('class="pufa-case-item"') == 22
    assert "pufa_index: true" in first and "pufa_index" not in second
    # newest first: the example's 2022 case, then 2021's, then the generated ones
    titles = re.findall(r'<a href="[^"]*cases/[^"]*">([^<]+)</a>', first)
    assert titles[:2] == [
        "父亲再婚，子女就能不给赡养费吗？",
        "三兄弟互相推诿，八旬母亲的赡养费有了着落",
    ]
    assert titles[2] == "赡养案例119"
    assert "（共 122 个）" in first
    # the case page shows a few others, not 121
    page = (tmp_path / "cases/three-sons-support/index.md").read_text(encoding="utf-8")
    same = page.split('id="same-law"')[1]
    assert same.count('class="pufa-case-item"') == 5


def test_published_article_that_lost_its_cases_keeps_its_text(example: Any, tmp_path: Path) -> None:
    example.ledger = ["laws/minfadian/1/", "laws/minfadian/1067/2/", "laws/nosuch/5/"]
    write_docs(example, tmp_path)
    kept = (tmp_path / "laws/minfadian/1/index.md").read_text(encoding="utf-8")
    assert "第一条" in kept and "目前没有案例引用本条" in kept
    for gone in ("laws/minfadian/1067/2/", "laws/nosuch/5/"):
        assert "此内容已下线" in (tmp_path / gone / "index.md").read_text(encoding="utf-8")


def test_wechat_box_carries_the_article_text(example: Any) -> None:
    box = law_box_html(example.cases["three-sons-support"], example)
    assert "《中华人民共和国民法典》第一千零六十七条" in box
    assert "有要求成年子女给付赡养费的权利。" in box
    assert "赡养人不得以放弃继承权或者其他理由，拒绝履行赡养义务。" in box  # 老年人法第十九条
    assert box.count("文本来源：国家法律法规数据库，截至2025年4月19日") == 2  # once per law


# --- the built site (session build) and the phone -------------------------------------------


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_built_case_and_article_pages(built_site: Path) -> None:
    page = html(built_site, "cases/dog-bite-child")
    box = page.split('class="pufa-law"')[1].split('id="same-law"')[0]
    assert "饲养的动物造成他人损害的" in box and "2021年1月1日起施行" in box
    assert 'href="../../laws/minfadian/1245/"' in page
    assert 'href="#fa-minfadian-1245"' in page  # the body's citation
    assert "同一法条的其他案例" in page

    art = html(built_site, "laws/minfadian/1245")
    assert "《民法典》第一千二百四十五条" in art and "侵权责任编" in art
    assert "第九章 饲养动物损害责任" in art
    assert 'data-pagefind-meta="kind[content]" content="法条 · 民法典"' in art
    order = [art.index("遛狗不牵绳"), art.index("散养的狗咬伤放学孩子")]
    assert order == sorted(order)  # 2024 before 2023

    laws = html(built_site, "laws")
    assert "《民法典》" in laws and 'href="minfadian/1245/"' in laws
    assert not (built_site / "laws/minfadian/1").exists()
    ledger = (built_site.parent / "content/.published.json").read_text(encoding="utf-8")
    assert '"laws/minfadian/1245/"' in ledger and '"laws/"' in ledger


def test_long_article_folds_without_javascript(browser: Any, served_site: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(served_site + "cases/old-house-inheritance/")
    fold = page.locator("#fa-minfadian-1127 details.pufa-law__fold")
    hidden = fold.locator("p").first
    assert not hidden.is_visible()
    fold.locator("summary").click()
    assert hidden.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


SEARCHES = [
    ("赡养费 法条", "/laws/minfadian/1067/"),
    ("第一千零六十七条", "/laws/minfadian/1067/"),
    ("1067条", "/laws/minfadian/1067/"),
    ("民法典 租赁", "/laws/minfadian/703/"),
    ("民法典第一千零六十七条", "/laws/minfadian/1067/"),
]


def test_search_finds_the_article(browser: Any, served_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    for query, expected in SEARCHES:
        page.goto(served_site + "search/?q=" + query)
        page.wait_for_function(
            "document.getElementById('pufa-search-status').textContent.indexOf('正在') < 0",
            timeout=15000,
        )
        items = page.query_selector_all("#pufa-results li")
        hrefs = [i.query_selector("a").get_attribute("href") for i in items]
        top = [h for h in hrefs[:3] if h.endswith(expected)]
        assert top, (query, hrefs)
        hit = items[hrefs.index(top[0])]
        assert hit.query_selector(".pufa-result-kind").inner_text().startswith("法条"), query
    context.close()
