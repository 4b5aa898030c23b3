"""The law pages (法条): a page per cited article, a page per cited law, ``/laws/``, and what
case pages show of the law (the 法律依据 box with the articles' texts, body citations
linked, “同一法条的其他案例”).

URLs: ``laws/`` → ``laws/<slug>/`` → ``laws/<slug>/<id>/`` (``laws/minfadian/1067/``,
``laws/xingfa/276-1/``), an article's cases paginated at 100 (``…/1067/2/``). Only articles
some case cites get a page; an article page published before keeps its address (with its
text and no cases) when its last case stops citing it. No page grows with the number of
cases beyond the 100-item pagination.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..content import Case, Content
from ..content.laws import Article, Law, Library, find_citations
from ..content.laws.cited import (
    Key,
    Ref,
    article_url,
    case_refs,
    cases_by_article,
    entry_refs,
    law_url,
    resolve,
)
from ..content.laws.numerals import to_chinese
from ..content.urls import LAWS
from .urls import PAGE_SIZE, href, page_url

Write = Callable[..., None]  # PageWriter.write(url, template, **context)

RELATED = 5  # “同一法条的其他案例” on a case page
LAWS_SHOWN = 30  # cited articles of a law listed on /laws/ before “全部 N 条”
FOLD_OVER = 200  # characters: a longer article is folded in the 法律依据 box …
FOLD_KEEP = 90  # … after about this many characters (whole 款/项, or a sentence)


@dataclass(frozen=True)
class Line:
    """One line of an article as shown: a 款 (``para`` its number) or a 项."""

    text: str
    para: int = 0  # 款 number; 0 for a 项
    item: str = ""  # （一） for a 项
    cont: bool = False  # the rest of a 款 cut at a sentence (folded part)
    cited: bool = False  # the 款/项 a case cites

    @property
    def para_label(self) -> str:
        """第二款 (for a 款)."""
        return f"第{to_chinese(self.para)}款" if self.para else ""


@dataclass(frozen=True)
class ArticleView:
    """An article's text split for the page: ``shown`` lines, then ``folded`` ones."""

    ref: Ref
    shown: list[Line]
    folded: list[Line]
    chars: int

    @property
    def law(self) -> Law:
        return self.ref.law

    @property
    def article(self) -> Article:
        return self.ref.article

    @property
    def label(self) -> str:
        return f"{self.law.title}{self.article.label}"

    @property
    def url(self) -> str:
        return self.ref.url

    @property
    def anchor(self) -> str:
        return self.ref.anchor


@dataclass(frozen=True)
class Entry:
    """One ``law:`` entry of a case: the entry as written and the articles it cites."""

    written: str
    articles: list[ArticleView]


def _lines(ref: Ref) -> list[Line]:
    out: list[Line] = []
    for p in ref.article.paragraphs:
        hit = ref.paragraph == p.number and not ref.item
        out.append(Line(p.text, para=p.number, cited=hit))
        for i in p.items:
            hit_item = ref.item == i.number and ref.paragraph in (None, p.number)
            out.append(Line(i.text, item=i.label, cited=hit_item))
    return out


_SENTENCE = re.compile(r"(?<=[。；：])")


def article_view(ref: Ref, fold: bool = True) -> ArticleView:
    """The article's lines; with ``fold``, a long article shows about FOLD_KEEP characters
    (whole lines, or the first sentences of a long first 款) and folds the rest."""
    lines = _lines(ref)
    chars = sum(len(x.text) + len(x.item) for x in lines)
    if not fold or chars <= FOLD_OVER:
        return ArticleView(ref, lines, [], chars)
    shown: list[Line] = []
    used = 0
    for n, line in enumerate(lines):
        size = len(line.text) + len(line.item)
        if shown and used + size > FOLD_KEEP:
            return ArticleView(ref, shown, lines[n:], chars)
        if not shown and size > FOLD_KEEP * 1.6:
            head, tail = _cut(line.text)
            if tail:
                rest = Line(tail, item="", cont=True, cited=line.cited)
                first = Line(head, para=line.para, item=line.item, cited=line.cited)
                return ArticleView(ref, [first], [rest, *lines[n + 1 :]], chars)
        shown.append(line)
        used += size
    return ArticleView(ref, lines, [], chars)


