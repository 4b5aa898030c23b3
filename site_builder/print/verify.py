"""Print-to-web verification: every QR code decodes to its manifest URL and to a real page."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import zxingcpp
from PIL import Image

from .artifact import PNG_WIDTH, Artifact

# Faces of multi-page artifacts that carry the codes (the others are not rendered).
QR_PAGES = {"card": [1], "card-sheet": [1]}


def _qr_texts(image: Image.Image) -> list[str]:
    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


def decode_png(path: Path, box: tuple[int, int, int, int] | None = None) -> list[str]:
    """Texts of every QR code zxing-cpp finds in a PNG; with ``box``, look there first (a
    poster's planned QR position) and fall back to the whole image."""
    with Image.open(path) as im:
        gray = im.convert("L")
    if box:
        found = _qr_texts(gray.crop(box))
        if found:
            return found
    return _qr_texts(gray)


def decode_pdf(path: Path, dpi: int = 200, pages: list[int] | None = None) -> list[str]:
    """Texts of every QR code on the pages of a PDF (all, or ``pages``), rendered at ``dpi``
    (enough for a 0.4 mm module to span three pixels, not print resolution)."""
    import pypdfium2 as pdfium

    texts: list[str] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in pages if pages is not None else range(len(pdf)):
            page = pdf[i]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            texts += [
                r.text
                for r in zxingcpp.read_barcodes(image)
                if r.format == zxingcpp.BarcodeFormat.QRCode
            ]
            page.close()
    finally:
        pdf.close()
    return texts


def page_exists(site: Path, url: str, site_url: str) -> bool:
    """Whether ``url`` (absolute, under ``site_url``) is a page in the built ``site``."""
    if not url.startswith(site_url):
        return False
    rel = url[len(site_url) :]
    target = site / rel
    return (target / "index.html").is_file() if rel.endswith("/") or not rel else target.is_file()


def verify(artifacts: list[Artifact], site: Path, site_url: str) -> list[str]:
    """Chinese problems for artifacts whose QR codes do not decode or lead nowhere.

    Posters are checked on their PNG (what phones are shown), cards and sheets on a render
    of their PDF; on both cores when there are many."""
    problems = []
    jobs = [_job(a, site) for a in artifacts if a.qr]
    if len(jobs) > 16 and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(2, mp_context=get_context("fork")) as pool:
            decoded = list(pool.map(_decode, jobs, chunksize=8))
    else:
        decoded = [_decode(j) for j in jobs]
    for a, texts in zip([a for a in artifacts if a.qr], decoded, strict=True):
        name = a.png_path if a.png else a.pdf_path
        if not texts:
            problems.append(f"{name}：二维码无法识别（来源 {a.source}）")
            continue
        for text in set(texts):
            if text not in a.qr:
                problems.append(f"{name}：二维码内容是 {text}，与清单中的 {a.qr} 不符")
            elif not page_exists(site, text, site_url):
                problems.append(f"{name}：二维码指向的网页 {text} 不存在")
        for url in a.qr:
            if url not in texts:
                problems.append(f"{name}：没有找到指向 {url} 的二维码")
    return problems


Job = tuple[str, Path, tuple[int, int, int, int] | None, list[int] | None]


def _job(a: Artifact, site: Path) -> Job:
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
        return ("png", site / a.png_path, box, None)
    return ("pdf", site / a.pdf_path, None, QR_PAGES.get(a.kind))


def _decode(job: Job) -> list[str]:
    kind, path, box, pages = job
    return decode_png(path, box) if kind == "png" else decode_pdf(path, pages=pages)


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
        for text in sorted(set(texts)):
            if text not in e["qr"]:
                problems.append(f"{e['file']}：二维码内容是 {text}，与清单不符")
            elif not page_exists(site, text, site_url):
                problems.append(f"{e['file']}：二维码指向的网页 {text} 不存在")
        for url in e["qr"]:
            if texts and url not in texts:
                problems.append(f"{e['file']}：没有找到指向 {url} 的二维码")
    return len(entries), problems
