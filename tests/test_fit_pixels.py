"""Every text box of every print product, proven apart by pixels.

Each product of the long-names county (苏木/嘎查, names of 2–12 characters with 间隔号,
landlines with extensions, a 15-item 负面清单, a long text that must be cut) is laid out by
the real templates. For each text box (an element with ``data-box``) the page is rendered
with only that box visible (``visibility: hidden`` on the rest keeps the layout identical),
and the box's inked pixels give its bounding box. Then no two boxes' ink may meet, none may
enter a QR code's image (which holds its 4-module quiet zone), none may cross the border of
a frame (``data-frame``: the law box, the 负面清单 box, the board's cells, the header band),
and none may come nearer to the trim than the safe margin of layout.yml. A card sheet's crop
marks (``data-mark``) are rendered on their own too: no text box may hold a mark's ink, no
mark may reach into a card, and the marks keep inside the sheet's printable margin.

The default theme on A4 runs every product; the festive theme and A3 paper run the posters
(what they change), so the test stays fast.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image

from site_builder.content import load
from site_builder.print import plan_print
from site_builder.print.artifact import Artifact
from site_builder.print.layout import Layout
from site_builder.print.theme import PrintTheme
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "long-names"
SITE_URL = "https://pufa.example.cn/"
PX_PER_MM = 6.0
INK = 235  # a pixel darker than this (in any channel) is ink
FRAME_BORDER_MM = 1.3  # a frame's border and rounding: text inside keeps this far in

Rect = tuple[float, float, float, float]  # left, top, right, bottom in mm


@dataclass
class Page:
    width_mm: float
    height_mm: float
    boxes: dict[str, Rect]
    frames: dict[str, Rect]
    image: Image.Image
    marks: Image.Image | None = None  # only the crop marks visible (card sheets)


def _ink(image: Image.Image) -> Rect | None:
    mask = image.convert("L").point(lambda v: 255 if v < INK else 0)
    box = mask.getbbox()
    if box is None:
        return None
    return tuple(v / PX_PER_MM for v in box)  # type: ignore[return-value]


def _render(html: str, base: str) -> list[Image.Image]:
    from weasyprint import HTML

    data = HTML(string=html, base_url=base).write_pdf()
    pdf = pdfium.PdfDocument(data)
    out = []
    for page in pdf:
        out.append(page.render(scale=PX_PER_MM * 25.4 / 72).to_pil().convert("RGB"))
    return out


def layout_pages(theme: PrintTheme, a: Artifact) -> list[Page]:
    """The pages of ``a`` with the inked rectangle of each text box and frame."""
    faces, family = theme.font_css()
    a.context.setdefault("edition", "2024-06-01 0123abcd")
    html = theme.env.get_template("document.html.j2").render(
        artifacts=[{**a.context, "template": a.template}],
        css=theme.css,
        font_faces=faces,
        font=family,
    )
    body = html[html.index("<body>") + 6 : html.rindex("</body>")]
    names = sorted(set(re.findall(r'data-(?:box|frame)="([^"]+)"', body)))
    css = []
    copies = []
    for i, name in enumerate(names):
        css.append(
            f".only{i} .sheet * {{ visibility: hidden !important; }}"
            f'.only{i} [data-box="{name}"], .only{i} [data-box="{name}"] *,'
            f'.only{i} [data-frame="{name}"] {{ visibility: visible !important; }}'
            f'.only{i} [data-box="{name}"], .only{i} [data-box="{name}"] * {{ color: #000 !important; }}'
            # WeasyPrint paints collapsed table borders of hidden tables: make them clear
            f'.only{i} table:not([data-box="{name}"]), .only{i} table:not([data-box="{name}"]) *'
            " { border-color: transparent !important; }"
        )
        copies.append(f'<div class="only{i}">{body}</div>')
    has_marks = "data-mark" in body
    if has_marks:
        css.append(
            ".marks .sheet * { visibility: hidden !important; }"
            ".marks [data-mark] { visibility: visible !important; }"
        )
        copies.append(f'<div class="marks">{body}</div>')
    page_html = html[: html.index("<body>")] + "<style>" + "".join(css) + "</style><body>"
    images = _render(page_html + "".join(copies) + "</body></html>", str(theme.dirs[0]))
    whole = _render(html, str(theme.dirs[0]))
    per = len(whole)
    assert len(images) == per * (len(names) + has_marks)
    pages = []
    for p in range(per):
        w, h = whole[p].width / PX_PER_MM, whole[p].height / PX_PER_MM
        boxes: dict[str, Rect] = {}
        frames: dict[str, Rect] = {}
        for i, name in enumerate(names):
            rect = _ink(images[i * per + p])
            if rect is None:
                continue
            (frames if f'data-frame="{name}"' in body else boxes)[name] = rect
        marks = images[len(names) * per + p] if has_marks else None
        pages.append(Page(w, h, boxes, frames, whole[p], marks))
    return pages


def _meet(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(a: Rect, b: Rect) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]


def _crop(image: Image.Image, r: Rect) -> Image.Image:
    return image.crop(tuple(round(v * PX_PER_MM) for v in r))


def mark_problems(page: Page, n: int, cells: list[Rect], safe: Rect) -> list[str]:
    """Crop marks: never under a text box, never into a card, inside the printable area."""
    if page.marks is None:
        return []
    out = []
    ink = _ink(page.marks)
    if ink is None:
        return [f"page {n}: no crop marks"]
    if not _inside(ink, safe):
        out.append(f"page {n}: crop marks outside the printable area {ink} {safe}")
    for k, r in page.boxes.items():
        if _ink(_crop(page.marks, r)) is not None:
            out.append(f"page {n}: {k} meets a crop mark")
    for i, c in enumerate(cells):
        inner = (c[0] + 0.3, c[1] + 0.3, c[2] - 0.3, c[3] - 0.3)  # the hairline's half
        if _ink(_crop(page.marks, inner)) is not None:
            out.append(f"page {n}: a crop mark reaches into card {i + 1}")
    return out


def problems(pages: list[Page], qr: list[list[Rect]], safe: list[Rect]) -> list[str]:
    """What is wrong with the pages: overlapping boxes, boxes in a QR code or across a
    frame's border, boxes outside the safe area."""
    out = []
    for n, page in enumerate(pages):
        for (k1, r1), (k2, r2) in itertools.combinations(sorted(page.boxes.items()), 2):
            if _meet(r1, r2):
                out.append(f"page {n}: {k1} overlaps {k2}")
        for k, r in page.boxes.items():
            for q in qr[n]:
                if _meet(r, q):
                    out.append(f"page {n}: {k} enters the QR code")
            if safe[n] and not _inside(r, safe[n]):
                out.append(f"page {n}: {k} outside the safe area {r} {safe[n]}")
            for f, fr in page.frames.items():
                d = FRAME_BORDER_MM
                inner = (fr[0] + d, fr[1] + d, fr[2] - d, fr[3] - d)
                if _meet(r, fr) and not _inside(r, inner):
                    out.append(f"page {n}: {k} crosses the border of {f}")
    return out


