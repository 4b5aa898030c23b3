"""layout.yml problems as users read them: one exact ``path:line: key: message`` per mistake.

Each case edits one line of the default theme's real layout.yml (or writes a theme file that
overrides it) and expects every problem, with the file that holds the key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.errors import ConfigError
from site_builder.print.layout import LayoutError, load_layout
from site_builder.print.theme import load_theme
from tests.conftest import ROOT

DEFAULT = ROOT / "themes" / "default" / "print" / "layout.yml"
SHOWN = "themes/default/print/layout.yml"
FESTIVE = "themes/festive/print/layout.yml"


def problems_of(files: list[tuple[Path, str]]) -> list[str]:
    with pytest.raises(LayoutError) as exc:
        load_layout(files)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "  title:   {x: 14, y: 50, width_mm: 182, height_mm: 38, max_pt: 34,",
            "  title:   {x: 14, y: 50, width_mm: 182, height_mm: 38, maxpt: 34,",
            [f"{SHOWN}:37: case-poster.title.maxpt: 不认识的键“maxpt”，是不是“max_pt”？"],
            id="typo-key",
        ),
        pytest.param(
            "board:\n",
            "bord:\n",
            [f"{SHOWN}:63: bord: 不认识的键“bord”，是不是“board”？"],
            id="typo-section",
        ),
        pytest.param(
            "  safe_mm: 3\n",
            "  safe_mm: 3mm\n",
            [f"{SHOWN}:120: card.safe_mm: 应为数字（如 12 或 4.5），实际是“3mm”"],
            id="wrong-type",
        ),
        pytest.param(
            "min_pt: 11, line_height: 1.2, one_line: true, align: right}",
            "min_pt: 11, line_height: 1.2, one_line: yes please, align: right}",
            [f"{SHOWN}:24: band.slogan.one_line: 应为 true 或 false，实际是“yes please”"],
            id="wrong-type-bool",
        ),
        pytest.param(
            "  bleed_mm: 3 ",
            "  bleed_mm: -3 ",
            [f"{SHOWN}:153: card-sheet.bleed_mm: 不能是负数"],
            id="negative-size",
        ),
        pytest.param(
            "series: 以案释法",
            "series：以案释法",
            [
                f"{SHOWN}:7: series: 用了全角冒号“：”；键名后面要用半角冒号“:”再加一个空格，"
                "如 title: 标题"
            ],
            id="full-width-colon",
        ),
        pytest.param(
            "max_pt: 14, min_pt: 9, line_height: 1.25, bold: true",
            "max_pt: 8, min_pt: 9, line_height: 1.25, bold: true",
            [f"{SHOWN}:142: person-card.name.min_pt: 最小字号 9 大于最大字号 max_pt 8"],
            id="min-above-max",
        ),
        pytest.param(
            "      pages:  {head",
            "      page:  {head",
            [
                f"{SHOWN}:104: pack-cover.table.columns: 缺少列 pages",
                f"{SHOWN}:108: pack-cover.table.columns.page: 不认识的键“page”，是不是“pages”？",
            ],
            id="table-column",
        ),
        pytest.param(
            "  qr: {right_mm: 4, y: 11,",
            "  qr: {right_mm: 2, y: 11,",
            [f"{SHOWN}:123: card.qr.right_mm: 离裁切线不到安全边距 card.safe_mm（3 毫米）"],
            id="card-safe-margin",
        ),
        pytest.param(
            "  other_step_mm: 4.8\n",
            "",
            [f"{SHOWN}:119: card.other_step_mm: 缺少必填项（调解员、网格员每行之间（毫米））"],
            id="missing-key",
        ),
    ],
)
def test_default_layout_problems(old: str, new: str, expected: list[str], tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "layout.yml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert problems_of([(path, SHOWN)]) == expected


def test_missing_default_file(tmp_path: Path) -> None:
    assert problems_of([(tmp_path / "layout.yml", SHOWN)]) == [
        f"{SHOWN}:1: 文件: 找不到印刷版式文件（默认样式必须有）"
    ]


def test_theme_overrides_are_validated_merged_and_reported_in_their_file(tmp_path: Path) -> None:
    theme = tmp_path / "layout.yml"
    theme.write_text(
        "series: 身边的法律故事\ncase-poster:\n  title: {max_pt: 30, maxpt: 3}\nband:\n  x: -1\n",
        encoding="utf-8",
    )
    assert problems_of([(DEFAULT, SHOWN), (theme, FESTIVE)]) == [
        f"{FESTIVE}:3: case-poster.title.maxpt: 不认识的键“maxpt”，是不是“max_pt”？",
        f"{FESTIVE}:5: band.x: 不能是负数",
    ]


def test_override_keeps_the_rest_of_the_default(tmp_path: Path) -> None:
    theme = tmp_path / "layout.yml"
    theme.write_text("case-poster:\n  title: {max_pt: 30}\n", encoding="utf-8")
    layout = load_layout([(DEFAULT, SHOWN), (theme, FESTIVE)])
    assert layout.case_poster.title.max_pt == 30
    assert layout.case_poster.title.min_pt == 22  # from the default
    assert layout.series == "以案释法"


def test_festive_theme_merges_over_default() -> None:
    festive = load_theme(ROOT / "themes", "festive").layout
    default = load_theme(ROOT / "themes", "default").layout
    assert (festive.series, festive.slogan) == ("身边的法律故事", "法治护航 和谐乡村")
    assert festive.card == default.card


def test_load_theme_raises_a_config_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``pufa build`` prints after “设置有误：”, paths relative to the working folder."""
    for name in ("default", "festive"):
        (tmp_path / "themes" / name / "print").mkdir(parents=True)
    (tmp_path / "themes/default/print/layout.yml").write_bytes(DEFAULT.read_bytes())
    (tmp_path / "themes/festive/print/layout.yml").write_text(
        "slogan: 法治护航\ncard:\n  safe_mm: 3mm\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as exc:
        load_theme(Path("themes"), "festive")
    assert str(exc.value) == (
        "印刷版式 layout.yml 有 1 个问题，请按提示修改：\n"
        f"{FESTIVE}:3: card.safe_mm: 应为数字（如 12 或 4.5），实际是“3mm”"
    )
