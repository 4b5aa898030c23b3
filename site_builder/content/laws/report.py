"""``pufa laws``: the laws known, their versions, and how many cases cite each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model import Content
from ..types import Case
from .citations import find_citations, quoted
from .library import Library
from .model import BUNDLED, chinese_date


def cited_by(cases: Iterable[Case], library: Library) -> Counter[str]:
    """Canonical law name → number of cases citing it (in ``law:``, summary or body)."""
    counts: Counter[str] = Counter()
    for case in cases:
        laws: set[str] = set()
        for text in (*(case.law or []), case.summary or "", case.body or ""):
            laws |= {c.law for c in find_citations(text, library.names) if c.law}
        for name in laws:
            counts[name] += 1
    return counts


def laws_report(content: Content, library: Library) -> list[str]:
    """The lines ``pufa laws`` prints (Simplified Chinese)."""
    counts = cited_by(content.cases.values(), library)
    local = [law for law in library.laws.values() if law.origin != BUNDLED]
    lines = [
        f"法条库共有 {len(library.laws)} 部法律、法规和司法解释"
        f"（内置 {len(library.laws) - len(local)} 部，content/laws/ 里 {len(local)} 部）："
    ]
    for law in library.laws.values():
        subs = len(law.articles) - law.main_count
        extra = f"另 {subs} 条“之一”等，" if subs else ""
        where = "内置" if law.origin == BUNDLED else f"content/{law.origin}"
        also = f"（{law.name}）" if law.short_name != law.name else ""
        version = f"{chinese_date(law.version)}版本，{chinese_date(law.effective)}起施行"
        old = (
            f"；文本早于{chinese_date(law.outdated_by.revised)}的修订，引用无法逐条核对"
            if law.outdated_by
            else ""
        )
        lines.append(
            f"  {law.title}{also}：{law.kind}，{law.main_count} 条（{extra}{version}），"
            f"{where}；{counts[law.name]} 个案例引用{old}"
        )
    if library.revised:
        lines.append("已经修订、法条库里还没有现行文本（引用的条文无法逐条核对）：")
        for rv in library.revised.values():
            size = f"，共 {rv.articles} 条" if rv.articles else ""
            lines.append(
                f"  {quoted(rv.short_name)}：{chinese_date(rv.revised)}修订，"
                f"{chinese_date(rv.effective)}起施行{size}；{counts[rv.name]} 个案例引用"
            )
    repealed = {r.name: r for r in library.repealed.values()}
    if repealed:
        lines.append("已废止（请改引现行法律）：")
        for r in repealed.values():
            lines.append(
                f"  {quoted(r.names[-1])}：{chinese_date(r.on)}废止，"
                f"由{quoted(r.replaced_by)}取代；{counts[r.name]} 个案例引用"
            )
    return lines
