"""Chinese numerals of statute numbering (第一千零六十七条, 之一, 第（二）项) both ways."""

from __future__ import annotations

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "0123456789０１２３４５６７８９"
_NAMES = "零一二三四五六七八九"


def parse_number(text: str) -> int | None:
    """The value of a Chinese (一千零六十七) or Arabic (1067, full-width too) numeral.

    Returns None for anything else, and for 0 (no article, 款 or 项 is numbered 0)."""
    text = text.strip().translate(_FULLWIDTH)
    if not text:
        return None
    if text.isascii():
        return int(text) if text.isdigit() and int(text) > 0 else None
    total, digit, seen_unit = 0, -1, 0
    for ch in text:
        if ch in DIGITS:
            if digit > 0:  # "一二" is not a numeral of this kind
                return None
            digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if seen_unit and unit >= seen_unit:
                return None
            total += (1 if digit <= 0 else digit) * unit
            digit, seen_unit = -1, unit
        else:
            return None
    if digit > 0:
        total += digit
    return total or None


def to_chinese(n: int) -> str:
    """The Chinese numeral of ``n`` (1 ≤ n < 10000) as statutes write it: 1067 → 一千零六十七,
    10 → 十, 110 → 一百一十. Other numbers (no statute has them) stay Arabic."""
    if not 0 < n < 10000:
        return str(n)
    out = ""
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (n // unit) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        if not (unit == 10 and d == 1 and not out):
            out += _NAMES[d]
        out += name
    return out
