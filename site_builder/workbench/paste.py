"""Paste from Word/WPS: the clipboard's HTML turned into clean Markdown on the server.

The HTML is first cut down by nh3 to the structure worth keeping (headings, paragraphs,
lists, bold, italics, links, tables), so fonts, colours, Office's own tags and comments are
gone before markdownify writes Markdown; empty paragraphs and full-width spaces are dropped.
"""

from __future__ import annotations

import re

import nh3
from markdownify import markdownify

MAX_HTML = 2_000_000
KEEP = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_WORD_BOLD = re.compile(
    r"<(span|font)\b[^>]*font-weight:\s*(bold|700)[^>]*>(.*?)</\1>", re.S | re.I
)
_WORD_HEADING = re.compile(r'<p\b[^>]*class="?MsoHeading(\d)"?[^>]*>(.*?)</p>', re.S | re.I)
_WORD_TITLE = re.compile(r'<p\b[^>]*class="?MsoTitle"?[^>]*>(.*?)</p>', re.S | re.I)
_SPACES = re.compile(r"[\u3000\u00a0\u200b\ufeff]+")
_BLANKS = re.compile(r"\n{3,}")


def html_to_markdown(html: str) -> str:
    """Clean Markdown for a pasted HTML fragment (Word, WPS, a web page)."""
    html = html[:MAX_HTML]
    html = _WORD_HEADING.sub(lambda m: f"<h{m.group(1)}>{m.group(2)}</h{m.group(1)}>", html)
    html = _WORD_TITLE.sub(r"<h2>\1</h2>", html)
    html = _WORD_BOLD.sub(r"<strong>\3</strong>", html)
    clean = nh3.clean(
        html,
        tags=KEEP,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        clean_content_tags={"script", "style", "head", "title", "xml", "template"},
        strip_comments=True,
    )
    text = markdownify(clean, heading_style="ATX", bullets="-", strong_em_symbol="*")
    text = _SPACES.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [line for line in lines if line.strip() not in ("**", "****", "*", "-")]
    text = _BLANKS.sub("\n\n", "\n".join(lines)).strip()
    return text + "\n" if text else ""
