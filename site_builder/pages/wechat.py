"""A case explainer as HTML for the WeChat official-account editor (公众号).

The editor strips ``<style>`` elements and ``class`` attributes, so every style is inline.
The body is sanitised first (nothing active survives), then each element gets its style.
"""

from __future__ import annotations

import html
import re

import markdown
import nh3

from ..content import Case, Content
from ..content.laws.cited import entry_refs
from .text import join_cjk_lines

FONTS = "-apple-system,'PingFang SC','Microsoft YaHei',sans-serif"
RED, INK, GOLD = "#b71c1c", "#1a1a1a", "#8d6e00"
STYLES = {
    "h2": f"font-size:18px;font-weight:bold;color:{RED};margin:24px 0 8px;"
    f"padding-left:8px;border-left:4px solid {RED};",
    "h3": f"font-size:17px;font-weight:bold;color:{INK};margin:20px 0 6px;",
    "p": f"font-size:16px;line-height:1.8;color:{INK};margin:0 0 12px;text-align:justify;",
    "ul": "margin:0 0 12px;padding-left:22px;",
    "ol": "margin:0 0 12px;padding-left:22px;",
    "li": f"font-size:16px;line-height:1.8;color:{INK};",
    "blockquote": "margin:0 0 12px;padding:8px 12px;background:#f5f5f5;border-left:4px solid #999;",
    "strong": f"color:{RED};",
    "a": "color:#0b57a4;",
}
BODY_TAGS = {"h2", "h3", "p", "ul", "ol", "li", "blockquote", "strong", "em", "br", "a"}


def _style(fragment: str) -> str:
    """Add the inline style of each known tag (the fragment carries no attributes but href)."""

    def repl(m: re.Match[str]) -> str:
        tag, rest = m.group(1), m.group(2) or ""
        style = STYLES.get(tag)
        return f'<{tag}{rest} style="{style}">' if style else m.group(0)

    return re.sub(r"<(\w+)((?:\s+href=\"[^\"]*\")?)>", repl, fragment)


def body_html(markdown_text: str) -> str:
    """The case body as sanitised HTML without classes or ids, styled inline."""
    raw = markdown.markdown(join_cjk_lines(markdown_text), extensions=["sane_lists"])
    clean = nh3.clean(
        raw,
        tags=BODY_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "tel"},
        link_rel=None,
    )
    return _style(clean)


def law_box_html(case: Case, content: Content) -> str:
    """The 法律依据 box's inside: each ``law:`` entry, the text of the articles it cites
    (款 and 项 on their own lines), and one version and source line per law."""
    e = html.escape
    cite = f"font-size:15px;line-height:1.7;color:{INK};font-weight:bold;margin:8px 0 4px;"
    para = f"font-size:15px;line-height:1.7;color:{INK};margin:0 0 4px;text-indent:2em;"
    item = f"font-size:15px;line-height:1.7;color:{INK};margin:0 0 4px;padding-left:2em;"
    note = "font-size:13px;line-height:1.6;color:#555;margin:8px 0 0;"
    out: list[str] = []
    laws: dict[str, str] = {}
    shown: set[tuple[str, str]] = set()
    for entry in case.law:
        refs = entry_refs(entry, content.laws) if content.laws else []
        refs = [r for r in refs if r.key not in shown]
        shown |= {r.key for r in refs}
        if len(refs) <= 1:
            out.append(f'<p style="{cite}">{e(entry)}</p>')
        for r in refs:
            if len(refs) > 1:
                out.append(f'<p style="{cite}">{e(r.law.title + r.article.label)}</p>')
            for p in r.article.paragraphs:
                out.append(f'<p style="{para}">{e(p.text)}</p>')
                out += [f'<p style="{item}">{e(i.label + i.text)}</p>' for i in p.items]
            laws.setdefault(r.law.name, f"{r.law.title}：{r.law.provenance}")
    out += [f'<p style="{note}">{e(line)}</p>' for line in laws.values()]
    return "".join(out)


def wechat_html(case: Case, content: Content, url: str, qr_uri: str) -> str:
    """The whole article: title, meta, summary, body, statute box, QR to the case page."""
    e = html.escape
    law = law_box_html(case, content)
    parts = [
        "<section style=\"font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;\">",
        f'<h1 style="font-size:22px;font-weight:bold;color:{INK};line-height:1.4;margin:0 0 8px;">'
        f"{e(case.title)}</h1>",
        f'<p style="font-size:14px;color:#555;margin:0 0 16px;">{e(content.site.org)} · '
        f"{e(case.category)} · {case.date.isoformat()}</p>",
        f'<section style="background:#f5f5f5;border-left:4px solid #616161;padding:10px 14px;'
        f'margin:0 0 16px;"><p style="font-size:16px;line-height:1.8;color:{INK};margin:0;">'
        f'<strong style="color:{INK};">要点：</strong>{e(case.summary)}</p></section>',
        body_html(case.body),
    ]
    if case.law:
        parts.append(
            f'<section style="background:#fffbe6;border:2px solid {GOLD};border-radius:6px;'
            f'padding:10px 14px;margin:16px 0;"><p style="font-size:16px;font-weight:bold;'
            f'color:{GOLD};margin:0 0 6px;">法律依据</p>{law}</section>'
        )
    parts.append(
        f'<section style="text-align:center;margin:20px 0;"><img src="{qr_uri}" alt="扫码阅读全文"'
        f' style="width:160px;height:160px;"><p style="font-size:14px;color:#555;margin:6px 0 0;">'
        f"长按识别二维码，阅读全文、找法律顾问<br>{e(url)}</p>"
        f'<p style="font-size:16px;font-weight:bold;color:{RED};margin:8px 0 0;">'
        f"公共法律服务热线 {e(content.site.hotline)}</p></section>"
    )
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def case_article(case: Case, content: Content, url: str) -> str:
    """The article with a QR code of ``url`` (6 px per module: sharp when pasted)."""
    from ..qr import qr_matrix, qr_png_uri

    return wechat_html(case, content, url, qr_png_uri(qr_matrix(url, "Q"), scale=6))


def wechat_document(case: Case, content: Content, url: str) -> str:
    """A standalone page holding the article, for staff to open, select all and copy."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(case.title)}（公众号排版）</title>"
        '<meta name="robots" content="noindex"></head>'
        '<body style="max-width:640px;margin:0 auto;padding:16px;">\n'
        f"{case_article(case, content, url)}</body></html>\n"
    )
