"""rclone, driven with argument lists (never a shell), its remote defined in its environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import PufaError
from .target import Target

# rclone's exit code for "directory not found": no record on the target yet
NOT_FOUND = 3


class PublishError(PufaError):
    """A publish that did not complete (the target keeps a consistent site)."""


def rclone_binary() -> str:
    found = shutil.which("rclone")
    if not found:
        raise PublishError(
            "没有找到 rclone（发布用的传输工具）：请运行 apt-get install rclone "
            "或 bash scripts/install-system-deps.sh"
        )
    return found


class Rclone:
    """Runs rclone against one :class:`Target`; ``extra`` flags go on every call."""

    def __init__(self, target: Target, extra: list[str] | None = None) -> None:
        self.target = target
        self.binary = rclone_binary()
        self.extra = list(extra or [])

    def _env(self) -> dict[str, str]:
        # Only the target's own settings: no other rclone remote or config, and no AWS_*
        # variables (another account's keys or profile; AWS_CA_BUNDLE breaks rclone's S3).
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RCLONE_", "AWS_"))}
        env.update(self.target.env)
        env["RCLONE_CONFIG"] = os.devnull  # only the remote defined above, no config file
        return env

    def run(
        self,
        args: list[str],
        *,
        on_stats: Callable[[dict[str, int]], None] | None = None,
        ok: tuple[int, ...] = (0,),
    ) -> int:
        """Run ``rclone <args>``; raise :class:`PublishError` on an exit code not in ``ok``.
        ``on_stats`` hears rclone's transfer statistics about once a second."""
        argv = [self.binary, *args, *self.target.flags, *self.extra]
        argv += ["--use-json-log", "--stats", "1s", "--stats-log-level", "NOTICE", "-v"]
        proc = subprocess.Popen(
            argv, env=self._env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        errors: list[str] = []
        assert proc.stderr is not None
        for line in proc.stderr:
            try:
                record = json.loads(line)
            except ValueError:
                errors.append(line.strip())
                continue
            if "stats" in record and on_stats is not None:
                on_stats(record["stats"])
            if record.get("level") in ("error", "critical"):
                errors.append(str(record.get("msg", "")).strip())
        proc.wait()
        if proc.returncode not in ok:
            detail = "；".join(dict.fromkeys(e for e in errors if e))[-800:]
            raise PublishError(f"rclone 出错（退出码 {proc.returncode}）：{detail}")
        return proc.returncode

    def read_folder(self, rel: str, into: Path) -> bool:
        """Copy the target's folder ``rel`` into ``into``; False when it does not exist."""
        code = self.run(["copy", self.target.path(rel), str(into), "--retries", "2"], ok=(0, 3))
        return code == 0

    def send(
        self,
        source: Path,
        files: list[str],
        dest: str = "",
        on_stats: Callable[[dict[str, int]], None] | None = None,
        transfers: int = 4,
    ) -> None:
        """Upload exactly ``files`` (relative to ``source``), whatever is on the target."""
        if not files:
            return
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as listing:
            listing.write("".join(f + "\n" for f in files))
            listing.flush()
            args = ["copy", str(source), self.target.path(dest), "--files-from-raw", listing.name]
            args += ["--no-traverse", "--ignore-times", "--transfers", str(transfers)]
            self.run(args, on_stats=on_stats)

    def delete(self, files: list[str]) -> None:
        """Delete exactly ``files`` (relative to the root) where they exist."""
        if not files:
            return
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as listing:
            listing.write("".join(f + "\n" for f in files))
            listing.flush()
            self.run(["delete", self.target.root, "--files-from-raw", listing.name])

    def delete_file(self, rel: str) -> None:
        self.run(["deletefile", self.target.path(rel)], ok=(0, 3, 4))
