"""Text the print can carry: invisible and control characters in single-line fields.

Pure functions. Single-line fields (names, titles, org, addresses …) are normalised in
memory where the meaning is clear — a line break or tab becomes a space, an invisible
character is dropped or becomes a space — and every change is described in Chinese so that
``check`` can say what it did (it never rewrites a file). Invisible characters are always
named with their code point, never shown as they are.
"""

from __future__ import annotations

import unicodedata

# Characters people paste from Word, WeChat and web pages without seeing them.
INVISIBLE_NAMES = {
    "\u00a0": "不换行空格",
    "\u2007": "数字空格",
    "\u202f": "窄不换行空格",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u2060": "零宽不换行",
    "\ufeff": "零宽不换行空格（BOM）",
    "\u00ad": "软连字符",
    "\u2028": "行分隔符",
    "\u2029": "段分隔符",
}
# Invisible characters that stand for a space; the rest stand for nothing.
SPACE_LIKE = frozenset("\u00a0\u2007\u202f")


def char_name(ch: str) -> str:
    """``零宽空格 U+200B``: how a character is named in messages."""
    name = INVISIBLE_NAMES.get(ch)
    if name is None:
        name = "控制字符" if unicodedata.category(ch) in ("Cc", "Cf") else "字符"
    return f"{name} U+{ord(ch):04X}"


def invisible_chars(text: str) -> list[str]:
    """The distinct invisible characters in ``text``, in order of first appearance."""
    return list(dict.fromkeys(ch for ch in text if ch in INVISIBLE_NAMES))


def single_line(text: str) -> tuple[str, list[str]]:
    """(normalised text, Chinese notes on what was changed) for a one-line field."""
    notes: list[str] = []
    out: list[str] = []
    breaks = tabs = 0
    dropped: dict[str, None] = {}
    for ch in text:
        if ch in "\r\n\u2028\u2029\x0b\x0c\x85":
            breaks += 1
            out.append(" ")
        elif ch == "\t":
            tabs += 1
            out.append(" ")
        elif ch in SPACE_LIKE:
            dropped[ch] = None
            out.append(" ")
        elif ch in INVISIBLE_NAMES or unicodedata.category(ch) in ("Cc", "Cf"):
            dropped[ch] = None
        else:
            out.append(ch)
    clean = " ".join("".join(out).split())
    if breaks:
        notes.append("有换行，已换成空格（这一项只占一行）")
    if tabs:
        notes.append("有制表符（Tab），已换成空格")
    for ch in dropped:
        what = "已当作普通空格" if ch in SPACE_LIKE else "已去掉"
        notes.append(f"有看不见的字符“{char_name(ch)}”，{what}；建议删掉后重新输入这一项")
    return clean, notes


_QUOTES = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"))


def chinese_quoted(text: str) -> bool:
    """True when the whole value is wrapped in one pair of Chinese quotes."""
    return any(
        text.startswith(a) and text.endswith(b) and len(text) > 2 and a not in text[1:-1]
        for a, b in _QUOTES
    )


FULLWIDTH_DIGITS = frozenset("０１２３４５６７８９")
