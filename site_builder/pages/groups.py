"""Grouping items for listing pages: one page per category, township, type or role."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .urls import PAGE_SIZE, page_url, slug

T = TypeVar("T")


@dataclass
class Group(Generic[T]):
    """A named group of items with its own paginated listing at ``url``."""

    name: str
    url: str
    items: list[T] = field(default_factory=list)
    heading: str = ""  # e.g. the county on a prefecture site

    def pages(self) -> list[tuple[int, str, list[T]]]:
        """(number, url, items) for each page of at most PAGE_SIZE items."""
        chunks = [self.items[i : i + PAGE_SIZE] for i in range(0, len(self.items), PAGE_SIZE)]
        return [(n, page_url(self.url, n), chunk) for n, chunk in enumerate(chunks or [[]], 1)]


def group_by(
    items: Iterable[T],
    key: Callable[[T], tuple[str, str] | None],
    base: str,
    sort: Callable[[T], object] | None = None,
) -> list[Group[T]]:
    """Group items by ``key(item) -> (heading, name)``; slugs are unique within ``base``."""
    groups: dict[tuple[str, str], Group[T]] = {}
    used: set[str] = set()
    for item in items:
        k = key(item)
        if k is None:
            continue
        if k not in groups:
            heading, name = k
            s = slug(f"{heading}{name}") if heading else slug(name)
            candidate, n = s, 2
            while candidate in used:
                candidate, n = f"{s}-{n}", n + 1
            used.add(candidate)
            groups[k] = Group(name=name, url=f"{base}{candidate}/", heading=heading)
        groups[k].items.append(item)
    out = sorted(groups.values(), key=lambda g: (g.heading, slug(g.name)))
    if sort is not None:
        for g in out:
            g.items.sort(key=sort)  # type: ignore[arg-type]
    return out
