"""Every 工作台 action that changes the content folder is one git commit, authored by the
account, with a Chinese message; changes made outside the 工作台 are committed first, as
their own commit (author 命令行), so they are never lost or mixed into someone's commit."""

from __future__ import annotations

import threading
from pathlib import Path

from ..review.gitrepo import GitError, Repo
from .index import TYPE_LABELS
from .paths import SITE

_lock = threading.RLock()


def what(folder: str, label: str) -> str:
    """“案例《标题》”, “网站设置”: how a message names an item."""
    if folder == SITE:
        return "网站设置"
    return f"{TYPE_LABELS.get(folder, '文件')}《{label}》"


class History:
    """The content folder's repository, made on first use if there is none."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self._repo: Repo | None = None

    @property
    def repo(self) -> Repo:
        if self._repo is None:
            with _lock:
                if self._repo is None:
                    repo = Repo(self.content)
                    if not repo.has_head():
                        repo.sweep()
                    self._repo = repo
        return self._repo

    def record(self, rels: list[str], author: str, message: str) -> str | None:
        """Commit outside changes first (their own note), then exactly ``rels``."""
        try:
            with _lock:
                self.repo.sweep(skip=set(rels))
                return self.repo.commit(rels, author, message)
        except GitError as exc:
            print(f"无法记录历史：{exc}", flush=True)
            return None

    def sweep(self) -> None:
        try:
            with _lock:
                self.repo.sweep()
        except GitError as exc:
            print(f"无法记录历史：{exc}", flush=True)
