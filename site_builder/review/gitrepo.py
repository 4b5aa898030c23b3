"""The git repository that holds the content folder, driven through Debian's ``git``.

Every call is ``subprocess.run`` with a list of arguments (never a shell), a clean
environment (no inherited ``GIT_DIR`` and friends) and paths after ``--``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import PufaError

GIT = "git"
CLI_AUTHOR = "命令行"
_lock = threading.RLock()  # one git operation of the 工作台 at a time


class GitError(PufaError):
    """git failed or is missing; the message is in Chinese."""


def blob_id(data: bytes) -> str:
    """The git blob id of some bytes (what ``git hash-object`` prints), without git."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def _env(name: str = "", email: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(LC_ALL="C.UTF-8", GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1")
    if name:
        env.update(
            GIT_AUTHOR_NAME=name,
            GIT_AUTHOR_EMAIL=email or "pufa@localhost",
            GIT_COMMITTER_NAME="pufa 工作台",
            GIT_COMMITTER_EMAIL="pufa@localhost",
        )
    return env


@dataclass
class Commit:
    id: str
    author: str
    time: int
    message: str


class Repo:
    """The repository around ``content`` (made in ``content`` itself if there is none)."""

    def __init__(self, content: Path, create: bool = True) -> None:
        self.content = content.resolve()
        top = self._top()
        if top is None:
            if not create:
                raise GitError(f"{content} 不在任何 git 仓库里")
            self._run(["init", "-q", "-b", "main"], cwd=self.content)
            top = self.content
        self.top = top
        prefix = self.content.relative_to(self.top).as_posix()
        self.prefix = "" if prefix == "." else prefix + "/"

    @staticmethod
    def find(content: Path) -> Repo | None:
        """The repository around ``content``, or None (never creates one)."""
        try:
            return Repo(content, create=False)
        except GitError:
            return None

    def _top(self) -> Path | None:
        try:
            out = self._run(["rev-parse", "--show-toplevel"], cwd=self.content, check=False)
        except GitError:
            raise
        return Path(out.strip()).resolve() if out.strip() else None

    def _run(
        self,
        args: list[str],
        cwd: Path | None = None,
        check: bool = True,
        author: str = "",
        data: bytes | None = None,
    ) -> str:
        return self._bytes(args, cwd, check, author, data).decode("utf-8", errors="replace")

    def _bytes(
        self,
        args: list[str],
        cwd: Path | None = None,
        check: bool = True,
        author: str = "",
        data: bytes | None = None,
    ) -> bytes:
        try:
            proc = subprocess.run(
                [GIT, *args],
                cwd=cwd or self.top,
                env=_env(author),
                input=data,
                capture_output=True,
                timeout=60,
            )
        except FileNotFoundError:
            raise GitError("找不到 git：请安装（sudo apt-get install git）") from None
        except subprocess.TimeoutExpired:
            raise GitError("git 运行超时") from None
        if proc.returncode != 0:
            if not check:
                return b""
            err = proc.stderr.decode("utf-8", errors="replace").strip()
            raise GitError(f"git {args[0]} 失败：{err}")
        return proc.stdout

    def rel(self, content_rel: str) -> str:
        """A content-relative path as a path of the repository."""
        return self.prefix + content_rel

    # --- reading -------------------------------------------------------------------------

    def has_head(self) -> bool:
        return bool(self._run(["rev-parse", "-q", "--verify", "HEAD"], check=False).strip())

    def blob(self, blob: str) -> bytes | None:
        """The bytes of a blob, or None if the repository does not have it."""
        if not all(c in "0123456789abcdef" for c in blob) or len(blob) != 40:
            return None
        kind = self._run(["cat-file", "-t", blob], check=False).strip()
        if kind != "blob":
            return None
        return self._bytes(["cat-file", "blob", blob])

    def show(self, commit: str, content_rel: str) -> bytes | None:
        """A file as it was at ``commit``, or None if it did not exist there."""
        if not all(c in "0123456789abcdef" for c in commit):
            return None
        blob = self._run(
            ["rev-parse", "-q", "--verify", f"{commit}:{self.rel(content_rel)}"], check=False
        )
        return self.blob(blob.strip()) if blob.strip() else None

    def log(self, content_rel: str, limit: int = 200) -> list[Commit]:
        """Commits that touched one file, newest first."""
        if not self.has_head():
            return []
        out = self._run(
            [
                "log",
                f"-n{limit}",
                "--format=%H%x1f%an%x1f%at%x1f%s%x1e",
                "--",
                self.rel(content_rel),
            ]
        )
        commits = []
        for rec in out.split("\x1e"):
            parts = rec.strip().split("\x1f")
            if len(parts) == 4:
                commits.append(Commit(parts[0], parts[1], int(parts[2]), parts[3]))
        return commits

    def versions(self, content_rel: str, limit: int = 200) -> list[tuple[Commit, str]]:
        """(commit, blob id of the file after it; "" if it was removed) of every commit
        that touched one file, newest first."""
        if not self.has_head():
            return []
        path = self.rel(content_rel)
        out = self._run(
            [
                "log", f"-n{limit}", "--no-renames", "--raw", "--no-abbrev",
                "--format=%x1e%H%x1f%an%x1f%at%x1f%s", "--", path,
            ]
        )  # fmt: skip
        found = []
        for rec in out.split("\x1e"):
            head, _, raw = rec.partition("\n")
            parts = head.split("\x1f")
            if len(parts) != 4:
                continue
            blob = ""
            for line in raw.splitlines():
                meta, _, name = line.partition("\t")
                fields = meta.split()
                if name == path and len(fields) >= 5:
                    blob = "" if set(fields[3]) == {"0"} else fields[3]
            found.append((Commit(parts[0], parts[1], int(parts[2]), parts[3]), blob))
        return found

    def dirty(self) -> list[str]:
        """Content-relative paths under the content folder that differ from HEAD."""
        out = self._run(
            ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", self.prefix or "."]
        )
        paths = []
        entries = out.split("\x00")
        i = 0
        while i < len(entries):
            entry = entries[i]
            i += 1
            if len(entry) < 4:
                continue
            status, path = entry[:2], entry[3:]
            if "R" in status or "C" in status:
                i += 1  # the source path of a rename follows
            if path.startswith(self.prefix):
                paths.append(path[len(self.prefix) :])
        return paths

    # --- writing -------------------------------------------------------------------------

    def commit(self, content_rels: list[str], author: str, message: str) -> str | None:
        """Commit exactly these files (added, changed or removed) as ``author``; other
        changes in the working tree or the index stay as they are. None if nothing changed."""
        if not content_rels:
            return None
        paths = [self.rel(p) for p in content_rels]
        with _lock:
            self._run(["add", "-A", "--", *paths])
            staged = self._run(["diff", "--cached", "--name-only", "--", *paths]).strip()
            if not staged and self.has_head():
                return None
            args = ["commit", "-q", "--no-verify", "-m", message]
            if not self.has_head():
                args.insert(1, "--allow-empty")
            self._run([*args, "--only", "--", *paths], author=author)
            return self._run(["rev-parse", "HEAD"]).strip()

    def sweep(self, skip: set[str] | None = None) -> str | None:
        """Commit changes made outside the 工作台 (command line, other programs) under the
        content folder, as their own commit, before the 工作台 commits its own."""
        with _lock:
            changed = [p for p in self.dirty() if p not in (skip or set())]
            if not changed:
                return None
            shown = "、".join(changed[:5]) + ("等" if len(changed) > 5 else "")
            message = f"工作台之外的修改（命令行或其他程序）：{len(changed)} 个文件：{shown}"
            return self.commit(changed, CLI_AUTHOR, message)
