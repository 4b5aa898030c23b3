"""A Markdown extension that sanitises every page's HTML (nh3, an allowlist).

Content is written by staff, and pasted text from elsewhere can carry `<script>`, event
handlers, `javascript:` links or iframes. MkDocs passes raw HTML through; this postprocessor
runs after raw HTML is restored, so nothing outside the allowlist reaches a page.
"""

from __future__ import annotations

from typing import Any

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "button",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
COMMON = {"class", "id", "title", "role", "aria-label", "aria-hidden", "lang"}
ATTRIBUTES = {
    "*": COMMON,
    "a": COMMON | {"href", "download", "rel"},
    "img": COMMON | {"src", "alt", "width", "height", "loading"},
    "td": COMMON | {"colspan", "rowspan", "align"},
    "th": COMMON | {"colspan", "rowspan", "align"},
    "ol": COMMON | {"start"},
    # The search page's own box (no form submission, no script: inert in content).
    "input": COMMON | {"type", "placeholder", "autocomplete", "enterkeyhint", "name", "value"},
    "label": COMMON | {"for"},
    "button": COMMON | {"type"},
}
SCHEMES = {"http", "https", "tel", "mailto"}


def sanitize(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel=None,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        generic_attribute_prefixes={"data-pagefind-", "data-pufa-"},
    )


class _Sanitize(Postprocessor):
    def run(self, text: str) -> str:
        return sanitize(text)


class SanitizeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        # Priority 0: after RawHtmlPostprocessor (30) has put raw HTML back.
        md.postprocessors.register(_Sanitize(md), "pufa_sanitize", 0)


def makeExtension(**kwargs: Any) -> SanitizeExtension:  # noqa: N802 - Markdown's API name
    return SanitizeExtension(**kwargs)
