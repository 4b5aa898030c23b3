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

from ..content import Content, registry
from ..content.fields import specs
from ..content.labels import rules_label, townships_word
from ..content.phones import tel_uri
from ..content.registry import Facet
from ..content.types import Case
from ..content.urls import LAWS, PrintLink
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
THESAURUS_JSON = "thesaurus.json"  # search/thesaurus.json: residents' words → the pages' words


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

    @jinja2.pass_context
    def _page(ctx: Any, item: Any) -> str:
        """The relative link to an item's own page: the URL module builds it."""
        return href(ctx["page_url"], entity_url(registry.folder_of(item), item.id))

    env.filters["page"] = _page
    env.filters["rules_label"] = rules_label
    env.globals["laws_url"] = LAWS
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


@dataclass
class Index:
    """What several views need, computed once per build."""

    content: Content
    site_url: str
    prints: dict[tuple[str, str], PrintLink]
    cases: list[Case]  # newest first
    groups: dict[tuple[str, str], list[Group[Any]]]  # (folder, facet key) → groups
    group_url: dict[tuple[str, str], dict[Any, str]]  # (folder, facet key) → key → url
    township_word: str  # 镇 / 乡（街道） / 镇（苏木） … as the county's townships say
    laws: LawPages
    audio: dict[str, str] = field(default_factory=dict)  # case id → its 朗读 audio file

    @classmethod
    def of(cls, content: Content, prints: list[PrintLink], site_url: str) -> Index:
        cases = sorted(content.cases.values(), key=lambda c: (c.date, c.id), reverse=True)
        ix = cls(
            content=content,
            site_url=site_url,
            prints={(link.kind, link.stem): link for link in prints},
            cases=cases,
            groups={},
            group_url={},
            township_word=townships_word(
                [v.township for v in content.villages.values()]
                + [s.township for s in content.services.values()]
            ),
            laws=LawPages.of(content),
        )
        for kind in registry.KINDS:
            items = cases if kind.folder == "cases" else list(content.folder(kind.folder).values())
            for facet in kind.facets:
                key = ix.facet_key(kind.folder, facet.key)
                sort = None if kind.listing_recent else (lambda item: item.id)
                base = f"{kind.folder}/{facet.key}/"
                groups = group_by(items, key, base, sort=sort)
                ix.groups[(kind.folder, facet.key)] = groups
                ix.group_url[(kind.folder, facet.key)] = {
                    (g.heading, g.name): g.url for g in groups
                }
        return ix

    def facet_key(self, folder: str, facet: str) -> Callable[[Any], tuple[str, str] | None]:
        """(heading, name) of an item's group: its township within its county (on a
        prefecture site), or the plain value of the key."""
        content = self.content
        counties = bool(content.site.counties)
        if facet != "township":
            return lambda item: ("", getattr(item, facet))

        def of_village(v: Any) -> tuple[str, str]:
            return ((v.county or "") if counties else "", v.township)

        if folder == "services":
            # Services carry no county of their own: take it from the villages they serve.
            served = content.villages_of_service()

            def of_service(s: Any) -> tuple[str, str]:
                county = next((v.county for v in served.get(s.id, []) if v.county), "")
                return (county if counties else "", s.township)

            return of_service
        if folder == "advisors":
            of_person = content.villages_of_person()

            def person(p: Any) -> tuple[str, str] | None:
                vs = of_person.get(p.id)
                return of_village(vs[0]) if vs else None

            return person
        return of_village

    def url_of(self, folder: str, facet: str, item: Any) -> str:
        """The URL of the group page that lists ``item`` under ``facet``."""
        key = self.facet_key(folder, facet)(item)
        return self.group_url[(folder, facet)][key]

    def poster(self, kind: str, stem: str) -> dict[str, Any] | None:
        """What a page shows of one printed file, or None when it is not printed."""
        link = self.prints.get((kind, stem))
        if link is None:
            return None
        return {"label": link.name, "pdf": link.pdf, "png": link.png, "ratio": link.ratio}

    def facet_title(self, facet: Facet) -> str:
        return facet.label.format(township=self.township_word)


def generate(
    content: Content,
    docs: Path,
    prints: list[PrintLink] | None = None,
    site_url: str = "/",
    audio: dict[str, str] | None = None,
) -> list[str]:
    """Write every page of the site into ``docs``; return their URLs.

    ``prints`` are the planned print files: pages show and link to them; ``audio`` names
    each case's 朗读 file (next to its page). One small generator per view, sharing one
    :class:`Index`.
    """
    w = PageWriter(docs, content)
    ix = Index.of(content, prints or [], site_url)
    ix.audio = audio or {}
    for view in VIEWS:
        view(w, ix)
    ix.laws.write_pages(w.write, content.ledger)  # w.write records the URLs in w.urls
    keep_addresses(w, content, site_url)
    return w.urls


def _generate_home(w: PageWriter, ix: Index) -> None:
    content = ix.content
    intro = content.pages["index"].body if "index" in content.pages else ""
    w.write("", "home.md.j2", recent=ix.cases[:5], intro=_strip_h1(intro))


