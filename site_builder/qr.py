"""QR codes as data and as lossless images: pure functions, shared by print and the pages.

Placing a code on a page is its user's job (``print/qr.py`` sizes codes for print).
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import zxingcpp
from PIL import Image

QUIET_ZONE = 4
LEVELS = ("M", "Q", "H")


@lru_cache(maxsize=4096)
def qr_matrix(data: str, level: str = "Q") -> tuple[tuple[bool, ...], ...]:
    """Modules of the smallest QR code for ``data`` at ``level``, with a 4-module quiet zone.

    Encoded by zxing-cpp (C++): 0.4 ms a code, where the pure-Python `qrcode` package took
    10 ms choosing its mask, which was most of the planning time of a county's 3,000 codes.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown error-correction level {level!r}")
    code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
    image = code.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape[:2]
    pixels = bytes(memoryview(image))  # type: ignore[arg-type]  # buffer protocol, no stub
    blank = (False,) * (width + 2 * QUIET_ZONE)
    rows = [
        (False,) * QUIET_ZONE
        + tuple(pixels[y * width + x] < 128 for x in range(width))
        + (False,) * QUIET_ZONE
        for y in range(height)
    ]
    return (blank,) * QUIET_ZONE + tuple(rows) + (blank,) * QUIET_ZONE


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
