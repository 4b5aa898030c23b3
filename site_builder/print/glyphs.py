"""Characters the print font lacks, found before anything is printed: `glyph_problems`.

Every text field that a poster, board or card prints is read against the cmap of the
theme's print font (read once per font file, fonts._cmap); each missing character is one
warning on the line of its key, naming the character and its code point.
"""

from __future__ import annotations

from pathlib import Path

from ..content import Content
from ..errors import Problem
from .fonts import Font, missing_glyphs
from .theme import load_theme

SITE_FILE = "site.yml"
# folder → the keys its items print (texts lists included); rules print their body too
PRINTED: dict[str, tuple[str, ...]] = {
    "villages": ("name", "township"),
    "advisors": ("name", "role", "org", "phone", "hours", "duties"),
    "services": ("name", "type", "address", "hours", "phone"),
    "cases": ("title", "summary", "category", "law"),
    "rules": ("title", "adopted_by", "negative_list"),
}
SITE_PRINTED = ("name", "org", "hotline", "promise")


def glyph_message(ch: str) -> str:
    """The Chinese warning for one character the print font lacks."""
    return f"印刷字体里没有“{ch}”（U+{ord(ch):04X}），印出来会是空白方框；请换成常用汉字或删掉"


def glyph_problems(content: Content, themes_dir: Path) -> list[Problem]:
    """A warning for every character of a printed field that the theme's print font
    (site.yml ``print.theme``) lacks: file, line of the key, key, the character."""
    font = load_theme(themes_dir, content.site.print.theme).font
    out: list[Problem] = []
    site = content.site
    for key in SITE_PRINTED:
        value = getattr(site, key, None)
        out += _problems(font, SITE_FILE, site.lines.get(key, 1), key, value)
    for folder, keys in PRINTED.items():
        items = getattr(content, folder)
        for item in sorted(items.values(), key=lambda i: i.source):
            for key in keys:
                value = getattr(item, key, None)
                if isinstance(value, list | tuple):
                    for i, v in enumerate(value):
                        out += _problems(font, item.source, item.line_of(key, i), key, v)
                else:
                    out += _problems(font, item.source, item.line_of(key), key, value)
            if folder == "rules":
                for n, text in enumerate(item.body.split("\n")):
                    out += _problems(font, item.source, item.body_line + n, "正文", text)
    return out


def _problems(font: Font, path: str, line: int, key: str, value: object) -> list[Problem]:
    if not isinstance(value, str) or not value or value.isascii():
        return []
    return [
        Problem(path, line, key, glyph_message(ch), warning=True)
        for ch in missing_glyphs(value, font)
    ]
