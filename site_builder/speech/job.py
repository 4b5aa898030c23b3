"""One audio file per case, made while the pages build, cached by what it says and how.

``start_speech`` decides the file name of every case's audio (a hash of the spoken text,
the engine, its version and the encoder settings), so the pages can point at it, and
renders the files that are not in the cache on threads (each runs the engine and the
encoder as programs). ``finish`` waits for them and puts them next to each case's page.

What is read: the case's title and 要点 (summary), then where to find the rest and the
hotline: about 28 s of speech a case. The whole case would be the better service, but it
is about 100 s a case: on the example county it would add a fifth to the site's size and
about 6 s of CPU, a quarter or more of its cold build (2 cores, already busy with the print
workers), against a budget of a tenth for each (scripts/bench_speech.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content
from ..content.types import Case, Site
from ..content.urls import entity_url
from ..safefs import os_reason
from .engine import INSTALL, Engine, SpeechError, cache_key, find_engine, office_command, render
from .normalise import normalise
from .pinyin import espeak_pinyin

FORMAT = "pufa-speech-1"  # change to render every file again


def case_text(case: Case, site: Site) -> str:
    """What the audio of ``case`` says, normalised for an engine."""
    return normalise(
        f"{case.title}。\n{case.summary}\n"
        f"详细经过请看页面上的文字，也可以拨打公共法律服务热线 {site.hotline}。"
    )


@dataclass(frozen=True)
class SpeechItem:
    case_id: str
    spoken: str  # what the engine is given
    key: str

    @property
    def name(self) -> str:
        """The file name next to the case's page; a new text is a new name (WeChat caches)."""
        return f"speech-{self.key[:12]}.mp3"


@dataclass
class SpeechResult:
    rendered: list[str] = field(default_factory=list)  # case ids
    reused: int = 0
    notes: list[str] = field(default_factory=list)


class SpeechJob:
    """The audio of one build: names known at once, files rendered on threads."""

    def __init__(
        self,
        items: list[SpeechItem],
        engine: Engine | None,
        cache: Path,
        notes: list[str],
        jobs: int | None = None,
    ) -> None:
        self.items = items
        self.engine = engine
        self.cache = cache
        self.notes = notes
        self.futures: dict[str, Future[bool]] = {}
        self.pool: ThreadPoolExecutor | None = None
        todo = [i for i in items if not (cache / f"{i.key}.mp3").is_file()]
        self.reused = len(items) - len(todo)
        if todo and engine is not None:
            try:
                cache.mkdir(parents=True, exist_ok=True)
                for stale in cache.glob(".render-*"):  # left by a killed build (we hold the lock)
                    shutil.rmtree(stale, ignore_errors=True)
            except OSError as exc:
                self.notes.append(f"朗读音频：无法使用缓存文件夹 {cache}：{os_reason(exc)}")
                self.items, todo = [], []
        if todo and engine is not None:
            self.pool = ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1)
            for item in todo:
                self.futures[item.case_id] = self.pool.submit(self._render, engine, item)

    @property
    def files(self) -> dict[str, str]:
        """Case id → audio file name, relative to the case's page."""
        return {i.case_id: i.name for i in self.items}

    def _render(self, engine: Engine, item: SpeechItem) -> bool:
        out = self.cache / f"{item.key}.mp3"
        with tempfile.TemporaryDirectory(dir=self.cache, prefix=".render-") as tmp:
            render(engine, item.spoken, out, Path(tmp))
        return True

    def finish(self, site_dir: Path) -> SpeechResult:
        """Wait for the files and put each next to its case's page in ``site_dir``."""
        result = SpeechResult(reused=self.reused, notes=list(self.notes))
        for item in self.items:
            future = self.futures.get(item.case_id)
            if future is not None:
                try:
                    future.result()
                except (SpeechError, OSError) as exc:
                    # one case's audio never fails the build: its button falls back to the hotline
                    reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
                    result.notes.append(f"朗读音频：案例 {item.case_id} 没有生成：{reason}")
                    continue
                result.rendered.append(item.case_id)
            source = self.cache / f"{item.key}.mp3"
            dest = site_dir / entity_url("cases", item.case_id) / item.name
            if not dest.parent.is_dir():
                continue
            try:
                dest.unlink(missing_ok=True)
                try:
                    os.link(source, dest)
                except OSError:
                    shutil.copyfile(source, dest)
            except OSError as exc:
                result.notes.append(f"朗读音频：案例 {item.case_id} 没能放进网站：{os_reason(exc)}")
        if self.engine is not None and self.items:
            result.notes.append(
                f"朗读音频（{self.engine.label}，标题和要点）：新生成 {len(result.rendered)} 个，"
                f"沿用未变化的 {result.reused} 个"
            )
        self.close()
        return result

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def start_speech(content: Content, cache: Path, jobs: int | None = None) -> SpeechJob:
    """Plan every case's audio and start rendering what the cache does not hold."""
    settings = content.site.speech
    if not settings.audio or not content.cases:
        return SpeechJob([], None, cache, [])
    command = office_command()
    found = command if isinstance(command, str) else find_engine(command)
    if isinstance(found, str):
        note = (
            f"朗读音频：{found}，这次没有生成；没有中文语音的手机上，朗读按钮会说明并给出热线电话。"
        )
        if not command:
            note += f"安装：{INSTALL}"
        return SpeechJob([], None, cache, [note])
    items = []
    for case in content.cases.values():
        text = case_text(case, content.site)
        spoken = espeak_pinyin(text) if found.pinyin else text + "\n"
        items.append(SpeechItem(case.id, spoken, cache_key(found, spoken, FORMAT)))
    return SpeechJob(items, found, cache, [], jobs)
