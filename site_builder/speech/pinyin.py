"""Normalised Chinese text → tone-numbered pinyin for eSpeak NG's ``cmn-latn-pinyin`` voice.

eSpeak NG's own Mandarin dictionary, as Debian ships it, has no pinyin for many common
characters and then reads the romanisation as English (第 came out as "di four", 赡养费
as "shan four yang three…"), and it picks one reading per character (调解 read diào). So
the characters are turned into pinyin here, with pypinyin's phrase dictionary (调解 tiáo,
银行 háng, 重新 chóng), a few phrases of legal texts it reads wrong, and the tone changes
of 一 and 不; the voice then reads pinyin only. eSpeak applies the third-tone change itself.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

# Phrases of the cases pypinyin reads with the wrong tone or sound (found on the example
# county: 村调委会 diào, 还款 hái, 以…为由 wèi). Whole phrases only: a single character has
# no context.
OVERRIDES: dict[str, tuple[str, ...]] = {
    "调委会": ("tiao2", "wei3", "hui4"),
    "调委": ("tiao2", "wei3"),
    "还款": ("huan2", "kuan3"),
    "还钱": ("huan2", "qian2"),
    "还债": ("huan2", "zhai4"),
    "还贷": ("huan2", "dai4"),
    "还清": ("huan2", "qing1"),
    "还给": ("huan2", "gei3"),
    "还你": ("huan2", "ni3"),
    "还本": ("huan2", "ben3"),
    "得拿": ("dei3", "na2"),
    "为由": ("wei2", "you2"),
}
_OVERRIDE = re.compile("|".join(sorted(map(re.escape, OVERRIDES), key=len, reverse=True)))
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
PAUSES = {
    "，": ",",
    "、": ",",
    "；": ",",
    "：": ",",
    "（": ",",
    "）": ",",
    "—": ",",
    "。": ".",
    "…": ".",
    "！": "!",
    "？": "?",
    ",": ",",
    ";": ",",
    ":": ",",
    ".": ".",
    "!": "!",
    "?": "?",
}
DIGIT_CHARS = set("零一二三四五六七八九两幺")
NUMBER_UNITS = set("十百千万亿")
NUMERALS = DIGIT_CHARS | NUMBER_UNITS | {"第"}


def _tone(syllable: str | None) -> str:
    return syllable[-1] if syllable and syllable[-1].isdigit() else ""


def _sandhi(chars: str, syllables: list[str]) -> list[str]:
    """一 and 不 change tone before another syllable: 一定 yí, 一天 yì, 不要 bú."""
    out = list(syllables)
    for i, ch in enumerate(chars):
        nxt = syllables[i + 1] if i + 1 < len(syllables) else None
        if ch == "不" and out[i] == "bu4" and _tone(nxt) == "4":
            out[i] = "bu2"
        elif ch == "一" and out[i] == "yi1" and nxt is not None:
            prev, after = (chars[i - 1] if i else ""), chars[i + 1]
            if after in DIGIT_CHARS or (prev in NUMERALS and after not in NUMBER_UNITS):
                continue  # 第一条, 十一, 一九九零: a number keeps yī (一千 is yì qiān)
            out[i] = "yi2" if _tone(nxt) in ("4", "5") else "yi4"
    return out


def _run(chars: str) -> list[str]:
    """Pinyin for one run of characters, the override phrases first."""
    syllables: list[str] = []
    pos = 0
    for m in _OVERRIDE.finditer(chars):
        syllables += _plain(chars[pos : m.start()])
        syllables += OVERRIDES[m.group(0)]
        pos = m.end()
    syllables += _plain(chars[pos:])
    return _sandhi(chars, syllables) if len(syllables) == len(chars) else syllables


def _plain(chars: str) -> list[str]:
    if not chars:
        return []
    return lazy_pinyin(chars, style=Style.TONE3, neutral_tone_with_five=True)


def espeak_pinyin(text: str) -> str:
    """``normalise()``'d text as pinyin words and ASCII pauses, one sentence a line."""
    out: list[str] = []
    pos = 0
    for m in _HANZI.finditer(text):
        out += _between(text[pos : m.start()])
        out += _run(m.group(0))
        pos = m.end()
    out += _between(text[pos:])
    spoken = " ".join(out)
    spoken = re.sub(r" ([,.!?])", r"\1", spoken)
    return re.sub(r"([.!?]) *", r"\1\n", spoken).strip() + "\n"


def _between(text: str) -> list[str]:
    """Punctuation as the pause eSpeak makes for it; quotes and brackets say nothing."""
    out: list[str] = []
    for ch in text:
        mark = PAUSES.get(ch)
        if mark and not (out and out[-1] in ",.!?"):
            out.append(mark)
    return out
