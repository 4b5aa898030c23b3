"""Charts of the report drawn with matplotlib (Agg, no display) in the CJK font Noto Sans CJK
SC, as SVG data URIs: text is drawn as outlines, so the report needs no font and no network
to show Chinese, and an ``<img>`` SVG runs no script."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
from functools import cache
from typing import Any

FAMILY = "Noto Sans CJK SC"
COLOR = "#c62828"  # the site's red


@cache
def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    path = _font_file()
    if path:
        font_manager.fontManager.addfont(path)
    plt.rcParams.update(
        {
            "font.family": [FAMILY, "sans-serif"],
            "svg.fonttype": "path",
            "svg.hashsalt": "pufa-stats",  # stable ids: the same report, the same file
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 11,
        }
    )
    return plt


def _font_file() -> str | None:
    """The file of Noto Sans CJK SC (fontconfig), or None (matplotlib then falls back)."""
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}|%{file}", f"{FAMILY}:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    family, _, file = out.partition("|")
    return file if FAMILY in family and file else None


def _counts(axis: Any) -> None:
    """Whole counts written out (120,000, not 1.2 × 1e5)."""
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


def _uri(fig: Any) -> str:
    plt = _pyplot()
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def bar_chart(points: list[tuple[str, int]], title: str, ylabel: str) -> str:
    """Vertical bars (months): an SVG data URI."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    labels = [p[0] for p in points]
    ax.bar(labels, [p[1] for p in points], color=COLOR)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    _counts(ax.yaxis)
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    return _uri(fig)


def hbar_chart(points: list[tuple[str, int]], title: str) -> str:
    """Horizontal bars, largest on top (top villages, top cases): an SVG data URI."""
    plt = _pyplot()
    points = list(reversed(points))
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * max(3, len(points)) + 0.8))
    labels = [p[0] if len(p[0]) <= 20 else p[0][:19] + "…" for p in points]
    ax.barh(labels, [p[1] for p in points], color=COLOR)
    ax.set_title(title)
    _counts(ax.xaxis)
    for y, (_, n) in enumerate(points):
        ax.annotate(str(n), (n, y), xytext=(3, 0), textcoords="offset points", va="center")
    return _uri(fig)


def line_chart(points: list[tuple[str, int]], title: str) -> str:
    """A line over months (one village's trend): an SVG data URI."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=COLOR)
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    _counts(ax.yaxis)
    return _uri(fig)
