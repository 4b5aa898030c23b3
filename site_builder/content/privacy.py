"""Checks of case explainers before publication: personal data.

Following the Supreme People's Court rules on publishing judgments: parties are anonymised
(李某某), and no ID numbers, phone numbers, bank cards, licence plates, exact addresses or
minors' names appear. Pure functions from text to findings; `load` turns them into problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import Problem
from .types import Case

# Common surnames (the most frequent ~100): a name is a surname plus one or two characters.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤"
)
# Words that name a party; longer words first, so 被告人 is tried before 被告.
ROLE_WORDS = (
    "犯罪嫌疑人|被申请人|申请人|被告人|被害人|被上诉人|上诉人|第三人|当事人|证人|原告|被告|"
    "村民|居民|牧民|农民|老人|妻子|丈夫|儿子|女儿|孙子|孙女|租客|房东|业主|工人|司机|邻居|"
    "表哥|表姐|母亲|父亲|大爷|大妈|老汉|学生|孩子|男孩|女孩"
)
_CJK = "\u4e00-\u9fff"
_NAME = rf"([{SURNAMES}][{_CJK}]{{1,2}})"
# Characters that follow a name far more often than they end one ("张伟拒绝…", "李某与…").
_NOT_NAME_TAIL = set(
    "某氏先女姓家们是的了在和与说把被将到也都就还又从向对给拒不因要认称找来去等已曾以为跟同自"
    "却便才请让叫告诉表提签拿借欠打骂住租买卖回多少一二三两几地辩当承于经及并未无"
)
# Ordinary words that begin with a surname character: never the start of a name.
_NOT_NAME_WORDS = (
    "高兴|高声|高龄|高度|高价|高额|马上|白天|白白|方面|方式|方法|方案|方便|方向|黄昏|金额|金钱|"
    "石头|江边|田地|田间|林地|程序|任何|任意|许多|于是|万元|钱款|雷雨|关于|严重|严格|武力|龙头|"
    "史上|陶瓷|贺礼|顾及|毛坯|向|汤药|江水|段时间|常年|孔洞|莫名|秦岭|夏天|夏季|曾经|陈述|于"
)
# Characters of Mongolian, Uyghur and Tibetan names written in Chinese, which are not
# surname + given name (巴特尔, 乌云其木格, 阿卜杜热合曼, 扎西多吉): a run of them after a
# party word is a name. Common Han characters (高, 金, 明, 平, 和, 德) are left out.
_MINORITY = set(
    "巴特尔乌云其木格图那仁日勒苏额敦宝音朝鲁孟克达赉布赫哈斯毕力吉雅萨娃阿坦呼楞琴托娅都拉敖"
    "卜杜热合曼买提古丽努江艾尼瓦依吐逊迪帕麦亚森玉素甫扎西多卓玛次旺堆桑姆顿珠索朗措央洛普"
)
_NOT_MINORITY_WORDS = (
    "多次|多年|多名|多位|多人|多方|多处|多天|多日|多元|多种|多么|多少|次日|次数|达到|拉着|"
    "拉扯|尔后|格外|日常|木头|图书|其他|其中|其余|其实|布置|托付|都是|都要|都在|都有|亚麻"
)
_DOT = "·•・‧"
_MINORITY_NAME = (
    rf"([{_CJK}]{{1,8}}(?:[{_DOT}][{_CJK}]{{1,8}})+|[{''.join(sorted(_MINORITY))}]{{2,8}})"
)

# Full-width forms (０-９, ＋, ＱＱ, （）, ：) are read as their ASCII twins: same length,
# so offsets into the original text stay right.
_HALF = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SEP = r"[ \-]?"

PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    (
        "身份证号",
        re.compile(rf"(?<![\d])\d(?:{_SEP}\d){{16}}{_SEP}[\dXx](?![\dXx])"),
        "删去身份证号码",
    ),
    ("银行卡号", re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)"), "删去银行卡号"),
    (
        "手机号码",
        re.compile(rf"(?<![\d+])(?:\+\s?86{_SEP}|0086{_SEP})?1[3-9]\d(?:{_SEP}\d){{8}}(?!\d)"),
        "删去手机号码，或改写为“电话略”",
    ),
    (
        "固定电话",
        re.compile(r"(?<![\d+])(?:0\d{2,3}[ -]?|\(0\d{2,3}\)\s?)\d{3,4}[ -]?\d{4}(?!\d)"),
        "删去固定电话号码",
    ),
    (
        "车牌号",
        re.compile(
            r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]·?[A-HJ-NP-Z0-9]{5,6}"
        ),
        "车牌号只保留省份简称，如“豫D·×××××”",
    ),
    (
        "微信号",
        re.compile(
            r"(?<=微信)(?:号)?(?:是|为|:)?\s*([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])"
        ),
        "删去微信号",
    ),
    (
        "QQ号",
        re.compile(r"(?<![A-Za-z])(?:QQ|qq)(?:号码|号)?(?:是|为|:)?\s*([1-9]\d{4,10})(?!\d)"),
        "删去QQ号",
    ),
    (
        "详细地址",
        re.compile(
            r"\d+\s*(?:号楼|栋|幢|单元|号院|室)|(?:门牌|院)\s*\d+\s*号|\d+\s*组\s*\d+\s*号|\d+号\d+"
            rf"|[{_CJK}]{{1,2}}(?:路|街|巷|大道|胡同)\s*\d+(?:-\d+)?\s*号"
        ),
        "地址只写到村（社区）一级，删去路名门牌、楼栋号",
    ),
]
MINOR_WORDS = "孩子|儿子|女儿|孙子|孙女|学生|男孩|女孩|小"
_AGE = r"(?:[1-9]|1[0-7])\s*(?:岁|周岁)"
MINOR = re.compile(rf"未成年|(?<!\d){_AGE}|小学|初中|幼儿园|中学生|小学生")
# A name with an age right after it: 小红（8岁）, 张浩然，13岁, 张浩然(13周岁).
_AGED = re.compile(rf"([{_CJK}{_DOT}]{{2,12}})\s*(?:\(\s*|,\s*){_AGE}")


@dataclass(frozen=True)
class Finding:
    """Something in a text: what, the exact string, its offset, and what to do."""

    what: str
    text: str
    offset: int
    advice: str


def message(f: Finding) -> str:
    """The Chinese message of a finding, as `pufa check` prints it."""
    return f"疑似{f.what}“{f.text}”：{f.advice}；确需保留时写进 privacy_allow"


def _name_advice(name: str) -> str:
    return f"当事人姓名写成“{name[0]}某某”或“{name[0]}某”"


def personal_data(text: str, allowed_names: set[str]) -> Iterator[Finding]:
    """Personal data in a case text, in the order it appears; names of the site's own
    advisors are public."""
    yield from sorted(_findings(text, allowed_names), key=lambda f: f.offset)


def _findings(text: str, allowed_names: set[str]) -> Iterator[Finding]:
    norm = text.translate(_HALF)
    taken: list[tuple[int, int]] = []
    for what, pattern, advice in PATTERNS:
        for m in pattern.finditer(norm):
            g = 1 if pattern.groups else 0
            start, end = m.start(g), m.end(g)
            if any(a < end and start < b for a, b in taken):
                continue
            if what == "身份证号" and not _id_number(m.group(g)):
                continue
            if what == "银行卡号" and not _luhn(re.sub(r"\D", "", m.group(g))):
                continue
            taken.append((start, end))
            yield Finding(what, text[start:end], start, advice)
    seen: set[int] = set()  # where a name was found: each is reported once
    for m in _AGED.finditer(norm):  # a name with an age: a minor
        found = _aged_name(m.group(1), allowed_names)
        if found:
            start = m.end(1) - len(found)
            seen.add(start)
            yield _minor(text[start : start + len(found)], start)
    if MINOR.search(norm):
        for m in re.finditer(rf"(?:{MINOR_WORDS})(?:是|叫|名叫)?", norm):
            found = _name_at(norm, m.end(), allowed_names, minority=False)
            if found and m.end() not in seen:
                seen.add(m.end())
                yield _minor(text[m.end() : m.end() + len(found)], m.end())
    for m in re.finditer(rf"(?:{ROLE_WORDS})(?:是|叫|名叫)?", norm):
        found = _name_at(norm, m.end(), allowed_names)
        if found and m.end() not in seen:
            seen.add(m.end())
            name = text[m.end() : m.end() + len(found)]
            yield Finding("真实姓名", name, m.end(), _name_advice(name))


def _minor(name: str, offset: int) -> Finding:
    return Finding(
        "未成年人姓名", name, offset, f"案例涉及未成年人，不能出现其姓名，写成“{name[0]}某”"
    )


def _name_at(text: str, pos: int, allowed: set[str], minority: bool = True) -> str | None:
    """The name that starts at ``pos`` (after a party word), if any."""
    rest = text[pos : pos + 30]
    if minority:
        m = re.match(_MINORITY_NAME, rest)
        if m and not re.match(_NOT_MINORITY_WORDS, rest):
            name = _dotted_end(m.group(1))
            if not any(ch in "某×" for ch in name) and not _allowed(name, allowed):
                return name
    m = re.match(_NAME, rest)
    if not m or re.match(_NOT_NAME_WORDS, rest):
        return None
    return _trim_name(m.group(1), allowed)


def _dotted_end(name: str) -> str:
    """A name with 间隔号 ends where its last part's name characters end (…·买买提称 → …·买买提)."""
    cut = max(name.rfind(d) for d in _DOT)
    if cut < 0:
        return name
    last = name[cut + 1 :]
    run = re.match(f"[{''.join(sorted(_MINORITY))}]+", last)
    if run:
        return name[: cut + 1] + run.group()
    while len(last) > 1 and last[-1] in _NOT_NAME_TAIL:
        last = last[:-1]
    return name[: cut + 1] + last


