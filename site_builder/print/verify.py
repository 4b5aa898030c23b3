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


def page_exists(site: Path, url: str, site_url: str) -> bool:
    """Whether ``url`` (absolute, under ``site_url``) is a page in the built ``site``."""
    if not url.startswith(site_url):
        return False
    rel = url[len(site_url) :]
    target = site / rel
    return (target / "index.html").is_file() if rel.endswith("/") or not rel else target.is_file()


def verify(artifacts: list[Artifact], site: Path, site_url: str) -> list[str]:
    """Chinese problems for artifacts whose PNG QR codes do not decode or lead nowhere."""
    problems = []
    for a in artifacts:
        if not a.png:
            continue
        png = site / a.png_path
        texts = decode_png(png)
        if not texts:
            problems.append(f"{a.png_path}：二维码无法识别（来源 {a.source}）")
            continue
        for text in set(texts):
            if text not in a.qr:
                problems.append(f"{a.png_path}：二维码内容是 {text}，与清单中的 {a.qr} 不符")
            elif not page_exists(site, text, site_url):
                problems.append(f"{a.png_path}：二维码指向的网页 {text} 不存在")
        for url in a.qr:
            if url not in texts:
                problems.append(f"{a.png_path}：没有找到指向 {url} 的二维码")
    return problems
