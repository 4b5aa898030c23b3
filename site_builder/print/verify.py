"""Print-to-web verification: every QR code decodes to its manifest URL and to a real page."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image

from .artifact import Artifact


def decode_png(path: Path) -> list[str]:
    """Texts of every QR code zxing-cpp finds in a PNG."""
    with Image.open(path) as im:
        found = zxingcpp.read_barcodes(im.convert("L"))
    return [r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode]


def decode_pdf(path: Path, dpi: int = 200) -> list[str]:
    """Texts of every QR code on every page of a PDF, rendered at ``dpi`` (enough for a
    0.4 mm module to span three pixels, not print resolution)."""
    import pypdfium2 as pdfium

    texts: list[str] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
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
    of their PDF."""
    problems = []
    for a in artifacts:
        if not a.qr:
            continue
        name = a.png_path if a.png else a.pdf_path
        texts = decode_png(site / a.png_path) if a.png else decode_pdf(site / a.pdf_path)
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
