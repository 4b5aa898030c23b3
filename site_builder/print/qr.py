"""QR codes as data and as vector SVG (pure functions; rendering is the template's job)."""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import qrcode
import qrcode.constants
from PIL import Image

QUIET_ZONE = 4
LEVELS = {
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


@lru_cache(maxsize=4096)
def qr_matrix(data: str, level: str = "Q") -> tuple[tuple[bool, ...], ...]:
    """Modules of the smallest QR code for ``data`` at ``level``, with a 4-module quiet zone."""
    qr = qrcode.QRCode(error_correction=LEVELS[level], border=QUIET_ZONE, box_size=1)
    qr.add_data(data)
    qr.make(fit=True)
    return tuple(tuple(bool(m) for m in row) for row in qr.get_matrix())


def qr_png_uri(matrix: tuple[tuple[bool, ...], ...], scale: int = 1) -> str:
    """A lossless 1-bit PNG of the matrix, one pixel per module, as a data URI.

    Templates scale it to its printed size with ``image-rendering: pixelated`` (the PDF gets
    ``/Interpolate false``, Flate-compressed: lossless). An inline SVG of the same code cost
    WeasyPrint ~47 ms of layout per poster; this image costs ~3 ms.
    """
    n = len(matrix)
    image = Image.new("1", (n, n), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    if scale > 1:  # for places that scale images smoothly (a WeChat article)
        image = image.resize((n * scale, n * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def pixel_exact_size(modules: int, target_mm: float, px_per_mm: float) -> tuple[float, int]:
    """Size (mm) nearest above ``target_mm`` at which a module is a whole number of pixels
    when the page is rendered at ``px_per_mm``; returns (size_mm, pixels per module)."""
    per_module = max(1, round(target_mm * px_per_mm / modules + 0.4999))
    return per_module * modules / px_per_mm, per_module