def _generate_cases(w: PageWriter, ix: Index) -> None:
    content = ix.content
    for c in ix.cases:
        page_url = entity_url("cases", c.id)
        article = w.docs / page_url / "wechat.html"
        article.parent.mkdir(parents=True, exist_ok=True)
        article.write_text(wechat_document(c, content, ix.site_url + page_url), encoding="utf-8")
        w.write(
            page_url,
            "case.md.j2",
            c=c,
            jsonld=as_script_text(case_ld(c, content, ix.site_url + page_url)),
            poster=ix.poster("case-poster", c.id),
            category_url=ix.url_of("cases", "category", c),
            villages=[content.villages[v] for v in c.villages if v in content.villages],
            audio=ix.audio.get(c.id),
            **ix.laws.case_context(c, page_url),
        )


def _generate_villages(w: PageWriter, ix: Index) -> None:
    content = ix.content
    for v in content.villages.values():
        rules = content.rules.get(v.id)
        posters = [ix.poster(kind, v.id) for kind in ("board", "rules-poster", "service-map")]
        w.write(
            entity_url("villages", v.id),
            "village.md.j2",
            v=v,
            posters=[x for x in posters if x],
            pack=ix.poster("pack", v.id),
            township_url=ix.url_of("villages", "township", v),
            people=content.people_of(v),
            slot_labels=SLOT_LABELS,
            services=content.services_of(v),
            rules=rules,
            rules_title=content.rules_title(rules) if rules else "",
            rules_label=rules_label(v.kind),
            cases=content.cases_of(v.id)[:RECENT],
        )


def _generate_people(w: PageWriter, ix: Index) -> None:
    content = ix.content
    village_of_person = content.villages_of_person()
    for p in content.advisors.values():
        url = entity_url("advisors", p.id)
        vcf = w.docs / url / f"{p.id}.vcf"
        vcf.parent.mkdir(parents=True, exist_ok=True)
        vcf.write_bytes(vcard_text(p, ix.site_url + url).encode("utf-8"))
        w.write(
            url,
            "person.md.j2",
            p=p,
            jsonld=as_script_text(person_ld(p, content, ix.site_url + url)),
            vcf=f"{url}{p.id}.vcf",
            card=ix.poster("person-card", p.id),
            villages=village_of_person.get(p.id, []),
        )


def _generate_services(w: PageWriter, ix: Index) -> None:
    content = ix.content
    village_of_service = content.villages_of_service()
    for s in content.services.values():
        url = entity_url("services", s.id)
        w.write(
            url,
            "service.md.j2",
            s=s,
            jsonld=as_script_text(service_ld(s, content, ix.site_url + url)),
            township_url=ix.url_of("services", "township", s),
            villages=village_of_service.get(s.id, []),
        )


BUILT_IN = ("cases", "villages", "advisors", "services")  # the views above


def _generate_other_entities(w: PageWriter, ix: Index) -> None:
    """Types added to the registry without a view of their own: a page per item with its
    declared fields (the spec's doc as the label) and its body."""
    for kind in registry.KINDS:
        if not kind.entity_page or kind.folder in BUILT_IN:
            continue
        template = f"{kind.folder}.md.j2"
        if template not in w.env.list_templates():
            template = "entity.md.j2"
        for item in ix.content.folder(kind.folder).values():
            facts = [
                (s.doc.split("，")[0], _fact(getattr(item, name)))
                for name, s in specs(kind.cls).items()
                if name not in ("id", "draft", "renamed_from") and getattr(item, name, None)
            ]
            w.write(
                entity_url(kind.folder, item.id),
                template,
                item=item,
                facts=facts,
                kind_label=kind.label,
            )


def _fact(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _generate_listings(w: PageWriter, ix: Index) -> None:
    """One listing page per content type in the navigation, and its group pages."""
    has_rules = set(ix.content.rules)
    for kind in registry.listed():
        families = [Family(ix.facet_title(f), ix.groups[(kind.folder, f.key)]) for f in kind.facets]
        title = kind.nav_title or kind.label
        top = [by_county(w, kind.folder, title, f) for f in families]
        w.write(
            f"{kind.folder}/",
            "listing.md.j2",
            title=title,
            intro=kind.listing_intro.format(township=ix.township_word),
            families=top,
            recent=ix.cases[:RECENT] if kind.listing_recent else [],
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
                        kind=kind.folder,
                        items=items,
                        total=len(g.items),
                        pages=nav,
                        number=n,
                        parent_url=f"{kind.folder}/",
                        parent_title=title,
                        has_rules=has_rules,
                    )


def _generate_free_pages(w: PageWriter, ix: Index) -> None:
    for page in ix.content.pages.values():
        if page.id != "index":
            w.write(f"{page.id}/", "free.md.j2", page=page)
    w.write("search/", "search.md.j2")
    # Read by search.js beside Pagefind's own files (a page's scripts are sanitised away).
    thesaurus = json.dumps(ix.content.thesaurus.as_json(), ensure_ascii=False)
    (w.docs / "search" / THESAURUS_JSON).write_text(thesaurus, encoding="utf-8")


VIEWS: tuple[Callable[[PageWriter, Index], None], ...] = (
    _generate_home,
    _generate_cases,
    _generate_villages,
    _generate_people,
    _generate_services,
    _generate_other_entities,
    _generate_listings,
    _generate_free_pages,
)


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
        f"</head><body><p>页面已迁移，正在打开新地址："
        f'<a href="{rel}">{absu}</a></p></body></html>\n'
    )


def _strip_h1(body: str) -> str:
    """The home page has its own title: drop a leading ``# heading`` of content/index.md."""
    lines = body.lstrip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines)
