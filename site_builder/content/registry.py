"""The content-type registry: one record per type, from which everything else derives.

Loading, `pufa check`'s summary, `pufa new`, the ledger of published URLs, renames, the
navigation and the listing pages all read :data:`KINDS`; no other module lists the
content types. Adding a type is: a dataclass in ``types.py`` and one record here (plus a
page template if it has entity pages) — see the README's "Adding a content type".
"""

from __future__ import annotations

from dataclasses import dataclass

from .types import Advisor, Case, Entry, Rules, Service, Village

CASE_HINT = "（当事人写成李某某、张某，不写身份证号、电话、详细住址和未成年人姓名。）"


@dataclass(frozen=True)
class Facet:
    """One way a listing page groups its items: by the value of ``key`` (a text field)."""

    key: str
    label: str  # the heading of the group list, e.g. 按类别


@dataclass(frozen=True)
class ContentKind:
    """Everything the package needs to know about one content type."""

    folder: str  # content/<folder>/*.md; also the first segment of its URLs
    cls: type[Entry]
    label: str  # 案例 — in messages, the summary of `pufa check`, the 工作台
    unit: str  # 个 / 名 / 份 — the measure word of the summary: “13 个案例”
    new_kind: str  # the word of `pufa new <kind>`
    new_label: str  # what `pufa new` lists
    name_key: str | None  # the key `pufa new NAME` fills (and that names an item)
    new_body: str  # the body of a new file
    entity_page: bool = True  # one page per item at /<folder>/<id>/
    nav_title: str | None = None  # top-level navigation entry (the listing page)
    nav_order: int = 0  # position of that entry (the home page comes first)
    listing_intro: str = ""  # the first line of the listing page ({township}: the word)
    listing_recent: bool = False  # the listing page also shows the newest items (by date)
    facets: tuple[Facet, ...] = ()  # groups of the listing page, each with its own pages
    template_keys: tuple[str, ...] = ()  # optional keys `pufa new` writes out (not commented)


TOWNSHIP = Facet("township", "按{township}")  # the label rule fills in 镇 / 乡 / 街道 / 苏木

KINDS: tuple[ContentKind, ...] = (
    ContentKind(
        folder="villages",
        cls=Village,
        label="村（社区）",
        unit="个",
        new_kind="village",
        new_label="村（社区）",
        name_key="name",
        new_body="（可选）村（社区）的简介。\n",
        nav_title="村（社区）",
        nav_order=2,
        listing_intro="每个村（社区）的法律顾问、调解员、服务点和村规民约。按{township}查看：",
        facets=(TOWNSHIP,),
    ),
    ContentKind(
        folder="advisors",
        cls=Advisor,
        label="人员",
        unit="名",
        new_kind="advisor",
        new_label="人员（法律顾问、调解员等）",
        name_key="name",
        new_body="（可选）个人简介。\n",
        nav_title="找法律顾问",
        nav_order=4,
        listing_intro="一村（社区）一法律顾问，还有司法总顾问、人民调解员和网格员。",
        facets=(Facet("role", "按身份"), TOWNSHIP),
    ),
    ContentKind(
        folder="services",
        cls=Service,
        label="服务点",
        unit="个",
        new_kind="service",
        new_label="法律服务点",
        name_key="name",
        new_body="（可选）服务点能办哪些事。\n",
        nav_title="法律服务地图",
        nav_order=3,
        listing_intro="十分钟法律服务圈：调解室、司法所、法律援助工作站。",
        facets=(TOWNSHIP, Facet("type", "按类型")),
    ),
    ContentKind(
        folder="cases",
        cls=Case,
        label="案例",
        unit="个",
        new_kind="case",
        new_label="以案释法案例",
        name_key="title",
        new_body=f"## 案情\n\n{CASE_HINT}\n\n## 调解经过\n\n## 律师说法\n",
        nav_title="以案释法",
        nav_order=1,
        listing_intro="身边的真实案例，讲清楚身边的法律。按类别查看：",
        listing_recent=True,
        facets=(Facet("category", "按类别"),),
        template_keys=("tags", "law", "villages"),
    ),
    ContentKind(
        folder="rules",
        cls=Rules,
        label="村规民约",
        unit="份",
        new_kind="rules",
        new_label="村规民约",
        name_key=None,  # named by its village
        new_body="第一条 \n\n第二条 \n",
        entity_page=False,  # shown on the village's page
        template_keys=("negative_list",),
    ),
)


# Everything below reads KINDS when it is called, so a type added to KINDS (a test does
# exactly that) reaches every module without another table.
def by_folder() -> dict[str, ContentKind]:
    return {k.folder: k for k in KINDS}


def by_new_kind() -> dict[str, ContentKind]:
    """`pufa new <kind>` → the type."""
    return {k.new_kind: k for k in KINDS}


def entity_folders() -> tuple[str, ...]:
    """Folders whose items have a page of their own (and a URL in the ledger)."""
    return tuple(k.folder for k in KINDS if k.entity_page)


def folder_of(item: object) -> str:
    """The content folder of an item, by its type."""
    return next(k.folder for k in KINDS if type(item) is k.cls)


def listed() -> list[ContentKind]:
    """Types with a listing page and a navigation entry, in navigation order."""
    return sorted((k for k in KINDS if k.nav_title), key=lambda k: k.nav_order)


# Free pages (content/*.md) are counted in the summary too.
PAGES_LABEL, PAGES_UNIT = "页面", "个"


def summary(counts: dict[str, int]) -> str:
    """“9 个村（社区）、14 名人员、…” in registry order, free pages last."""
    parts = [f"{counts[k.folder]} {k.unit}{k.label}" for k in KINDS if k.folder in counts]
    if "pages" in counts:
        parts.append(f"{counts['pages']} {PAGES_UNIT}{PAGES_LABEL}")
    return "、".join(parts)
