"""Render planned artifacts: many pages per WeasyPrint document, both cores, cached by hash.

A cache entry is ``<cache>/<digest>.pdf`` + ``.png`` + ``.json`` (its edition); an artifact
whose inputs did not change is copied from the cache and never laid out again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..errors import BuildError
from .artifact import PNG_WIDTH, Artifact
from .theme import PrintTheme

BATCH = 24  # pages laid out together: per-document overhead dominates single posters


@dataclass
class RenderReport:
    """What a print run did: manifest entries, how many artifacts were rendered or reused."""

    manifest: list[dict[str, Any]] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    reused: int = 0
    seconds_per_page: float = 0.0


def _cache_paths(cache: Path, digest: str) -> tuple[Path, Path, Path]:
    d = cache / digest[:2]
    return d / f"{digest}.pdf", d / f"{digest}.png", d / f"{digest}.json"


def _editions(old_manifest: Path) -> dict[str, str]:
    try:
        data = json.loads(old_manifest.read_text(encoding="utf-8"))
        return {e["file"]: e["edition"] for e in data if isinstance(e, dict)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def render_all(
    artifacts: list[Artifact],
    theme: PrintTheme,
    out: Path,
    cache: Path,
    old_manifest: Path | None = None,
    jobs: int | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RenderReport:
    """Render what is not cached, copy everything into ``out`` and return the manifest."""
    today = today or dt.date.today()
    old = _editions(old_manifest) if old_manifest else {}
    report = RenderReport()
    todo: list[Artifact] = []
    for a in artifacts:
        pdf, png, meta = _cache_paths(cache, a.digest)
        short = a.digest[:8]
        if pdf.is_file() and (png.is_file() or not a.png) and meta.is_file():
            a.edition = json.loads(meta.read_text(encoding="utf-8"))["edition"]
            report.reused += 1
        else:
            previous = old.get(a.pdf_path, "")
            a.edition = previous if previous.endswith(short) else f"{today.isoformat()} {short}"
            todo.append(a)
        a.context["edition"] = a.edition
    if todo:
        report.seconds_per_page = _render(todo, theme, cache, jobs, progress)
        report.rendered = [a.pdf_path for a in todo]
    for a in artifacts:
        pdf, png, _ = _cache_paths(cache, a.digest)
        if a.parts:
            pdf = _assemble(a, cache)
        _place(pdf, out / a.pdf_path)
        report.manifest.append(a.manifest(a.pdf_path))
        if a.png:
            _place(png, out / a.png_path)
            report.manifest.append(a.manifest(a.png_path))
    return report


def _assemble(pack: Artifact, cache: Path) -> Path:
    """Cover + the already rendered PDFs of its parts, merged once and cached."""
    from pypdf import PdfWriter

    cover, _, _ = _cache_paths(cache, pack.digest)
    merged = cover.with_name(f"{pack.digest}.pack.pdf")
    if merged.is_file():
        return merged
    writer = PdfWriter()
    for part in [cover] + [_cache_paths(cache, d)[0] for d in pack.parts]:
        writer.append(str(part))
    writer.add_metadata({"/Title": f"{pack.context['village_name']} 打印资料包 {pack.edition}"})
    # Parts laid out in the same batch share their font subsets: keep one copy.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    tmp = merged.with_name(merged.name + ".tmp")
    with tmp.open("wb") as f:
        writer.write(f)
    tmp.replace(merged)
    return merged


def _place(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        dst.unlink()
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _render(
    todo: list[Artifact],
    theme: PrintTheme,
    cache: Path,
    jobs: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> float:
    """Lay out ``todo`` in batches, in parallel; return seconds of work per page."""
    template = theme.env.get_template("document.html.j2")
    batches = []
    for i in range(0, len(todo), BATCH):
        chunk = todo[i : i + BATCH]
        html = template.render(
            artifacts=[{**a.context, "template": a.template} for a in chunk],
            css=theme.css,
            font=theme.font.family,
        )
        # A pack's template draws its cover only; the rest is assembled below.
        targets = [(a.digest, a.edition, a.png, 1 if a.parts else a.pages) for a in chunk]
        batches.append((html, str(theme.dirs[0]), targets, str(cache)))
    workers = jobs or min(2, os.cpu_count() or 1)
    seconds: list[float] = []
    if workers <= 1 or len(batches) == 1:
        results: Iterable[float] = map(_render_batch, batches)
        pool = None
    else:
        pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"))
        results = pool.map(_render_batch, batches)
    try:
        for n, spent in enumerate(results, 1):
            seconds.append(spent)
            if progress:
                progress(min(n * BATCH, len(todo)), len(todo))
    finally:
        if pool:
            pool.shutdown()
    return sum(seconds) / max(1, len(todo))


def _render_batch(batch: tuple[str, str, list[tuple[str, str, bool, int]], str]) -> float:
    """Worker: one WeasyPrint document and one PDF for the batch (fonts subset once), then
    one single-page PDF per artifact split from it, and its PNG rendered by pdfium."""
    import io
    import time

    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    html, base_url, targets, cache_dir = batch
    started = time.process_time()
    doc = HTML(string=html, base_url=base_url).render()
    expected = sum(t[3] for t in targets)
    if len(doc.pages) != expected:
        raise BuildError(
            f"印刷排版出错：应为 {expected} 页，排出了 {len(doc.pages)} 页（有内容超出了页面）"
        )
    whole = doc.write_pdf()
    assert whole is not None
    reader = PdfReader(io.BytesIO(whole))
    rendered = pdfium.PdfDocument(whole)
    cache = Path(cache_dir)
    first = 0
    for digest, edition, want_png, count in targets:
        i, first = first, first + count
        pdf_path, png_path, meta_path = _cache_paths(cache, digest)
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        writer = PdfWriter()
        for n in range(i, i + count):
            writer.add_page(reader.pages[n])
        writer.add_metadata({"/Title": edition, "/Producer": "pufa"})
        buf = io.BytesIO()
        writer.write(buf)
        _write_atomic(pdf_path, buf.getvalue())
        if want_png:
            page = rendered[i]
            image = page.render(scale=PNG_WIDTH / page.get_width()).to_pil().convert("RGB")
            if image.width != PNG_WIDTH:
                image = image.crop((0, 0, PNG_WIDTH, image.height))
            out = io.BytesIO()
            palette_png(image).save(out, "PNG", compress_level=6)
            _write_atomic(png_path, out.getvalue())
            page.close()
        _write_atomic(meta_path, json.dumps({"edition": edition}).encode())
    rendered.close()
    return time.process_time() - started


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
