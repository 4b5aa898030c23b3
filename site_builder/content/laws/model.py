"""The statute library's typed objects: a law, its articles, their 款 and 项."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .citations import ArticleNo, quoted
from .numerals import to_chinese


@dataclass(frozen=True)
class Item:
    """A 项 of a 款: （一）…"""

    number: int
    text: str  # without the （一） mark
    line: int

    @property
    def label(self) -> str:
        return f"（{to_chinese(self.number)}）"


@dataclass(frozen=True)
class Paragraph:
    """A 款 of an article: its own text and its 项."""

    number: int
    text: str
    items: tuple[Item, ...] = ()
    line: int = 0

    def item(self, number: int) -> Item | None:
        return self.items[number - 1] if 0 < number <= len(self.items) else None


@dataclass(frozen=True)
class Heading:
    """A heading above an article: ``kind`` 编 | 分编 | 章 | 节 | 部分, its label as printed."""

    kind: str
    label: str


@dataclass(frozen=True)
class Article:
    """One article: number, where it sits (编/章/节), its 款 and 项, where its text is."""

    no: ArticleNo
    paragraphs: tuple[Paragraph, ...]
    location: tuple[Heading, ...] = ()
    file: str = ""
    line: int = 0

    @property
    def id(self) -> str:
        """``1067`` or ``276-1`` (the URL form)."""
        return self.no.id

    @property
    def label(self) -> str:
        """第一千零六十七条."""
        return self.no.label

    def paragraph(self, number: int) -> Paragraph | None:
        return self.paragraphs[number - 1] if 0 < number <= len(self.paragraphs) else None

    def heading(self, kind: str) -> str | None:
        """The label of the 编, 分编, 章 or 节 this article is in, or None."""
        return next((h.label for h in self.location if h.kind == kind), None)

    @property
    def text(self) -> str:
        """The whole article as plain text, one line per 款 and 项."""
        lines: list[str] = []
        for p in self.paragraphs:
            lines.append(p.text)
            lines += [f"{i.label}{i.text}" for i in p.items]
        return "\n".join(lines)


BUNDLED = "内置"
BUNDLED_SOURCE = "国家法律法规数据库，截至2025年4月19日"


def chinese_date(d: dt.date) -> str:
    """2021年1月1日."""
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Law:
    """A law, regulation or judicial interpretation with its parsed text."""

    name: str
    short: tuple[str, ...]
    kind: str
    version: dt.date
    effective: dt.date
    files: tuple[str, ...]
    slug: str = ""
    origin: str = BUNDLED  # 内置, or the index file that added it (laws/index.yml)
    origin_line: int = 0
    source: str = BUNDLED_SOURCE
    articles: dict[str, Article] = field(default_factory=dict)  # by id, in text order
    outdated_by: Revised | None = None  # a known revision newer than this text

    @property
    def short_name(self) -> str:
        """The name people write: the first short name, else the full name."""
        return self.short[0] if self.short else self.name

    @property
    def title(self) -> str:
        """《民法典》 (short name in title marks)."""
        return quoted(self.short_name)

    def article(self, no: ArticleNo | str) -> Article | None:
        return self.articles.get(no if isinstance(no, str) else no.id)

    @property
    def main_count(self) -> int:
        """Articles without 之一: the number the law is said to have (民法典 1260)."""
        return sum(1 for a in self.articles.values() if not a.no.sub)

    @property
    def provenance(self) -> str:
        """2021年1月1日起施行 · 文本来源：国家法律法规数据库，截至2025年4月19日."""
        return f"{chinese_date(self.effective)}起施行 · 文本来源：{self.source}"


@dataclass(frozen=True)
class Repealed:
    """A repealed law and the law in force that replaced it."""

    name: str
    names: tuple[str, ...]
    replaced_by: str
    on: dt.date


@dataclass(frozen=True)
class Revised:
    """A law revised after the bundled texts were taken: no text, so no article checks."""

    name: str
    short: tuple[str, ...]
    revised: dt.date
    effective: dt.date
    articles: int | None = None

    @property
    def short_name(self) -> str:
        return self.short[0] if self.short else self.name
