"""Characters the print font lacks: `glyph_problems` names file, line, key and character."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.content import load
from site_builder.print.glyphs import glyph_problems
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "long-names"
EMOJI = "印刷字体里没有“👍”（U+1F44D），印出来会是空白方框；请换成常用汉字或删掉"
EXT_B = "印刷字体里没有“𠀀”（U+20000），印出来会是空白方框；请换成常用汉字或删掉"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            "advisors/bateer.md",
            "name: 孟和巴特尔",
            "name: 孟和巴特尔👍",
            [f"advisors/bateer.md:2: name: {EMOJI}"],
            id="emoji-in-a-name",
        ),
        pytest.param(
            "cases/grassland-lease.md",
            "category: 土地承包",
            "category: 土地𠀀承包👍",
            [
                f"cases/grassland-lease.md:3: category: {EXT_B}",
                f"cases/grassland-lease.md:3: category: {EMOJI}",
            ],
            id="extension-b-and-emoji",
        ),
        pytest.param(
            "cases/grassland-lease.md",
            "  - 《中华人民共和国农村土地承包法》第三十九条",
            "  - 《中华人民共和国农村土地承包法》第三十九条👍",
            [f"cases/grassland-lease.md:9: law: {EMOJI}"],
            id="one-item-of-a-list",
        ),
        pytest.param(
            "rules/wulanbulage.md",
            "adopted_by: 嘎查牧民代表会议",
            "adopted_by: 嘎查牧民代表会议👍",
            [f"rules/wulanbulage.md:4: adopted_by: {EMOJI}"],
            id="rules-key",
        ),
        pytest.param(
            "site.yml",
            "org: 巴彦淖尔市杭锦后旗司法局",
            "org: 巴彦淖尔市杭锦后旗司法局👍",
            [f"site.yml:4: org: {EMOJI}"],
            id="site-yml",
        ),
        pytest.param(
            "advisors/bateer.md",
            "name: 孟和巴特尔",
            "name: 王喆",
            [],
            id="a-rare-character-the-font-has",
        ),
    ],
)
def test_glyph_problems(rel: str, old: str, new: str, expected: list[str], tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    _edit(root, rel, old, new)
    found = glyph_problems(load(root), ROOT / "themes")
    assert [str(p) for p in found] == expected
    assert all(p.warning for p in found)


def test_clean_fixture_has_no_glyph_problems() -> None:
    assert glyph_problems(load(FIXTURE), ROOT / "themes") == []
