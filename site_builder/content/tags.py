"""Placement tags: which printed artifact a scanned QR code came from (pure functions).

A printed code encodes its page's URL plus ``?m=<tag>``: ``…/cases/lease-deposit/?m=3kq7x``.
The tag is a hash of the artifact's identity (product kind, village, source item) and of the
URL it points to, so it is the same in every rebuild while these stay the same, and a new one
when the target changes (a rename, a new site_url). Five characters of [a-z0-9] (36⁵ ≈ 60
million values) keep the code short; a tag only has to tell apart the artifacts that point to
the same page (a case's posters for its villages, a village's board, map, cards and rules),
so a lookup is keyed by (page, tag) and a collision across pages does no harm.

Pages ignore the tag: their canonical URL has none, and ``pufa.js`` removes it from the
address bar, so a link a resident shares onward is not counted as a scan.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

__all__ = ["TAG_KEY", "TAG_LEN", "parse_tag", "placement_tag", "tagged_url", "untagged_url"]

TAG_KEY = "m"  # the query key: ?m=3kq7x
TAG_LEN = 5
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_TAG = re.compile(r"[a-z0-9]{4,5}")  # 4 accepted: room for a shorter scheme, never longer


def placement_tag(kind: str, village: str | None, source: str, target_url: str) -> str:
    """The tag of one printed artifact's code pointing to ``target_url``.

    ``kind`` is the manifest's product kind (``case-poster``), ``village`` its village (or
    None), ``source`` the content-relative path of the item it is about
    (``cases/lease-deposit.md``). The PDF and PNG of one artifact share the tag.
    """
    identity = "\x1f".join(("pufa-tag-1", kind, village or "", source, target_url))
    value = int.from_bytes(hashlib.sha256(identity.encode("utf-8")).digest()[:8], "big")
    out = []
    for _ in range(TAG_LEN):
        value, digit = divmod(value, 36)
        out.append(_ALPHABET[digit])
    return "".join(out)


def tagged_url(url: str, tag: str) -> str:
    """``url`` with ``?m=<tag>`` (``&m=`` when it already has a query; a fragment stays last)."""
    if not _TAG.fullmatch(tag):
        raise ValueError(f"not a placement tag: {tag!r}")
    parts = urlsplit(url)
    query = f"{parts.query}&{TAG_KEY}={tag}" if parts.query else f"{TAG_KEY}={tag}"
    return urlunsplit(parts._replace(query=query))


def parse_tag(url: str) -> str | None:
    """The placement tag in a URL or request target (``/cases/x/?m=3kq7x``), or None when it
    has none or a malformed one."""
    query = url.partition("?")[2].partition("#")[0]
    if not query:
        return None
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == TAG_KEY:
            return value if _TAG.fullmatch(value) else None
    return None


def untagged_url(url: str) -> str:
    """``url`` without its ``m=`` parameter (other parameters kept in order)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [p for p in parts.query.split("&") if p.partition("=")[0] != TAG_KEY]
    return urlunsplit(parts._replace(query="&".join(kept)))