def _aged_name(run: str, allowed: set[str]) -> str | None:
    """The name at the end of ``run`` (the characters before an age)."""
    if any(ch in run for ch in _DOT):
        dotted = re.search(rf"[{_CJK}]+(?:[{_DOT}][{_CJK}]+)+$", run)
        return dotted.group() if dotted and not _allowed(dotted.group(), allowed) else None
    for size in (3, 2):
        name = run[-size:]
        if len(name) < size or "某" in name or "×" in name:
            continue
        if name[0] == "小" and name[1] not in _NOT_NAME_TAIL and size == 2:
            return name
        if (
            name[0] in SURNAMES
            and not any(c in _NOT_NAME_TAIL for c in name[1:])
            and not re.match(_NOT_NAME_WORDS, name)
            and not _allowed(name, allowed)
        ):
            return name
        if all(c in _MINORITY for c in name) and not re.match(_NOT_MINORITY_WORDS, name):
            return name
    return None


def _allowed(name: str, allowed: set[str]) -> bool:
    return name in allowed or any(a.startswith(name) or name.startswith(a) for a in allowed if a)


def _id_number(raw: str) -> bool:
    """An ID number: 18 characters whose 7th–14th are a plausible birth date."""
    digits = re.sub(r"[ \-]", "", raw)
    if len(digits) != 18 or digits[0] == "0":
        return False
    year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def _trim_name(candidate: str, allowed: set[str]) -> str | None:
    """The name in ``candidate`` unless it is anonymised (某), an advisor, or not a name."""
    if "某" in candidate or "×" in candidate:
        return None
    while len(candidate) > 2 and candidate[-1] in _NOT_NAME_TAIL:
        candidate = candidate[:-1]
    if len(candidate) < 2 or candidate[1] in _NOT_NAME_TAIL - set("一二三两几"):
        return None
    if (
        candidate in allowed
        or candidate[:2] in allowed
        or any(a.startswith(candidate) for a in allowed)
    ):
        return None
    return candidate


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def check_case(case: Case, allowed_names: set[str], as_warning: bool) -> list[Problem]:
    """Problems of one case: personal data (errors unless ``as_warning``). Citations, repealed
    laws among them, are checked against the statute library (``content/laws/check.py``)."""
    out: list[Problem] = []
    allow = set(case.privacy_allow)
    # Everything that is printed or published: the title is on every poster.
    texts = [("title", case.title or "", case.line_of("title"))]
    texts.append(("summary", case.summary or "", case.line_of("summary")))
    texts += [("tags", t, case.line_of("tags", i)) for i, t in enumerate(case.tags or [])]
    texts += [("law", t, case.line_of("law", i)) for i, t in enumerate(case.law or [])]
    texts.append(("正文", case.body or "", case.body_line))
    for key, text, first_line in texts:
        for f in personal_data(text, allowed_names):
            if f.text in allow:
                continue
            line = first_line + text.count("\n", 0, f.offset)
            out.append(
                Problem(
                    case.source,
                    line,
                    key,
                    message(f),
                    warning=as_warning,
                )
            )
    return out
