"""Render planned artifacts: many pages per WeasyPrint document, both cores, cached by hash.

A cache entry is ``<cache>/<digest>.pdf`` + ``.png`` + ``.json`` (its edition); an artifact
whose inputs did not change is copied from the cache and never laid out again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
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
) -> RenderReport:
    """Render what is not cached, copy everything into ``out`` and return the manifest."""
    today = today or dt.date.today()
    old = _editions(old_manifest) if old_manifest else {}
    report = RenderReport()
    todo: list[Artifact] = []
    for a in artifacts:
        pdf, png, meta = _cache_paths(cache, a.digest)
        short = a.digest[:8]
        if pdf.is_file() and png.is_file() and meta.is_file():
            a.edition = json.loads(meta.read_text(encoding="utf-8"))["edition"]
            report.reused += 1
        else:
            previous = old.get(a.pdf_path, "")
            a.edition = previous if previous.endswith(short) else f"{today.isoformat()} {short}"
            todo.append(a)
        a.context["edition"] = a.edition
    if todo:
        report.seconds_per_page = _render(todo, theme, cache, jobs)
        report.rendered = [a.pdf_path for a in todo]
    for a in artifacts:
        pdf, png, _ = _cache_paths(cache, a.digest)
        _place(pdf, out / a.pdf_path)
        report.manifest.append(a.manifest(a.pdf_path))
        if a.png:
            _place(png, out / a.png_path)
            report.manifest.append(a.manifest(a.png_path))
    return report


def _place(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        dst.unlink()
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _render(todo: list[Artifact], theme: PrintTheme, cache: Path, jobs: int | None) -> float:
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
        targets = [(a.digest, a.edition, a.png) for a in chunk]
        batches.append((html, str(theme.dirs[0]), targets, str(cache)))
    workers = jobs or min(2, os.cpu_count() or 1)
    if workers <= 1 or len(batches) == 1:
        seconds = [_render_batch(b) for b in batches]
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            seconds = list(pool.map(_render_batch, batches))
    return sum(seconds) / max(1, len(todo))


def _render_batch(batch: tuple[str, str, list[tuple[str, str, bool]], str]) -> float:
    """Worker: one WeasyPrint document for the batch, then one PDF and PNG per page."""
    import time

    import pypdfium2 as pdfium
    from weasyprint import HTML

    html, base_url, targets, cache_dir = batch
    started = time.process_time()
    doc = HTML(string=html, base_url=base_url).render()
    if len(doc.pages) != len(targets):
        raise BuildError(
            f"印刷排版出错：{len(targets)} 件印刷品排出了 {len(doc.pages)} 页（有内容超出了一页）"
        )
    cache = Path(cache_dir)
    for page, (digest, edition, want_png) in zip(doc.pages, targets, strict=True):
        pdf_path, png_path, meta_path = _cache_paths(cache, digest)
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        data = doc.copy([page]).write_pdf()
        assert data is not None
        tmp = pdf_path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(pdf_path)
        if want_png:
            pdf = pdfium.PdfDocument(data)
            pg = pdf[0]
            scale = PNG_WIDTH / pg.get_width()
            image = pg.render(scale=scale).to_pil()
            if image.width != PNG_WIDTH:
                image = image.crop((0, 0, PNG_WIDTH, image.height))
            tmp_png = png_path.with_suffix(".tmp.png")
            image.convert("RGB").save(tmp_png, optimize=False, compress_level=6)
            tmp_png.replace(png_path)
            pg.close()
            pdf.close()
        meta_path.write_text(json.dumps({"edition": edition}), encoding="utf-8")
    return time.process_time() - started
