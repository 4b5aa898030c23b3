"""Print products read back: PDFs (size, fonts, no JPEG), PNGs (QR decodes, whole pixels),
the manifest, the cache, text fitting, A3 and a second theme."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from site_builder.content import load
from site_builder.content.tags import tagged_url
from site_builder.errors import ConfigError
from site_builder.print import plan_print
from site_builder.print.fonts import font_cache_dir, resolve_font
from site_builder.print.render import render_all
from site_builder.print.textfit import NO_END, NO_START, Box, fit
from site_builder.print.theme import load_theme
from site_builder.print.verify import page_exists
from tests.conftest import ROOT

SITE_URL = "https://pufa.example.cn/"
MM_PER_PT = 25.4 / 72
KINDS = {"case-poster", "rules-poster", "board", "service-map"}


def printed(entry: dict) -> list[str]:  # type: ignore[type-arg]
    """What the codes of a manifest entry hold: each URL with its placement tag."""
    return [tagged_url(u, entry["tags"][u]) for u in entry["qr"]]


def manifest(site: Path) -> list[dict[str, Any]]:
    return json.loads((site / "print" / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_lists_every_artifact_as_designed(built_site: Path) -> None:
    entries = [e for e in manifest(built_site) if e["kind"] in KINDS]
    content = load(ROOT / "content")
    pdfs = [e for e in entries if e["file"].endswith(".pdf")]
    pngs = [e for e in entries if e["file"].endswith(".png")]
    assert len(pdfs) == len(pngs)
    variants = sum(len(c.villages) for c in content.cases.values())
    expected = {
        "case-poster": len(content.cases) + variants,
        "rules-poster": len(content.rules),
        "board": len(content.villages),
        "service-map": len([v for v in content.villages.values() if v.services]),
    }
    assert {k: len([e for e in pdfs if e["kind"] == k]) for k in KINDS} == expected
    for e in entries:
        assert list(e) in (
            ["file", "kind", "name", "source", "size_mm", "pages", "qr", "edition", "tags"],
            [
                "file",
                "kind",
                "name",
                "source",
                "village",
                "size_mm",
                "pages",
                "qr",
                "edition",
                "tags",
            ],
        )
        # every code carries its placement tag (扫码统计): one per URL, stable, short
        assert sorted(e["tags"]) == sorted(e["qr"])
        assert all(re.fullmatch(r"[a-z0-9]{5}", t) for t in e["tags"].values())
        assert (built_site / e["file"]).is_file()
        assert (ROOT / "content" / e["source"]).is_file()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} [0-9a-f]{8}", e["edition"])
        assert e["pages"] == 1
        assert e["size_mm"] == ([297, 210] if e["kind"] == "board" else [210, 297])
        for url in e["qr"]:
            assert page_exists(built_site, url, SITE_URL), url
    variant = next(e for e in pdfs if e["file"] == "print/case-poster/lease-deposit--lanxin.pdf")
    assert variant["village"] == "lanxin"
    assert variant["source"] == "cases/lease-deposit.md"
    assert variant["qr"] == [SITE_URL + "cases/lease-deposit/"]
    rules = next(e for e in pdfs if e["file"] == "print/rules-poster/caozhen.pdf")
    assert rules["source"] == "rules/caozhen.md"
    assert rules["qr"] == [SITE_URL + "villages/caozhen/"]


def test_every_pdf_is_print_grade(built_site: Path) -> None:
    for e in manifest(built_site):
        if not e["file"].endswith(".pdf"):
            continue
        reader = PdfReader(built_site / e["file"])
        assert len(reader.pages) == e["pages"]
        page = reader.pages[0]
        w = float(page.mediabox.width) * MM_PER_PT
        h = float(page.mediabox.height) * MM_PER_PT
        assert (round(w, 1), round(h, 1)) == tuple(float(x) for x in e["size_mm"]), e["file"]
        fonts = page["/Resources"]["/Font"]
        assert fonts, e["file"]
        for ref in fonts.values():
            font = ref.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = desc["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), e[
                "file"
            ]
        xobjects = page["/Resources"].get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            filters = obj.get("/Filter", [])
            filters = filters if isinstance(filters, list) else [filters]
            assert "/DCTDecode" not in filters, e["file"]


def test_every_png_qr_decodes_to_an_existing_page(built_site: Path) -> None:
    pngs = [e for e in manifest(built_site) if e["file"].endswith(".png")]
    assert {e["kind"] for e in pngs} == KINDS
    for e in pngs:
        with Image.open(built_site / e["file"]) as im:
            assert im.width == 1080
            gray = im.convert("L")
        found = zxingcpp.read_barcodes(gray)
        assert [r.text for r in found] == printed(e), e["file"]
        pos = found[0].position
        box = gray.crop(
            (pos.top_left.x, pos.top_left.y, pos.bottom_right.x + 1, pos.bottom_right.y + 1)
        )
        hist = box.histogram()
        assert sum(hist[1:255]) == 0, f"{e['file']}: QR modules are not whole pixels"


def test_pdf_qr_decodes_and_is_large_enough(built_site: Path) -> None:
    """Render the PDF itself (not the PNG) and decode; the code is at least 35 mm wide."""
    for name in [
        "case-poster/lease-deposit.pdf",
        "board/caozhen.pdf",
        "rules-poster/lanxin.pdf",
        "service-map/caozhen.pdf",
    ]:
        pdf = pdfium.PdfDocument(str(built_site / "print" / name))
        page = pdf[0]
        scale = 300 / 72
        image = page.render(scale=scale).to_pil().convert("L")
        found = zxingcpp.read_barcodes(image)
        assert len(found) == 1, name
        pos = found[0].position
        modules = 4 * 2 + 33  # the example URLs give version-4 codes
        side_px = (pos.bottom_right.x - pos.top_left.x) * (modules / (modules - 8))
        assert side_px / scale * MM_PER_PT >= 35, name


def test_rebuild_renders_nothing_and_one_edit_renders_only_its_posters(
    content_copy: Path, tmp_path: Path
) -> None:
    content = load(content_copy)
    theme, artifacts = plan_print(content, ROOT / "themes", SITE_URL)
    subset = [a for a in artifacts if a.source in ("cases/lease-deposit.md", "cases/iou-loan.md")]
    cache = tmp_path / "cache"
    first = render_all(subset, theme, tmp_path / "a", cache)
    assert len(first.rendered) == len(subset) == 6
    again = render_all(subset, theme, tmp_path / "b", cache, tmp_path / "a/print/manifest.json")
    assert (again.rendered, again.reused) == ([], 6)
    edited = content.cases["iou-loan"]
    content.cases["iou-loan"] = dataclasses.replace(edited, summary=edited.summary + "补充一句。")
    _, artifacts = plan_print(content, ROOT / "themes", SITE_URL)
    subset = [a for a in artifacts if a.source in ("cases/lease-deposit.md", "cases/iou-loan.md")]
    third = render_all(subset, theme, tmp_path / "c", cache)
    assert sorted(third.rendered) == [
        "print/case-poster/iou-loan--lanxin.pdf",
        "print/case-poster/iou-loan--yangguangyuan.pdf",
        "print/case-poster/iou-loan.pdf",
    ]


def test_long_title_and_forty_item_negative_list_fit(content_copy: Path, tmp_path: Path) -> None:
    case = content_copy / "cases" / "lease-deposit.md"
    text = case.read_text(encoding="utf-8")
    long_title = (
        "房东以墙面发黄、灶台油污、家具磨损、门锁松动、窗帘褪色、地板划痕、马桶堵塞、热水器老化为由"
        "拒不退还租客三千元押金，社区法律顾问郭晓律师三次上门分头做工作，逐项核对房屋状况，终于化解纠纷的经过"
    )
    case.write_text(re.sub(r"title: .*", f"title: {long_title}", text, count=1), encoding="utf-8")
    rules = content_copy / "rules" / "caozhen.md"
    items = "".join(f"  - 第{i}项不允许的行为：乱堆乱放、私搭乱建\n" for i in range(1, 41))
    rtext = rules.read_text(encoding="utf-8")
    rtext = re.sub(r"negative_list:\n(  - .*\n)+", "negative_list:\n" + items, rtext)
    rules.write_text(rtext, encoding="utf-8")
    content = load(content_copy)
    theme, artifacts = plan_print(content, ROOT / "themes", SITE_URL)
    chosen = [
        a
        for a in artifacts
        if a.pdf_path in ("print/case-poster/lease-deposit.pdf", "print/rules-poster/caozhen.pdf")
    ]
    poster, rules_poster = sorted(chosen, key=lambda a: a.kind)
    assert any("标题" in n for n in poster.notes)  # shrunk or cut, and reported
    assert not rules_poster.context["negative"]["cut"]
    render_all(chosen, theme, tmp_path / "out", tmp_path / "cache")
    for a in chosen:
        reader = PdfReader(tmp_path / "out" / a.pdf_path)
        assert len(reader.pages) == 1
    rtext_pdf = PdfReader(tmp_path / "out/print/rules-poster/caozhen.pdf").pages[0].extract_text()
    assert "40." in rtext_pdf and "第40项不允许的行为" in rtext_pdf.replace("\n", "")
    title_lines = [ln for p in poster.context["title"]["columns"][0] for ln in p]
    assert "".join(title_lines).rstrip("…") in long_title


def test_a3_paper_scales_posters(content_copy: Path, tmp_path: Path) -> None:
    site_yml = content_copy / "site.yml"
    site_yml.write_text(
        site_yml.read_text(encoding="utf-8").replace("paper: A4", "paper: A3"), encoding="utf-8"
    )
    content = load(content_copy)
    theme, artifacts = plan_print(content, ROOT / "themes", SITE_URL)
    chosen = [
        a
        for a in artifacts
        if a.stem in ("lease-deposit", "lanxin") and a.kind in KINDS - {"service-map"}
    ]
    report = render_all(chosen, theme, tmp_path / "out", tmp_path / "cache")
    sizes = {e["kind"]: e["size_mm"] for e in report.manifest}
    assert sizes == {"case-poster": [297, 420], "rules-poster": [297, 420], "board": [420, 297]}
    for a in chosen:
        page = PdfReader(tmp_path / "out" / a.pdf_path).pages[0]
        assert round(float(page.mediabox.width) * MM_PER_PT) == a.size_mm[0]
        with Image.open(tmp_path / "out" / a.png_path) as im:
            assert im.width == 1080
            assert [r.text for r in zxingcpp.read_barcodes(im.convert("L"))] == [
                a.encoded(u) for u in a.qr
            ]


def test_second_theme_restyles_every_poster(tmp_path: Path) -> None:
    content = load(ROOT / "content")
    default = load_theme(ROOT / "themes", "default")
    festive = load_theme(ROOT / "themes", "festive")
    assert default.fingerprint != festive.fingerprint
    content.site.print.theme = "festive"
    _, artifacts = plan_print(content, ROOT / "themes", SITE_URL)
    chosen = {a.kind: a for a in artifacts if a.kind in KINDS}  # one of each poster kind
    render_all(list(chosen.values()), festive, tmp_path / "out", tmp_path / "cache")
    for a in chosen.values():
        with Image.open(tmp_path / "out" / a.png_path) as im:
            ppm = 1080 / a.context["canvas_w"]
            corner = (a.context["canvas_w"] - 20) * ppm, 12 * ppm  # inside the band, no text
            band = im.convert("RGB").getpixel((round(corner[0]), round(corner[1])))
        assert band == (0x1B, 0x5E, 0x20), a.kind  # festive green, not default red
    assert chosen["case-poster"].context["series"] == "身边的法律故事"


def font_names(pdf: Path) -> set[str]:
    fonts = PdfReader(pdf).pages[0]["/Resources"]["/Font"]
    return {str(ref.get_object()["/BaseFont"]).split("+", 1)[1] for ref in fonts.values()}


def test_posters_embed_small_cut_faces_and_rare_characters_still_print(
    content_copy: Path, tmp_path: Path
) -> None:
    case = content_copy / "cases" / "lease-deposit.md"
    text = case.read_text(encoding="utf-8")
    assert "喆" not in text and not _in_gb2312("喆")
    case.write_text(re.sub(r"title: (.*)", r"title: 王喆\1", text, count=1), encoding="utf-8")
    content = load(content_copy)
    theme, artifacts = plan_print(content, ROOT / "themes", SITE_URL)
    chosen = [a for a in artifacts if a.stem in ("lease-deposit", "iou-loan")]
    render_all(chosen, theme, tmp_path / "out", tmp_path / "cache")
    plain = tmp_path / "out/print/case-poster/iou-loan.pdf"
    rare = tmp_path / "out/print/case-poster/lease-deposit.pdf"
    assert all(n.startswith("PufaPrint1-") for n in font_names(plain))
    assert plain.stat().st_size < 100_000  # the full Noto face alone would be ~270 KB
    # 喆 is outside GB2312: it comes from the full font, and it is in the text layer.
    assert any(n.startswith("Noto-Sans-CJK-SC") for n in font_names(rare))
    assert "王喆" in PdfReader(rare).pages[0].extract_text().replace("\n", "")


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def test_font_cache_falls_back_when_home_is_not_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.delenv("PUFA_FONT_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert font_cache_dir() == tmp_path / "tmp" / "pufa-fonts"


def test_missing_font_is_a_clear_chinese_error() -> None:
    with pytest.raises(
        ConfigError, match="找不到印刷用的中文字体“不存在的字体”。请安装中文字体：.*fonts-noto-cjk"
    ):
        resolve_font("不存在的字体")


@pytest.mark.parametrize(
    "text",
    [
        "房东不退押金，社区法律顾问这样调解。租客退租时房东以“墙面脏了”为由扣下全部押金！",
        "《中华人民共和国民法典》第七百零三条、第七百一十条、第七百三十三条（租赁合同）。",
        "简单问题当场答复，复杂问题24小时答复，疑难问题一周当面答复。",
    ],
)
@pytest.mark.parametrize("width", [30.0, 41.0, 57.5, 80.0])
def test_line_breaks_obey_kinsoku(text: str, width: float) -> None:
    metrics = load_theme(ROOT / "themes", "default").metrics()
    lines = metrics.break_lines(text, width, 12)
    assert "".join(lines) == text
    for i, line in enumerate(lines):
        assert metrics.width_mm(line, 12) <= width + 1e-6 or len(line) <= 2
        if i > 0:
            assert line[0] not in NO_START, lines
        if i < len(lines) - 1:
            assert line[-1] not in NO_END, lines


def test_fit_shrinks_then_cuts() -> None:
    metrics = load_theme(ROOT / "themes", "default").metrics()
    box = Box(width_mm=60, height_mm=20, max_pt=20, min_pt=10, line_height=1.3)
    short = fit(metrics, ["短标题"], box)
    assert (short.size_pt, short.at_floor, short.cut) == (20, False, False)
    long = fit(metrics, ["很长的标题" * 8], box)
    assert 10 <= long.size_pt < 20 and not long.cut
    huge = fit(metrics, ["非常长的正文内容" * 40], box)
    assert huge.cut and huge.size_pt == 10
    assert huge.paragraphs[-1][-1].endswith("……")
    cap = int(20 / (10 * MM_PER_PT * 1.3))
    assert sum(len(p) for p in huge.paragraphs) == cap


def test_village_and_case_pages_show_posters(built_site: Path) -> None:
    case = (built_site / "cases/lease-deposit/index.html").read_text(encoding="utf-8")
    assert "长按图片保存，发送到群里" in case
    assert 'href="../../print/case-poster/lease-deposit.pdf"' in case
    assert 'src="../../print/case-poster/lease-deposit.png"' in case
    village = (built_site / "villages/caozhen/index.html").read_text(encoding="utf-8")
    for f in ["board/caozhen.pdf", "rules-poster/caozhen.pdf", "service-map/caozhen.pdf"]:
        assert f'href="../../print/{f}"' in village


def test_theme_change_rerenders_everything_and_nothing_else_does(
    content_copy: Path, tmp_path: Path
) -> None:
    """Incremental print at small size: a no-change build renders nothing; an edited case
    renders its posters and the packs holding them; a changed theme file renders all."""
    from site_builder.build import build
    from tests.conftest import build_opts

    themes = tmp_path / "themes"
    shutil.copytree(ROOT / "themes", themes)
    opts = build_opts(content_copy, tmp_path / "site", tmp_path / "work")
    opts.themes, opts.cache = themes, tmp_path / "cache"
    first = build(opts)
    assert first.print is not None
    total = len(first.print.artifacts)
    assert len(first.print.rendered) == total
    again = build(opts)
    assert again.print is not None and again.print.rendered == []
    case = content_copy / "cases" / "iou-loan.md"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("summary: ", "summary: 补充说明：", 1), encoding="utf-8")
    edited = build(opts)
    assert edited.print is not None
    villages = load(content_copy).cases["iou-loan"].villages
    assert len(villages) == 2
    assert sorted(edited.print.rendered) == sorted(
        ["print/case-poster/iou-loan.pdf"]
        + [f"print/case-poster/iou-loan--{v}.pdf" for v in villages]
        + [f"print/pack/{v}.pdf" for v in villages]
    )
    css = themes / "default" / "print" / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a county's tweak */\n", encoding="utf-8")
    restyled = build(opts)
    assert restyled.print is not None and len(restyled.print.rendered) == total


def test_one_name_per_product_from_the_registry(built_site: Path) -> None:
    """The manifest, the pack cover and the build notes take the one name of catalog.PRODUCTS."""
    from site_builder.print.catalog import NAMES, PRODUCTS

    assert len({p.name for p in PRODUCTS}) == len(PRODUCTS)
    assert NAMES["service-map"] == "十分钟法律服务圈海报"
    entries = json.loads((built_site / "print/manifest.json").read_text(encoding="utf-8"))
    for e in entries:
        expected = "居民公约海报" if e["name"].startswith("居民公约") else NAMES[e["kind"]]
        assert e["name"] == expected, e


def test_print_imports_nothing_from_pages() -> None:
    for path in (ROOT / "site_builder" / "print").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"from \.\.pages|site_builder\.pages|import pages", text), path


@pytest.mark.parametrize(("jobs", "cores", "expected"), [(3, {0, 1}, 3), (None, {0, 1, 2, 3}, 4)])
def test_jobs_sets_the_worker_processes(
    content_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    jobs: int | None,
    cores: set[int],
    expected: int,
) -> None:
    """``jobs`` (``pufa build --jobs N``) is the number of worker processes started; without
    it, one per core this process may run on."""
    from site_builder.print import render

    monkeypatch.setattr(render.os, "sched_getaffinity", lambda _pid: cores)
    content = load(content_copy)
    theme, artifacts = plan_print(content, ROOT / "themes", SITE_URL)
    posters = [a for a in artifacts if a.kind == "case-poster"][: render.BATCH * 2]
    assert sum(a.pages for a in posters) > render.BATCH
    job = render.start_render(posters, theme, tmp_path / "cache", jobs=jobs)
    try:
        assert job.workers == expected
        assert job.pool is not None
        assert len(job.pool._processes) == expected  # fork: all started at once
    finally:
        job.close()


def test_posters_print_citations_normalised() -> None:
    """The official title once, then the articles — what the case page's 法律依据 box says."""
    content = load(ROOT / "content")
    _, artifacts = plan_print(content, ROOT / "themes", SITE_URL)
    poster = next(a for a in artifacts if a.kind == "case-poster" and a.stem == "dog-bite-child")
    lines = [line for column in poster.context["law"]["columns"] for line in column]
    assert ["".join(line) for line in lines] == [
        "《中华人民共和国民法典》第一千二百四十五条、第一千二百四十六条"
    ]
