"""Benchmark 朗读 audio: the engine, render time cold and cached, bytes against the site, and
the example county's cold build with and without audio. One figure per line.

Usage: python scripts/bench_speech.py [rounds]   (rounds of cold builds each way, default 5;
       one warm-up build first, not counted; builds alternate without/with audio)
"""

from __future__ import annotations

import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from site_builder.build import BuildOptions, build
from site_builder.content import load
from site_builder.speech import start_speech
from site_builder.speech.engine import Engine, cache_key, find_engine, mp3_info
from site_builder.speech.job import FORMAT, SpeechItem, SpeechJob
from site_builder.speech.normalise import normalise
from site_builder.speech.pinyin import espeak_pinyin

ROOT = Path(__file__).resolve().parent.parent


def size_of(folder: Path, suffix: str = "") -> int:
    return sum(p.stat().st_size for p in folder.rglob(f"*{suffix}") if p.is_file())


def cold_build(content: Path, work: Path) -> float:
    shutil.rmtree(work, ignore_errors=True)
    opts = BuildOptions(
        content=content,
        out=work / "site",
        config=ROOT / "mkdocs.yml",
        themes=ROOT / "themes",
        work=work / "work",
    )
    t = time.perf_counter()
    build(opts)
    return time.perf_counter() - t


def render_all(job: SpeechJob, site: Path) -> float:
    t = time.perf_counter()
    job.finish(site)
    return time.perf_counter() - t


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    base = Path(tempfile.mkdtemp(prefix="pufa-bench-speech-"))
    try:
        content = load(ROOT / "content")
        engine = find_engine([])
        if isinstance(engine, str):
            print(f"speech_engine: none ({engine})")
            return
        print(f"speech_engine: {engine.label} (voice cmn-latn-pinyin, MP3 16 kbit/s mono 16 kHz)")
        print(f"cases: {len(content.cases)}")

        cache = base / "speech-cache"
        site = base / "render-site"
        for c in content.cases:
            (site / "cases" / c).mkdir(parents=True)
        t = time.perf_counter()
        cpu = children_cpu()
        job = start_speech(content, cache)
        cold = render_all(job, site) + (time.perf_counter() - t)
        cpu = children_cpu() - cpu
        t = time.perf_counter()
        warm_job = start_speech(content, cache)
        warm = render_all(warm_job, site) + (time.perf_counter() - t)
        infos = [mp3_info(p.read_bytes()) for p in cache.glob("*.mp3")]
        seconds = sum(i.seconds for i in infos if i)
        audio_bytes = sum(i.size for i in infos if i)
        print(f"speech_render_cold: {cold:.2f} s ({len(job.items)} files, 2 threads)")
        print(f"speech_render_cached: {warm:.2f} s")
        print(f"speech_audio_seconds: {seconds:.0f} s ({seconds / len(infos):.1f} s a case)")
        kbps = audio_bytes / seconds * 8 / 1000
        print(f"speech_audio_bytes: {audio_bytes / 1e6:.2f} MB ({kbps:.1f} kbit/s)")
        print(f"speech_cpu: {cpu:.2f} s ({cpu / seconds * 1000:.1f} ms a second of audio)")

        full_s, full_bytes, full_audio = full_text(content, engine, base / "full-cache")
        print(
            f"speech_full_text_render_cold: {full_s:.2f} s, {full_audio:.0f} s of audio, "
            f"{full_bytes / 1e6:.2f} MB (title + whole body, not built)"
        )

        off = base / "content-off"
        shutil.copytree(ROOT / "content", off)
        with (off / "site.yml").open("a", encoding="utf-8") as f:
            f.write("\nspeech:\n  audio: false\n")
        with_speech, without = [], []
        cold_build(off, base / "b-off")  # warm-up, not counted: the OS file cache, imports
        for _ in range(rounds):
            without.append(cold_build(off, base / "b-off"))
            with_speech.append(cold_build(ROOT / "content", base / "b-on"))
        site_bytes = size_of(base / "b-off" / "site")
        on_audio = size_of(base / "b-on" / "site", ".mp3")
        a, b = statistics.median(with_speech), statistics.median(without)
        print(f"site_size_without_audio: {site_bytes / 1e6:.2f} MB")
        share = on_audio / site_bytes
        print(f"site_audio_bytes: {on_audio / 1e6:.2f} MB ({share:.1%} of the site without)")
        print(f"county_cold_build_without_speech: {b:.2f} s (median of {rounds}: {fmt(without)})")
        print(f"county_cold_build_with_speech: {a:.2f} s (median of {rounds}: {fmt(with_speech)})")
        print(f"county_cold_build_speech_added: {a - b:+.2f} s ({(a - b) / b:+.1%})")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def full_text(content: object, engine: Engine, cache: Path) -> tuple[float, int, float]:
    """What reading every case in full (title and body) would cost: time, bytes, seconds."""
    items = []
    for case in content.cases.values():  # type: ignore[attr-defined]
        spoken = espeak_pinyin(normalise(f"{case.title}。\n{case.body}"))
        items.append(SpeechItem(case.id, spoken, cache_key(engine, spoken, FORMAT + "-full")))
    site = cache.parent / "full-site"
    for i in items:
        (site / "cases" / i.case_id).mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    SpeechJob(items, engine, cache, []).finish(site)
    elapsed = time.perf_counter() - t
    infos = [mp3_info(p.read_bytes()) for p in cache.glob("*.mp3")]
    return elapsed, sum(i.size for i in infos if i), sum(i.seconds for i in infos if i)


if __name__ == "__main__":
    main()
