"""The print worker: one process lays out a batch document, writes each artifact's PDF (its
own pages, card faces imposed), its PNG, and checks its QR codes. Only named, picklable
records cross the process boundary: a `Batch` in, a `BatchResult` out.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BuildError
from .artifact import PNG_WIDTH
from .impose import Segment, impose_finisher
from .verify import DecodeSpec, decode_image, decode_pdf_data, read_back_problem

CPU_PARTS = ("layout", "pdf", "png", "verify")  # where a worker's CPU time goes


def cache_paths(cache: Path, digest: str) -> tuple[Path, Path, Path]:
    """An artifact's cache entry: PDF, PNG and its edition (JSON)."""
    d = cache / digest[:2]
    return d / f"{digest}.pdf", d / f"{digest}.png", d / f"{digest}.json"


@dataclass(frozen=True)
class Target:
    """One artifact in a batch document: its pages there and whether to write it."""

    digest: str
    file: str
    edition: str
    title: str
    png: bool
    first: int
    count: int  # pages laid out: face pages of card sheets included
    write: bool
    segments: tuple[Segment, ...]  # how imposition turns the laid-out pages into the file
    qr: tuple[str, ...]  # what its codes must read
    decode: DecodeSpec | None  # where to read them (None: a pack, checked through its parts)


@dataclass(frozen=True)
class Batch:
    """One document for a worker: its HTML, the base URL of its files, what to write."""

    html: str
    base_url: str
    targets: list[Target]
    cache: str

    @property
    def written(self) -> int:
        """Artifacts this batch writes (its progress count)."""
        return sum(t.write for t in self.targets)


@dataclass
class BatchResult:
    """What a worker did with one batch."""

    cpu: dict[str, float]
    pages: int
    decoded: dict[str, list[str]]
    broken: list[str]


def render_batch(batch: Batch) -> BatchResult:
    """Worker: lay out one document, then write each wanted artifact as its own PDF from
    its pages (so each file embeds only the glyphs it shows) and render its PNG."""
    import copy
    import io
    import time

    import pypdfium2 as pdfium
    from weasyprint import HTML

    html, base_url, targets, cache_dir = batch.html, batch.base_url, batch.targets, batch.cache
    clock = time.process_time()
    cpu = dict.fromkeys(CPU_PARTS, 0.0)

    def spent(part: str) -> None:
        nonlocal clock
        now = time.process_time()
        cpu[part] += now - clock
        clock = now

    doc = HTML(string=html, base_url=base_url).render(font_config=_font_config())
    spent("layout")
    expected = max(t.first + t.count for t in targets)
    if len(doc.pages) != expected:
        raise BuildError(
            f"印刷排版出错：应为 {expected} 页，排出了 {len(doc.pages)} 页（有内容超出了页面）"
        )
    cache = Path(cache_dir)
    decoded: dict[str, list[str]] = {}
    broken: list[str] = []
    for t in targets:
        if not t.write:
            continue
        pdf_path, png_path, meta_path = cache_paths(cache, t.digest)
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        part = doc.copy(doc.pages[t.first : t.first + t.count])
        part.metadata = copy.copy(doc.metadata)
        part.metadata.title = t.title
        part.metadata.generator = "pufa"
        data = part.write_pdf(finisher=_finisher(t.segments))
        assert data is not None
        _write_atomic(pdf_path, data)
        spent("pdf")
        paletted = None
        if t.png:
            rendered = pdfium.PdfDocument(data)
            page = rendered[0]
            bitmap = page.render(scale=PNG_WIDTH / page.get_width(), rev_byteorder=True)
            image = bitmap.to_pil()  # RGB already: no conversion pass
            if image.width != PNG_WIDTH:
                image = image.crop((0, 0, PNG_WIDTH, image.height))
            out = io.BytesIO()
            paletted = palette_png(image)
            paletted.save(out, "PNG", compress_level=6)
            _write_atomic(png_path, out.getvalue())
            page.close()
            rendered.close()
            spent("png")
        if t.decode:
            box, pages, crop = t.decode
            texts = decode_image(paletted, box) if paletted else decode_pdf_data(data, pages, crop)
            decoded[t.digest] = texts
            spent("verify")
            if set(texts) != set(t.qr):
                continue  # no cache entry: the next build draws and checks it again
        elif len(t.segments) > 1:  # a pack: its parts' codes are checked; is it whole?
            problem = read_back_problem(data, sum(n for n, _ in t.segments))
            spent("verify")
            if problem:
                broken.append(f"{t.file}：{problem}")
                continue
        _write_atomic(meta_path, json.dumps({"edition": t.edition}).encode())
    spent("pdf")
    return BatchResult(cpu, len(doc.pages), decoded, broken)


@functools.cache
def _font_config() -> Any:
    """One font configuration per worker: the cut faces are loaded into fontconfig and
    Pango once, not once per document (~50 ms a document)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _finisher(segments: tuple[Segment, ...]) -> Callable[[Any, Any], None]:
    """Impose card faces (if any), then compress the streams ourselves."""
    impose = impose_finisher(segments)

    def finish(document: Any, pdf: Any) -> None:
        if impose:
            impose(document, pdf)
        flate_streams(pdf)

    return finish


def flate_streams(pdf: Any) -> None:
    """Compress every stream pydyf would compress, at zlib level 6 instead of its level 9:
    less than half the time (font programs are most of each file's bytes and of its
    writing time) for files 0.3 % larger."""
    import pydyf

    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress and "Filter" not in obj.extra:
            # pydyf's own serialiser of stream items (pydyf is held with WeasyPrint)
            raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
            obj.stream = [zlib.compress(raw, 6)]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


def palette_png(image: Any) -> Any:
    """A 64-colour palette image: a third of the bytes of RGB (56 KB vs 192 KB a poster) in
    the same time. The darkest and lightest entries are set to exact black and white, so the
    QR modules (pure black on pure white) keep their exact, whole-pixel edges."""
    from PIL import Image

    paletted = image.quantize(64, method=Image.Quantize.FASTOCTREE)
    colours = paletted.getpalette()[: 64 * 3]
    triples = [colours[i : i + 3] for i in range(0, len(colours), 3)]
    darkest = min(range(len(triples)), key=lambda i: sum(triples[i]))
    lightest = max(range(len(triples)), key=lambda i: sum(triples[i]))
    triples[darkest], triples[lightest] = [0, 0, 0], [255, 255, 255]
    paletted.putpalette([c for t in triples for c in t])
    return paletted


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
