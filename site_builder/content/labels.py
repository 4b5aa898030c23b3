"""Label rules that follow a village's own kind and its township's: pure functions.

A 社区 has a 居民公约 and speaks of 本社区; a 村 of 村规民约 and 本村; a 嘎查 of 村规民约 and
本嘎查. A township is a 镇, 乡, 街道 or 苏木 by its name. Pages, posters, cards, pack covers
and messages all take their words from here.
"""

from __future__ import annotations

from collections.abc import Iterable

RULES_LABEL = {"社区": "居民公约", "村": "村规民约", "嘎查": "村规民约"}
TOWNSHIP_UNITS = ("街道", "苏木", "镇", "乡")


def rules_label(village_kind: str) -> str:
    """居民公约 for a 社区, 村规民约 for a 村 or 嘎查."""
    return RULES_LABEL.get(village_kind, "村规民约")


def own(village_kind: str) -> str:
    """本社区 / 本村 / 本嘎查: how a poster or card of the village speaks of it."""
    return f"本{village_kind}" if village_kind in RULES_LABEL else "本村"


def township_unit(name: str) -> str:
    """镇, 乡, 街道 or 苏木, from the township's name (镇 when the name does not say)."""
    for unit in TOWNSHIP_UNITS:
        if name.endswith(unit):
            return unit
    return "镇"


def townships_word(names: Iterable[str]) -> str:
    """The word for a set of townships: 镇, 乡镇, 镇（街道）, 镇（苏木）…"""
    counts: dict[str, int] = {}
    for name in names:
        unit = township_unit(name)
        counts[unit] = counts.get(unit, 0) + 1
    if not counts:
        return "镇（街道）"
    if "镇" in counts and "乡" in counts:
        counts["乡镇"] = counts.pop("镇") + counts.pop("乡")
    order = ("乡镇", "镇", "乡", "街道", "苏木")  # the order of official usage: 乡镇（街道）
    units = sorted(counts, key=order.index)
    if len(units) == 1:
        return units[0]
    return f"{units[0]}（{'、'.join(units[1:])}）"
