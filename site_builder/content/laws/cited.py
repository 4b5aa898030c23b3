"""What cases cite, resolved to the library's articles (pure functions).

- :func:`entry_refs` / :func:`case_refs` — the articles a ``law:`` entry or a whole case
  points at;
- :func:`cases_by_article` — every cited article and the cases citing it, newest first
  (以案释法 read the other way round);
- :func:`normalised_citations` — the lines a poster prints: the official title once, then
  the articles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import urls
from ..types import Case
from .citations import Citation, find_citations, format_citation, quoted
from .library import Library
from .model import Article, Law

# A range (第七百零三条至第七百零五条) stands for at most this many article pages.
MAX_RANGE = 30

Key = tuple[str, str]  # (canonical law name, article id)


@dataclass(frozen=True)
class Ref:
    """One article a citation points at, found in the library (款 and 项 when cited)."""

    law: Law
    article: Article
    paragraph: int | None = None
    item: int | None = None

    @property
    def key(self) -> Key:
        return (self.law.name, self.article.id)

    @property
    def url(self) -> str:
        """``laws/minfadian/1067/``: the article's permanent page."""
        return article_url(self.law, self.article)

    @property
    def anchor(self) -> str:
        """The id of the article's text in a case page's 法律依据 box."""
        return f"fa-{self.law.slug}-{self.article.id}"


def article_url(law: Law, article: Article) -> str:
    return urls.law_url(law.slug, article.id)


def law_url(law: Law) -> str:
    return urls.law_url(law.slug)


def resolve(c: Citation, library: Library) -> list[Ref]:
    """The articles of one citation that the library holds (a range: each article in it)."""
    law = library.laws.get(c.law or "")
    if law is None or law.outdated_by is not None or c.article is None:
        return []
    if c.through is not None:
        lo, hi = c.article, c.through
        arts = [a for a in law.articles.values() if lo <= a.no <= hi][:MAX_RANGE]
        return [Ref(law, a) for a in arts]
    art = law.article(c.article)
    if art is None:
        return []
    return [Ref(law, art, c.paragraph, c.item)]


def _unique(refs: Iterable[Ref]) -> list[Ref]:
    seen: dict[Key, Ref] = {}
    for r in refs:
        seen.setdefault(r.key, r)
    return list(seen.values())


def entry_refs(entry: str, library: Library) -> list[Ref]:
    """The articles one ``law:`` entry cites, in order, each once."""
    return _unique(r for c in find_citations(entry, library.names) for r in resolve(c, library))


def case_refs(case: Case, library: Library) -> list[Ref]:
    """Every article a case cites: its ``law:`` entries, then its summary and body."""
    refs: list[Ref] = []
    for entry in case.law or []:
        refs += entry_refs(entry, library)
    for text in (case.summary or "", case.body or ""):
        for c in find_citations(text, library.names):
            refs += resolve(c, library)
    return _unique(refs)


def newest_first(cases: Iterable[Case]) -> list[Case]:
    return sorted(cases, key=lambda c: (c.date, c.id), reverse=True)


def cases_by_article(cases: Iterable[Case], library: Library) -> dict[Key, list[Case]]:
    """Every article some case cites → the cases citing it, newest first; the articles in
    library order (law by law, article by article)."""
    found: dict[Key, list[Case]] = {}
    for case in cases:
        for r in case_refs(case, library):
            found.setdefault(r.key, []).append(case)
    order = {
        (name, art): (i, j)
        for i, (name, law) in enumerate(library.laws.items())
        for j, art in enumerate(law.articles)
    }
    return {k: newest_first(found[k]) for k in sorted(found, key=lambda k: order[k])}


def normalised_citations(case: Case, library: Library) -> list[str]:
    """The lines a poster prints for a case's ``law:`` entries: one line per law, its
    official title once, then its articles (《中华人民共和国老年人权益保障法》第十四条、
    第十九条). A law the library does not hold keeps the name as written; an entry with no
    citation in it is printed as it is."""
    lines: dict[str, list[str]] = {}  # title → article parts, in order of first citation
    for entry in case.law or []:
        cites = find_citations(entry, library.names)
        if not cites:
            lines.setdefault(entry.strip(), [])
            continue
        for c in cites:
            law = library.laws.get(c.law or "")
            name = law.name if law else (c.law or "")
            title = quoted(name)
            parts = lines.setdefault(title, [])
            part = format_citation(c, name).removeprefix(title)
            if part and part not in parts:
                parts.append(part)
    return [title + "、".join(parts) for title, parts in lines.items()]
