"""Render planned artifacts: many pages per WeasyPrint document, both cores, cached by hash.

Each artifact is written from its own pages of the shared document, so its PDF embeds only
the glyphs it shows; a village's pack is laid out with its parts and written the same way.

A cache entry is ``<cache>/<digest>.pdf`` + ``.png`` + ``.json`` (its edition); an artifact
whose inputs did not change is linked from the cache and never laid out again.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..errors import BuildError
from .artifact import PNG_WIDTH, Artifact
from .impose import Segment, impose_finisher
from .theme import PrintTheme
from .verify import DecodeSpec, decode_image, decode_pdf_data, decode_spec, read_back_problem

BATCH = 24  # pages laid out together: per-document overhead dominates single posters
CPU_PARTS = ("layout", "pdf", "png", "verify")  # where a worker's CPU time goes


@dataclass
class RenderReport:
    """What a print run did: manifest entries, how many artifacts were rendered or reused."""

    manifest: list[dict[str, Any]] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    reused: int = 0
    cpu_per_page: dict[str, float] = field(default_factory=dict)  # seconds per laid-out page
    decoded: dict[str, list[str]] = field(default_factory=dict)  # digest → codes read back
    broken: list[str] = field(default_factory=list)  # Chinese: files that did not read back
    laid_out_pages: int = 0


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
    job = start_render(artifacts, theme, cache, old_manifest, jobs, today, progress)
    return job.finish(out)


def start_render(
    artifacts: list[Artifact],
    theme: PrintTheme,
    cache: Path,
    old_manifest: Path | None = None,
    jobs: int | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RenderJob:
    """Set editions, and start laying out what is not cached on worker processes: the
    caller builds the web pages meanwhile and collects the result with ``finish``.
    ``progress(done, total)`` is called as batches complete, from a pool thread."""
    today = today or dt.date.today()
    old = _editions(old_manifest) if old_manifest else {}
    todo: list[Artifact] = []
    for a in artifacts:
        pdf, png, meta = _cache_paths(cache, a.digest)
        short = a.digest[:8]
        if pdf.is_file() and (png.is_file() or not a.png) and meta.is_file():
            a.edition = json.loads(meta.read_text(encoding="utf-8"))["edition"]
        else:
            previous = old.get(a.pdf_path, "")
            a.edition = previous if previous.endswith(short) else f"{today.isoformat()} {short}"
            todo.append(a)
        a.context["edition"] = a.edition
    by_digest = {a.digest: a for a in artifacts}
    batches = _batches(todo, by_digest, theme, cache)
    workers = jobs or min(2, os.cpu_count() or 1)
    return RenderJob(artifacts, todo, batches, cache, workers, progress)


class RenderJob:
    """Batches on their way through a process pool, or run in ``finish`` when there is one
    worker or little to do. The pool forks at the first batch, before the caller starts
    any other thread, and lays out while the rest of the batches are written."""

    def __init__(
        self,
        artifacts: list[Artifact],
        todo: list[Artifact],
        batches: Iterator[_Batch],
        cache: Path,
        workers: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.artifacts, self.todo, self.cache = artifacts, todo, cache
        self.batches = batches
        self.progress, self.done, self.lock = progress, 0, threading.Lock()
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future[_Result]] = []
        if workers > 1 and sum(a.pages for a in todo) > BATCH:
            self.pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"))
            try:
                for b in batches:
                    future = self.pool.submit(_render_batch, b)
                    future.add_done_callback(functools.partial(self._batch_done, _written(b)))
                    self.futures.append(future)
            except BaseException:  # a template failed half-way: no workers left behind
                self.close()
                raise

    def _batch_done(self, count: int, future: Future[_Result] | None = None) -> None:
        if future is not None and (future.cancelled() or future.exception() is not None):
            return
        with self.lock:  # reports arrive in order, each once
            self.done += count
            if self.progress:
                self.progress(self.done, len(self.todo))

    def finish(self, out: Path) -> RenderReport:
        """Wait for the batches, place every artifact in ``out``, return the manifest."""
        report = RenderReport(reused=len(self.artifacts) - len(self.todo))
        results: Iterable[_Result]
        if self.pool:
            results = (f.result() for f in as_completed(self.futures))
        else:
            results = map(self._run_here, self.batches)
        cpu, pages = dict.fromkeys(CPU_PARTS, 0.0), 0
        try:
            for r in results:
                cpu = {k: cpu[k] + r.cpu[k] for k in CPU_PARTS}
                pages += r.pages
                report.decoded.update(r.decoded)
                report.broken += r.broken
        finally:
            self.close()
        report.cpu_per_page = {k: v / max(1, pages) for k, v in cpu.items()}
        report.laid_out_pages = pages
        report.rendered = [a.pdf_path for a in self.todo]
        for a in self.artifacts:
            pdf, png, _ = _cache_paths(self.cache, a.digest)
            _place(pdf, out / a.pdf_path)
            report.manifest.append(a.manifest(a.pdf_path))
            if a.png:
                _place(png, out / a.png_path)
                report.manifest.append(a.manifest(a.png_path))
        return report

    def _run_here(self, batch: _Batch) -> _Result:
        result = _render_batch(batch)
        self._batch_done(_written(batch))
        return result

    def close(self) -> None:
        """Stop the workers (after ``finish``, or when the build failed meanwhile)."""
        if self.pool:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def _place(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        dst.unlink()
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


_Batch = tuple[str, str, list["_Target"], str]  # document HTML, base URL, targets, cache


@dataclass(frozen=True)
class _Target:
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


@dataclass
class _Result:
    """What a worker did with one batch."""

    cpu: dict[str, float]
    pages: int
    decoded: dict[str, list[str]]
    broken: list[str]


def _written(batch: _Batch) -> int:
    """Artifacts a batch writes (its progress count)."""
    return sum(t.write for t in batch[2])


def _units(todo: list[Artifact], by_digest: dict[str, Artifact]) -> list[list[Artifact]]:
    """Artifacts laid out together: a pack with all its parts (the pack is written from
    their pages, with one font subset), and every other artifact on its own."""
    units: list[list[Artifact]] = []
    held: set[str] = set()
    for a in todo:
        if a.parts:
            units.append([a] + [by_digest[d] for d in a.parts])
            held.update(a.parts)
    units += [[a] for a in todo if not a.parts and a.digest not in held]
    return units


def _batches(
    todo: list[Artifact], by_digest: dict[str, Artifact], theme: PrintTheme, cache: Path
) -> Iterator[_Batch]:
    """``todo`` cut into documents of about BATCH laid-out pages, one at a time."""
    template = theme.env.get_template("document.html.j2")
    faces, family = theme.font_css()
    wanted = {a.digest for a in todo}  # each written once, even if planned twice
    chunk: list[Artifact] = []
    targets: list[_Target] = []
    page = 0
    for unit in _units(todo, by_digest):
        segments: list[Segment] = [(a.pages, a.faces) for a in unit[1:]]
        for a in unit:
            if a.parts:  # its template draws the cover; the parts follow it
                own: list[Segment] = [(1, [])]
                span = 1 + sum(n + len(f) for n, f in segments)
                title = f"{a.context['village_name']} 打印资料包 {a.edition}"
                whole = tuple(own + segments)
            else:
                own = [(a.pages, a.faces)]
                span, title, whole = a.pages + len(a.faces), a.edition, tuple(own)
            write = a.digest in wanted
            wanted.discard(a.digest)
            spec = None if a.parts or not a.qr else decode_spec(a)
            targets.append(
                _Target(
                    a.digest,
                    a.pdf_path,
                    a.edition,
                    title,
                    a.png,
                    page,
                    span,
                    write,
                    whole,
                    tuple(a.qr),
                    spec,
                )
            )
            chunk.append(a)
            page += sum(n + len(f) for n, f in own)
        if page >= BATCH:
            yield _batch(template, chunk, targets, faces, family, theme, cache)
            chunk, targets, page = [], [], 0
    if chunk:
        yield _batch(template, chunk, targets, faces, family, theme, cache)


def _batch(
    template: Any,
    chunk: list[Artifact],
    targets: list[_Target],
    faces: str,
    family: str,
    theme: PrintTheme,
    cache: Path,
) -> _Batch:
    html = template.render(
        artifacts=[{**a.context, "template": a.template} for a in chunk],
        css=theme.css,
        font_faces=faces,
        font=family,
    )
    return html, str(theme.dirs[0]), targets, str(cache)


def _render_batch(batch: _Batch) -> _Result:
    """Worker: lay out one document, then write each wanted artifact as its own PDF from
    its pages (so each file embeds only the glyphs it shows) and render its PNG."""
    import copy
    import io
    import time

    import pypdfium2 as pdfium
    from weasyprint import HTML

    html, base_url, targets, cache_dir = batch
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
        pdf_path, png_path, meta_path = _cache_paths(cache, t.digest)
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
    return _Result(cpu, len(doc.pages), decoded, broken)


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
