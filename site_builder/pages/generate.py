"""Generate the Markdown pages MkDocs renders: entity pages and small listing pages.

Every page is written to ``<docs>/<url>/index.md``; templates are in ``templates/``.
No listing page grows with the total number of items: groups paginate at 100.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..content import Content
from ..content.phones import tel_uri
from ..data.jsonld import as_script_text, case_ld, person_ld, service_ld
from .groups import Group, group_by
from .laws import LawPages
from .text import join_cjk_lines
from .urls import entity_url, href, slug
from .vcard import vcard_text
from .wechat import wechat_document

SLOT_LABELS = {
    "advisors": "法律顾问",
    "chief_adviser": "司法总顾问",
    "mediators": "人民调解员",
    "grid_workers": "网格员",
}
RECENT = 10


@dataclass
class Family:
    """One way of grouping a listing (by township, by type …)."""

    title: str
    groups: list[Group[Any]] = field(default_factory=list)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("site_builder.pages", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["tel"] = tel_uri
    env.filters["body"] = lambda md: Markup(join_cjk_lines(md))
    env.filters["yamlstr"] = yaml_str

    @jinja2.pass_context
    def _href(ctx: Any, to: str) -> str:
        return href(ctx["page_url"], to)

    env.filters["href"] = _href
    return env


def yaml_str(value: Any) -> Markup:
    """``value`` as a YAML double-quoted scalar for generated front matter: JSON string
    syntax, with every character YAML would refuse or read as a line break (C1 controls,
    U+2028/U+2029, U+FEFF) written as a \\u escape, so the text reaches MkDocs unchanged."""
    text = json.dumps(str(value), ensure_ascii=False)
    return Markup("".join(f"\\u{ord(ch):04x}" if _yaml_unsafe(ch) else ch for ch in text))


def _yaml_unsafe(ch: str) -> bool:
    code = ord(ch)
    return 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF) or 0xD800 <= code <= 0xDFFF


class PageWriter:
    """Renders templates into a docs folder and remembers every URL written."""

    def __init__(self, docs: Path, content: Content) -> None:
        self.docs = docs
        self.content = content
        self.env = _env()
        self.urls: list[str] = []

    def write(self, url: str, template: str, **ctx: Any) -> None:
        text = self.env.get_template(template).render(page_url=url, site=self.content.site, **ctx)
        path = self.docs / url / "index.md" if url else self.docs / "index.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.urls.append(url)


def _township_key(content: Content) -> Callable[[Any], tuple[str, str]]:
    counties = bool(content.site.counties)

    def key(item: Any) -> tuple[str, str]:
        county = getattr(item, "county", None) or ""
        return (county if counties else "", item.township)

    return key


def generate(
    content: Content, docs: Path, prints: list[Any] | None = None, site_url: str = "/"
) -> list[str]:
    """Write every page of the site into ``docs``; return their URLs.

    ``prints`` are the planned print artifacts: pages show and link to them.
    """
    w = PageWriter(docs, content)
    by_key = {(a.kind, a.stem): a for a in prints or []}

    def poster(kind: str, stem: str, label: str) -> dict[str, Any] | None:
        a = by_key.get((kind, stem))
        if a is None:
            return None
        w_, h_ = a.size_mm
        return {"label": label, "pdf": a.pdf_path, "png": a.png_path, "ratio": h_ / w_}

    villages = list(content.villages.values())
    cases = sorted(content.cases.values(), key=lambda c: (c.date, c.id), reverse=True)
    people = list(content.advisors.values())
    services = list(content.services.values())
    village_of_person = content.villages_of_person()
    village_of_service = content.villages_of_service()

    # Services carry no county of their own: take it from the villages they serve.
    service_county = {
        s.id: next((v.county for v in village_of_service.get(s.id, []) if v.county), "")
        for s in services
    }

    case_groups = group_by(cases, lambda c: ("", c.category), "cases/category/")
    category_url = {g.name: g.url for g in case_groups}
    tkey = _township_key(content)
    village_groups = group_by(villages, tkey, "villages/township/", sort=lambda v: v.id)
    township_url = {(g.heading, g.name): g.url for g in village_groups}
    counties = bool(content.site.counties)

    def service_tkey(s: Any) -> tuple[str, str]:
        return (service_county[s.id] if counties else "", s.township)

    service_by_town = group_by(services, service_tkey, "services/township/", sort=lambda s: s.id)
    service_town_url = {(g.heading, g.name): g.url for g in service_by_town}
    service_by_type = group_by(
        services, lambda s: ("", s.type), "services/type/", sort=lambda s: s.id
    )

    def person_town(p: Any) -> tuple[str, str] | None:
        vs = village_of_person.get(p.id)
        return tkey(vs[0]) if vs else None

    people_by_role = group_by(people, lambda p: ("", p.role), "advisors/role/", sort=lambda p: p.id)
    people_by_town = group_by(people, person_town, "advisors/township/", sort=lambda p: p.id)

    law_pages = LawPages.of(content)
    intro = content.pages["index"].body if "index" in content.pages else ""
    w.write("", "home.md.j2", recent=cases[:5], intro=_strip_h1(intro))

    for c in cases:
        page_url = entity_url("cases", c.id)
        article = docs / page_url / "wechat.html"
        article.parent.mkdir(parents=True, exist_ok=True)
        article.write_text(wechat_document(c, content, site_url + page_url), encoding="utf-8")
        w.write(
            entity_url("cases", c.id),
            "case.md.j2",
            c=c,
            jsonld=as_script_text(case_ld(c, content, site_url + entity_url("cases", c.id))),
            poster=poster("case-poster", c.id, "案例海报"),
            category_url=category_url[c.category],
            villages=[content.villages[v] for v in c.villages if v in content.villages],
            **law_pages.case_context(c, page_url),
        )
    for v in villages:
        rules = content.rules.get(v.id)
        rules_label = "居民公约" if v.kind == "社区" else "村规民约"
        posters = [
            poster("board", v.id, "联系公示牌"),
            poster("rules-poster", v.id, f"{rules_label}公示"),
            poster("service-map", v.id, "十分钟法律服务圈"),
        ]
        w.write(
            entity_url("villages", v.id),
            "village.md.j2",
            v=v,
            posters=[x for x in posters if x],
            pack=poster("pack", v.id, "打印资料包"),
            township_url=township_url[tkey(v)],
            people=content.people_of(v),
            slot_labels=SLOT_LABELS,
            services=content.services_of(v),
            rules=rules,
            rules_title=content.rules_title(rules) if rules else "",
            rules_label=rules_label,
            cases=content.cases_of(v.id)[:RECENT],
        )
    for p in people:
        url = entity_url("advisors", p.id)
        vcf = docs / url / f"{p.id}.vcf"
        vcf.parent.mkdir(parents=True, exist_ok=True)
        vcf.write_bytes(vcard_text(p, site_url + url).encode("utf-8"))
        w.write(
            url,
            "person.md.j2",
            p=p,
            jsonld=as_script_text(person_ld(p, content, site_url + url)),
            vcf=f"{url}{p.id}.vcf",
            card=poster("person-card", p.id, "个人联系卡"),
            villages=village_of_person.get(p.id, []),
        )
    for s in services:
        w.write(
            entity_url("services", s.id),
            "service.md.j2",
            s=s,
            jsonld=as_script_text(service_ld(s, content, site_url + entity_url("services", s.id))),
            township_url=service_town_url[service_tkey(s)],
            villages=village_of_service.get(s.id, []),
        )

    has_rules = set(content.rules)
    listings = [
        (
            "cases",
            "以案释法",
            "身边的真实案例，讲清楚身边的法律。按类别查看：",
            [Family("按类别", case_groups)],
            cases[:RECENT],
        ),
        (
            "villages",
            "村（社区）",
            "每个村（社区）的法律顾问、调解员、服务点和村规民约。按镇（街道）查看：",
            [Family("按镇（街道）", village_groups)],
            [],
        ),
        (
            "services",
            "法律服务地图",
            "十分钟法律服务圈：调解室、司法所、法律援助工作站。",
            [Family("按镇（街道）", service_by_town), Family("按类型", service_by_type)],
            [],
        ),
        (
            "advisors",
            "找法律顾问",
            "一村（社区）一法律顾问，还有司法总顾问、人民调解员和网格员。",
            [Family("按身份", people_by_role), Family("按镇（街道）", people_by_town)],
            [],
        ),
    ]
    for folder, title, intro_text, families, recent in listings:
        top = [by_county(w, folder, title, f) for f in families]
        w.write(
            f"{folder}/",
            "listing.md.j2",
            title=title,
            intro=intro_text,
            families=top,
            recent=recent,
        )
        for family in families:
            for g in family.groups:
                pages = g.pages()
                nav = [(n, url) for n, url, _ in pages]
                for n, url, items in pages:
                    w.write(
                        url,
                        "group.md.j2",
                        title=g.name,
                        heading=g.heading,
                        kind=folder,
                        items=items,
                        total=len(g.items),
                        pages=nav,
                        number=n,
                        parent_url=f"{folder}/",
                        parent_title=title,
                        has_rules=has_rules,
                    )

    for page in content.pages.values():
        if page.id != "index":
            w.write(f"{page.id}/", "free.md.j2", page=page)
    w.write("search/", "search.md.j2")
    law_pages.write_pages(w.write, content.ledger)  # w.write records the URLs in w.urls
    keep_addresses(w, content, site_url)
    return w.urls


def by_county(w: PageWriter, folder: str, title: str, family: Family) -> Family:
    """On a prefecture site (groups carry a county heading) the listing shows counties and
    each county gets a page of its townships, so no listing grows with the prefecture."""
    headings = sorted({g.heading for g in family.groups if g.heading})
    if not headings:
        return family
    top: Family = Family(family.title)
    for heading in headings:
        groups = [g for g in family.groups if g.heading == heading]
        url = f"{folder}/county/{slug(heading)}/"
        items = [i for g in groups for i in g.items]
        top.groups.append(Group(name=heading, url=url, items=items))
        w.write(
            url,
            "listing.md.j2",
            title=f"{heading} · {title}",
            intro=f"{heading}：{family.title}",
            families=[Family(family.title, [replace(g, heading="") for g in groups])],
            recent=[],
        )
    return top


def keep_addresses(w: PageWriter, content: Content, site_url: str) -> None:
    """Every URL ever published keeps working: renamed items redirect, removed ones get a
    Chinese "offline" page with the hotline (never a bare 404 for a printed code)."""
    current = set(w.urls)
    moved = content.renamed()
    for old, new in sorted(moved.items()):
        if old in current:
            continue
        path = w.docs / old / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(redirect_html(href(old, new), site_url + new), encoding="utf-8")
        w.urls.append(old)
    for url in content.ledger:
        if url not in current and url not in moved:
            w.write(url, "gone.md.j2")


def redirect_html(relative: str, absolute: str) -> str:
    """A static redirect page (works on any web server, with or without JavaScript)."""
    rel, absu = html.escape(relative), html.escape(absolute)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>页面已迁移</title><meta http-equiv="refresh" content="0; url={rel}">'
        f'<link rel="canonical" href="{absu}"><meta name="robots" content="noindex">'
        f'</head><body><p style="font-size:20px">页面已迁移，正在打开新地址：'
        f'<a href="{rel}">{absu}</a></p></body></html>\n'
    )


def _strip_h1(body: str) -> str:
    """The home page has its own title: drop a leading ``# heading`` of content/index.md."""
    lines = body.lstrip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines)
