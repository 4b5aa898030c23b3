"""What one print artifact is, before and after rendering (pure data)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from ..content.tags import placement_tag, tagged_url
from ..content.urls import PrintLink, print_file

PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
PNG_WIDTH = 1080
RENDERER_VERSION = "8"  # bump when rendering changes output: the cache is keyed by it


@dataclass
class Artifact:
    """One printed file: its manifest facts and the context its template draws."""

    kind: str
    stem: str  # file name without extension, under print/<kind>/
    source: str  # content-relative path of the item it is about
    template: str
    size_mm: tuple[float, float]  # trim size of the page
    qr: list[str]
    village: str | None = None
    landscape: bool = False
    context: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # texts shrunk to the floor or cut
    digest: str = ""
    edition: str = ""
    png: bool = True  # posters also as a 1080 px PNG; cards and sheets are PDF only
    pages: int = 1
    parts: list[str] = field(default_factory=list)  # a pack: digests of the PDFs it holds
    # Card faces laid out once after the pages and drawn at these top-left corners (mm) of
    # the page with the same index (impose.py): a card sheet.
    faces: list[list[tuple[float, float]]] = field(default_factory=list)
    name: str = ""  # the product's one Chinese name (catalog.PRODUCTS), set when planned

    def link(self) -> PrintLink:
        """What the pages show of this file (typed: pages never import print)."""
        w, h = self.size_mm
        return PrintLink(
            self.kind,
            self.stem,
            self.name,
            self.pdf_path,
            self.png_path if self.png else None,
            h / w,
        )

    def tag(self, url: str) -> str:
        """The placement tag of this artifact's code for ``url`` (扫码统计): stable while the
        artifact and its target stay the same."""
        return placement_tag(self.kind, self.village, self.source, url)

    def encoded(self, url: str) -> str:
        """What the code printed for ``url`` holds: the URL with this artifact's tag. A pack
        holds its parts' codes, so it adds no tag of its own."""
        return url if self.kind == "pack" else tagged_url(url, self.tag(url))

    @property
    def pdf_path(self) -> str:
        return print_file(self.kind, self.stem)

    @property
    def png_path(self) -> str:
        return print_file(self.kind, self.stem, "png")

    def seal(self, fingerprint: str) -> None:
        """Hash every input of the artifact (content, layout, theme, fonts, site_url)."""
        payload = json.dumps(
            [
                RENDERER_VERSION,
                fingerprint,
                self.kind,
                self.village,
                self.source,
                self.size_mm,
                self.qr,
                self.context,
            ],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        self.digest = hashlib.sha256(payload.encode()).hexdigest()

    def manifest(self, file: str) -> dict[str, Any]:
        """A manifest entry (DESIGN.md's print manifest) for the PDF or PNG of this artifact."""
        entry: dict[str, Any] = {
            "file": file,
            "kind": self.kind,
            "name": self.name,
            "source": self.source,
        }
        if self.village:
            entry["village"] = self.village
        entry.update(
            {
                "size_mm": [round(self.size_mm[0], 2), round(self.size_mm[1], 2)],
                "pages": self.pages if file.endswith(".pdf") else 1,
                "qr": list(dict.fromkeys(self.qr)),
                "edition": self.edition,
            }
        )
        if self.kind != "pack":  # url → the tag its printed code carries (pufa stats)
            entry["tags"] = {u: self.tag(u) for u in dict.fromkeys(self.qr)}
        return entry
