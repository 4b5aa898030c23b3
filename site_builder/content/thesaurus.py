"""The search thesaurus: the words residents type → the words the pages use.

Residents search for 养老钱 where a case says 赡养费, for 讨薪 where it says 拖欠工资, and type
善养费 or 压金 with a pinyin input method. The project ships a reviewed list
(``site_builder/data/thesaurus.yml``); a county adds its dialect in ``content/thesaurus.yml``
(闺女, 老娘, 婆姨 …), in the same form and checked like any content:

    赡养费: [养老钱, 养老费, 善养费]      # the page's word: the ways residents say it
    不用搜的词: [俺, 咋整]                # words a query can drop (question and filler words)

The search page gets the merged list as JSON (:meth:`Thesaurus.as_json`); ``search.js``
rewrites a query with it before Pagefind sees it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .yamlsource import FILE_KEY, Source, load_source

THESAURUS_FILE = "thesaurus.yml"
BUNDLED = Path(__file__).resolve().parent.parent / "data" / "thesaurus.yml"
STOP_KEY = "不用搜的词"
MAX_WORD = 16  # characters: a word, not a sentence


@dataclass
class Thesaurus:
    """Everyday word → the page words it stands for; and the words a query drops."""

    words: dict[str, list[str]] = field(default_factory=dict)
    stop: list[str] = field(default_factory=list)
    local: dict[str, int] = field(default_factory=dict)  # content/thesaurus.yml: term → line

    def add(self, term: str, said: Iterable[str]) -> None:
        term = _query_form(term)
        for word in map(_query_form, said):
            known = self.words.setdefault(word, [])
            if term not in known:
                known.append(term)

    def as_json(self) -> dict[str, Any]:
        """What ``search.js`` reads: ``words`` (everyday → page words), ``terms`` (every page
        word, so a query that already uses it keeps it whole) and ``stop``."""
        terms = sorted({t for ts in self.words.values() for t in ts})
        stop = sorted({_query_form(w) for w in self.stop})
        return {"words": self.words, "terms": terms, "stop": stop}


def _query_form(word: str) -> str:
    """A word as search.js compares it: NFKC (full-width letters and digits), lower case."""
    return unicodedata.normalize("NFKC", word).lower()


def load_thesaurus(root: Path, problems: list[Problem]) -> Thesaurus:
    """The bundled list merged with ``content/thesaurus.yml`` (if any); the county's file's
    problems go to ``problems`` with their lines."""
    thesaurus = Thesaurus()
    _read(BUNDLED, "（内置）thesaurus.yml", thesaurus, problems)
    path = root / THESAURUS_FILE
    if path.is_file():
        _read(path, THESAURUS_FILE, thesaurus, problems, local=True)
    return thesaurus


def unused_terms(thesaurus: Thesaurus, text: str, problems: list[Problem]) -> None:
    """Warn about a county entry whose page word appears on no page: searching for it
    would find nothing, so the entry is probably mistyped."""
    for term, line in thesaurus.local.items():
        if term not in text:
            problems.append(
                Problem(
                    THESAURUS_FILE,
                    line,
                    term,
                    f"网站的内容里没有“{term}”这个词：居民用右边的说法搜索时找不到网页。"
                    "请检查是否写错，左边要写网页里用的词",
                    warning=True,
                )
            )


def _read(
    path: Path, rel: str, into: Thesaurus, problems: list[Problem], *, local: bool = False
) -> None:
    src = load_source(path, rel, problems, whole_yaml=True, chinese_keys=True)
    if src is None:
        return
    if not isinstance(src.data, dict):
        problems.append(
            Problem(rel, 1, FILE_KEY, "格式应为“网页里的词: [居民的说法, …]”，每行一条")
        )
        return
    for term, said in src.data.items():
        line = src.lines.get(str(term), 1)
        if not isinstance(term, str) or not term.strip():
            problems.append(
                Problem(rel, line, str(term), "左边要写网页里用的词（文字），不能是数字或空")
            )
            continue
        words = _words(src, rel, term, said, problems)
        if term == STOP_KEY:
            into.stop += words
            continue
        problem = _word_problem(term)
        if problem:
            problems.append(Problem(rel, line, term, problem))
            continue
        if term in words:
            problems.append(
                Problem(rel, line, term, f"右边又写了“{term}”本身，可以删去", warning=True)
            )
        into.add(term.strip(), [w for w in words if w != term])
        if local:
            into.local[term.strip()] = line


def _words(src: Source, rel: str, term: str, said: Any, problems: list[Problem]) -> list[str]:
    """The right-hand side: one word or a list of words, each checked."""
    line = src.lines.get(term, 1)
    items = [said] if isinstance(said, str) else said
    if not isinstance(items, list) or not items:
        problems.append(
            Problem(rel, line, term, "右边要写居民的说法，如 [养老钱, 养老费]，至少一个")
        )
        return []
    out: list[str] = []
    for i, word in enumerate(items):
        at = src.lines.get(f"{term}[{i}]", line)
        if not isinstance(word, str):
            problems.append(Problem(rel, at, term, f"第 {i + 1} 个说法不是文字：{word!r}"))
            continue
        problem = _word_problem(word)
        if problem:
            problems.append(Problem(rel, at, term, f"“{word}”：{problem}"))
        elif word.strip() in out:
            problems.append(Problem(rel, at, term, f"“{word}”写了两遍，可以删去一个", warning=True))
        else:
            out.append(word.strip())
    return out


_LIST_MARKS = "，、；【】"  # typed by a Chinese input method where YAML needs , [ ]


def _word_problem(word: str) -> str | None:
    word = word.strip()
    if not word:
        return "是空的"
    mark = next((ch for ch in word if ch in _LIST_MARKS), None)
    if mark:
        return (
            f"用了全角的“{mark}”：几个说法要写在半角方括号里，用半角逗号分开，如 押金: [压金, 押钱]"
        )
    if any(ch.isspace() for ch in word):
        return "一个词里不要有空格；几个说法请分开写"
    if len(word) > MAX_WORD:
        return f"太长了（{len(word)} 个字）：请写词语，不要写句子（最多 {MAX_WORD} 个字）"
    return None
