"""Print-to-web verification: every QR code decodes to its manifest URL and to a real page.

The renderer decodes each new artifact right after drawing it (``decode_spec``,
``decode_image``, ``decode_pdf_data``), so the build checks every code without reading a
file twice; ``pufa verify`` reads the whole printed folder back (``verify_manifest``).
"""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image

from ..content.tags import parse_tag, untagged_url
from .artifact import PNG_WIDTH, Artifact
from .cards import CARD_H, CARD_W
from .catalog import product

MM = 72 / 25.4


def _qr_texts(image: Image.Image) -> list[str]:
    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


def decode_png(path: Path, box: tuple[int, int, int, int] | None = None) -> list[str]:
    """Texts of every QR code zxing-cpp finds in a PNG; with ``box``, look there first (a
    poster's planned QR position) and fall back to the whole image."""
    with Image.open(path) as im:
        return decode_image(im, box)


def decode_pdf(path: Path, dpi: int = 200, pages: list[int] | None = None) -> list[str]:
    """Texts of every QR code on the pages of a PDF (all, or ``pages``), rendered at ``dpi``
    (enough for a 0.4 mm module to span three pixels, not print resolution)."""
    return decode_pdf_data(path.read_bytes(), pages, None, dpi)


def page_exists(site: Path, url: str, site_url: str) -> bool:
    """Whether ``url`` (absolute, under ``site_url``) is a page in the built ``site``."""
    if not url.startswith(site_url):
        return False
    rel = url[len(site_url) :]
    target = site / rel
    return (target / "index.html").is_file() if rel.endswith("/") or not rel else target.is_file()


# How to find an artifact's codes: a box in its PNG (posters), or pages of its PDF, each
# optionally cropped (left, bottom, right, top, in points cut off the page).
DecodeSpec = tuple[tuple[int, int, int, int] | None, list[int] | None, tuple[float, ...] | None]


def decode_spec(a: Artifact) -> DecodeSpec:
    """Where the renderer looks for ``a``'s codes right after drawing it."""
    if a.png:
        q = a.context.get("qr")
        box = None
        if isinstance(q, dict) and "size" in q:
            ppm = PNG_WIDTH / a.context["canvas_w"]
            pad = 12
            box = (
                round(q["x"] * ppm) - pad,
                round(q["y"] * ppm) - pad,
                round((q["x"] + q["size"]) * ppm) + pad,
                round((q["y"] + q["size"]) * ppm) + pad,
            )
        return box, None, None
    crop = None
    if a.faces:  # an imposed sheet: every cell draws the same face; read the first one
        (x, y), (w, h) = a.faces[1][0], (a.size_mm[0], a.size_mm[1])
        b = 2 * a.context["bleed"]
        face_w, face_h = CARD_W + b, CARD_H + b
        crop = tuple(v * MM for v in (x, h - y - face_h, w - x - face_w, y))
    return None, list(product(a.kind).qr_pages), crop


def decode_image(image: Image.Image, box: tuple[int, int, int, int] | None) -> list[str]:
    """Codes in a rendered poster: in ``box`` first, else anywhere."""
    gray = image.convert("L")
    if box:
        found = _qr_texts(gray.crop(box))
        if found:
            return found
    return _qr_texts(gray)


def decode_pdf_data(
    data: bytes, pages: list[int] | None, crop: tuple[float, ...] | None, dpi: int = 200
) -> list[str]:
    """Codes on ``pages`` (default all) of a PDF in memory, rendered at ``dpi``."""
    import pypdfium2 as pdfium

    texts: list[str] = []
    pdf = pdfium.PdfDocument(data)
    try:
        for i in pages if pages is not None else range(len(pdf)):
            page = pdf[i]
            image = page.render(scale=dpi / 72, grayscale=True, crop=crop or (0, 0, 0, 0))
            texts += _qr_texts(image.to_pil())
            page.close()
    finally:
        pdf.close()
    return texts


def read_back_problem(data: bytes, pages: int) -> str | None:
    """Why a PDF in memory does not read back whole: unreadable, another page count than
    planned, or a page that does not load (Chinese); None when it is whole."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return "文件写坏了，无法读取"
    try:
        if len(pdf) != pages:
            return f"应有 {pages} 页，读出 {len(pdf)} 页"
        for i in range(pages):
            try:
                page = pdf[i]
            except pdfium.PdfiumError:
                return f"第 {i + 1} 页无法读取"
            page.close()
    finally:
        pdf.close()
    return None


def check(a: Artifact, texts: list[str], site: Path, site_url: str) -> list[str]:
    """Chinese problems of one artifact whose codes decoded to ``texts``: unreadable, other
    than planned, or leading to no page of ``site``."""
    name = a.png_path if a.png else a.pdf_path
    if not texts:
        return [f"{name}：二维码无法识别（来源 {a.source}）"]
    problems = []
    for text in sorted(set(texts)):
        url = untagged_url(text)
        if url not in a.qr or (a.kind != "pack" and text != a.encoded(url)):
            problems.append(f"{name}：二维码内容是 {text}，与清单中的 {a.qr} 不符")
        elif not page_exists(site, url, site_url):
            problems.append(f"{name}：二维码指向的网页 {url} 不存在")
    found = {untagged_url(t) for t in texts}
    for url in a.qr:
        if url not in found:
            problems.append(f"{name}：没有找到指向 {url} 的二维码")
    return problems


def verify_manifest(site: Path, site_url: str) -> tuple[int, list[str]]:
    """Decode the QR codes of every file in ``site/print/manifest.json`` (PDF and PNG);
    return (files checked, Chinese problems)."""
    import json

    manifest = site / "print" / "manifest.json"
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0, [f"找不到或无法读取印刷品清单 {manifest}：请先运行 pufa build"]
    problems = []
    for e in entries:
        file = site / e["file"]
        if not file.is_file():
            problems.append(f"{e['file']}：文件不存在")
            continue
        try:
            texts = decode_png(file) if e["file"].endswith(".png") else decode_pdf(file)
        except Exception:  # noqa: BLE001 - a broken file is a finding, not a crash
            problems.append(f"{e['file']}：文件已损坏，无法读取")
            continue
        if e["qr"] and not texts:
            problems.append(f"{e['file']}：二维码无法识别")
        tags = e.get("tags")  # absent: a pack, or a file printed before tags existed
        for text in sorted(set(texts)):
            url = untagged_url(text)
            wrong_tag = tags is not None and parse_tag(text) != tags.get(url)
            if url not in e["qr"] or wrong_tag:
                problems.append(f"{e['file']}：二维码内容是 {text}，与清单不符")
            elif not page_exists(site, url, site_url):
                problems.append(f"{e['file']}：二维码指向的网页 {url} 不存在")
        found = {untagged_url(t) for t in texts}
        for url in e["qr"]:
            if texts and url not in found:
                problems.append(f"{e['file']}：没有找到指向 {url} 的二维码")
    return len(entries), problems
