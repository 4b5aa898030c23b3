"""Chinese phone numbers: validation and normalisation (pure functions)."""

from __future__ import annotations

import re

# ASCII digits only: Python's \d also matches full-width ０-９, which have their own hint.
_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_LANDLINE = re.compile(r"(0\d{2,3})(\d{7,8})(?:转(\d{1,6}))?", re.ASCII)
_SERVICE = re.compile(r"\d{3,5}", re.ASCII)
_FREEPHONE = re.compile(r"[48]00\d{7}", re.ASCII)
_FULLWIDTH = re.compile("[０-９]")


def normalise_phone(raw: str) -> str:
    """Return the canonical form of a phone number, or raise ValueError with a Chinese reason.

    Spaces and dashes are tolerated on input; landlines come out as ``0375-1234567`` (with
    ``转123`` for an extension), mobiles and service numbers as bare digits.
    """
    text = str(raw).strip()
    if _FULLWIDTH.search(text):
        ascii_twin = text.translate({ord("０") + i: str(i) for i in range(10)})
        raise ValueError(
            f"电话号码“{text}”用了全角数字；请切换到半角（英文）输入状态重新输入，如 {ascii_twin}"
        )
    compact = re.sub(r"[\s\-－—()（）]", "", text)
    compact = compact.replace("分机", "转").replace("ext", "转")
    if _MOBILE.fullmatch(compact):
        return compact
    if _FREEPHONE.fullmatch(compact):
        return f"{compact[:3]}-{compact[3:6]}-{compact[6:]}"
    m = _LANDLINE.fullmatch(compact)
    if m:
        area, number, ext = m.groups()
        # Area codes: 010, 02x are 3 digits; the rest are 4 (0375). Split by total length.
        if len(area) == 4 and area[1] in "12" and len(number) == 7:
            area, number = area[:3], area[3:] + number
        result = f"{area}-{number}"
        return f"{result}转{ext}" if ext else result
    if _SERVICE.fullmatch(compact) and not compact.startswith("0"):
        return compact
    raise ValueError(
        f"电话号码“{text}”格式不对：手机号为 11 位（1 开头），座机为区号加号码（如 0375-1234567），"
        "服务号码为 3 到 5 位（如 12348）"
    )


def tel_uri(phone: str) -> str:
    """The ``tel:`` URI of a normalised number (the extension becomes a pause)."""
    number, _, ext = phone.partition("转")
    digits = number.replace("-", "")
    return f"tel:{digits},{ext}" if ext else f"tel:{digits}"
