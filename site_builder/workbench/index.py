"""A lenient index of the content folder for lists and pickers.

Unlike ``load``, it never stops at a broken file: every file is listed with what could be
read from it (name, draft, role), so the 工作台 can open and fix it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.codec import plain, read
from ..errors import Problem
from ..pages.urls import entity_url
from .paths import FOLDERS, PAGES

TYPE_LABELS = {
    "cases": "案例",
    "villages": "村（社区）",
    "advisors": "人员",
    "services": "服务点",
    "rules": "村规民约",
    PAGES: "页面",
}
LABEL_KEY = {"cases": "title", "rules": "title", PAGES: "title"}


@dataclass
class Item:
    """One content file as the lists show it."""

    folder: str
    id: str
    rel: str
    label: str
    data: dict[str, Any] = field(default_factory=dict)
    readable: bool = True
    mtime: float = 0.0

    @property
    def draft(self) -> bool:
        return self.data.get("draft") is True

    @property
    def url(self) -> str:
        """The page's URL in the site (what its QR codes encode)."""
        if self.folder == PAGES:
            return "" if self.id == "index" else f"{self.id}/"
        if self.folder == "rules":
            return entity_url("villages", str(self.data.get("village") or self.id))
        return entity_url(self.folder, self.id)


def version(data: bytes) -> str:
    """The version of a file's bytes: a save names the version it started from."""
    return hashlib.sha256(data).hexdigest()[:20]


_cache: dict[str, tuple[tuple[int, int], Item]] = {}


def _label(folder: str, ident: str, data: dict[str, Any]) -> str:
    key = LABEL_KEY.get(folder, "name")
    value = data.get(key) or data.get("name") or data.get("village")
    return str(value) if value else ident


def read_item(root: Path, folder: str, path: Path) -> Item:
    """One file as an index entry (cached by size and modification time)."""
    rel = path.name if folder == PAGES else f"{folder}/{path.name}"
    st = path.stat()
    key = str(path)
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    src, _ = read(path, rel)
    data = plain(src.data) if src is not None else {}
    if not isinstance(data, dict):
        data = {}
    ident = str(data.get("id") or path.stem) if folder != PAGES else path.stem
    item = Item(folder, path.stem, rel, _label(folder, ident, data), data, src is not None)
    item.mtime = st.st_mtime
    _cache[key] = (stamp, item)
    return item


def scan(root: Path) -> dict[str, list[Item]]:
    """Every content file, by folder, sorted by label."""
    out: dict[str, list[Item]] = {f: [] for f in FOLDERS}
    for folder in FOLDERS:
        directory = root if folder == PAGES else root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.md")):
            if path.name.startswith(".") or not path.is_file():
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
                continue
            out[folder].append(read_item(root, folder, path))
    for items in out.values():
        items.sort(key=lambda i: (i.label, i.id))
    return out


def problems_by_file(problems: list[Problem]) -> dict[str, list[Problem]]:
    """Problems grouped by the content-relative path they name."""
    out: dict[str, list[Problem]] = {}
    for p in problems:
        out.setdefault(p.path, []).append(p)
    return out