@pytest.fixture(scope="module")
def planned(
    variants: dict[tuple[str, str], tuple[PrintTheme, dict[str, Artifact]]],
) -> tuple[PrintTheme, dict[str, Artifact]]:
    return variants[("default", "A4")]


def _qr_rect(q: dict[str, Any], shift: float = 0.0) -> Rect:
    x, y = q["x"] + shift, q["y"] + shift
    return (x, y, x + q["size"], y + q["size"])


def _poster_expect(a: Artifact, layout: Layout) -> tuple[list[list[Rect]], list[Rect]]:
    """The QR code and the safe area of a poster, on the page: an A3 canvas is scaled."""
    s = layout.poster_safe_mm
    k = float(a.context["scale"])
    w, h = a.context["canvas_w"], a.context["canvas_h"]
    q = _qr_rect(a.context["qr"])
    return [[(q[0] * k, q[1] * k, q[2] * k, q[3] * k)]], [(s * k, s * k, (w - s) * k, (h - s) * k)]


def _card_expect(a: Artifact, layout: Layout) -> tuple[list[list[Rect]], list[Rect]]:
    s = layout.card.safe_mm
    c = a.context["card"]
    trim = (s, s, 90 - s, 54 - s)
    if a.kind == "person-card":
        return [[_qr_rect(c["qr"])]], [trim]
    if a.kind == "card":
        return [[], [_qr_rect(c["qr"])]], [trim, trim]
    b = a.context["bleed"]
    face = (s + b, s + b, 90 + b - s, 54 + b - s)
    sheet = (5.0, 5.0, 205.0, 292.0)
    return [[], [], [], [_qr_rect(c["qr"], b)]], [sheet, sheet, face, face]


PRODUCTS = [
    "print/case-poster/grassland-lease.pdf",
    "print/case-poster/grassland-lease--wulanbulage.pdf",
    "print/rules-poster/wulanbulage.pdf",
    "print/board/wulanbulage.pdf",
    "print/service-map/wulanbulage.pdf",
    "print/card/wulanbulage.pdf",
    "print/card-sheet/wulanbulage.pdf",
    "print/person-card/abudurehman.pdf",
    "print/person-card/narengerile.pdf",
    "print/pack/wulanbulage.pdf",
]


