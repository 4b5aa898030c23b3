"""The statute library (issue 16): citations, parsing, checks, staff additions, the report."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from site_builder.content.laws import (
    ArticleNo,
    Library,
    check_case,
    find_citations,
    format_citation,
    laws_report,
    load_library,
    slugify,
)
from site_builder.content.laws.numerals import parse_number, to_chinese
from site_builder.content.schema import build
from site_builder.content.types import Case
from site_builder.content.yamlsource import load_source
from site_builder.errors import Problem

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "laws"
MFD = "中华人民共和国民法典"
LDHT = "中华人民共和国劳动合同法"
XF = "中华人民共和国刑法"
JD = "最高人民法院关于审理民间借贷案件适用法律若干问题的规定"
HY1 = "最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）"
JT = "最高人民法院关于审理道路交通事故损害赔偿案件适用法律若干问题的解释"


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library()


# form as staff write it → [(law, article id ("703~705" for a range), 款, 项)]
CITATIONS: list[tuple[str, list[tuple[Any, ...]]]] = [
    ("《中华人民共和国民法典》第一千零六十七条", [(MFD, "1067", None, None)]),
    ("《民法典》第一千零六十七条", [(MFD, "1067", None, None)]),
    ("《民法典》第1067条", [(MFD, "1067", None, None)]),
    ("《民法典》第１０６７条", [(MFD, "1067", None, None)]),
    ("《民法典》第 1067 条", [(MFD, "1067", None, None)]),
    ("依照民法典第一千零六十七条的规定", [(MFD, "1067", None, None)]),
    ("《民法典》第一千零六十七条第二款", [(MFD, "1067", 2, None)]),
    ("《民法典》第1067条第2款", [(MFD, "1067", 2, None)]),
    ("《劳动合同法》第三十条第一款第（二）项", [(LDHT, "30", 1, 2)]),
    ("《劳动合同法》第三十八条第一款第(二)项", [(LDHT, "38", 1, 2)]),
    ("《劳动合同法》第三十八条第（一）项", [(LDHT, "38", None, 1)]),
    ("《劳动合同法》第三十八条第二项", [(LDHT, "38", None, 2)]),
    (
        "《劳动合同法》第三十八条第一款第（一）项、第（二）项",
        [(LDHT, "38", 1, 1), (LDHT, "38", 1, 2)],
    ),
    (
        "《劳动合同法》第三十八条第一款第（一）、（三）项",
        [(LDHT, "38", 1, 1), (LDHT, "38", 1, 3)],
    ),
    (
        "《民法典》第七百零三条、第七百一十条",
        [(MFD, "703", None, None), (MFD, "710", None, None)],
    ),
    (
        "《民法典》第七百零三条、第七百一十条和第七百三十三条",
        [(MFD, "703", None, None), (MFD, "710", None, None), (MFD, "733", None, None)],
    ),
    ("《民法典》第七百零三条至第七百零五条", [(MFD, "703~705", None, None)]),
    ("《民法典》第七百零三条至七百零五条", [(MFD, "703~705", None, None)]),
    ("《民法典》第703-705条", [(MFD, "703~705", None, None)]),
    (
        "《民法典》第一千零六十七条第一款、第二款",
        [(MFD, "1067", 1, None), (MFD, "1067", 2, None)],
    ),
    ("《中华人民共和国刑法》第二百七十六条之一", [(XF, "276-1", None, None)]),
    ("《刑法》第一百二十条之六", [(XF, "120-6", None, None)]),
    ("《民间借贷司法解释》第二十五条", [(JD, "25", None, None)]),
    (
        "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条第一款",
        [(JD, "25", 1, None)],
    ),
    (
        "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第八条",
        [(HY1, "8", None, None)],
    ),
    (
        "《最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）》第八条",
        [(HY1, "8", None, None)],
    ),
    ("《婚姻家庭编解释（一）》第二十九条", [(HY1, "29", None, None)]),
    ("《交通事故司法解释》第一条", [(JT, "1", None, None)]),
    (
        "根据《民法典》第七百零三条，该法第七百零四条",
        [(MFD, "703", None, None), (MFD, "704", None, None)],
    ),
    (
        "《民法典》第七百零三条和《劳动合同法》第三十条",
        [(MFD, "703", None, None), (LDHT, "30", None, None)],
    ),
    ("《合同法》规定", [("中华人民共和国合同法", None, None, None)]),
    ("《婚姻法》第二十一条", [("中华人民共和国婚姻法", "21", None, None)]),
    ("《民法點》第七条", [("民法點", "7", None, None)]),
    ("村规民约第三条、第十一条", []),
]


@pytest.mark.parametrize(("text", "expected"), CITATIONS, ids=[t for t, _ in CITATIONS])
def test_citation_forms(lib: Library, text: str, expected: list[tuple[Any, ...]]) -> None:
    assert [c.key for c in find_citations(text, lib.names)] == expected


def test_citation_table_is_large_enough() -> None:
    assert len(CITATIONS) >= 25


def test_citation_spans_lines_and_known() -> None:
    text = "第一行\n依照《民法典》第一千零六十七条，\n另见《人民日报》。"
    cites = find_citations(text, load_library().names)
    assert [(c.line, c.known, text[c.start : c.end]) for c in cites] == [
        (2, True, "《民法典》第一千零六十七条"),
        (3, False, "《人民日报》"),
    ]


def test_format_citation_normalises(lib: Library) -> None:
    forms = {
        "民法典第1067条第2款": "《民法典》第一千零六十七条第二款",
        "《劳动合同法》第38条第1款第(2)项": "《劳动合同法》第三十八条第一款第（二）项",
        "《民法典》第703-705条": "《民法典》第七百零三条至第七百零五条",
        "《刑法》第276条之一": "《刑法》第二百七十六条之一",
    }
    for written, normal in forms.items():
        (c,) = find_citations(written, lib.names)
        law = lib.law(c.law)
        assert law is not None
        assert format_citation(c, law.short_name) == normal
    (c,) = find_citations("民法典第1067条", lib.names)
    assert format_citation(c) == "《中华人民共和国民法典》第一千零六十七条"


def test_numerals_round_trip() -> None:
    for n in (1, 10, 11, 20, 101, 110, 703, 1000, 1001, 1010, 1067, 1260):
        assert parse_number(to_chinese(n)) == n
    assert to_chinese(1067) == "一千零六十七"
    assert to_chinese(110) == "一百一十"
    assert parse_number("两百") == 200
    assert parse_number("零") is None
    assert ArticleNo(276, 1).label == "第二百七十六条之一"
    assert ArticleNo.from_id("276-1") == ArticleNo(276, 1)


# --- parsing -------------------------------------------------------------------------


def test_article_counts(lib: Library) -> None:
    assert len(lib.laws) == 30
    civil = lib.law("民法典")
    assert civil is not None and len(civil.articles) == civil.main_count == 1260
    assert list(civil.articles)[:2] == ["1", "2"] and list(civil.articles)[-1] == "1260"
    criminal = lib.law("刑法")
    assert criminal is not None
    assert criminal.main_count == 452 and len(criminal.articles) == 505
    assert {"17-1", "120-6", "276-1", "408-1"} <= set(criminal.articles)
    assert lib.law("治安管理处罚法") is None  # revised after the snapshot: no text bundled


def test_paragraphs_items_and_location(lib: Library) -> None:
    civil = lib.law("民法典")
    assert civil is not None
    support = civil.article("1067")
    assert support is not None
    assert [len(p.items) for p in support.paragraphs] == [0, 0]
    assert support.paragraphs[1].text.startswith("成年子女不履行赡养义务的")
    assert support.heading("编") == "婚姻家庭编"
    assert support.heading("章") == "第三章 家庭关系"
    assert support.heading("节") == "第二节 父母子女关系和其他近亲属关系"
    divorce = civil.article(ArticleNo(1079))
    assert divorce is not None and [len(p.items) for p in divorce.paragraphs] == [0, 0, 5, 0, 0]
    assert divorce.paragraphs[2].items[0].label == "（一）"
    contract = civil.article("470")
    assert contract is not None and contract.heading("分编") == "第一分编 通则"
    labour = lib.law("劳动合同法")
    assert labour is not None
    quit_ = labour.article("38")
    assert quit_ is not None and [len(p.items) for p in quit_.paragraphs] == [6, 0]
    criminal = lib.law("刑法")
    assert criminal is not None
    wages = criminal.article("276-1")
    assert wages is not None and wages.label == "第二百七十六条之一"
    assert wages.heading("编") == "第二编 分则" and len(wages.paragraphs) == 3
    assert support.text.count("\n") == 1


def test_slugs_and_provenance(lib: Library) -> None:
    civil = lib.law("民法典")
    assert civil is not None and civil.slug == "minfadian"
    assert lib.by_slug("xingfa") is lib.law("刑法")
    assert lib.law(HY1).slug == "hunyinjiatingbianjieshi-1"  # type: ignore[union-attr]
    assert len({law.slug for law in lib.laws.values()}) == len(lib.laws)
    assert slugify("河南省物业管理条例") == "henanshengwuyeguanlitiaoli"
    assert (
        civil.provenance == "2021年1月1日起施行 · 文本来源：国家法律法规数据库，截至2025年4月19日"
    )


def test_parsed_once_per_process() -> None:
    assert load_library().laws["中华人民共和国刑法"] is load_library().laws["中华人民共和国刑法"]


# --- checks --------------------------------------------------------------------------


def _case(path: Path, rel: str) -> Case:
    problems: list[Problem] = []
    src = load_source(path, rel, problems)
    assert src is not None and not problems
    case = build(Case, src.data, src, problems)
    case.source, case.body, case.body_line, case.lines = rel, src.body, src.body_line, src.lines
    return case


def test_check_messages(lib: Library) -> None:
    case = _case(FIXTURES / "cases" / "citations.md", "cases/citations.md")
    got = [(str(p), p.warning) for p in check_case(case, lib)]
    assert got == [
        (
            "cases/citations.md:7: law: 《民法典》没有第一千二百六十一条：《民法典》只有 1260 条",
            False,
        ),
        (
            "cases/citations.md:8: law: 《民法典》第一千零六十七条没有第三款：这一条只有 2 款",
            False,
        ),
        (
            "cases/citations.md:9: law: 法条库里没有《民法點》，无法核对条文；是不是《民法典》？",
            True,
        ),
        (
            "cases/citations.md:10: law: 《合同法》已于2021年1月1日废止，"
            "现行的是《中华人民共和国民法典》，请改引民法典的相应条文",
            True,
        ),
        (
            "cases/citations.md:11: law: 《治安管理处罚法》已于2025年6月27日修订（2026年1月1日起施行），"
            "法条库里还没有现行文本，引用的条文暂时无法逐条核对；把现行文本放进 content/laws/ 后即可核对",
            True,
        ),
        (
            "cases/citations.md:12: law: 《劳动合同法》第三十八条第一款没有第（七）项：这一款只有 6 项",
            False,
        ),
        (
            "cases/citations.md:13: law: 《刑法》没有第十七条之二：第十七条之后只有第十七条之一",
            False,
        ),
        (
            "cases/citations.md:22: 正文: 《婚姻法》已于2021年1月1日废止，"
            "现行的是《中华人民共和国民法典》，请改引民法典的相应条文",
            True,
        ),
        ("cases/citations.md:23: 正文: 《民法典》没有第一千三百条：《民法典》只有 1260 条", False),
    ]


def test_check_more_messages(lib: Library) -> None:
    def one(law: str) -> str:
        case = Case(title="t", category="c", summary="s", law=[law], source="cases/x.md")
        case.lines = {"law[0]": 7}
        return "\n".join(str(p) for p in check_case(case, lib))

    assert one("《劳动合同法》第三十条第一款第（二）项") == (
        "cases/x.md:7: law: 《劳动合同法》第三十条第一款没有第（二）项：这一款没有分项"
    )
    assert one("《刑法》第四百五十三条") == (
        "cases/x.md:7: law: 《刑法》没有第四百五十三条：《刑法》只有 452 条"
        "（另有 53 条带“之一”“之二”的条文）"
    )
    assert one("《民法典》第一千二百五十九条至第一千二百六十二条") == (
        "cases/x.md:7: law: 《民法典》没有第一千二百六十二条：《民法典》只有 1260 条"
    )
    assert one("《中华人民共和国河南省条例》第一条").endswith(
        "如需核对条文，请把它的文本放进 content/laws/ 并写进 content/laws/index.yml"
    )
    assert one("民法典的相关规定") == (
        "cases/x.md:7: law: 没有认出引用的法律“民法典的相关规定”：请写成《法律名称》第X条，"
        "如《中华人民共和国民法典》第七百零三条"
    )
    assert one("《民法典》第一千零六十七条第二款") == ""


def test_example_content_cites_only_existing_articles(lib: Library) -> None:
    from site_builder.content import load

    content = load(Path(__file__).resolve().parent.parent / "content")
    problems = [p for c in content.cases.values() for p in check_case(c, lib)]
    assert problems == []


# --- staff additions in content/laws/ --------------------------------------------------


def test_content_laws_join_and_replace(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", content)
    problems: list[Problem] = []
    lib = load_library(content, problems)
    assert problems == []
    local = lib.law("河南省物业管理条例")
    assert local is not None and local.origin == "laws/index.yml" and local.origin_line == 3
    assert local.kind == "地方性法规" and str(local.version) == "2021-09-29"
    assert local.provenance == "2022年3月1日起施行 · 文本来源：测试用样例文本"
    third = local.article("3")
    assert third is not None and [len(p.items) for p in third.paragraphs] == [3, 0]
    assert lib.law("河南物业条例") is local
    police = lib.law("治安管理处罚法")  # was "revised, not bundled": now has a text
    assert police is not None and len(police.articles) == 3
    assert "中华人民共和国治安管理处罚法" not in lib.revised
    assert police.provenance == "2026年1月1日起施行 · 文本来源：本站补充的文本"
    # replacing a bundled law: matched by name
    (content / "laws" / "index.yml").write_text(
        "laws:\n  - {name: 物业管理条例, short: [], kind: 行政法规, version: 2018-03-19,\n"
        "     effective: 2018-03-19, files: [河南省物业管理条例.md]}\n",
        encoding="utf-8",
    )
    replaced = load_library(content, problems).law("物业管理条例")
    assert replaced is not None and replaced.origin == "laws/index.yml"
    assert len(replaced.articles) == 3  # not the bundled 67
    assert len(load_library().law("物业管理条例").articles) == 67  # type: ignore[union-attr]


def test_content_law_older_than_known_revision_is_not_checked(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", content)
    index = content / "laws" / "index.yml"
    index.write_text(index.read_text(encoding="utf-8").replace("2025-06-27", "2012-10-26", 1))
    lib = load_library(content)
    case = Case(title="t", category="c", summary="s", law=["《治安管理处罚法》第五十条"])
    case.source, case.lines = "cases/x.md", {"law[0]": 7}
    assert [str(p) for p in check_case(case, lib)] == [
        "cases/x.md:7: law: 《治安管理处罚法》已于2025年6月27日修订（2026年1月1日起施行），"
        "法条库里还没有现行文本，引用的条文暂时无法逐条核对；把现行文本放进 content/laws/ 后即可核对"
    ]


def test_content_laws_problems_with_lines() -> None:
    problems: list[Problem] = []
    lib = load_library(FIXTURES / "bad", problems)
    assert [(str(p), p.warning) for p in problems] == [
        (
            "laws/index.yml:4: laws[0].version: 日期“2021-13-01”格式不对，应写成 年-月-日，如 2021-01-15",
            False,
        ),
        (
            "laws/index.yml:8: laws[1].kind: “规范性文件”不是可选值，应为：宪法、法律、行政法规、"
            "地方性法规、部门规章、地方政府规章、司法解释",
            False,
        ),
        ("laws/index.yml:11: laws[1].file: 不认识的键“file”，是不是“files”？", False),
        (
            "laws/index.yml:7: laws[1].files: 缺少必填项（文本文件名，放在 content/laws/ 里，"
            "如 [河南省物业管理条例.md]）",
            False,
        ),
        (
            "laws/index.yml:16: laws[2].files: 找不到文本文件“信访条例.md”：应放在 content/laws/ 里，"
            "文件名要和这里写的一样",
            False,
        ),
        ("laws/法律援助条例.md:9: 文件: 条号第二条重复了：上一条也是第二条", False),
        ("laws/说明.txt:1: 文件: 没有写进 laws/index.yml 的 files，已忽略", True),
    ]
    assert len(lib.laws) == 30  # none of the broken entries joined


def test_content_laws_yaml_and_encoding_errors(tmp_path: Path) -> None:
    folder = tmp_path / "laws"
    folder.mkdir()
    (folder / "index.yml").write_text("laws:\n  - name： 河南省物业管理条例\n", encoding="utf-8")
    problems: list[Problem] = []
    load_library(tmp_path, problems)
    assert [str(p) for p in problems] == [
        "laws/index.yml:2: name: 用了全角冒号“：”；键名后面要用半角冒号“:”再加一个空格，如 title: 标题"
    ]
    (folder / "index.yml").write_text(
        "laws:\n  - {name: 河南省物业管理条例, kind: 地方性法规, version: 2021-09-29,\n"
        "     effective: 2022-03-01, files: [gbk.md]}\n",
        encoding="utf-8",
    )
    (folder / "gbk.md").write_bytes("# 河南省物业管理条例\n\n第一条 样例。\n".encode("gbk"))
    problems = []
    load_library(tmp_path, problems)
    assert len(problems) == 1 and problems[0].path == "laws/gbk.md"
    assert "GBK" in problems[0].message


# --- pufa laws -------------------------------------------------------------------------


def test_laws_report(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", content)
    lib = load_library(content)
    case = _case(FIXTURES / "cases" / "citations.md", "cases/citations.md")
    other = Case(title="t", category="c", summary="依照《民法典》第七百零三条", source="cases/y.md")
    lines = laws_report(SimpleNamespace(cases={"a": case, "b": other}), lib)  # type: ignore[arg-type]
    assert lines[0] == "法条库共有 32 部法律、法规和司法解释（内置 30 部，content/laws/ 里 2 部）："
    assert lines[1] == (
        "  《民法典》（中华人民共和国民法典）：法律，1260 条（2020年5月28日版本，"
        "2021年1月1日起施行），内置；2 个案例引用"
    )
    assert (
        "  《刑法》（中华人民共和国刑法）：法律，452 条（另 53 条“之一”等，2023年12月29日版本，"
        "2024年3月1日起施行），内置；1 个案例引用"
    ) in lines
    assert (
        "  《河南物业条例》（河南省物业管理条例）：地方性法规，3 条（2021年9月29日版本，"
        "2022年3月1日起施行），content/laws/index.yml；0 个案例引用"
    ) in lines
    assert ("  《婚姻法》：2021年1月1日废止，由《中华人民共和国民法典》取代；1 个案例引用") in lines
    assert ("  《合同法》：2021年1月1日废止，由《中华人民共和国民法典》取代；1 个案例引用") in lines
