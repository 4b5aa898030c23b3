"""Escaping for each place a value lands, and the formats checked before anything is built:
site_url, ICP and 公安备案 numbers, vCard names and text, JSON-LD in <script>, generated
front matter, spreadsheet cells (pure functions, no build)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import vobject
import yaml
from openpyxl import Workbook, load_workbook

from site_builder.content.fields import CONVERTERS, Spec
from site_builder.content.types import Advisor
from site_builder.data.cells import csv_cell, set_xlsx_text
from site_builder.data.jsonld import as_script_text
from site_builder.errors import ConfigError
from site_builder.pages.generate import yaml_str
from site_builder.pages.mkdocs_site import read_project_config, site_url_problem
from site_builder.pages.vcard import split_name, vcard_text

QUOTES = "里有引号：网址里不能有空格、引号或尖括号"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://pufa.example.cn/", ""),
        ("https://pufa.example.cn", ""),
        ("http://127.0.0.1:8000/pufa/", ""),
        ("https://localhost/", ""),
        ("https://pufa.example.cn/a b/", "里有空格：网址里不能有空格、引号或尖括号"),
        ('https://pufa.example.cn/"x', QUOTES),
        ("https://pufa.example.cn/'x", QUOTES),
        ("https://pufa.example.cn/<x>", "里有尖括号：网址里不能有空格、引号或尖括号"),
        ("https://pufa.example.cn/\\x", "里有反斜杠：网址里不能有空格、引号或尖括号"),
        ("https://pufa.example.cn/\x07", "里有控制字符：网址里不能有空格、引号或尖括号"),
        (
            "pufa.example.cn",
            "不是完整的网址：应以 http:// 或 https:// 开头，如 https://pufa.example.cn/",
        ),
        (
            "ftp://pufa.example.cn/",
            "不是完整的网址：应以 http:// 或 https:// 开头，如 https://pufa.example.cn/",
        ),
        (
            "javascript:alert(1)",
            "不是完整的网址：应以 http:// 或 https:// 开头，如 https://pufa.example.cn/",
        ),
        ("https://", "缺少域名：应写成 https://域名/，如 https://pufa.example.cn/"),
        ("https://pufa/", "缺少域名：应写成 https://域名/，如 https://pufa.example.cn/"),
        (
            "https://user@pufa.example.cn/",
            "里不能有用户名或“@”：只写网站的地址，如 https://pufa.example.cn/",
        ),
        (
            "https://pufa.example.cn:80a/",
            "的端口号不对：冒号后面应是数字，如 https://pufa.example.cn:8080/",
        ),
        (
            "https://pufa.example.cn/?from=qr",
            "里不能有“?”或“#”：只写网站的地址，如 https://pufa.example.cn/",
        ),
    ],
)
def test_site_url_problem(url: str, problem: str) -> None:
    assert site_url_problem(url) == problem


def test_bad_site_url_is_refused_with_its_reason(tmp_path: Path) -> None:
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text('site_url: "https://pufa.example.cn/ x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_project_config(cfg)
    assert str(err.value) == (
        f"{cfg}：site_url“https://pufa.example.cn/ x”里有空格：网址里不能有空格、引号或尖括号；"
        "所有二维码都由它生成"
    )
    cfg.write_text("site_url: https://pufa.example.cn\n", encoding="utf-8")
    assert read_project_config(cfg)["site_url"] == "https://pufa.example.cn/"


ICP_MESSAGE = (
    "不是 ICP 备案号的格式：应为 省份简称 + ICP备 + 数字 + 号，"
    "如 豫ICP备12345678号 或 豫ICP备12345678号-1"
)
POLICE_MESSAGE = (
    "不是公安备案号的格式：应为 省份简称 + 公网安备 + 14 位数字 + 号，如 豫公网安备41040202000123号"
)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("icp", "豫ICP备12345678号", None),
        ("icp", "豫ICP备12345678号-1", None),
        ("icp", "京ICP备2024012345号-12", None),
        ("icp", "豫ICP备12345678", "“豫ICP备12345678”" + ICP_MESSAGE),
        ("icp", "ICP备12345678号", "“ICP备12345678号”" + ICP_MESSAGE),
        ("icp", "豫ICP备12345678号<script>", "“豫ICP备12345678号<script>”" + ICP_MESSAGE),
        ("icp", "豫公网安备41040202000123号", "“豫公网安备41040202000123号”" + ICP_MESSAGE),
        ("police_filing", "豫公网安备41040202000123号", None),
        (
            "police_filing",
            "豫公网安备4104020200012号",
            "“豫公网安备4104020200012号”" + POLICE_MESSAGE,
        ),
        ("police_filing", "豫ICP备12345678号", "“豫ICP备12345678号”" + POLICE_MESSAGE),
    ],
)
def test_filing_numbers_are_checked(kind: str, value: str, message: str | None) -> None:
    convert = CONVERTERS[kind]
    s = Spec("", kind)
    if message is None:
        assert convert(value, value, s) == value
    else:
        with pytest.raises(ValueError) as err:
            convert(value, value, s)
        assert str(err.value) == message


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("郭晓", ("郭", "晓")),
        ("欧阳娜娜", ("欧阳", "娜娜")),
        ("高雅焕", ("高", "雅焕")),
        ("那仁格日勒·巴图", ("", "那仁格日勒·巴图")),
        ("阿卜杜热合曼", ("", "阿卜杜热合曼")),  # more than four characters
        ("扎西・多吉", ("", "扎西・多吉")),  # 间隔号 written with the katakana dot
        ("Li Ming", ("", "Li Ming")),
    ],
)
def test_split_name_does_not_guess_a_surname(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


def person(**kw: str) -> Advisor:
    values = {"id": "x", "name": "那仁格日勒·巴图", "role": "人民调解员", "phone": "13800000999"}
    values.update(kw)
    return Advisor(**values)  # type: ignore[arg-type]


def test_vcard_keeps_a_name_with_an_interpunct_whole() -> None:
    text = vcard_text(person(), "https://pufa.example.cn/advisors/x/")
    assert "\r\nN:;那仁格日勒·巴图;;;\r\n" in text
    assert "\r\nFN:那仁格日勒·巴图\r\n" in text
    card = vobject.readOne(text)
    assert card.fn.value == "那仁格日勒·巴图"
    assert (card.n.value.family, card.n.value.given) == ("", "那仁格日勒·巴图")


def test_vcard_escapes_line_breaks_and_separators() -> None:
    org = "甲律所;分所,二部\\总所\r\n第二行\r第三行\n第四行"
    text = vcard_text(person(org=org, hours="周三\r\n上午"), "https://pufa.example.cn/advisors/x/")
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert "ORG:甲律所\\;分所\\,二部\\\\总所\\n第二行\\n第三行\\n第四行" in lines
    assert "NOTE:服务时间：周三\\n上午" in lines
    assert "\r" not in unfolded.replace("\r\n", "") and "\n" not in unfolded.replace("\r\n", "")
    card = vobject.readOne(text)
    assert card.org.value == ["甲律所;分所,二部\\总所\n第二行\n第三行\n第四行"]


def test_jsonld_cannot_end_its_script_element() -> None:
    data = {"headline": "</script><!--<script>&\u2028"}
    text = as_script_text(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


@pytest.mark.parametrize("value", ['a"b\\c', "行1\n行2", "\x85\u2028\u2029\ufeff\x7f", "<x>&'"])
def test_generated_front_matter_reads_back_unchanged(value: str) -> None:
    assert yaml.safe_load(f"title: {yaml_str(value)}\n") == {"title": value}


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86 375", "'+86 375"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("＝1+1", "'＝1+1"),
        ("-33.7", "-33.7"),  # a number stays a number
        ("湛河区=1", "湛河区=1"),
        ("", ""),
    ],
)
def test_csv_cells_never_start_a_formula(value: str, cell: str) -> None:
    assert csv_cell(value) == cell


def test_xlsx_text_is_never_a_formula(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    set_xlsx_text(ws["A1"], '=HYPERLINK("http://x","点")')
    set_xlsx_text(ws["A2"], "蓝欣社区")
    wb.save(tmp_path / "x.xlsx")
    back = load_workbook(tmp_path / "x.xlsx").active
    assert back is not None
    assert back["A1"].value == '=HYPERLINK("http://x","点")'
    assert back["A1"].data_type == "s" and back["A1"].quotePrefix
    assert back["A2"].value == "蓝欣社区" and not back["A2"].quotePrefix
