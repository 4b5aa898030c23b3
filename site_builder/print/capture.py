"""A notice-board capture: what a phone camera makes of a printed QR code (seeded).

Downscaled to a few pixels per module, Gaussian blur σ≈1 px, up to ±10 % perspective,
lowered contrast, sensor noise and JPEG at quality 75, then decoded with zxing-cpp.
"""

from __future__ import annotations

import io
import random

import zxingcpp
from PIL import Image, ImageEnhance, ImageFilter

# At 2 px per module a σ = 1 px blur is half a module wide and zxing-cpp reads not even an
# undamaged code (measured on the example county: 2.5 px 0/180, 3.0 px 172/180, 3.5 px
# 180/180 with every other degradation on). 3.5 px per module is the smallest sampling at
# which the check is meaningful rather than impossible.
PX_PER_MODULE = 3.5
BLUR_SIGMA = 1.0


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination for the 8 × 8 perspective system (no numpy needed)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def _perspective(size: int, rng: random.Random, amount: float) -> list[float]:
    """Coefficients of a keystone view: one edge up to ``amount`` shorter than the opposite
    one, horizontally and vertically (a phone held at an angle to the board)."""
    w = h = float(size)
    kx = rng.uniform(-amount, amount) * w / 4  # top edge vs bottom edge: ratio ≤ 1 ± amount
    ky = rng.uniform(-amount, amount) * h / 4  # left edge vs right edge
    dst = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
    src = [(kx, ky), (w - kx, -ky), (w + kx, h + ky), (-kx, h - ky)]
    a, b = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    return _solve(a, b)


def capture(qr_image: Image.Image, modules: int, seed: int) -> Image.Image:
    """Degrade a clean image of one QR code (quiet zone included, ``modules`` wide) the way
    a camera does: perspective of the scene first, then the sensor's sampling, lens blur,
    low contrast, noise and JPEG compression."""
    rng = random.Random(seed)
    clean = qr_image.convert("L")
    pad = clean.width // 5  # the board around the code
    scene = Image.new("L", (clean.width + 2 * pad, clean.height + 2 * pad), 235)
    scene.paste(clean, (pad, pad))
    warped = scene.transform(
        scene.size,
        Image.Transform.PERSPECTIVE,
        _perspective(scene.width, rng, 0.10),
        Image.Resampling.BICUBIC,
        fillcolor=235,
    )
    scale = modules * PX_PER_MODULE / clean.width
    sensor = warped.resize(
        (round(warped.width * scale), round(warped.height * scale)), Image.Resampling.BOX
    )
    blurred = sensor.filter(ImageFilter.GaussianBlur(radius=BLUR_SIGMA))
    dull = ImageEnhance.Contrast(blurred).enhance(0.6)
    values = [max(0, min(255, int(v + rng.gauss(0, 6)))) for v in dull.tobytes()]
    dull.putdata(values)
    buf = io.BytesIO()
    dull.save(buf, "JPEG", quality=75)
    return Image.open(io.BytesIO(buf.getvalue()))


def decodes_after_capture(qr_image: Image.Image, modules: int, expected: str, seed: int) -> bool:
    """Whether the code still reads as ``expected`` after :func:`capture`."""
    image = capture(qr_image, modules, seed)
    # Phone scanners upsample the camera frame before binarising; so does this check.
    for candidate in (
        image,
        image.resize((image.width * 3, image.height * 3), Image.Resampling.BICUBIC),
    ):
        if any(r.text == expected for r in zxingcpp.read_barcodes(candidate)):
            return True
    return False


def crop_code(image: Image.Image) -> list[tuple[Image.Image, int, str]]:
    """Each QR code of a clean render, cropped with its 4-module quiet zone:
    (crop, modules across including the quiet zone, decoded text)."""
    from ..qr import qr_matrix

    gray = image.convert("L")
    out = []
    for r in zxingcpp.read_barcodes(gray):
        level = r.ec_level if r.ec_level in ("M", "Q", "H") else "M"
        modules = len(qr_matrix(r.text, level))
        p = r.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        module = (max(xs) - min(xs)) / (modules - 8)
        box = (
            round(min(xs) - 4 * module),
            round(min(ys) - 4 * module),
            round(max(xs) + 5 * module),
            round(max(ys) + 5 * module),
        )
        out.append((gray.crop(box), modules, r.text))
    return out