POSTERS = [p for p in PRODUCTS if "/card" not in p and "/person-card" not in p]
VARIANTS = [("default", "A4", p) for p in PRODUCTS] + [
    (theme, paper, p) for theme, paper in (("festive", "A4"), ("default", "A3")) for p in POSTERS
]


@pytest.fixture(scope="module")
def variants() -> dict[tuple[str, str], tuple[PrintTheme, dict[str, Artifact]]]:
    out = {}
    for theme_name, paper in (("default", "A4"), ("festive", "A4"), ("default", "A3")):
        content = load(FIXTURE)
        content.site.print.theme = theme_name
        content.site.print.paper = paper
        theme, artifacts = plan_print(content, ROOT / "themes", SITE_URL)
        out[(theme_name, paper)] = theme, {a.pdf_path: a for a in artifacts}
    return out


@pytest.mark.parametrize(("theme_name", "paper", "path"), VARIANTS)
def test_text_boxes_never_overlap_by_pixels(
    variants: dict[tuple[str, str], tuple[PrintTheme, dict[str, Artifact]]],
    theme_name: str,
    paper: str,
    path: str,
    tmp_path: Path,
) -> None:
    theme, artifacts = variants[(theme_name, paper)]
    a = artifacts[path]
    pages = layout_pages(theme, a)
    if a.kind in ("card", "card-sheet", "person-card"):
        qr, safe = _card_expect(a, theme.layout)
    elif a.kind == "pack":
        s = theme.layout.poster_safe_mm
        qr, safe = [[]], [(s, s, 210 - s, 297 - s)]
    else:
        qr, safe = _poster_expect(a, theme.layout)
    assert sum(len(p.boxes) for p in pages) >= 3
    found = problems(pages, qr, safe)
    if a.kind == "card-sheet":
        for n, side in ((0, "cells"), (1, "back_cells")):
            cells = [(c["x"], c["y"], c["x"] + 90, c["y"] + 54) for c in a.context[side]]
            found += mark_problems(pages[n], n, cells, safe[n])
        assert pages[0].marks is not None
    for n, page in enumerate(pages):
        page.image.save(tmp_path / f"page{n}.png")
    assert found == [], f"{path} ({tmp_path}):\n" + "\n".join(found)


def test_print_templates_escape_every_value(
    planned: tuple[PrintTheme, dict[str, Artifact]],
) -> None:
    """A name with markup prints as text: autoescape is on for every print template."""
    theme, artifacts = planned
    a = artifacts["print/person-card/abudurehman.pdf"]
    hostile = '<b onclick="x()">巴特尔</b> & Co'
    card = {**a.context["card"], "name_f": {**a.context["card"]["name_f"]}}
    card["name_f"]["columns"] = [[[hostile]]]
    card["org_name"] = hostile
    faces, family = theme.font_css()
    html = theme.env.get_template("document.html.j2").render(
        artifacts=[{**a.context, "card": card, "edition": "e", "template": a.template}],
        css=theme.css,
        font_faces=faces,
        font=family,
    )
    assert hostile not in html and "<b onclick" not in html
    assert "&lt;b onclick=&#34;x()&#34;&gt;巴特尔&lt;/b&gt; &amp; Co" in html


def test_notes_name_the_box_and_what_was_done(
    planned: tuple[PrintTheme, dict[str, Artifact]],
) -> None:
    _, artifacts = planned
    board = artifacts["print/board/wulanbulage.pdf"].notes
    assert "阿卜杜热合曼·买买提明·艾尼瓦尔的姓名较长，已缩小到最小字号 11 pt" in board
    rules = artifacts["print/rules-poster/wulanbulage.pdf"].notes
    assert "正文太长，海报上只印了前面部分，注明“以上为节选，扫码阅读全文”" in rules
    for a in artifacts.values():  # a card's note never speaks of posters
        if a.kind in ("card", "card-sheet", "person-card"):
            assert not any("海报" in n for n in a.notes), a.notes


def test_missing_glyphs_reads_the_fonts_cmap(
    planned: tuple[PrintTheme, dict[str, Artifact]],
) -> None:
    from site_builder.print.fonts import missing_glyphs

    theme, _ = planned
    assert missing_glyphs("阿卜杜热合曼·买买提 王喆 ☎ 👍 12348\n", theme.font) == ["👍"]
    assert missing_glyphs("𠀀👍👍", theme.font.path, theme.font.index) == ["𠀀", "👍"]
