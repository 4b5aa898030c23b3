"""Previews of the item being edited: its page as a resident sees it, and its print.

The page goes through the site's own page templates (``pages.generate``), Markdown with
the project's extensions and the sanitiser, inside the shell of a page of the live preview
(Material's header, styles). Print goes through the print planner and renderer for the one
artifact asked for. Neither writes into the content folder or the site.
"""

from __future__ import annotations

import html
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown

from ..content import Content
from ..pages.generate import generate
from ..pages.mkdocs_site import SANITIZER
from ..pages.sanitize import sanitize
from ..print import KIND_LABELS, plan_print
from ..print.artifact import Artifact
from ..print.render import render_all

# Print products that show one item (the sheet and pack repeat what the card shows).
PREVIEW_KINDS = ("case-poster", "rules-poster", "card", "board", "service-map", "person-card")
_ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.S)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def markdown_html(text: str, extensions: list[Any]) -> str:
    """Markdown → sanitised HTML, with the project's extensions and the site's sanitiser."""
    names: list[Any] = []
    configs: dict[str, Any] = {}
    for ext in extensions:
        if isinstance(ext, dict):
            for name, conf in ext.items():
                names.append(name)
                configs[name] = conf or {}
        else:
            names.append(ext)
    if SANITIZER not in names:
        names.append(SANITIZER)
    out = markdown.markdown(text, extensions=names, extension_configs=configs)
    return sanitize(out)


def page_markdown(content: Content, folder: str, ident: str, site_url: str) -> str | None:
    """The generated Markdown of one item's page (front matter removed), or None."""
    url = _page_url(content, folder, ident)
    if url is None:
        return None
    with tempfile.TemporaryDirectory(prefix="pufa-page-") as tmp:
        generate(content, Path(tmp), None, site_url)
        path = Path(tmp) / url / "index.md" if url else Path(tmp) / "index.md"
        if not path.is_file():
            return None
        return _FRONT.sub("", path.read_text(encoding="utf-8"), count=1)


def _page_url(content: Content, folder: str, ident: str) -> str | None:
    if folder == "pages":
        return "" if ident == "index" else f"{ident}/"
    if folder == "rules":
        rules = content.folder("rules").get(ident)
        return f"villages/{getattr(rules, 'village', ident)}/" if rules else None
    return f"{folder}/{ident}/" if ident in content.folder(folder) else None


def page_document(article: str, preview_site: Path, url: str, origin: str, note: str = "") -> str:
    """A whole HTML document: ``article`` in the shell of a live-preview page, scripts
    removed, links resolved against the live preview (``origin``)."""
    shell = None
    for candidate in (preview_site / url / "index.html", preview_site / "404.html"):
        if candidate.is_file():
            shell = candidate.read_text(encoding="utf-8")
            break
    banner = (
        f'<p style="background:#fff3cd;padding:8px;border-radius:4px">{html.escape(note)}</p>'
        if note
        else ""
    )
    base = f'<base href="{html.escape(origin)}/{html.escape(url)}">'
    if shell and _ARTICLE.search(shell):
        doc = _SCRIPT.sub("", shell)
        doc = _ARTICLE.sub(lambda m: m.group(1) + banner + article + m.group(3), doc, count=1)
        return doc.replace("<head>", "<head>" + base, 1)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'{base}<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>预览</title></head>"
        f'<body style="font:17px/1.7 sans-serif;margin:12px">{banner}{article}</body></html>'
    )


@dataclass
class PrintPreview:
    """Images of one artifact, and its text-fitting notes."""

    kind: str
    label: str
    images: list[str] = field(default_factory=list)  # file names in the preview folder
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    kinds: list[tuple[str, str]] = field(default_factory=list)  # what else can be shown


def artifacts_of(
    content: Content, themes: Path, site_url: str, rel: str
) -> tuple[Any, list[Artifact]]:
    """The theme and the printable artifacts about one item (no per-village case copies)."""
    theme, artifacts = plan_print(content, themes, site_url)
    mine = [
        a
        for a in artifacts
        if a.source == rel
        and a.kind in PREVIEW_KINDS
        and not (a.kind == "case-poster" and a.village)
    ]
    mine.sort(key=lambda a: PREVIEW_KINDS.index(a.kind))
    return theme, mine


def render_preview(
    content: Content, themes: Path, site_url: str, rel: str, kind: str | None, out: Path
) -> PrintPreview | None:
    """Render one artifact of the item at ``rel`` into ``out`` as PNG images."""
    started = time.perf_counter()
    theme, mine = artifacts_of(content, themes, site_url, rel)
    if not mine:
        return None
    chosen = next((a for a in mine if a.kind == kind), mine[0])
    render_dir = out / "render"
    render_all([chosen], theme, render_dir, out / "cache", jobs=1)
    images = _images(chosen, render_dir, out)
    return PrintPreview(
        chosen.kind,
        KIND_LABELS[chosen.kind],
        images,
        list(chosen.notes),
        time.perf_counter() - started,
        [(a.kind, KIND_LABELS[a.kind]) for a in mine],
    )


def _images(a: Artifact, render_dir: Path, out: Path) -> list[str]:
    """PNG files of every page of the artifact (posters have one; cards are PDF only)."""
    names = []
    if a.png and (render_dir / a.png_path).is_file():
        name = f"{a.digest[:24]}-1.png"
        (out / name).write_bytes((render_dir / a.png_path).read_bytes())
        names.append(name)
        return names
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(render_dir / a.pdf_path))
    try:
        for i, page in enumerate(pdf):
            scale = 900 / page.get_width()
            image = page.render(scale=scale).to_pil()
            name = f"{a.digest[:24]}-{i + 1}.png"
            image.save(out / name, "PNG")
            names.append(name)
            page.close()
    finally:
        pdf.close()
    return names
