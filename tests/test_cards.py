"""便民卡, card sheets, person cards, print packs, vCards and the reprint report, read back."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import vobject
import zxingcpp
from pypdf import PdfReader

from site_builder.build import build
from site_builder.content import load
from site_builder.content.tags import tagged_url
from site_builder.pages.vcard import split_name, vcard_text
from site_builder.print import reprint_report
from site_builder.print.cards import sheet_geometry
from site_builder.print.layout import load_layout
from site_builder.print.verify import page_exists, read_back_problem
from tests.conftest import ROOT, build_opts

SITE_URL = "https://pufa.example.cn/"
MM = 72 / 25.4  # points per mm
DEFAULT_LAYOUT = ROOT / "themes" / "default" / "print" / "layout.yml"
CARD_SHEET = load_layout([(DEFAULT_LAYOUT, "layout.yml")]).card_sheet


def printed(entry: dict) -> list[str]:  # type: ignore[type-arg]
    """What the codes of a manifest entry hold: each URL with its placement tag."""
    return [tagged_url(u, entry["tags"][u]) for u in entry["qr"]]


def render(path: Path, page: int, dpi: int) -> Any:
    pdf = pdfium.PdfDocument(str(path))
    return pdf[page].render(scale=dpi / 72).to_pil().convert("L")


def entries(site: Path, kind: str) -> list[dict[str, Any]]:
    data = json.loads((site / "print/manifest.json").read_text(encoding="utf-8"))
    return [e for e in data if e["kind"] == kind]


def test_cards_are_listed_and_sized(built_site: Path) -> None:
    content = load(ROOT / "content")
    assert len(entries(built_site, "card")) == len(content.villages)
    assert len(entries(built_site, "card-sheet")) == len(content.villages)
    assert len(entries(built_site, "person-card")) == len(content.advisors)
    for e in entries(built_site, "card") + entries(built_site, "person-card"):
        reader = PdfReader(built_site / e["file"])
        assert len(reader.pages) == e["pages"] == (2 if e["kind"] == "card" else 1)
        for page in reader.pages:
            box = page.mediabox
            assert (round(float(box.width) / MM, 2), round(float(box.height) / MM, 2)) == (90, 54)
        assert e["size_mm"] == [90, 54]


@pytest.mark.parametrize(
    "name", ["card/lanxin.pdf", "card/caozhen.pdf", "person-card/guo-xiao.pdf"]
)
def test_nothing_within_three_mm_of_the_trim(built_site: Path, name: str) -> None:
    dpi = 300
    path = built_site / "print" / name
    for i in range(len(PdfReader(path).pages)):
        image = render(path, i, dpi)
        edge = round(3 / 25.4 * dpi) - 1
        w, h = image.size
        for region in [(0, 0, w, edge), (0, h - edge, w, h), (0, 0, edge, h), (w - edge, 0, w, h)]:
            assert image.crop(region).getextrema() == (255, 255), (name, i, region)


def test_card_front_shows_people_and_large_phones(built_site: Path) -> None:
    pdf = pdfium.PdfDocument(str(built_site / "print/card/lanxin.pdf"))
    front = pdf[0].get_textpage()
    text = front.get_text_range()
    for needle in ["蓝欣社区", "郭晓", "13800000101", "孙桂英", "13600000302", "周芳", "12348"]:
        assert needle in text
    sizes = {}
    for phone in ["13800000101", "13600000302", "18700000401", "12348"]:
        i = text.index(phone)
        sizes[phone] = pdfium_raw.FPDFText_GetFontSize(front.raw, i) * 0.75  # px → pt
    assert min(sizes.values()) >= 9
    assert sizes["13800000101"] == max(sizes.values())  # the advisor's number is the largest
    back = pdf[1].get_textpage().get_text_range()
    for needle in [
        "平顶山市湛河区司法局",
        "简单问题当场答复",
        "蓝欣社区人民调解室",
        "0375-0000112",
    ]:
        assert needle in back.replace("\r\n", "")


def test_card_qr_decodes_and_modules_are_at_least_0_4_mm(built_site: Path) -> None:
    for e in entries(built_site, "card") + entries(built_site, "person-card"):
        path = built_site / e["file"]
        page = 1 if e["kind"] == "card" else 0
        dpi = 400
        found = zxingcpp.read_barcodes(render(path, page, dpi))
        assert [r.text for r in found] == printed(e), e["file"]
        assert page_exists(built_site, e["qr"][0], SITE_URL)
        pos = found[0].position
        finder_px = pos.bottom_right.x - pos.top_left.x  # centre-to-centre of outer finders
        version = found[0].version if hasattr(found[0], "version") else None
        modules = (17 + 4 * version) if version else 29
        module_mm = finder_px / (modules - 7) / dpi * 25.4
        assert module_mm >= 0.4, (e["file"], module_mm)


def marks_at(image: Any, y: int, x_from: int, x_to: int) -> list[int]:
    """x positions (px) of dark vertical hairlines crossing row ``y``."""
    row = [image.getpixel((x, y)) for x in range(x_from, x_to)]
    xs = [x_from + i for i, v in enumerate(row) if v < 128]
    groups: list[list[int]] = []
    for x in xs:
        if groups and x - groups[-1][-1] <= 1:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [round(sum(g) / len(g)) for g in groups]


@pytest.mark.parametrize("per_sheet", [10, 8])
def test_sheet_geometry(per_sheet: int) -> None:
    g = sheet_geometry(per_sheet, CARD_SHEET)
    cells = g["cells"]
    assert len(cells) == per_sheet
    cols = sorted({c["x"] for c in cells})
    rows = sorted({c["y"] for c in cells})
    gutter = 0 if per_sheet == 10 else 6
    assert [round(b - a, 3) for a, b in zip(cols, cols[1:], strict=False)] == [90 + gutter]
    assert {round(b - a, 3) for a, b in zip(rows, rows[1:], strict=False)} == {54 + gutter}
    assert g["bleed"] == (0 if per_sheet == 10 else 3)
    # centred on A4, bleed included
    assert round(cols[0] - g["bleed"], 3) == round(210 - cols[-1] - 90 - g["bleed"], 3)
    for front, back in zip(cells, g["back_cells"], strict=True):
        assert back["y"] == front["y"]
        assert round(back["x"] + 90 + front["x"], 3) == 210  # mirrored for long-edge duplex


def test_sheet_read_back_cells_marks_and_duplex(built_site: Path) -> None:
    path = built_site / "print/card-sheet/lanxin.pdf"
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (
            round(float(page.mediabox.width) / MM),
            round(float(page.mediabox.height) / MM),
        ) == (210, 297)
    dpi = 254  # 10 px per mm
    front = render(path, 0, dpi)
    g = sheet_geometry(10, CARD_SHEET)
    top = g["cells"][0]["y"]
    # Crop marks above the grid sit exactly on the cut lines, 90 mm apart.
    y = round((top - 2 - 2.5) * 10)
    xs = marks_at(front, y, 0, front.width)
    assert xs == [150, 1050, 1950]
    # Side marks give the horizontal cuts, 54 mm apart.
    col = [
        front.getpixel((round((g["cells"][0]["x"] - 4.5) * 10), yy)) for yy in range(front.height)
    ]
    ys = [yy for yy, v in enumerate(col) if v < 128]
    starts = [yy for i, yy in enumerate(ys) if i == 0 or yy - ys[i - 1] > 1]
    assert len(starts) == len(g["cut_y"])
    assert all(abs(s / 10 + 0.1 - v) <= 0.15 for s, v in zip(starts, g["cut_y"], strict=True))
    # Nothing outside the grid but the marks and the edition line: the margins are white.
    assert front.crop((0, 0, 1400, round((top - 8) * 10))).getextrema()[0] == 255
    # Back page: ten QR codes, on the right of each card, mirrored columns.
    back = render(path, 1, 200)
    codes = zxingcpp.read_barcodes(back)
    assert len(codes) == 10
    sheet = next(e for e in entries(built_site, "card-sheet") if e["file"].endswith("lanxin.pdf"))
    assert {c.text for c in codes} == set(printed(sheet))  # the sheet's own tag
    assert printed(sheet)[0].startswith(SITE_URL + "villages/lanxin/?m=")
    centres = sorted(
        {round((c.position.top_left.x + c.position.bottom_right.x) / 2 / 200 * 25.4) for c in codes}
    )
    # A back cell at x has its QR 4 mm from its right edge, 22 mm wide: centre at x + 75.
    expected = sorted({round(c["x"] + 90 - 4 - 11) for c in g["back_cells"]})
    assert all(abs(a - b) <= 1 for a, b in zip(centres, expected, strict=True))


def test_sheet_draws_one_laid_out_face_on_every_cell(built_site: Path) -> None:
    sheet = PdfReader(built_site / "print/card-sheet/lanxin.pdf")
    for page in sheet.pages:
        drawn = page.get_contents().get_data()
        assert "/PufaFace" in page["/Resources"]["/XObject"]
        assert drawn.count(b"/PufaFace Do") == 10 and drawn.count(b" Do") == 10
    card = (built_site / "print/card/lanxin.pdf").stat().st_size
    assert (built_site / "print/card-sheet/lanxin.pdf").stat().st_size < 1.5 * card


def test_imposed_sheets_and_packs_read_cleanly_in_poppler(built_site: Path, tmp_path: Path) -> None:
    """Another reader than pdfium: every font, state and form the imposed pages use resolves."""
    for name in ("card-sheet/lanxin.pdf", "pack/lanxin.pdf"):
        proc = subprocess.run(
            ["pdftoppm", "-r", "20", "-png", str(built_site / "print" / name), str(tmp_path / "p")],
            capture_output=True,
            text=True,
            check=True,
        )
        assert proc.stderr == "", name


def test_packs_are_read_back_at_build(built_site: Path) -> None:
    """The build reads each new pack back (its parts' codes are checked on their own): a
    whole file passes; a cut-off file or a page count other than planned is named."""
    data = (built_site / "print/pack/lanxin.pdf").read_bytes()
    pages = len(pdfium.PdfDocument(data))
    assert pages > 5
    assert read_back_problem(data, pages) is None
    assert read_back_problem(data, pages + 1) == f"应有 {pages + 1} 页，读出 {pages} 页"
    assert read_back_problem(data[: len(data) // 3], pages) == "文件写坏了，无法读取"


def test_eight_up_sheet_has_bleed(content_copy: Path, tmp_path: Path) -> None:
    site_yml = content_copy / "site.yml"
    site_yml.write_text(
        site_yml.read_text(encoding="utf-8").replace("cards_per_sheet: 10", "cards_per_sheet: 8"),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    build(build_opts(content_copy, out, tmp_path / "work"))
    front = render(out / "print/card-sheet/lanxin.pdf", 0, 254)
    g = sheet_geometry(8, CARD_SHEET)
    c = g["cells"][0]
    # The red band runs 3 mm past the trim into the bleed, on the left and top.
    px = front.getpixel((round((c["x"] - 1.5) * 10), round((c["y"] + 5) * 10)))
    assert px < 200
    codes = zxingcpp.read_barcodes(render(out / "print/card-sheet/lanxin.pdf", 1, 200))
    assert len(codes) == 8


def test_pack_holds_everything_the_village_prints(built_site: Path) -> None:
    packs = {e["village"]: e for e in entries(built_site, "pack")}
    content = load(ROOT / "content")
    assert set(packs) == set(content.villages)
    e = packs["caozhen"]
    reader = PdfReader(built_site / e["file"])
    own = [
        x
        for x in json.loads((built_site / "print/manifest.json").read_text(encoding="utf-8"))
        if x.get("village") == "caozhen"
        and x["file"].endswith(".pdf")
        and x["kind"] in {"rules-poster", "board", "service-map", "case-poster", "card-sheet"}
    ]
    assert len(reader.pages) == e["pages"] == 1 + sum(x["pages"] for x in own)
    cover = reader.pages[0].extract_text()
    for needle in [
        "曹镇村",
        "打印资料包",
        "村规民约海报",  # one name per product (catalog.PRODUCTS)
        "联系公示牌",
        "便民卡拼版",
        "62 张",
    ]:
        assert needle in cover, needle
    assert e["size_mm"] == [210, 297]
    assert set(e["qr"]) == {u for x in own for u in x["qr"]}
    village = (built_site / "villages/caozhen/index.html").read_text(encoding="utf-8")
    assert 'href="../../print/pack/caozhen.pdf"' in village and "打印资料包" in village


def test_vcard_round_trip_keeps_the_chinese_name(built_site: Path) -> None:
    raw = (built_site / "advisors/guo-xiao/guo-xiao.vcf").read_bytes()
    card = vobject.readOne(raw.decode("utf-8"))
    assert card.fn.value == "郭晓"
    assert (card.n.value.family, card.n.value.given) == ("郭", "晓")
    assert card.tel.value == "13800000101"
    assert card.org.value == ["河南湛清律师事务所"]
    assert "每周三上午驻蓝欣社区" in card.note.value
    page = (built_site / "advisors/guo-xiao/index.html").read_text(encoding="utf-8")
    assert 'href="guo-xiao.vcf"' in page and 'href="tel:13800000101"' in page


@pytest.mark.parametrize(
    ("name", "parts"),
    [("郭晓", ("郭", "晓")), ("欧阳娜娜", ("欧阳", "娜娜")), ("高雅焕", ("高", "雅焕"))],
)
def test_split_name(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


def test_vcard_folds_long_lines_and_escapes() -> None:
    person = load(ROOT / "content").advisors["guo-xiao"]
    text = vcard_text(person, SITE_URL + "advisors/guo-xiao/")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")


def test_reprint_report_names_changed_villages() -> None:
    old = [
        {
            "file": "print/card/a.pdf",
            "kind": "card",
            "source": "villages/a.md",
            "village": "a",
            "edition": "2026-01-01 aaaaaaaa",
        },
        {
            "file": "print/board/b.pdf",
            "kind": "board",
            "source": "villages/b.md",
            "village": "b",
            "edition": "2026-01-01 bbbbbbbb",
        },
    ]
    new = [dict(old[0], edition="2026-02-01 cccccccc"), old[1]]
    names = {"village:a": "蓝欣社区", "village:b": "曹镇村"}
    assert reprint_report(old, new, names) == [
        "需要重新打印（与上次构建相比内容有变化）：",
        "  蓝欣社区：便民卡",
    ]
    assert reprint_report(old, old, names) == ["与上次构建相比，没有需要重新打印的印刷品。"]


def test_changed_phone_is_reported_for_reprint(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    opts = build_opts(content_copy, out, tmp_path / "work")
    build(opts)
    person = content_copy / "advisors/he-jianguo.md"
    person.write_text(
        person.read_text(encoding="utf-8").replace("13500000303", "13500000999"), encoding="utf-8"
    )
    result = build(opts)
    report = "\n".join(result.notes)
    for village in ["曹镇村", "黄寨村", "前营村"]:
        assert f"  {village}：" in report and "便民卡" in report and "联系公示牌" in report
    assert "  何建国：个人联系卡" in report
    assert "大王庄村" not in report
