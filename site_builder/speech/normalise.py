"""Text normalisation for a speech engine: what a case says, written as it is read aloud.

An engine reads characters, not digits and markup: ``2024-03-05`` becomes 2024年3月5日 read
二零二四年三月五日, ``5000元`` 五千元, ``第1067条`` 第一千零六十七条, a phone number digit
by digit with 幺 for 1 (as the hotline is said on the phone), ``30%`` 百分之三十; Markdown,
HTML and web addresses are dropped. The output holds Chinese characters and Chinese
punctuation only, so the engine has nothing left to guess.
"""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
PHONE_DIGITS = "零幺二三四五六七八九"  # 1 is 幺 when a number is read digit by digit
SMALL_UNITS = ("", "十", "百", "千")
BIG_UNITS = ("", "万", "亿", "万亿")

# Latin letters as they are said in Chinese speech (APP → 诶屁屁 is how people say it).
LETTERS = {
    "A": "诶",
    "B": "必",
    "C": "西",
    "D": "弟",
    "E": "伊",
    "F": "艾弗",
    "G": "计",
    "H": "艾尺",
    "I": "爱",
    "J": "杰",
    "K": "开",
    "L": "艾勒",
    "M": "艾姆",
    "N": "恩",
    "O": "欧",
    "P": "屁",
    "Q": "丘",
    "R": "啊",
    "S": "艾斯",
    "T": "替",
    "U": "优",
    "V": "维",
    "W": "达不溜",
    "X": "艾克斯",
    "Y": "歪",
    "Z": "贼",
}
UNITS = {  # symbols and abbreviations read as words, before single letters are spelled
    "㎡": "平方米",
    "m²": "平方米",
    "m2": "平方米",
    "km": "公里",
    "kg": "公斤",
    "cm": "厘米",
    "mm": "毫米",
    "kW": "千瓦",
    "℃": "摄氏度",
}

_URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef，。；、]+", re.I)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML = re.compile(r"<[^>\n]*>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$", re.M)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)、])\s+", re.M)
_EMPHASIS = re.compile(r"[*_`~>|]+")
_ENTITY = {"&amp;": "和", "&nbsp;": " ", "&lt;": "", "&gt;": "", "&quot;": ""}

_DATE = re.compile(
    r"(?<!\d)(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*[日号]?"
)
_MONTH = re.compile(r"(?<![\d.])(\d{4})[-/](\d{1,2})(?![\d.\-/])")
_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
# a number followed by one of these is a quantity, not a phone number
_QUANTITY = (
    r"(?!\s*(?:多|余|元|块|万|亿|平方|米|公里|斤|亩|人|天|年|月|日|号|条|个|次|户|名|家|%|％))"
)
_PHONE = re.compile(
    r"(?<![\d.])(?:"
    r"1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}"  # mobile
    r"|0\d{2,3}[\s-]?\d{7,8}"  # landline with area code
    r"|(?:400|800)[\s-]?\d{3}[\s-]?\d{4}"  # service numbers
    r"|12\d{3}|10086|10010|95\d{3}"  # 12348, 12345, 12315 …, carriers, banks
    r")(?![\d.])" + _QUANTITY
)
_EMERGENCY = re.compile(r"((?:拨打|打|报警|电话|热线|急救)[：:\s]*)(110|119|120|122)(?!\d)")
_MONEY_SIGN = re.compile(r"[¥￥]\s*(\d[\d,，]*(?:\.\d+)?)")
_CENTS = re.compile(r"(\d+)\.(\d)(\d)?\s*元")
_MEASURE = re.compile(r"\s*(?:多|余)?\s*[个人次天年家名位户间亩头只张份件套辆周岁层口]")
_KEEP = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff，。！？；：、（）《》“”‘’…—,.!?;:\s]+")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*[-~～—–至]\s*(\d+(?:\.\d+)?)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LATIN = re.compile(r"[A-Za-z]+")
_SPACES = re.compile(r"[ \t\u3000]+")


def integer(n: int, *, liang: bool = False) -> str:
    """``1067`` → 一千零六十七, ``15`` → 十五, ``20000`` → 二万 (两万 with ``liang``: how
    an amount is said)."""
    if n == 0:
        return "零"
    if n >= 10000 ** len(BIG_UNITS):
        return digits(str(n))
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    zero = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            zero = bool(out)
            continue
        if out and (zero or g < 1000):
            out += "零"
        out += ("两" if liang and g == 2 and i else _group(g, liang)) + BIG_UNITS[i]
        zero = False
    if out.startswith("一十"):
        out = out[1:]
    return out


