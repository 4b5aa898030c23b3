"""The print job and its cache: batches of planned artifacts on worker processes (worker.py).

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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .artifact import Artifact
from .impose import Segment
from .theme import PrintTheme
from .verify import decode_spec
from .worker import CPU_PARTS, Batch, BatchResult, Target, cache_paths, render_batch

BATCH = 24  # pages laid out together: per-document overhead dominates single posters


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
        pdf, png, meta = cache_paths(cache, a.digest)
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
    workers = jobs or default_jobs()
    return RenderJob(artifacts, todo, batches, cache, workers, progress)


def default_jobs() -> int:
    """Worker processes by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


class RenderJob:
    """Batches on their way through a process pool, or run in ``finish`` when there is one
    worker or little to do. The pool forks at the first batch, before the caller starts
    any other thread, and lays out while the rest of the batches are written."""

    def __init__(
        self,
        artifacts: list[Artifact],
        todo: list[Artifact],
        batches: Iterator[Batch],
        cache: Path,
        workers: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.artifacts, self.todo, self.cache = artifacts, todo, cache
        self.batches = batches
        self.progress, self.done, self.lock = progress, 0, threading.Lock()
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future[BatchResult]] = []
        if workers > 1 and sum(a.pages for a in todo) > BATCH:
            self.pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"))
            try:
                for b in batches:
                    future = self.pool.submit(render_batch, b)
                    future.add_done_callback(functools.partial(self._batch_done, b.written))
                    self.futures.append(future)
            except BaseException:  # a template failed half-way: no workers left behind
                self.close()
                raise

    def _batch_done(self, count: int, future: Future[BatchResult] | None = None) -> None:
        if future is not None and (future.cancelled() or future.exception() is not None):
            return
        with self.lock:  # reports arrive in order, each once
            self.done += count
            if self.progress:
                self.progress(self.done, len(self.todo))

    def finish(self, out: Path) -> RenderReport:
        """Wait for the batches, place every artifact in ``out``, return the manifest."""
        report = RenderReport(reused=len(self.artifacts) - len(self.todo))
        results: Iterable[BatchResult]
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
            pdf, png, _ = cache_paths(self.cache, a.digest)
            _place(pdf, out / a.pdf_path)
            report.manifest.append(a.manifest(a.pdf_path))
            if a.png:
                _place(png, out / a.png_path)
                report.manifest.append(a.manifest(a.png_path))
        return report

    def _run_here(self, batch: Batch) -> BatchResult:
        result = render_batch(batch)
        self._batch_done(batch.written)
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
) -> Iterator[Batch]:
    """``todo`` cut into documents of about BATCH laid-out pages, one at a time."""
    template = theme.env.get_template("document.html.j2")
    faces, family = theme.font_css()
    wanted = {a.digest for a in todo}  # each written once, even if planned twice
    chunk: list[Artifact] = []
    targets: list[Target] = []
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
                Target(
                    a.digest,
                    a.pdf_path,
                    a.edition,
                    title,
                    a.png,
                    page,
                    span,
                    write,
                    whole,
                    tuple(a.encoded(u) for u in a.qr),  # what the codes hold
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
    targets: list[Target],
    faces: str,
    family: str,
    theme: PrintTheme,
    cache: Path,
) -> Batch:
    html = template.render(
        artifacts=[{**a.context, "template": a.template} for a in chunk],
        css=theme.css,
        font_faces=faces,
        font=family,
    )
    return Batch(html, str(theme.dirs[0]), targets, str(cache))
