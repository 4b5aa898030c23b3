"""The address scheme, below pages/ and print/ (pure functions and one record).

An item's page is ``<folder>/<id>/`` (what QR codes encode: never from titles); a printed
file is ``print/<kind>/<stem>.pdf`` (and ``.png``). Both layers build addresses here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LAWS", "PrintLink", "entity_url", "law_url", "print_file"]

LAWS = "laws/"  # the statute library: laws/<slug>/<article id>/


def entity_url(folder: str, ident: str) -> str:
    """``cases/lease-deposit/``: the stable URL of one item (what QR codes encode)."""
    return f"{folder}/{ident}/"


def law_url(slug: str, article_id: str | None = None) -> str:
    """``laws/minfadian/`` or ``laws/minfadian/1067/`` (之一 as ``276-1``): permanent pages
    of a cited law and of a cited article."""
    return f"{LAWS}{slug}/{article_id}/" if article_id else f"{LAWS}{slug}/"


def print_file(kind: str, stem: str, ext: str = "pdf") -> str:
    """``print/board/caozhen.pdf``: where a printed file of a kind lives in the site."""
    return f"print/{kind}/{stem}.{ext}"


@dataclass(frozen=True)
class PrintLink:
    """What a page shows of one printed file: the product's one Chinese name, its files
    and its page's height-to-width ratio (for the preview)."""

    kind: str
    stem: str
    name: str
    pdf: str
    png: str | None  # None: the product has no PNG (cards, sheets, packs)
    ratio: float
