"""The print-product record: what one kind of printed file is (pure data, no planners).

One record per product holds its one Chinese name, its template, whether it has a PNG,
its place in a village's pack and which of its pages carry QR codes. The records
themselves, with their planning functions, are in catalog.py; everything that names or
orders products (the pack cover, the reprint report, build notes, the manifest, the links
the pages show) reads them from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..content.labels import rules_label


@dataclass(frozen=True)
class Product:
    """One kind of printed file."""

    kind: str  # folder under print/ and the manifest's kind
    name: str  # its one Chinese name, wherever a user reads it
    planner: Callable[[Any], list[Any]] | None  # Planner → artifacts (packs: assembled after)
    template: str
    png: bool  # also a 1080 px PNG (posters); cards and sheets are PDF only
    pack_order: int | None  # place in a village's pack; None: not in the pack
    qr_pages: tuple[int, ...]  # 0-based pages of the file that carry QR codes
    landscape: bool = False

    def name_for(self, village_kind: str | None) -> str:
        """The name for a village of this kind: a 社区's rules poster is a 居民公约海报."""
        if self.kind == "rules-poster" and village_kind:
            return f"{rules_label(village_kind)}海报"
        return self.name
