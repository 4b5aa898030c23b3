"""QR codes as data and as vector SVG (pure functions; rendering is the template's job)."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants

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


def qr_svg(matrix: tuple[tuple[bool, ...], ...], size_mm: float) -> str:
    """An SVG of the matrix, ``size_mm`` wide, one rectangle per horizontal run of modules.

    Rectangles, not one path: WeasyPrint placed a compound path half a pixel off the grid,
    which blurs module edges in the PNG; rectangles land exactly on whole pixels.
    """
    n = len(matrix)
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                parts.append(f'<rect x="{start}" y="{y}" width="{x - start}" height="1"/>')
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_mm:.4f}mm" height="{size_mm:.4f}mm"'
        f' viewBox="0 0 {n} {n}" shape-rendering="crispEdges">'
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<g fill="#000">{"".join(parts)}</g></svg>'
    )


def pixel_exact_size(modules: int, target_mm: float, px_per_mm: float) -> tuple[float, int]:
    """Size (mm) nearest above ``target_mm`` at which a module is a whole number of pixels
    when the page is rendered at ``px_per_mm``; returns (size_mm, pixels per module)."""
    per_module = max(1, round(target_mm * px_per_mm / modules + 0.4999))
    return per_module * modules / px_per_mm, per_module
