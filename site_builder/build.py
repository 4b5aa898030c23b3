"""`pufa build`: validate → generate pages → MkDocs → print → swap into the output folder.

The output folder is replaced only when every stage succeeded: a failed or interrupted
build leaves the previous site complete.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .content import Content, load
from .content.ledger import LEDGER, write_ledger
from .data.hsds import write_package
from .errors import BuildError, ConfigError
from .pages.generate import generate
from .pages.mkdocs_site import read_project_config, run_mkdocs, site_config
from .print import PrintResult, plan_print, print_links, start_print
from .print.glyphs import glyph_problems
from .publish.csp import write_csp
from .publish.history import restore_history
from .review.approved import approved_tree
from .safefs import SITE_MARKER, WORK_MARKER, Protected, check_output_dir, os_reason, write_marker
from .search import index_site
from .speech import start_speech
from .worklock import work_lock


@dataclass
class BuildOptions:
    content: Path = Path("content")
    out: Path = Path("site")
    config: Path = Path("mkdocs.yml")
    themes: Path = Path("themes")
    work: Path = Path(".pufa-build")
    # The folder whose lock serialises commands; default: ``work``. The preview builds in a
    # sub-folder of the project's work folder and locks the project's work folder itself.
    lock_dir: Path | None = None
    cache: Path | None = None  # print cache; default <work>/print-cache (content-addressed)
    render_print: bool = True  # False for the live preview: pages only, ledger untouched
    jobs: int | None = None  # print worker processes; default: one per core
    # (done, total) as print batches finish: from a pool thread, while the pages build
    progress: Callable[[int, int], None] | None = None
    # 审核与留痕: publish only approved versions when site.yml requires review (False: the
    # staff's live preview of the working files); ``state`` holds the 工作台's review key
    review: bool = True
    state: Path | None = None


@dataclass
class BuildResult:
    content: Content
    pages: int
    seconds: float
    print: PrintResult | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


Stage = Callable[[str], None]


def build(opts: BuildOptions, say: Stage = lambda _: None) -> BuildResult:
    """Build the whole site into ``opts.out``; raise a PufaError and keep the old output
    on any failure. Refuses (UnsafeOutput, touching nothing) an output or work folder that
    would eat input; waits while another command holds the work folder's lock."""
    check_folders(opts)
    with work_lock(opts.lock_dir or opts.work, "build"):
        return _build(opts, say)


def protected(opts: BuildOptions) -> Protected:
    """The folders this build reads and must never replace."""
    return Protected(opts.content, opts.themes, opts.config.parent)


SITE_LEGACY = ("print/manifest.json", "pagefind/pagefind-entry.json")
WORK_LEGACY = ("lock", "docs", "print-cache", "search-cache", "mkdocs.generated.yml", "preview")


def check_folders(opts: BuildOptions) -> None:
    """Refuse output and work folders that are, hold or sit inside what the build reads."""
    guard = protected(opts)
    check_output_dir(opts.out, guard, marker=SITE_MARKER, legacy=SITE_LEGACY)
    work = {
        "marker": WORK_MARKER,
        "legacy": WORK_LEGACY,
        "what": "临时文件夹",
        "example": ".pufa-build",
    }
    check_output_dir(opts.work, guard, **work)  # type: ignore[arg-type]
    if opts.lock_dir is not None:
        check_output_dir(opts.lock_dir, guard, **work)  # type: ignore[arg-type]


def _build(opts: BuildOptions, say: Stage) -> BuildResult:
    started = time.perf_counter()
    say("检查内容")
    approved = approved_tree(opts.content, opts.work, opts.state) if opts.review else None
    content = load(approved.root if approved else opts.content)
    # a fresh machine (CI): earlier editions and published URLs from the target's record
    history = restore_history(content, opts.content, opts.out) if opts.render_print else []
    project = read_project_config(opts.config)
    theme_dir = opts.themes / content.site.print.theme
    if not theme_dir.is_dir():
        raise ConfigError(
            f"content/site.yml 的 print.theme 指定了“{content.site.print.theme}”，"
            f"但 {opts.themes}/ 下没有这个文件夹"
        )
    # 朗读 audio: names now (the pages point at them); files rendered on threads from here,
    # on the core that the next steps (one process until the print workers start) leave idle
    speech = start_speech(content, opts.work / "speech-cache") if opts.render_print else None
    try:
        content.warnings = sorted(content.warnings + glyph_problems(content, opts.themes))
        say("排版印刷品")
        site_url = project["site_url"]
        print_theme, artifacts = plan_print(content, opts.themes, site_url)
        docs = opts.work / "docs"
        if docs.exists():
            shutil.rmtree(docs)
        docs.mkdir(parents=True)
        if not (opts.work / WORK_MARKER).exists():
            write_marker(opts.work, WORK_MARKER)
        say("生成网页")
        audio = speech.files if speech else None
        urls = generate(content, docs, print_links(artifacts), site_url, audio=audio)
    except BaseException:
        if speech:
            speech.close()
        raise

    out = opts.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    # Print is laid out on worker processes while this one builds the pages.
    job = None
    if opts.render_print:
        cache = opts.cache or opts.work / "print-cache"
        job = start_print(artifacts, print_theme, cache, out, opts.progress, jobs=opts.jobs)
    try:
        say("排版网页（MkDocs）")
        site_theme = theme_dir if (theme_dir / "site").is_dir() else opts.themes / "default"
        cfg = site_config(project, content, docs, staging, site_theme)
        warnings = run_mkdocs(cfg, opts.work / "mkdocs.generated.yml")
        write_package(content, staging / "data", site_url)
        write_marker(staging, SITE_MARKER)
        write_csp(staging)  # the inline scripts' hashes for the hosting guide's CSP
        say("建立搜索索引（Pagefind）")
        search_reused = index_site(staging, opts.work / "search-cache")
        printed = None
        if job:
            say(f"生成印刷品（{len(artifacts)} 件）")
            printed = job.finish(staging, site_url)
        spoken = speech.finish(staging) if speech else None
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if job:
            job.close()
        if speech:
            speech.close()
    if printed is None:  # the live preview: pages only, and it publishes nothing
        return BuildResult(content, len(urls), time.perf_counter() - started, None, warnings)
    try:
        write_ledger(opts.content, urls)
    except OSError as exc:
        warnings.append(f"无法更新已发布网址清单 {opts.content / LEDGER}：{os_reason(exc)}")
    notes = [*(approved.notes if approved else []), *dict.fromkeys(printed.notes)]
    notes.append(f"印刷品：新生成 {len(printed.rendered)} 件，沿用未变化的 {printed.reused} 件")
    notes += spoken.notes if spoken else []
    notes += history
    if search_reused:
        notes.append("搜索索引：网页没有变化，沿用上次的索引")
    return BuildResult(content, len(urls), time.perf_counter() - started, printed, warnings, notes)


def recover(out: Path) -> None:
    """Clean up after a build that was killed: drop half-written staging folders, and put
    back the previous site if the kill fell between the two renames of the swap."""
    for stale in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    olds = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if not out.exists() and olds:
        olds.pop().rename(out)
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` in place of ``out`` with two renames; remove the old tree after."""
    if not (staging / "index.html").is_file():
        raise BuildError("生成的网站缺少首页 index.html，已保留原来的网站")
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
