"""The 发布上线 button: one `pufa publish` at a time on a thread, with live progress, and the
local copy of the last publish's record that gives the lists their 已发布 status.

The publish is the same ``publish()`` as `pufa publish`, under the same work lock as the
build (site/ is not swapped while it is being sent); this module only keeps what the browser
polls: stage, files, bytes, then the summary or the failure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build import BuildOptions
from ..content.load import SITE_FILE, _load_site
from ..errors import PufaError
from ..pages.mkdocs_site import read_project_config
from ..publish import CheckFailed, Progress, PublishError, PublishOptions, publish, summary
from ..publish.record import files_json, sha256_file, site_files
from ..publish.run import human_bytes
from ..worklock import work_lock

LAST_PUBLISH = "last-publish.json"  # in the state folder: what the last publish from here sent
LISTED = 200  # files of a dry run shown on the page


class NoTarget(PufaError):
    """site.yml has no ``publish.to`` (or site.yml does not load)."""


@dataclass
class PublishState:
    """What the 工作台 shows of the last or running publish."""

    running: bool = False
    dry_run: bool = False
    stage: str = ""
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    started: float = 0.0
    ok: bool | None = None
    summary: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    send: list[str] = field(default_factory=list)  # a dry run: what would be sent …
    delete: list[str] = field(default_factory=list)  # … and deleted
    more: int = 0  # files of a dry run not listed

    def view(self) -> dict[str, Any]:
        return {
            "running": self.running,
            "dry_run": self.dry_run,
            "stage": self.stage,
            "files_done": self.files_done,
            "files_total": self.files_total,
            "bytes_done": self.bytes_done,
            "bytes_total": self.bytes_total,
            "bytes_done_text": human_bytes(self.bytes_done),
            "bytes_total_text": human_bytes(self.bytes_total),
            "seconds": round(time.monotonic() - self.started, 1) if self.started else 0,
            "ok": self.ok,
            "summary": self.summary,
            "problems": self.problems,
            "send": self.send,
            "delete": self.delete,
            "more": self.more,
        }


def publish_options(build_opts: BuildOptions, dry_run: bool = False) -> PublishOptions:
    """The options of `pufa publish` for the 工作台's site; :class:`NoTarget` in Chinese
    when site.yml does not say where to publish."""
    problems: list[Any] = []
    site = _load_site(build_opts.content, problems)
    if site is None:
        raise NoTarget("网站设置（site.yml）有问题，无法发布：" + "；".join(map(str, problems)))
    if not site.publish.to:
        raise NoTarget(
            f"还没有设置发布地址：请在网站设置 {SITE_FILE} 里写 publish: {{to: …}}"
            "（发布到哪里，以及发布后检查的网址 check_url），见 docs/hosting.md"
        )
    return PublishOptions(
        site=build_opts.out,
        content=build_opts.content,
        to=site.publish.to,
        check_url=site.publish.check_url,
        site_url=str(read_project_config(build_opts.config)["site_url"]),
        dry_run=dry_run,
    )


class Publisher:
    """Runs publishes on a thread; one at a time. ``options`` can be adjusted by tests
    (e.g. a short check timeout) through ``tune``."""

    def __init__(self, build_opts: BuildOptions, state: Path) -> None:
        self.build_opts = build_opts
        self.state_dir = state
        self.state = PublishState()
        self.lock = threading.Lock()
        self.tune: dict[str, Any] = {}

    def start(self, dry_run: bool = False) -> bool:
        """Start a publish unless one is running; True if started. Raises :class:`NoTarget`."""
        opts = publish_options(self.build_opts, dry_run)
        for k, v in self.tune.items():
            setattr(opts, k, v)
        with self.lock:
            if self.state.running:
                return False
            self.state = PublishState(
                running=True, dry_run=dry_run, stage="准备", started=time.monotonic()
            )
        threading.Thread(target=self._run, args=(opts,), daemon=True).start()
        return True

    def _progress(self, p: Progress) -> None:
        with self.lock:
            s = self.state
            s.stage = p.stage
            if p.files_total or p.bytes_total:
                s.files_done, s.files_total = p.files_done, p.files_total
                s.bytes_done, s.bytes_total = p.bytes_done, p.bytes_total

    def _stage(self, text: str) -> None:
        with self.lock:
            self.state.stage = text

    def _run(self, opts: PublishOptions) -> None:
        ok, lines, problems = False, [], []
        send: list[str] = []
        delete: list[str] = []
        more = 0
        try:
            self._stage("等待其他操作（生成网站等）结束")
            with work_lock(
                self.build_opts.lock_dir or self.build_opts.work, "publish", self._stage
            ):
                try:
                    result = publish(opts, self._progress)
                except CheckFailed:
                    if not opts.dry_run:
                        self._keep_record(opts.site)  # the files landed: the target's record
                    raise
                if not opts.dry_run:
                    self._keep_record(opts.site)
            ok = True
            lines = summary(result, opts.dry_run)
            if opts.dry_run:
                send, delete = result.plan.send[:LISTED], result.plan.delete[:LISTED]
                more = len(result.plan.send) + len(result.plan.delete) - len(send) - len(delete)
            else:
                lines.insert(0, f"发布完成：{opts.to}")
        except CheckFailed as exc:
            lines = ["文件已经发送，但发布后检查没有通过：", *summary(exc.result)]
            problems = [str(exc)]
        except PufaError as exc:  # PublishError, ConfigError of the target, …
            lines = ["没有发布完成（网站上保持原来完整的版本）"]
            problems = [str(exc)]
        except Exception as exc:  # noqa: BLE001 - the page must hear of any failure
            lines = ["没有发布完成（网站上保持原来完整的版本）"]
            problems = [f"发布时出错：{exc}"]
        with self.lock:
            s = self.state
            s.running, s.ok, s.summary, s.problems = False, ok, lines, problems
            s.send, s.delete, s.more = send, delete, more
            s.stage = "完成" if ok else "失败"

    def _keep_record(self, site: Path) -> None:
        """Write the local copy of the record the target now holds (``.pufa/files.json``)."""
        self._stage("记下本次发布的文件")
        when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        data = files_json(site_files(site), [], when)
        path = self.state_dir / LAST_PUBLISH
        tmp = path.with_name(f".{LAST_PUBLISH}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)


class Published:
    """The files of the last publish from this machine (path → SHA-256), and the hashes of
    the built pages, both cached by modification time."""

    def __init__(self, state: Path) -> None:
        self.path = state / LAST_PUBLISH
        self.lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._files: dict[str, str] = {}
        self._hashes: dict[str, tuple[int, int, str]] = {}

    def files(self) -> dict[str, str]:
        try:
            st = self.path.stat()
        except OSError:
            return {}
        stamp = (st.st_mtime_ns, st.st_size)
        with self.lock:
            if stamp != self._stamp:
                try:
                    data = json.loads(self.path.read_text(encoding="utf-8"))
                    files = {str(k): str(v[0]) for k, v in data.get("files", {}).items()}
                except (OSError, ValueError, AttributeError, TypeError, IndexError, KeyError):
                    files = {}
                self._stamp, self._files = stamp, files
            return self._files

    def same(self, site: Path, rel: str, files: dict[str, str]) -> bool:
        """Whether ``site/rel`` is the file the last publish sent."""
        want = files.get(rel)
        if not want:
            return False
        path = site / rel
        try:
            st = path.stat()
        except OSError:
            return False
        with self.lock:
            cached = self._hashes.get(rel)
        if cached and cached[:2] == (st.st_mtime_ns, st.st_size):
            got = cached[2]
        else:
            try:
                got = sha256_file(path)
            except OSError:
                return False
            with self.lock:
                self._hashes[rel] = (st.st_mtime_ns, st.st_size, got)
        return got == want


__all__ = ["LAST_PUBLISH", "NoTarget", "PublishError", "Published", "Publisher", "publish_options"]
