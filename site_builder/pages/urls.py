"""URLs of every page, built from ids and pinyin slugs, never from titles (pure functions)."""

from __future__ import annotations

import posixpath
import re

from pypinyin import lazy_pinyin

from ..content.urls import entity_url

__all__ = ["PAGE_SIZE", "entity_url", "href", "page_url", "slug"]

PAGE_SIZE = 100


def slug(name: str) -> str:
    """A pinyin slug of a Chinese name: 北渡街道 → ``beidujiedao``, 赡养 → ``shanyang``."""
    text = "".join(lazy_pinyin(name)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "x"


def page_url(base: str, number: int) -> str:
    """URL of page ``number`` (1-based) of a paginated listing at ``base``."""
    return base if number == 1 else f"{base}{number}/"


def href(frm: str, to: str) -> str:
    """Relative link from the page at URL ``frm`` to the page or file at URL ``to``."""
    is_dir = to == "" or to.endswith("/")
    r = posixpath.relpath(to.rstrip("/") or ".", frm.rstrip("/") or ".")
    if r == ".":
        return "./"
    return r + "/" if is_dir else r
