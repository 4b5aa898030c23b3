"""Parse one statute text (the format of ``data/laws/README.md``) into articles.

``#`` title (a second ``#`` line names the part of a law split over files), history,
``<!-- INFO END -->``, then ``##``… headings for 编/章/节 and one article per paragraph
group starting ``第X条 ``; later paragraphs are further 款, lines starting ``（一）`` are
项 of the 款 before them. A pure function of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .citations import ArticleNo
from .model import Article, Heading, Item, Paragraph
from .numerals import parse_number

INFO_END = "<!-- INFO END -->"
_ARTICLE = re.compile(
    r"^第([零〇一二三四五六七八九十百千]+)条(?:之([一二三四五六七八九十]+))?[\s\u3000]+"
)
_ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_NUMBERED = re.compile(r"^(第[零〇一二三四五六七八九十百千]+)(分编|编|章|节)\s*(.*)$")


@dataclass
class ParsedText:
    """The articles of one file, its title lines and what was wrong with it."""

    titles: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def _heading(level: int, text: str) -> Heading:
    m = _NUMBERED.match(text)
    if m:
        return Heading(m.group(2), f"{m.group(1)}{m.group(2)} {squash(m.group(3))}".strip())
    return Heading("编" if level == 1 else "部分", squash(text))


def squash(text: str) -> str:
    """A heading's words without the spaces set for alignment: 肖 像 权 → 肖像权."""
    return re.sub(r"[\s\u3000]+", "", text)


class _Builder:
    def __init__(self, no: ArticleNo, first: str, location: tuple[Heading, ...], line: int) -> None:
        self.no, self.location, self.line = no, location, line
        self.paras: list[tuple[str, list[Item], int]] = [(first, [], line)]

    def add(self, text: str, line: int) -> None:
        m = _ITEM.match(text)
        if m and (n := parse_number(m.group(1))):
            self.paras[-1][1].append(Item(n, text[m.end() :], line))
        elif re.match(r"^[0-9０-９]+[\.．、]", text):
            head, items, at = self.paras[-1]
            if items:
                last = items[-1]
                items[-1] = Item(last.number, f"{last.text}\n{text}", last.line)
            else:
                self.paras[-1] = (f"{head}\n{text}", items, at)
        else:
            self.paras.append((text, [], line))

    def article(self, file: str) -> Article:
        paras = tuple(
            Paragraph(i + 1, text, tuple(items), line)
            for i, (text, items, line) in enumerate(self.paras)
        )
        return Article(self.no, paras, self.location, file, self.line)


def parse_text(text: str, file: str) -> ParsedText:
    """The articles of one statute file; ``file`` is recorded on each article."""
    out = ParsedText()
    lines = text.replace("\r\n", "\n").split("\n")
    start = next((i + 1 for i, ln in enumerate(lines) if ln.strip() == INFO_END), 0)
    for ln in lines[:start]:
        h = _HEADING.match(ln)
        if h and len(h.group(1)) == 1:
            out.titles.append(h.group(2))
    stack: dict[int, Heading] = {}
    if len(out.titles) > 1:
        stack[1] = Heading("编", squash(out.titles[1]))
    current: _Builder | None = None
    for n, raw in enumerate(lines[start:], start + 1):
        ln = raw.strip()
        if not ln:
            continue
        h = _HEADING.match(ln)
        if h:
            if current:
                out.articles.append(current.article(file))
                current = None
            level = len(h.group(1))
            if level == 1 and not out.titles:
                out.titles.append(h.group(2))
                continue
            for deeper in [k for k in stack if k >= level]:
                del stack[deeper]
            stack[level] = _heading(level, h.group(2))
            continue
        m = _ARTICLE.match(ln)
        if m:
            if current:
                out.articles.append(current.article(file))
            no = ArticleNo(parse_number(m.group(1)) or 0, parse_number(m.group(2) or "") or 0)
            location = tuple(stack[k] for k in sorted(stack))
            current = _Builder(no, ln[m.end() :], location, n)
        elif current:
            current.add(ln, n)
    if current:
        out.articles.append(current.article(file))
    if not out.titles:
        out.problems.append((1, "第一行应是“# 法律名称”"))
    if not out.articles:
        out.problems.append((1, "没有找到条文：每一条应以“第一条 ”这样的条号加空格开头，单独成段"))
    return out


def sequence_problems(articles: list[Article]) -> list[tuple[str, int, str, bool]]:
    """Numbering problems across a law's files: (file, line, message, is_warning).

    A repeated or backwards number is an error (the article could not be found reliably);
    a gap is a warning."""
    out: list[tuple[str, int, str, bool]] = []
    prev: ArticleNo | None = None
    for a in articles:
        if prev is not None:
            if a.no <= prev:
                why = (
                    f"条号{a.label}重复了：上一条也是{prev.label}"
                    if a.no == prev
                    else f"条号顺序颠倒：{a.label}排在{prev.label}后面"
                )
                out.append((a.file, a.line, why, False))
                continue
            expected = (ArticleNo(prev.number + 1), ArticleNo(prev.number, prev.sub + 1))
            if a.no not in expected and not (a.no.number == prev.number + 1 and a.no.sub == 0):
                out.append((a.file, a.line, f"条号不连续：{prev.label}后面是{a.label}", True))
        elif a.no != ArticleNo(1):
            out.append((a.file, a.line, f"第一条的条号是{a.label}，应从第一条开始", True))
        prev = a.no
    return out
