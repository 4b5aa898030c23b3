"""The 生成网站 button: one full build at a time on a thread, with live progress.

The build is the same ``build()`` as `pufa build` (it swaps the new site in only when
everything succeeded, so the previous site stays up if it fails); this module only keeps
what the browser polls: stage, count, time left, then the summary.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ..build import BuildOptions, build
from ..errors import ContentError, PufaError


@dataclass
class BuildState:
    """What the 工作台 shows of the last or running build."""

    running: bool = False
    stage: str = ""
    done: int = 0
    total: int = 0
    started: float = 0.0
    print_started: float = 0.0
    ok: bool | None = None
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        """The JSON the page polls; ``left`` is seconds, or None while unknown."""
        left = None
        if self.running and self.done and self.total:
            spent = time.monotonic() - self.print_started
            left = round(spent / self.done * (self.total - self.done))
        return {
            "running": self.running,
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "left": left,
            "seconds": round(time.monotonic() - self.started, 1) if self.started else 0,
            "ok": self.ok,
            "summary": self.summary,
            "problems": self.problems,
            "notes": self.notes,
            "warnings": self.warnings,
        }


class Builder:
    """Runs full builds on a thread; one at a time."""

    def __init__(self, opts: BuildOptions) -> None:
        self.opts = opts
        self.state = BuildState()
        self.lock = threading.Lock()

    def start(self) -> bool:
        """Start a build unless one is running; True if started."""
        with self.lock:
            if self.state.running:
                return False
            self.state = BuildState(running=True, stage="准备", started=time.monotonic())
        threading.Thread(target=self._run, daemon=True).start()
        return True

    def _stage(self, text: str) -> None:
        with self.lock:
            self.state.stage = text

    def _progress(self, done: int, total: int) -> None:
        with self.lock:
            if not self.state.print_started:
                self.state.print_started = self.state.started
            self.state.done, self.state.total = done, total

    def _run(self) -> None:
        opts = BuildOptions(**{**self.opts.__dict__, "progress": self._progress})
        ok, summary, problems, notes, warnings = False, "", [], [], []
        try:
            result = build(opts, say=self._stage)
            ok = True
            summary = f"生成完成：{result.pages} 个网页，用时 {result.seconds:.1f} 秒"
            notes = list(result.notes)
            warnings = [str(w) for w in result.content.warnings] + list(result.warnings)
        except ContentError as exc:
            summary = f"没有生成：内容有 {len(exc.problems)} 个问题，原来的网站保持不变"
            problems = [str(p) for p in exc.problems]
        except PufaError as exc:
            summary = "没有生成，原来的网站保持不变"
            problems = [str(exc)]
        except Exception as exc:  # noqa: BLE001 - the page must hear of any failure
            summary = "没有生成，原来的网站保持不变"
            problems = [f"生成时出错：{exc}"]
        with self.lock:
            self.state.running, self.state.ok = False, ok
            self.state.summary, self.state.problems = summary, problems
            self.state.notes, self.state.warnings = notes, warnings
            self.state.stage = "完成" if ok else "失败"