def _cut(text: str) -> tuple[str, str]:
    """The first sentences of ``text`` up to about FOLD_KEEP characters, and the rest."""
    head = ""
    for part in _SENTENCE.split(text):
        if head and len(head) + len(part) > FOLD_KEEP:
            break
        head += part
    return head, text[len(head) :]


@dataclass(frozen=True)
class Related:
    """Another case citing an article this case cites."""

    case: Case
    articles: list[str]  # 《民法典》第一千零六十七条 …


@dataclass
class LawPages:
    """Everything the law pages and case pages need, computed once per build."""

    content: Content
    library: Library
    cited: dict[Key, list[Case]] = field(default_factory=dict)
    refs: dict[str, list[Ref]] = field(default_factory=dict)  # case id → every ref

    @classmethod
    def of(cls, content: Content) -> LawPages:
        library = content.laws or Library()
        view = cls(content, library)
        cases = list(content.cases.values())
        view.cited = cases_by_article(cases, library)
        view.refs = {c.id: case_refs(c, library) for c in cases}
        return view

    # --- the case page ------------------------------------------------------------------

    def case_context(self, case: Case, page_url: str) -> dict[str, Any]:
        """Template context of a case page: ``law_entries`` (the 法律依据 box),
        ``law_sources`` (one version/source line per law), ``law_body`` (the body with its
        citations linked) and ``law_related`` (同一法条的其他案例)."""
        entries: list[Entry] = []
        shown: set[Key] = set()
        for e in case.law or []:
            refs = [r for r in entry_refs(e, self.library) if r.key not in shown]
            shown |= {r.key for r in refs}
            entries.append(Entry(e, [article_view(r) for r in refs]))
        laws: dict[str, Law] = {}
        for en in entries:
            for a in en.articles:
                laws.setdefault(a.law.name, a.law)
        return {
            "law_entries": entries,
            "law_sources": [(law.title, law.provenance) for law in laws.values()],
            "law_body": self.linked_body(case, page_url, entries),
            "law_related": self.related(case),
            "laws_url": LAWS,
        }

    def linked_body(self, case: Case, page_url: str, entries: list[Entry]) -> str:
        """The case body (Markdown) with each citation of a known article made a link: to
        its text in the 法律依据 box when it stands there, else to the article's page."""
        body = case.body or ""
        boxed = {a.ref.key: a.anchor for en in entries for a in en.articles}
        skip = _code_spans(body)
        out: list[str] = []
        pos = 0
        for c in find_citations(body, self.library.names):
            if c.start < pos or any(a < c.end and c.start < b for a, b in skip):
                continue
            refs = resolve(c, self.library)
            if not refs:
                continue
            text = body[c.start : c.end]
            if any(ch in text for ch in "[]\n`\\<>*_"):
                continue
            first = refs[0]
            target = f"#{boxed[first.key]}" if first.key in boxed else href(page_url, first.url)
            out += [body[pos : c.start], f"[{text}]({target})"]
            pos = c.end
        out.append(body[pos:])
        return "".join(out)

    def related(self, case: Case) -> list[Related]:
        """Up to RELATED other cases citing the articles this case cites: most shared
        articles first, then newest."""
        shared: dict[str, list[str]] = {}
        others: dict[str, Case] = {}
        for r in self.refs.get(case.id, []):
            for other in self.cited.get(r.key, []):
                if other.id != case.id:
                    others[other.id] = other
                    shared.setdefault(other.id, []).append(f"{r.law.title}{r.article.label}")
        ranked = sorted(
            others.values(),
            key=lambda o: (len(shared[o.id]), o.date, o.id),
            reverse=True,
        )
        return [Related(o, shared[o.id]) for o in ranked[:RELATED]]

    # --- the law pages ------------------------------------------------------------------

    def write_pages(self, write: Write, ledger: Iterable[str] = ()) -> list[str]:
        """Write ``laws/``, a page per cited law and per cited article (its cases paginated
        at 100); also the article and law pages in ``ledger`` that no case cites any more
        (their text, no cases: a published address keeps working). Returns the URLs."""
        urls: list[str] = []

        def put(url: str, template: str, **ctx: Any) -> None:
            write(url, template, **ctx)
            urls.append(url)

        by_law: dict[str, list[tuple[Ref, list[Case]]]] = {}
        for (name, art), cases in self.cited.items():
            law = self.library.laws[name]
            by_law.setdefault(name, []).append((Ref(law, law.articles[art]), cases))
        kept = self._published_uncited(ledger)
        for ref in kept:
            by_law.setdefault(ref.law.name, [])
        laws = [self.library.laws[n] for n in self.library.laws if n in by_law]

        summaries = []
        for law in laws:
            cited = by_law[law.name]
            n_cases = len({c.id for _, cs in cited for c in cs})
            summaries.append(
                {
                    "law": law,
                    "url": law_url(law),
                    "articles": [(r, len(cs)) for r, cs in cited[:LAWS_SHOWN]],
                    "total": len(cited),
                    "cases": n_cases,
                }
            )
        put(LAWS, "laws.md.j2", laws=summaries)
        for law, summary in zip(laws, summaries, strict=True):
            cited = by_law[law.name]
            chunks = [cited[i : i + PAGE_SIZE] for i in range(0, len(cited), PAGE_SIZE)] or [[]]
            base = law_url(law)
            nav = [(n, page_url(base, n)) for n in range(1, len(chunks) + 1)]
            for (n, url), chunk in zip(nav, chunks, strict=True):
                put(
                    url,
                    "law.md.j2",
                    law=law,
                    articles=[(r, len(cs)) for r, cs in chunk],
                    total=summary["total"],
                    cases=summary["cases"],
                    pages=nav,
                    number=n,
                )
        for key, cases in self.cited.items():
            law = self.library.laws[key[0]]
            self._article(put, Ref(law, law.articles[key[1]]), cases)
        for ref in kept:
            self._article(put, ref, [])
        return urls

    def _published_uncited(self, ledger: Iterable[str]) -> list[Ref]:
        """Article pages published before that no case cites now, still in the library."""
        out: list[Ref] = []
        for url in ledger:
            m = re.fullmatch(r"laws/([a-z0-9-]+)/(\d+(?:-\d+)?)/", url)
            if not m:
                continue
            law = self.library.by_slug(m.group(1))
            art = law.article(m.group(2)) if law else None
            if law and art and (law.name, art.id) not in self.cited:
                out.append(Ref(law, art))
        return out

    def _article(self, put: Write, ref: Ref, cases: list[Case]) -> None:
        base = article_url(ref.law, ref.article)
        chunks = [cases[i : i + PAGE_SIZE] for i in range(0, len(cases), PAGE_SIZE)] or [[]]
        nav = [(n, page_url(base, n)) for n in range(1, len(chunks) + 1)]
        view = article_view(ref, fold=False)
        for (n, url), chunk in zip(nav, chunks, strict=True):
            put(
                url,
                "law_article.md.j2",
                a=view,
                location=[h.label for h in ref.article.location],
                index_text=index_text(ref.law, ref.article),
                description=ref.article.text.replace("\n", " ")[:120],
                cases=chunk,
                total=len(cases),
                pages=nav,
                number=n,
                law_url=law_url(ref.law),
            )


