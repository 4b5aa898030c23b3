"""Which printed artifact a tag stands for, from the built site's print manifest.

The manifest (``site/print/manifest.json``) has one entry per file; the PDF and PNG of one
artifact are one placement. An entry's ``tags`` (``{url: tag}``) are what its codes carry;
for entries written before print recorded them, the tag is computed here with the same
function print uses (``content.tags.placement_tag``), so the mapping is the same either way.
A print pack repeats the codes of the artifacts it holds, so it is no placement of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.tags import parse_tag, placement_tag
from ..errors import PufaError

PACK = "pack"


@dataclass
class Placement:
    """One printed artifact: product kind and name, village, source item, its files."""

    kind: str
    name: str
    village: str | None
    source: str
    files: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # site-relative pages its codes open

    @property
    def case(self) -> str | None:
        """The case id when the artifact is about a case (``cases/<id>.md``)."""
        folder, _, stem = self.source.partition("/")
        return stem.removesuffix(".md") if folder == "cases" else None

    @property
    def subject(self) -> str | None:
        """The village the artifact is about or for: its ``village``, or the village page
        its source is (``villages/<id>.md``)."""
        if self.village:
            return self.village
        folder, _, stem = self.source.partition("/")
        return stem.removesuffix(".md") if folder == "villages" else None


@dataclass
class Placements:
    """Placements by (site-relative page, tag); ``shared`` lists tags that more than one
    artifact carries on one page (a card sheet printing the card's own code, or a hash
    collision): their scans count for the first of them in the manifest."""

    items: list[Placement] = field(default_factory=list)
    by_tag: dict[tuple[str, str], int] = field(default_factory=dict)
    shared: set[tuple[str, str]] = field(default_factory=set)

    def find(self, page: str, tag: str) -> int | None:
        return self.by_tag.get((page, tag))


def relative(url: str, site_url: str) -> str | None:
    """``cases/lease-deposit/`` for ``https://…/cases/lease-deposit/`` under ``site_url``."""
    if not url.startswith(site_url):
        return None
    return url[len(site_url) :].partition("?")[0].partition("#")[0]


def entry_tags(entry: dict[str, Any]) -> dict[str, str]:
    """``{url: tag}`` of a manifest entry: the recorded ``tags``, else computed."""
    recorded = entry.get("tags")
    if isinstance(recorded, dict) and recorded:
        return {str(u).partition("?")[0]: str(t) for u, t in recorded.items()}
    out = {}
    for url in entry.get("qr") or []:
        tag = parse_tag(url)  # a manifest that lists the tagged URLs themselves
        plain = url.partition("?")[0] if tag else url
        out[plain] = tag or placement_tag(entry["kind"], entry.get("village"), entry["source"], url)
    return out


def load_placements(site: Path, site_url: str) -> Placements:
    """The placements of the built ``site`` (PufaError in Chinese when there is no manifest)."""
    path = site / "print" / "manifest.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise PufaError(
            f"找不到或无法读取印刷品清单 {path}："
            "请用 --site 指定生成的网站文件夹（先运行 pufa build）"
        ) from None
    return placements_of(entries, site_url)


def placements_of(entries: list[dict[str, Any]], site_url: str) -> Placements:
    out = Placements()
    index: dict[tuple[str, str | None, str], int] = {}
    for e in entries:
        if not isinstance(e, dict) or e.get("kind") == PACK or "source" not in e:
            continue
        key = (str(e["kind"]), e.get("village"), str(e["source"]))
        i = index.get(key)
        if i is None:
            i = index[key] = len(out.items)
            out.items.append(Placement(key[0], str(e.get("name") or key[0]), key[1], key[2]))
        p = out.items[i]
        p.files.append(str(e.get("file", "")))
        for url, tag in entry_tags(e).items():
            page = relative(url, site_url)
            if page is None:
                continue
            if page not in p.pages:
                p.pages.append(page)
            if out.by_tag.setdefault((page, tag), i) != i:
                out.shared.add((page, tag))
    return out
