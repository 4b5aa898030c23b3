"""`pufa new`: templates from the type declarations, pinyin ids, files that pass check."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.content import load
from site_builder.content.newfile import make_id


@pytest.mark.parametrize(
    ("name", "taken", "ident"),
    [
        ("郭晓", set(), "guo-xiao"),
        ("郭晓", {"guo-xiao"}, "guo-xiao-2"),
        ("郭晓", {"guo-xiao", "guo-xiao-2"}, "guo-xiao-3"),
        ("蓝欣社区调解室", set(), "lan-xin-she-qu-tiao-jie"),
        ("12348热线", set(), "12348-re-xian"),
    ],
)
def test_make_id(name: str, taken: set[str], ident: str) -> None:
    assert make_id(name, taken) == ident


@pytest.mark.parametrize(
    ("kind", "name", "path"),
    [
        ("case", "房东不退押金", "cases/fang-dong-bu-tui-ya-jin.md"),
        ("village", "新华村", "villages/xin-hua-cun.md"),
        ("advisor", "郭晓", "advisors/guo-xiao-2.md"),
        ("service", "新华村调解室", "services/xin-hua-cun-tiao-jie-shi.md"),
        ("rules", "马庄村", "rules/mazhuang.md"),
    ],
)
def test_new_file_passes_check_as_draft_and_when_published(
    content_copy: Path, capsys: pytest.CaptureFixture[str], kind: str, name: str, path: str
) -> None:
    assert main(["new", "--content", str(content_copy), kind, name]) == 0
    created = content_copy / path
    assert f"已新建 {created}" in capsys.readouterr().out
    text = created.read_text(encoding="utf-8")
    assert "draft: true" in text and "# 必填：" in text
    before = load(content_copy).counts()
    created.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
    after = load(content_copy).counts()
    folder = path.split("/")[0]
    assert after[folder] == before[folder] + 1


def test_new_without_kind_lists_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new"]) == 0
    out = capsys.readouterr().out
    for kind in ["case", "village", "advisor", "service", "rules"]:
        assert kind in out


def test_new_rules_for_unknown_village(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "--content", str(content_copy), "rules", "不存在村"]) == 1
    assert "找不到村（社区）“不存在村”" in capsys.readouterr().err
