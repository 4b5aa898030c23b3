"""Checks of case explainers before publication: personal data and repealed statutes.

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
ROLE_WORDS = (
    "村民|居民|当事人|原告|被告|申请人|被申请人|老人|妻子|丈夫|儿子|女儿|孙子|孙女|租客|房东|"
    "业主|工人|司机|邻居|表哥|表姐|母亲|父亲|大爷|大妈|老汉|学生|孩子|男孩|女孩"
)
_NAME = rf"([{SURNAMES}][\u4e00-\u9fff]{{1,2}})"
# Characters that follow a name far more often than they end one ("张伟拒绝…", "李某与…").
_NOT_NAME_TAIL = set(
    "某氏先女姓家们是的了在和与说把被将到也都就还又从向对给拒不因要认称找来去等已曾以为跟同自"
    "却便才请让叫告诉表提签拿借欠打骂住租买卖回多少一二三两几"
)

PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    ("身份证号", re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "删去身份证号码"),
    ("银行卡号", re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)"), "删去银行卡号"),
    ("手机号码", re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "删去手机号码，或改写为“电话略”"),
    ("固定电话", re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "删去固定电话号码"),
    (
        "车牌号",
        re.compile(
            r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]·?[A-HJ-NP-Z0-9]{5,6}"
        ),
        "车牌号只保留省份简称，如“豫D·×××××”",
    ),
    (
        "详细地址",
        re.compile(
            r"\d+\s*(?:号楼|栋|幢|单元|号院|室)|(?:门牌|院)\s*\d+\s*号|\d+\s*组\s*\d+\s*号|\d+号\d+"
        ),
        "地址只写到村（社区）一级，删去楼栋、门牌号",
    ),
]
MINOR_WORDS = "孩子|儿子|女儿|孙子|孙女|学生|男孩|女孩|小"
MINOR = re.compile(r"未成年|(?<!\d)(?:[1-9]|1[0-7])\s*(?:岁|周岁)|小学|初中|幼儿园|中学生|小学生")
REPEALED = (
    "合同法",
    "婚姻法",
    "物权法",
    "侵权责任法",
    "继承法",
    "民法通则",
    "民法总则",
    "担保法",
    "收养法",
)
_REPEALED = re.compile(rf"《(?:中华人民共和国)?({'|'.join(REPEALED)})》")


@dataclass(frozen=True)
class Finding:
    """Something in a text: what, the exact string, its offset, and what to do."""

    what: str
    text: str
    offset: int
    advice: str


def personal_data(text: str, allowed_names: set[str]) -> Iterator[Finding]:
    """Personal data in a case text; names of the site's own advisors are public."""
    taken: list[tuple[int, int]] = []
    for what, pattern, advice in PATTERNS:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            if what == "银行卡号" and not _luhn(re.sub(r"\D", "", m.group())):
                continue
            taken.append((m.start(), m.end()))
            yield Finding(what, m.group(), m.start(), advice)
    for m in re.finditer(rf"(?:{ROLE_WORDS})(?:是|叫)?{_NAME}", text):
        name = _trim_name(m.group(1), allowed_names)
        if name:
            yield Finding(
                "真实姓名", name, m.start(1), f"当事人姓名写成“{name[0]}某某”或“{name[0]}某”"
            )
    if MINOR.search(text):
        for m in re.finditer(
            rf"(?:孩子|儿子|女儿|孙子|孙女|学生|男孩|女孩|小)(?:是|叫)?{_NAME}", text
        ):
            name = _trim_name(m.group(1), allowed_names)
            if name:
                yield Finding(
                    "未成年人姓名",
                    name,
                    m.start(1),
                    f"案例涉及未成年人，不能出现其姓名，写成“{name[0]}某”",
                )


def _trim_name(candidate: str, allowed: set[str]) -> str | None:
    """The name in ``candidate`` unless it is anonymised (某), an advisor, or not a name."""
    if "某" in candidate or "×" in candidate:
        return None
    while len(candidate) > 2 and candidate[-1] in _NOT_NAME_TAIL:
        candidate = candidate[:-1]
    if len(candidate) < 2 or candidate[1] in _NOT_NAME_TAIL:
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


def repealed_statutes(text: str) -> Iterator[Finding]:
    """Citations of laws repealed on 2021-01-01 by the Civil Code."""
    for m in _REPEALED.finditer(text):
        yield Finding(
            "已废止的法律",
            m.group(),
            m.start(),
            f"《{m.group(1)}》已于2021年1月1日废止，现行的是《中华人民共和国民法典》，"
            "请改引民法典的相应条文",
        )


def check_case(case: Case, allowed_names: set[str], as_warning: bool) -> list[Problem]:
    """Problems of one case: personal data (errors unless ``as_warning``) and repealed law
    (always warnings)."""
    out: list[Problem] = []
    allow = set(case.privacy_allow)
    texts = [("summary", case.summary or "", case.line_of("summary"))]
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
                    f"疑似{f.what}“{f.text}”：{f.advice}；确需保留时写进 privacy_allow",
                    warning=as_warning,
                )
            )
    for i, law in enumerate(case.law or []):
        for f in repealed_statutes(law):
            out.append(Problem(case.source, case.line_of("law", i), "law", f.advice, warning=True))
    for f in repealed_statutes(case.body):
        line = case.body_line + case.body.count("\n", 0, f.offset)
        out.append(Problem(case.source, line, "正文", f.advice, warning=True))
    return out
