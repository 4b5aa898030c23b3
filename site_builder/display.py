"""What `pufa build` shows while it works: a line per stage, and on a terminal a live bar
for the print artifacts (stage, count, rate, time left). Print is laid out on worker
processes while the pages build, so the bar moves during every later stage."""

from __future__ import annotations

import sys
import threading

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)


class BuildDisplay:
    """``stage(text)`` for each stage, ``progress(done, total)`` from any thread, ``close()``
    at the end. Off a terminal only the stage lines are printed (no bar, no escape codes)."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(file=sys.stdout, highlight=False)
        self.bar = Progress(
            TextColumn("  {task.fields[stage]} · 印刷品"),
            BarColumn(bar_width=6),
            MofNCompleteColumn(),
            TextColumn("件 · {task.fields[rate]} 件/秒 · 还需"),
            TimeRemainingColumn(),
            console=self.console,
            disable=not self.console.is_terminal,
        )
        self.task: TaskID | None = None
        self.current = ""
        self.lock = threading.Lock()

    def stage(self, text: str) -> None:
        with self.lock:
            self.current = text.split("（")[0]  # short in the bar: "排版网页", not the tool
            self.console.print(f"· {text}…", markup=False, soft_wrap=True)
            if self.task is not None:
                self.bar.update(self.task, stage=self.current)

    def progress(self, done: int, total: int) -> None:
        with self.lock:
            if self.task is None:
                self.bar.start()
                self.task = self.bar.add_task("", total=total, stage=self.current, rate="…")
            self.bar.update(self.task, completed=done, stage=self.current)
            speed = self.bar.tasks[self.task].speed
            self.bar.update(self.task, rate=f"{speed:.0f}" if speed else "…")
            self.bar.refresh()
            if done >= total:
                self.bar.stop()

    def close(self) -> None:
        """Leave the terminal clean, also when the build failed half-way."""
        self.bar.stop()
