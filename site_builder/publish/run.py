"""`pufa publish`: send the built site to its target incrementally, in an order readers never
notice, keep the record on the target, and check the result over HTTP(S)."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..content.ledger import LEDGER
from ..safefs import SITE_MARKER
from .check import CheckResult, check_published, failure_message
from .rclone import PublishError, Rclone
from .record import (
    FILES,
    LEDGER_COPY,
    MANIFEST_COPY,
    PENDING,
    PHASES,
    RECORD_DIR,
    Plan,
    Record,
    files_json,
    make_plan,
    pending_json,
    site_files,
)
from .target import Target, credentials, parse_target

CSP_FILE = f"{RECORD_DIR}/csp.txt"


@dataclass
class Progress:
    """What a publish is doing, for a terminal line or the 工作台's 「发布上线」 bar."""

    stage: str
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0


@dataclass
class PublishOptions:
    site: Path = Path("site")
    content: Path = Path("content")
    to: str = ""
    check_url: str | None = None
    site_url: str = ""
    dry_run: bool = False
    check_timeout: float = 600.0  # seconds the check keeps retrying (a portal cache)
    check_interval: float = 10.0
    check_sample: int = 20
    bwlimit: str | None = None  # e.g. "2M": leave the county's line usable
    transfers: int = 4
    environ: dict[str, str] | None = None  # credentials source; default os.environ


@dataclass
class PublishResult:
    target: str
    plan: Plan
    seconds: float = 0.0
    check: CheckResult | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def files_sent(self) -> int:
        return len(self.plan.send)

    @property
    def bytes_sent(self) -> int:
        return self.plan.bytes


Listener = Callable[[Progress], None]


def connect(to: str, content: Path | None, environ: dict[str, str] | None = None) -> Target:
    """The target of ``publish.to`` with its credentials (ConfigError in Chinese)."""
    return parse_target(to, credentials(content, environ), content)


def publish(opts: PublishOptions, progress: Listener = lambda _: None) -> PublishResult:
    """Publish ``opts.site`` to ``opts.to``; raise :class:`PublishError` when it did not land
    or the check failed. ``progress`` hears each stage and rclone's statistics."""
    started = time.perf_counter()
    site = opts.site
    if not (site / SITE_MARKER).is_file() or not (site / "index.html").is_file():
        raise PublishError(f"{site}/ 不是 pufa 生成的网站：请先运行 pufa build")
    target = connect(opts.to, opts.content, opts.environ)
    extra = ["--bwlimit", opts.bwlimit] if opts.bwlimit else []
    rclone = Rclone(target, extra)
    progress(Progress("读取目标上的发布记录"))
    with tempfile.TemporaryDirectory(prefix="pufa-publish-") as tmp:
        got = Path(tmp) / "got"
        rclone.read_folder(RECORD_DIR, got)
        record = Record.read(got)
    progress(Progress("计算变化（SHA-256）"))
    local = site_files(site)
    plan = make_plan(local, record)
    result = PublishResult(opts.to, plan)
    if plan.resumed:
        result.notes.append("上次发布没有完成（被中断），这次一并补完。")
    if (
        record.files
        and CSP_FILE in local
        and record.files.get(CSP_FILE, ("",))[0] != local[CSP_FILE][0]
    ):
        result.notes.append(
            "网页里的内联脚本变了：请服务器管理员按 .pufa/nginx-csp.conf 更新 "
            "Content-Security-Policy（见 docs/hosting.md）"
        )
    if opts.dry_run:
        result.seconds = time.perf_counter() - started
        return result

    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    total_files, total_bytes = len(plan.send), plan.bytes
    done_files = done_bytes = 0
    with tempfile.TemporaryDirectory(prefix="pufa-record-") as tmp:
        rec = Path(tmp)
        (rec / PENDING).write_bytes(pending_json(plan, when))
        rclone.send(rec, [PENDING], RECORD_DIR)
        for label, files in zip(PHASES, plan.phases, strict=True):
            if not files:
                continue
            size = sum(plan.sizes[f] for f in files)
            base_files, base_bytes = done_files, done_bytes

            def stats(
                s: dict[str, int], bf: int = base_files, bb: int = base_bytes, lb: str = label
            ) -> None:
                progress(
                    Progress(
                        f"上传{lb}",
                        bf + int(s.get("transfers", 0)),
                        total_files,
                        bb + int(s.get("bytes", 0)),
                        total_bytes,
                    )
                )

            progress(Progress(f"上传{label}", done_files, total_files, done_bytes, total_bytes))
            rclone.send(site, files, on_stats=stats, transfers=opts.transfers)
            done_files, done_bytes = done_files + len(files), done_bytes + size
        progress(Progress("更新发布记录", done_files, total_files, done_bytes, total_bytes))
        (rec / FILES).write_bytes(files_json(local, plan.delete, when))
        names = [FILES]
        if (opts.content / LEDGER).is_file():
            (rec / LEDGER_COPY).write_bytes((opts.content / LEDGER).read_bytes())
            names.append(LEDGER_COPY)
        if (site / "print" / "manifest.json").is_file():
            (rec / MANIFEST_COPY).write_bytes((site / "print" / "manifest.json").read_bytes())
            names.append(MANIFEST_COPY)
        rclone.send(rec, names, RECORD_DIR)
        rclone.delete_file(f"{RECORD_DIR}/{PENDING}")
        if plan.delete:
            progress(Progress(f"删除旧文件 {len(plan.delete)} 个", done_files, total_files))
            rclone.delete(plan.delete)
            (rec / FILES).write_bytes(files_json(local, [], when))
            rclone.send(rec, [FILES], RECORD_DIR)
    result.seconds = time.perf_counter() - started

    if opts.check_url:
        progress(Progress("发布后检查", done_files, total_files, done_bytes, total_bytes))
        result.check = check_published(
            site,
            opts.site_url,
            opts.check_url,
            timeout=opts.check_timeout,
            interval=opts.check_interval,
            sample=opts.check_sample,
            say=lambda text: progress(Progress(text, done_files, total_files)),
        )
        if not result.check.ok:
            raise CheckFailed(
                failure_message(result.check, opts.check_url, opts.check_timeout / 60), result
            )
    else:
        result.notes.append("site.yml 没有设置 publish.check_url，没有做发布后检查。")
    progress(Progress("完成", done_files, total_files, done_bytes, total_bytes))
    return result


class CheckFailed(PublishError):
    """The files landed but the check over HTTP(S) did not pass; ``result`` says what went."""

    def __init__(self, message: str, result: PublishResult) -> None:
        super().__init__(message)
        self.result = result


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def summary(result: PublishResult, dry_run: bool = False) -> list[str]:
    """Chinese lines for the terminal and the 工作台."""
    plan = result.plan
    verb = "将发送" if dry_run else "已发送"
    lines = list(result.notes)
    parts = [f"{label} {len(files)} 个" for label, files in zip(PHASES, plan.phases, strict=True)]
    lines.append(
        f"{verb} {result.files_sent} 个文件（{human_bytes(result.bytes_sent)}；"
        + "，".join(parts)
        + f"），{'将删除' if dry_run else '删除'}旧文件 {len(plan.delete)} 个"
        + ("" if dry_run else f"，用时 {result.seconds:.1f} 秒")
    )
    if result.check and result.check.ok:
        c = result.check
        lines.append(
            f"发布后检查通过：{c.checked} 个网页（首页、二维码指向的 {c.qr_pages} 个"
            "和抽查的其余网页）与本次生成的完全一致。"
        )
    return lines
