"""One table of print products (registry.Product records) and `plan`, which runs them all."""

from __future__ import annotations

from ..content import Content
from ..content.urls import PrintLink
from .artifact import Artifact
from .cards import card_sheets, cards, person_cards
from .pack import packs
from .products import Planner, boards, case_posters, rules_posters, service_maps
from .registry import Product
from .theme import PrintTheme

PRODUCTS: tuple[Product, ...] = (
    Product("case-poster", "案例海报", case_posters, "case-poster.html.j2", True, 4, (0,)),
    Product("rules-poster", "村规民约海报", rules_posters, "rules-poster.html.j2", True, 1, (0,)),
    Product("board", "联系公示牌", boards, "board.html.j2", True, 2, (0,), landscape=True),
    Product(
        "service-map", "十分钟法律服务圈海报", service_maps, "service-map.html.j2", True, 3, (0,)
    ),
    Product("card", "便民卡", cards, "card.html.j2", False, None, (1,)),
    Product("card-sheet", "便民卡拼版", card_sheets, "card-sheet.html.j2", False, 5, (1,)),
    Product("person-card", "个人联系卡", person_cards, "person-card.html.j2", False, None, (0,)),
    Product("pack", "打印资料包", None, "pack-cover.html.j2", False, None, ()),
)
BY_KIND: dict[str, Product] = {p.kind: p for p in PRODUCTS}
NAMES: dict[str, str] = {p.kind: p.name for p in PRODUCTS}


def product(kind: str) -> Product:
    """The record of a product kind."""
    return BY_KIND[kind]


def plan(content: Content, theme: PrintTheme, site_url: str) -> list[Artifact]:
    """Every artifact of the site, planned and sealed with the hash of its inputs."""
    p = Planner(content, theme, site_url, BY_KIND)
    out: list[Artifact] = []
    for record in PRODUCTS:
        if record.planner is None:
            continue
        for a in record.planner(p):
            village = p.content.villages.get(a.village) if a.village else None
            a.name = p.name(a.kind, village)
            a.seal(theme.fingerprint + site_url)
            out.append(a)
    for a in packs(p, out):  # assembled from the others, so planned after them
        a.name = p.name(a.kind)
        a.seal(theme.fingerprint + site_url)
        out.append(a)
    return out


def print_links(artifacts: list[Artifact]) -> list[PrintLink]:
    """The typed links the pages show (``generate(..., prints=print_links(artifacts))``)."""
    return [a.link() for a in artifacts]
