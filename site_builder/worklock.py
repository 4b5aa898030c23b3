"""One pufa command at a time on a work folder.

An advisory ``fcntl`` lock on ``<work>/lock``, taken by every command that reads or writes
the built site or the content (build, serve's rebuilds, import, new, verify …). It is
re-entrant within one process — a build started inside ``pufa serve`` does not wait on the
serve that started it — and exclusive between threads and between processes. A command
that must wait says which command holds the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .safefs import WORK_MARKER, write_marker

LOCK_NAME = "lock"

_guard = threading.RLock()
_held: dict[str, tuple[int, int]] = {}  # lock path -> (fd, depth), guarded by _guard


def _waiting_message(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        who = f"pufa {info['command']}（进程 {info['pid']}，{info['since']} 开始）"
    except (OSError, ValueError, KeyError, TypeError):
        who = "另一个 pufa 命令"
    return f"{who}正在使用 {path.parent}，等它结束后再继续……"


@contextmanager
def work_lock(work: Path, command: str, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of ``work`` for the duration of the block.

    ``say`` receives the waiting message (default: standard error) when another process
    holds the lock.
    """
    try:
        work.mkdir(parents=True)
        write_marker(work, WORK_MARKER)
    except FileExistsError:
        pass  # made earlier, or by the command that holds the lock
    path = work / LOCK_NAME
    key = os.path.realpath(path)
    with _guard:  # threads of this process queue here; the holding thread re-enters
        if key in _held:
            fd, depth = _held[key]
            _held[key] = (fd, depth + 1)
        else:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                (say or _stderr)(_waiting_message(path))
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(fd)
                raise
            info = {"command": command, "pid": os.getpid(), "since": time.strftime("%H:%M:%S")}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info, ensure_ascii=False).encode(), 0)
            _held[key] = (fd, 1)
        try:
            yield
        finally:
            fd, depth = _held[key]
            if depth > 1:
                _held[key] = (fd, depth - 1)
            else:
                del _held[key]
                os.close(fd)  # closing the descriptor releases the flock


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
