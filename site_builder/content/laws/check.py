"""``pufa check`` knows the law: every citation in a case checked against the library.

An article, 款 or 项 that does not exist is an error naming the valid range; an unknown law
is a warning naming the nearest known one; a repealed law is a warning naming the law in
force; a law revised after its bundled text gets a note (a warning) that its citations
can't be checked article by article. Pure functions from cases and a library to problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...errors import Problem
from ..types import Case
from .citations import ArticleNo, Citation, find_citations, quoted
from .library import LAWS_FOLDER, Library, display
from .model import Law, chinese_date
from .numerals import to_chinese

LAW_KEY = "law"
BODY_KEY = "正文"
SUMMARY_KEY = "summary"
# A name in 《》 that looks like a statute (not a newspaper or a programme).
_LAWLIKE = re.compile(r"(法|条例|规定|解释|解释（[一二三四五六七八九十]+）|办法|细则|决定|规则)$")


def _count(law: Law) -> str:
    subs = len(law.articles) - law.main_count
    extra = f"（另有 {subs} 条带“之一”“之二”的条文）" if subs else ""
    return f"{law.title}只有 {law.main_count} 条{extra}"


def _missing_article(law: Law, no: ArticleNo) -> str:
    head = f"{law.title}没有{no.label}："
    if no.sub:
        base = law.article(ArticleNo(no.number))
        subs = [a.label for a in law.articles.values() if a.no.number == no.number and a.no.sub]
        if base is not None and subs:
            return head + f"{base.label}之后只有{'、'.join(subs)}"
        if base is not None:
            return head + f"{base.label}之后没有“之一”这样的条文"
    return head + _count(law)


def article_problem(c: Citation, law: Law) -> str | None:
    """Why a citation of ``law`` points at nothing (article, 款 or 项), or None."""
    if c.article is None:
        return None
    for no in (c.article, c.through):
        if no is not None and law.article(no) is None:
            return _missing_article(law, no)
    art = law.article(c.article)
    assert art is not None
    where = f"{law.title}{art.label}"
    para = None
    if c.paragraph:
        para = art.paragraph(c.paragraph)
        if para is None:
            return f"{where}没有第{to_chinese(c.paragraph)}款：这一条只有 {len(art.paragraphs)} 款"
    if c.item:
        if para is None:
            para = next((p for p in art.paragraphs if p.items), art.paragraphs[0])
            scope = "这一条"
        else:
            where += f"第{to_chinese(para.number)}款"
            scope = "这一款"
        if para.item(c.item) is None:
            have = f"只有 {len(para.items)} 项" if para.items else "没有分项"
            return f"{where}没有第（{to_chinese(c.item)}）项：{scope}{have}"
    return None


def citation_problem(c: Citation, library: Library, *, entry: bool) -> tuple[str, bool] | None:
    """(message, is_warning) for one citation, or None when it is fine.

    ``entry``: the citation is a ``law:`` entry (any unknown name is reported); in a body
    only names that look like statutes (…法, …条例, …解释) are."""
    if c.law is None:
        return None
    law = library.laws.get(c.law)
    if law is not None and law.outdated_by is None:
        msg = article_problem(c, law)
        return (msg, False) if msg else None
    repealed = library.repealed.get(c.law) or library.repealed.get(c.written or "")
    if repealed is not None:
        now = display(repealed.replaced_by, library)
        return (
            f"{quoted(min(repealed.names, key=len))}已于{chinese_date(repealed.on)}废止，现行的是"
            f"{quoted(repealed.replaced_by)}，请改引{now.strip('《》')}的相应条文",
            True,
        )
    revised = library.revised.get(c.law) or (law.outdated_by if law else None)
    if revised is not None:
        return (
            f"{quoted(revised.short_name)}已于{chinese_date(revised.revised)}修订"
            f"（{chinese_date(revised.effective)}起施行），法条库里还没有现行文本，"
            f"引用的条文暂时无法逐条核对；把现行文本放进 content/{LAWS_FOLDER}/ 后即可核对",
            True,
        )
    written = c.written or c.law
    if not entry and not _LAWLIKE.search(written):
        return None  # 《人民日报》, 《某村村规民约》第三条: not for the statute library
    near = library.nearest(written)
    hint = (
        f"是不是{display(library.names.resolve(near) or near, library)}？"
        if near
        else f"如需核对条文，请把它的文本放进 content/{LAWS_FOLDER}/ 并写进 "
        f"content/{LAWS_FOLDER}/index.yml"
    )
    return f"法条库里没有{quoted(written)}，无法核对条文；{hint}", True


def check_text(
    text: str,
    source: str,
    first_line: int,
    key: str,
    library: Library,
    *,
    entry: bool = False,
) -> list[Problem]:
    """Problems of the citations in one text whose first line is ``first_line``."""
    out: list[Problem] = []
    cites = find_citations(text, library.names)
    if entry and not cites:
        out.append(
            Problem(
                source,
                first_line,
                key,
                f"没有认出引用的法律“{text}”：请写成《法律名称》第X条，"
                "如《中华人民共和国民法典》第七百零三条",
                warning=True,
            )
        )
    for c in cites:
        found = citation_problem(c, library, entry=entry)
        if found:
            msg, warning = found
            out.append(Problem(source, first_line + c.line - 1, key, msg, warning=warning))
    return out


def check_case(case: Case, library: Library) -> list[Problem]:
    """Problems of the citations of one case: its ``law:`` entries (at each entry's line),
    its summary and its body (at the line within the file)."""
    out: list[Problem] = []
    for i, law in enumerate(case.law or []):
        out += check_text(law, case.source, case.line_of(LAW_KEY, i), LAW_KEY, library, entry=True)
    if case.summary:
        out += check_text(
            case.summary, case.source, case.line_of(SUMMARY_KEY), SUMMARY_KEY, library
        )
    out += check_text(case.body or "", case.source, case.body_line, BODY_KEY, library)
    return sorted(set(out))


def check_cases(cases: Iterable[Case], library: Library) -> list[Problem]:
    """Problems of the citations of every case."""
    out: list[Problem] = []
    for case in cases:
        out += check_case(case, library)
    return out
