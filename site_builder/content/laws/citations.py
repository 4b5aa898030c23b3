"""Statute citations as staff write them, found in any text (pure functions).

Understood: 《中华人民共和国民法典》 or 《民法典》 (or 民法典 without marks when it is followed
by an article); 第一千零六十七条 and 第1067条; 之一; 款 and 项 (第三十条第一款第（二）项);
lists (第七百零三条、第七百一十条, 第一款、第二款, 第（二）、（三）项); ranges
(第七百零三条至第七百零五条, 第703-705条); 该法/本法 for the law cited just before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from .numerals import NUMERAL_CHARS, parse_number, to_chinese


@dataclass(frozen=True, order=True)
class ArticleNo:
    """An article number: 1067, or 276 with ``sub`` 1 for 第二百七十六条之一."""

    number: int
    sub: int = 0

    @property
    def id(self) -> str:
        """The URL form: ``1067``, ``276-1``."""
        return f"{self.number}-{self.sub}" if self.sub else str(self.number)

    @property
    def label(self) -> str:
        """The statute form: 第一千零六十七条, 第二百七十六条之一."""
        tail = f"之{to_chinese(self.sub)}" if self.sub else ""
        return f"第{to_chinese(self.number)}条{tail}"

    @classmethod
    def from_id(cls, ident: str) -> ArticleNo:
        """Parse the URL form (``276-1``); raises ValueError."""
        head, _, sub = ident.partition("-")
        return cls(int(head), int(sub) if sub else 0)


@dataclass(frozen=True)
class Citation:
    """One cited article (or range of articles), 款 and 项 of one law, where it was written.

    ``law`` is the canonical name when the name is known, else the name as written (without
    《》), or None when no law was named. ``article`` is None when a law is only mentioned
    (《合同法》规定……). ``through`` is the last article of a range. ``start``/``end`` are the
    character span in the text of the whole citation, ``line`` its 1-based line in the text.
    """

    law: str | None
    article: ArticleNo | None = None
    paragraph: int | None = None
    item: int | None = None
    through: ArticleNo | None = None
    written: str | None = None
    known: bool = False
    bracketed: bool = True
    start: int = 0
    end: int = 0
    line: int = 1

    @property
    def key(self) -> tuple[str | None, str | None, int | None, int | None]:
        """(law, article id, 款, 项): what a test or an index compares."""
        art = self.article.id if self.article else None
        if art and self.through:
            art = f"{art}~{self.through.id}"
        return (self.law, art, self.paragraph, self.item)


def normalise_name(name: str) -> str:
    """A law name reduced for lookup: no spaces, 〈〉 as 《》, half-width brackets as full."""
    name = re.sub(r"\s+", "", name)
    return name.replace("〈", "《").replace("〉", "》").replace("(", "（").replace(")", "）")


def quoted(name: str) -> str:
    """A name in title marks, an inner title in 〈〉: 《最高人民法院关于适用〈民法典〉…》."""
    return "《" + name.replace("《", "〈").replace("》", "〉") + "》"


def format_citation(c: Citation, name: str | None = None) -> str:
    """The normalised form of a citation: 《民法典》第一千零六十七条第二款,
    《劳动合同法》第三十条第一款第（二）项, 《民法典》第七百零三条至第七百零五条.

    ``name`` is the name to print (a law's full or short name); default ``c.law``."""
    shown = name or c.law
    out = quoted(shown) if shown else ""
    if c.article is None:
        return out
    out += c.article.label
    if c.through:
        out += f"至{c.through.label}"
    if c.paragraph:
        out += f"第{to_chinese(c.paragraph)}款"
    if c.item:
        out += f"第（{to_chinese(c.item)}）项"
    return out


class Names:
    """Known law names: every written form (full, short, alias) → canonical name.

    Names with title marks are always recognised; a known name without them only when an
    article follows (民法典第1067条)."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.map = {normalise_name(k): v for k, v in names.items() if k}

    def resolve(self, written: str) -> str | None:
        """The canonical name of a written name, or None."""
        return self.map.get(normalise_name(written))

    @cached_property
    def bare(self) -> re.Pattern[str] | None:
        """A pattern of every known name (longest first) followed by an article."""
        plain = sorted((n for n in self.map if "《" not in n and len(n) >= 2), key=len)
        if not plain:
            return None
        alts = "|".join(re.escape(n) for n in reversed(plain))
        return re.compile(rf"(?:{alts})(?=\s*(?:的)?\s*第\s*[{NUMERAL_CHARS}])")


_NUM = rf"[{NUMERAL_CHARS}]+"
_SUB = r"(?:之([一二三四五六七八九十]+))?"
_ART = re.compile(
    rf"\s*(?:的)?\s*第\s*({_NUM})\s*(?:[-—－~～]\s*({_NUM})\s*)?条{_SUB}",
)
_RANGE_TO = re.compile(rf"\s*(?:至|到|[-—－~～])\s*第?\s*({_NUM})\s*条{_SUB}")
_PARA = re.compile(rf"\s*第\s*({_NUM})\s*款")
_ITEM_ONE = rf"[（(]\s*({_NUM})\s*[）)]"
_ITEMS = re.compile(
    rf"\s*(?:第\s*)?((?:[（(]\s*{_NUM}\s*[）)]\s*[、，,和及与]?\s*)+)项|\s*第\s*({_NUM})\s*项"
)
_SEP = re.compile(r"\s*(?:、|，|,|以及|和|及|与|或者|或)\s*")
_OPEN = re.compile("《")
_SAME_LAW = re.compile(r"(?:该|本|同)(?:法|条例|解释|规定|决定|办法)")


def _open_title(text: str, i: int) -> tuple[str, int] | None:
    """The name inside 《…》 opening at ``i`` (nested marks kept) and the index after it."""
    depth = 0
    for j in range(i, min(len(text), i + 120)):
        ch = text[j]
        if ch in "《〈":
            depth += 1
        elif ch in "》〉":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j], j + 1
        elif ch == "\n":
            return None
    return None


def _items(m: re.Match[str]) -> list[int]:
    if m.group(2):
        n = parse_number(m.group(2))
        return [n] if n else []
    return [n for n in (parse_number(x) for x in re.findall(_ITEM_ONE, m.group(1))) if n]


def _article(num: str, sub: str | None) -> ArticleNo | None:
    n = parse_number(num)
    if n is None:
        return None
    s = parse_number(sub) if sub else 0
    return ArticleNo(n, s or 0)


_Ref = tuple[ArticleNo, ArticleNo | None, int | None, int | None]


def _tail(text: str, pos: int) -> tuple[int | None, list[int | None], int]:
    """An optional 款 and 项 after an article: (款, [项…] or [None], end index)."""
    para: int | None = None
    items: list[int | None] = [None]
    p = _PARA.match(text, pos)
    if p:
        para = parse_number(p.group(1))
        pos = p.end()
    i = _ITEMS.match(text, pos)
    if i:
        items = list(_items(i)) or [None]
        pos = i.end()
    return para, items, pos


def _chain(text: str, pos: int) -> tuple[list[_Ref], int]:
    """Parse article references from ``pos``: [(article, through, 款, 项)], end index.

    After a separator (、，和及) come another article, another 款 of the same article,
    or another 项 of the same 款."""
    out: list[_Ref] = []
    m = _ART.match(text, pos)
    while m:
        art = _article(m.group(1), m.group(3))
        through = _article(m.group(2), None) if m.group(2) else None
        pos = m.end()
        r = _RANGE_TO.match(text, pos)
        if r and through is None:
            through = _article(r.group(1), r.group(2))
            pos = r.end()
        para, items, pos = _tail(text, pos)
        if art is None:
            break
        out += [(art, through, para, item) for item in items]
        m = None
        while s := _SEP.match(text, pos):
            m = _ART.match(text, s.end())
            if m:
                break
            if _PARA.match(text, s.end()):
                para, items, pos = _tail(text, s.end())
            elif i := _ITEMS.match(text, s.end()):
                items, pos = list(_items(i)), i.end()
            else:
                break
            out += [(art, None, para, item) for item in items]
    return out, pos


def find_citations(text: str, names: Names | None = None) -> list[Citation]:
    """Every citation in ``text``, in order. A law mentioned without an article gives a
    citation with ``article`` None; 该法 and a bare 第X条 right after a list continue the
    law cited before."""
    starts: list[tuple[int, int, str, bool]] = []  # start, end of name, written, bracketed
    taken_until = -1
    for mark in _OPEN.finditer(text):
        i = mark.start()
        if i < taken_until:
            continue
        got = _open_title(text, i)
        if got:
            starts.append((i, got[1], got[0], True))
            taken_until = got[1]
    spans = [(a, b) for a, b, _, _ in starts]
    if names is not None and names.bare is not None:
        for m in names.bare.finditer(text):
            if not any(a <= m.start() < b for a, b in spans):
                starts.append((m.start(), m.end(), m.group(), False))
    for m in _SAME_LAW.finditer(text):
        if not any(a <= m.start() < b for a, b in spans) and _ART.match(text, m.end()):
            starts.append((m.start(), m.end(), "", False))
    starts.sort()
    out: list[Citation] = []
    last: tuple[str | None, str | None, bool] | None = None
    for start, name_end, written, bracketed in starts:
        if written:
            canonical = names.resolve(written) if names else None
            law: str | None = canonical or normalise_name(written)
            last = (law, written, canonical is not None)
        elif last is None:
            continue
        law, shown, known = last
        refs, end = _chain(text, name_end)
        line = text.count("\n", 0, start) + 1
        if not refs:
            if written and bracketed:
                out.append(
                    Citation(law, None, None, None, None, shown, known, True, start, name_end, line)
                )
            continue
        for art, through, para, item in refs:
            out.append(
                Citation(law, art, para, item, through, shown, known, bracketed, start, end, line)
            )
    return out


def citation_laws(citations: Iterable[Citation]) -> list[str]:
    """The distinct laws cited, in order of first citation."""
    seen: dict[str, None] = {}
    for c in citations:
        if c.law:
            seen.setdefault(c.law, None)
    return list(seen)
