"""Photo upload: the type read from the bytes (JPEG, PNG, WebP only), EXIF (GPS!) dropped,
resized for the web with Pillow, written into ``content/photos/``."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

from ..content.newfile import make_id
from ..safefs import atomic_write

MAX_BYTES = 10_000_000
MAX_PIXELS = 40_000_000
LONG_EDGE = 1200
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
EXTENSIONS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


class PhotoRefused(ValueError):
    """An upload that is not a photo the site takes; the message is Chinese."""


def sniff(data: bytes) -> str | None:
    """The image format of ``data`` from its first bytes, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(data) > 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def clean_photo(data: bytes, filename: str) -> tuple[bytes, str]:
    """(web-ready bytes without metadata, extension) or :class:`PhotoRefused`."""
    if len(data) > MAX_BYTES:
        raise PhotoRefused(
            f"照片太大（{len(data) // 1_000_000} MB），上限 {MAX_BYTES // 1_000_000} MB"
        )
    kind = sniff(data)
    if kind is None:
        raise PhotoRefused("这不是 JPEG、PNG 或 WebP 图片，只能上传这三种照片")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext and EXTENSIONS.get(ext) != kind:
        raise PhotoRefused(f"文件名是 .{ext}，内容却是 {NAMES[kind]} 图片：请上传原始照片文件")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != kind or probe.width * probe.height > MAX_PIXELS:
                raise PhotoRefused("照片尺寸太大或文件已损坏")
            image = ImageOps.exif_transpose(probe)
            image.load()
    except (OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise PhotoRefused("照片文件已损坏，打不开") from exc
    image.thumbnail((LONG_EDGE, LONG_EDGE))
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    pixels = Image.new(image.mode, image.size)  # a fresh image: no EXIF, XMP or ICC text
    pixels.paste(image)
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if kind in ("JPEG", "WEBP") else {"optimize": True}
    pixels.save(out, kind, **options)
    return out.getvalue(), FORMATS[kind]


def save_photo(root: Path, data: bytes, filename: str, name_hint: str) -> str:
    """Store an uploaded photo; return its path relative to the content folder."""
    clean, ext = clean_photo(data, filename)
    folder = root / "photos"
    folder.mkdir(exist_ok=True)
    taken = {p.stem for p in folder.iterdir()}
    stem = make_id(name_hint or Path(filename).stem or "photo", taken)
    atomic_write(folder / f"{stem}.{ext}", clean)
    return f"photos/{stem}.{ext}"