def _group(g: int, liang: bool) -> str:
    """One group of four digits (1–9999) without a leading 零."""
    padded = f"{g:04d}"
    out = ""
    zero = False
    for pos, ch in enumerate(padded):
        d = int(ch)
        unit = SMALL_UNITS[3 - pos]
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        word = "两" if liang and d == 2 and unit in ("百", "千") and not out else DIGITS[d]
        out += word + unit
    return out


def number(text: str, *, liang: bool = False) -> str:
    """A decimal number as it is read: ``1.5`` → 一点五, ``007`` → 零零七, ``0.25`` → 零点二五."""
    whole, _, frac = text.partition(".")
    if (len(whole) > 1 and whole.startswith("0")) or len(whole) > 12:
        spoken = digits(whole)
    else:
        spoken = integer(int(whole), liang=liang)
        if liang and spoken == "二":
            spoken = "两"
    if frac:
        spoken += "点" + "".join(DIGITS[int(d)] for d in frac)
    return spoken


def digits(text: str, *, phone: bool = False) -> str:
    """Digit by digit: a year (二零二四), an account or a phone number (幺三八…)."""
    table = PHONE_DIGITS if phone else DIGITS
    return "".join(table[int(d)] for d in text if d.isdigit())


def strip_markup(text: str) -> str:
    """Markdown, HTML tags and entities and web addresses out; link text kept."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _HTML.sub("", text)
    for entity, word in _ENTITY.items():
        text = text.replace(entity, word)
    text = _URL.sub("", text)
    text = _HEADING.sub(lambda m: m.group(1) + "。", text)
    text = _BULLET.sub("", text)
    return _EMPHASIS.sub("", text)


def _date(m: re.Match[str]) -> str:
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0)
    return f"{digits(year)}年{integer(month)}月{integer(day)}日"


def _amount_follows(text: str, end: int) -> bool:
    return bool(re.match(r"\s*(?:多|余)?\s*(?:万|亿)?\s*(?:元|块|圆)", text[end:]))


def _count(m: re.Match[str]) -> str:
    """A number: 两 for an amount (两千元) and for two of something (两人), not in 第二条."""
    text, start, end = m.string, m.start(), m.end()
    ordinal = text[max(0, start - 1) : start] == "第"
    counted = not ordinal and bool(_MEASURE.match(text, end))
    return number(m.group(0), liang=_amount_follows(text, end) or counted)


def _phone(m: re.Match[str]) -> str:
    """Digit by digit, with a pause between the groups people write down: 138 1234 5678."""
    raw = re.sub(r"\D", "", m.group(0))
    if len(raw) == 11 and raw.startswith("1"):
        groups = [raw[:3], raw[3:7], raw[7:]]
    elif raw.startswith("0") and len(raw) >= 10:
        cut = 3 if raw[1] in "12" else 4  # 010, 02x: three digits; others four
        groups = [raw[:cut], raw[cut:]]
    else:
        groups = [raw]
    return "，".join(digits(g, phone=True) for g in groups)


def _cents(m: re.Match[str]) -> str:
    yuan, jiao, fen = m.group(1), int(m.group(2)), int(m.group(3) or 0)
    out = number(yuan, liang=True) + "元"
    if jiao:
        out += DIGITS[jiao] + "角"
    if fen:
        out += ("零" if not jiao else "") + DIGITS[fen] + "分"
    return out


def normalise(text: str) -> str:
    """What ``text`` says, in characters and Chinese punctuation only (see the module)."""
    text = strip_markup(text)
    text = _DATE.sub(_date, text)
    text = _MONTH.sub(
        lambda m: (
            f"{digits(m.group(1))}年{integer(int(m.group(2)))}月"
            if 1 <= int(m.group(2)) <= 12
            else m.group(0)
        ),
        text,
    )
    text = _YEAR.sub(lambda m: digits(m.group(1)) + "年", text)
    text = _PHONE.sub(_phone, text)
    text = _EMERGENCY.sub(lambda m: m.group(1) + digits(m.group(2), phone=True), text)
    text = _MONEY_SIGN.sub(lambda m: m.group(1) + "元", text)
    text = _THOUSANDS.sub("", text)
    text = _CENTS.sub(_cents, text)
    text = _PERCENT.sub(lambda m: "百分之" + number(m.group(1)), text)
    text = _RANGE.sub(lambda m: f"{m.group(1)}到{m.group(2)}", text)
    text = _NUMBER.sub(_count, text)
    for symbol, word in UNITS.items():
        text = text.replace(symbol, word)
    text = _LATIN.sub(lambda m: "".join(LETTERS.get(ch, "") for ch in m.group(0).upper()), text)
    text = _KEEP.sub(" ", text)  # what is left of symbols is not read
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    out = ""
    for line in filter(None, lines):
        if out and out[-1] not in "。！？；，：、":
            out += "。"
        out += line
    return out