def index_text(law: Law, article: Article) -> str:
    """Words a resident may search for an article with that its page does not show as
    such: 法条 and the Arabic forms (the law's names are on the page already).

    The browser splits a query with ``Intl.Segmenter`` (“1067条” → 1067 | 条), Pagefind's
    indexer with its own segmenter, which keeps “第1067条” as one word: the Arabic forms
    are written with spaces (第 1067 条) so both sides see the number as a word. The search
    page turns Chinese article numbers in a query (第一千零六十七条) into this form. 法 and 条
    stand alone too: a query's 法条 also matches a lone 法, which laws named …法 (保障法)
    have in their title and 民法典 does not."""
    no = article.no
    sub = f" 之{to_chinese(no.sub)}" if no.sub else ""
    return f"法条 法 条 法律条文 第 {no.number} 条{sub} {no.number} 条{sub}"


_KEEP = [
    re.compile(r"^(```|~~~).*?^\1", re.M | re.S),  # fenced code
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"\[[^\]\n]*\]\([^)\n]*\)"),  # a link already
    re.compile(r"<[^>\n]*>"),  # an HTML tag (its attributes)
]


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Spans where a citation stays as written: code, links, HTML tags."""
    return [m.span() for pattern in _KEEP for m in pattern.finditer(text)]
