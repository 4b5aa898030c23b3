"""The one front-matter codec: edits keep key order, comments, quoting and list style."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from site_builder.content.codec import (
    DELETE,
    CodecError,
    edit_yaml,
    new_text,
    parse,
    set_body,
    set_keys,
    split,
)
from tests.conftest import EXAMPLE

TEXT = """---
title: 房东不退押金   # 标题
phone: "13800000000"
tags: [押金, 租赁合同]
law:
  - 《中华人民共和国民法典》第七百零三条   # 第一条
date: 2020-09-24
---
## 案情

正文。
"""


@pytest.mark.parametrize("path", sorted(EXAMPLE.rglob("*.md")), ids=lambda p: p.name)
def test_no_change_is_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert set_keys(text, {}) == text


def test_one_key_changes_and_the_rest_stays() -> None:
    out = set_keys(TEXT, {"title": "新标题"})
    first, *rest = split(out).head.split("\n")  # type: ignore[union-attr]
    assert first.startswith("title: 新标题 ") and first.endswith("# 标题")  # comment kept
    assert rest == split(TEXT).head.split("\n")[1:]  # type: ignore[union-attr]
    assert split(out).body == split(TEXT).body


def test_lists_keep_their_style_and_comments() -> None:
    out = set_keys(TEXT, {"tags": ["押金"], "law": ["《民法典》第一条", "《民法典》第二条"]})
    assert "tags: [押金]\n" in out
    assert "law:\n  - 《民法典》第一条\n  - 《民法典》第二条\n" in out
    assert "title: 房东不退押金   # 标题\n" in out and out.endswith("## 案情\n\n正文。\n")


def test_add_delete_and_body() -> None:
    out = set_keys(TEXT, {"villages": ["lanxin", "jinhua"], "phone": DELETE})
    assert "phone:" not in out
    assert split(out).head.rstrip().endswith("villages: [lanxin, jinhua]")  # type: ignore[union-attr]
    assert set_body(TEXT, "新正文\n").endswith("---\n新正文\n")


def test_new_text_parses_back_with_lines() -> None:
    text = new_text(
        {"title": "标题：带冒号", "date": dt.date(2024, 5, 1), "phone": "12348", "tags": ["a"]},
        "正文\n",
    )
    src, problems = parse(text, "cases/x.md")
    assert not problems and src is not None
    assert src.data == {
        "title": "标题：带冒号",
        "date": dt.date(2024, 5, 1),
        "phone": "12348",
        "tags": ["a"],
    }
    assert src.lines["date"] == 3 and src.body == "正文\n"


def test_site_yml_nested_edit_keeps_comments() -> None:
    text = "name: 平台   # 名称\nprint:\n  paper: A4   # 纸张\n  theme: default\n"
    out = edit_yaml(text, {"print": {"paper": "A3", "theme": "default"}})
    assert out == "name: 平台   # 名称\nprint:\n  paper: A3   # 纸张\n  theme: default\n"


def test_unclosed_head_is_an_error() -> None:
    with pytest.raises(CodecError):
        set_keys("---\ntitle: x\n", {"title": "y"})
