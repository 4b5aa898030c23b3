"""Text helpers both pages/ and print/ use (pure functions)."""

from __future__ import annotations

import re

__all__ = ["join_cjk_lines"]

_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]"
_SOFT_BREAK = re.compile(rf"(?<={_CJK})\n(?={_CJK})")


def join_cjk_lines(markdown: str) -> str:
    """Join soft line breaks between Chinese characters.

    Markdown turns a line break inside a paragraph into a space, which shows as a stray gap
    in Chinese text. A line that starts with a Chinese character cannot start a list,
    heading or block, so joining it to the previous line never changes the structure.
    """
    return _SOFT_BREAK.sub("", markdown)
