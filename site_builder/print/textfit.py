"""Chinese text layout for print: measure with the real font, break lines by 禁则, fit boxes.

Pure functions over strings and numbers: the templates draw the lines they return, so what
was measured is what is printed. Text that cannot fit at the floor size is cut and marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import ImageFont

PT_TO_MM = 25.4 / 72
MEASURE_PX = 100
SAFETY = 1.03  # bold glyphs and rounding: never let a line touch its box edge

# 禁则: characters that may not start a line, and those that may not end one.
NO_START = set("，。、！？；：”’）》」』】〕〉…—·%‰～,.!?;:)]}")
NO_END = set("“‘（《「『【〔〈([{")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-:/%]*|\s+|.", re.S)

ELLIPSIS = "……"


@dataclass(frozen=True)
class Box:
    """A text box of a layout: size in mm, font size range in pt, line height factor."""

    width_mm: float
    height_mm: float
    max_pt: float
    min_pt: float
    line_height: float = 1.5
    columns: int = 1
    gap_mm: float = 6.0
    bold: bool = False  # measured with the bold face
    one_line: bool = False  # a name or a number: shrink on one line first, wrap only at the floor


@dataclass
class Fitted:
    """The result of fitting paragraphs into a box."""

    size_pt: float
    columns: list[list[list[str]]] = field(default_factory=list)  # column → paragraph → lines
    at_floor: bool = False
    cut: bool = False
    wrapped: bool = False  # a one-line box that had to wrap at its floor size

    @property
    def paragraphs(self) -> list[list[str]]:
        return [p for col in self.columns for p in col]


class Metrics:
    """Advance widths of one font file (face index for SC in a .ttc)."""

    def __init__(self, path: str, index: int = 0) -> None:
        self.font = ImageFont.truetype(path, MEASURE_PX, index=index)
        self._width = lru_cache(maxsize=65536)(self._measure)

    def _measure(self, token: str) -> float:
        return float(self.font.getlength(token)) / MEASURE_PX

    def width_mm(self, text: str, size_pt: float) -> float:
        """Width of ``text`` at ``size_pt``, in mm."""
        em = sum(self._width(t) for t in _TOKEN.findall(text))
        return em * size_pt * PT_TO_MM * SAFETY

    def break_lines(self, text: str, width_mm: float, size_pt: float) -> list[str]:
        """Break one paragraph into lines no wider than ``width_mm``, obeying 禁则."""
        tokens = _TOKEN.findall(text.strip())
        widths = [self._width(t) * size_pt * PT_TO_MM * SAFETY for t in tokens]
        lines: list[str] = []
        start, used, i = 0, 0.0, 0
        while i < len(tokens):
            if used + widths[i] <= width_mm or i == start:
                used += widths[i]
                i += 1
                continue
            j = i
            while j > start + 1 and (tokens[j] in NO_START or tokens[j - 1] in NO_END):
                j -= 1
            lines.append("".join(tokens[start:j]).rstrip())
            start, i, used = j, j, 0.0
            while i < len(tokens) and tokens[i].isspace():
                i += 1
                start = i
        if start < len(tokens):
            lines.append("".join(tokens[start:]).rstrip())
        return lines or [""]


def fit(metrics: Metrics, paragraphs: list[str], box: Box, step: float = 0.5) -> Fitted:
    """Lay ``paragraphs`` into ``box``: the largest size from max_pt down to min_pt (in
    ``step`` pt) at which everything fits; at the floor, keep what fits and mark the result
    as cut. Most texts fit at max_pt (one try); the others are found by bisection, since a
    smaller size never needs more lines. A ``one_line`` box keeps each paragraph on one line
    down to min_pt, and only then wraps (and at last cuts)."""
    if box.one_line:
        return _fit_one_line(metrics, paragraphs, box, step)
    result = _pack(metrics, paragraphs, box, box.max_pt)
    if result is not None:
        return Fitted(box.max_pt, result)
    sizes = []
    size = box.max_pt - step
    while size >= box.min_pt - 1e-9:
        sizes.append(round(size, 2))
        size -= step
    lo, hi, best = 0, len(sizes) - 1, None  # sizes run from large to small
    while lo <= hi:
        mid = (lo + hi) // 2
        packed = _pack(metrics, paragraphs, box, sizes[mid])
        if packed is not None:
            best, hi = (sizes[mid], packed), mid - 1
        else:
            lo = mid + 1
    if best is not None:
        return Fitted(best[0], best[1], at_floor=best[0] <= box.min_pt)
    return _cut(metrics, paragraphs, box, box.min_pt)


def _fit_one_line(metrics: Metrics, paragraphs: list[str], box: Box, step: float) -> Fitted:
    width = _col_width(box)
    widest = max((metrics.width_mm(p.strip(), 1.0) for p in paragraphs), default=0.0)
    size = box.max_pt
    if widest > 0:  # width is proportional to size: the largest size that fits, in steps
        size = min(box.max_pt, int(width / widest / step + 1e-9) * step)
    if size >= box.min_pt and len(paragraphs) <= _capacity(box, size):
        size = round(size, 2)
        return Fitted(size, [[[p.strip()] for p in paragraphs]], at_floor=size <= box.min_pt)
    packed = _pack(metrics, paragraphs, box, box.min_pt)
    if packed is not None:
        return Fitted(box.min_pt, packed, at_floor=True, wrapped=True)
    return _cut(metrics, paragraphs, box, box.min_pt)


def _col_width(box: Box) -> float:
    return (box.width_mm - box.gap_mm * (box.columns - 1)) / box.columns


def _capacity(box: Box, size_pt: float) -> int:
    """Lines the box holds at ``size_pt``; a box always holds one (a layout.yml whose box is
    lower than one line is tested against, not crashed on)."""
    return max(1, int(box.height_mm / (size_pt * PT_TO_MM * box.line_height) + 1e-9))


def _pack(
    metrics: Metrics, paragraphs: list[str], box: Box, size: float
) -> list[list[list[str]]] | None:
    cap = _capacity(box, size)
    width = _col_width(box)
    columns: list[list[list[str]]] = [[]]
    used = 0
    for para in paragraphs:
        lines = metrics.break_lines(para, width, size)
        if used + len(lines) > cap:
            if len(columns) == box.columns or len(lines) > cap:
                return None
            columns.append([])
            used = 0
        columns[-1].append(lines)
        used += len(lines)
    return columns


def _cut(metrics: Metrics, paragraphs: list[str], box: Box, size: float) -> Fitted:
    """At the floor size, keep whole lines that fit; end the last one with an ellipsis."""
    cap = _capacity(box, size)
    width = _col_width(box)
    columns: list[list[list[str]]] = [[]]
    used = 0
    for para in paragraphs:
        lines = metrics.break_lines(para, width, size)
        while lines:
            room = cap - used
            if room <= 0:
                if len(columns) == box.columns:
                    return Fitted(size, _ellipsize(metrics, columns, width, size), True, True)
                columns.append([])
                used, room = 0, cap
            taken, lines = lines[:room], lines[room:]
            columns[-1].append(taken)
            used += len(taken)
    return Fitted(size, columns, at_floor=True, cut=False)


def _ellipsize(
    metrics: Metrics, columns: list[list[list[str]]], width: float, size: float
) -> list[list[list[str]]]:
    last = columns[-1][-1] if columns[-1] else columns[-2][-1]
    line = last[-1]
    while line and metrics.width_mm(line + ELLIPSIS, size) > width:
        line = line[:-1]
    last[-1] = line.rstrip("，。、；：,.;:") + ELLIPSIS
    return columns
