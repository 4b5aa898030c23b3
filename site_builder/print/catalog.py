"""One table of print products: kind → planning function; and `plan`, which runs them all."""

from __future__ import annotations

from collections.abc import Callable

from ..content import Content
from .artifact import Artifact
from .cards import card_sheets, cards, person_cards
from .pack import packs
from .products import Planner, boards, case_posters, rules_posters, service_maps
from .theme import PrintTheme

PRODUCTS: dict[str, Callable[[Planner], list[Artifact]]] = {
    "case-poster": case_posters,
    "rules-poster": rules_posters,
    "board": boards,
    "service-map": service_maps,
    "card": cards,
    "card-sheet": card_sheets,
    "person-card": person_cards,
}


def plan(content: Content, theme: PrintTheme, site_url: str) -> list[Artifact]:
    """Every artifact of the site, planned and sealed with the hash of its inputs."""
    p = Planner(content, theme, site_url)
    out: list[Artifact] = []
    for product in PRODUCTS.values():
        for a in product(p):
            a.seal(theme.fingerprint + site_url)
            out.append(a)
    for a in packs(p, out):  # assembled from the others, so planned after them
        a.seal(theme.fingerprint + site_url)
        out.append(a)
    return out
