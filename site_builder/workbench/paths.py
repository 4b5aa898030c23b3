"""Where the 工作台 may read and write: inside the content folder only, whatever the request."""

from __future__ import annotations

import re
from pathlib import Path

from ..content.types import CONTENT_TYPES

PAGES = "pages"  # the free pages content/*.md: not a folder of their own
SITE = "site"  # content/site.yml
FOLDERS = (*CONTENT_TYPES, PAGES)
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


class PathRefused(ValueError):
    """A request named a file outside the content folder (or not a content file)."""


def item_rel(folder: str, ident: str) -> str:
    """The content-relative path of one item, for a folder and id that are checked here."""
    if folder == SITE and ident == SITE:
        return "site.yml"
    if folder not in FOLDERS:
        raise PathRefused(f"没有“{folder}”这类内容")
    if not _ID.fullmatch(ident):
        raise PathRefused("编号只能用小写字母、数字和“-”")
    return f"{ident}.md" if folder == PAGES else f"{folder}/{ident}.md"


def inside(root: Path, rel: str) -> Path:
    """``root/rel`` if it stays inside ``root`` after resolving links, else refuse."""
    if "\x00" in rel or rel.startswith(("/", "\\")) or ".." in Path(rel).parts:
        raise PathRefused("不允许访问内容文件夹以外的文件")
    base = root.resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(base) or path == base:
        raise PathRefused("不允许访问内容文件夹以外的文件")
    return root / rel


def item_path(root: Path, folder: str, ident: str) -> Path:
    """The file of one item, refused if it (or a link on the way) leads out of ``root``."""
    return inside(root, item_rel(folder, ident))
