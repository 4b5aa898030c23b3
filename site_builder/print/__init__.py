"""Print: plan artifacts (products.py), render them (render.py), verify their QR codes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content
from ..errors import BuildError
from .artifact import Artifact
from .catalog import plan
from .render import render_all
from .theme import PrintTheme, load_theme
from .verify import verify

KIND_LABELS = {
    "case-poster": "案例海报",
    "rules-poster": "村规民约海报",
    "board": "联系公示牌",
    "service-map": "法律服务圈海报",
    "card": "便民卡",
    "card-sheet": "便民卡拼版",
    "person-card": "个人联系卡",
    "pack": "打印资料包",
}


@dataclass
class PrintResult:
    artifacts: list[Artifact]
    rendered: list[str] = field(default_factory=list)
    reused: int = 0
    seconds_per_page: float = 0.0
    notes: list[str] = field(default_factory=list)


def plan_print(content: Content, themes: Path, site_url: str) -> tuple[PrintTheme, list[Artifact]]:
    """Load the theme named in site.yml and plan every artifact (no rendering)."""
    theme = load_theme(themes, content.site.print.theme)
    return theme, plan(content, theme, site_url)


def render_print(
    artifacts: list[Artifact],
    theme: PrintTheme,
    site: Path,
    cache: Path,
    old_site: Path,
    site_url: str,
) -> PrintResult:
    """Render into ``site/print``, write the manifest, verify the codes of new artifacts."""
    report = render_all(artifacts, theme, site, cache, old_site / "print" / "manifest.json")
    manifest = site / "print" / "manifest.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(report.manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    fresh = {p for p in report.rendered}
    problems = verify([a for a in artifacts if a.pdf_path in fresh], site, site_url)
    if problems:
        raise BuildError("印刷品的二维码检查没有通过：\n" + "\n".join(problems))
    notes = [
        f"{a.source}: {KIND_LABELS[a.kind]} {a.pdf_path}: {n}" for a in artifacts for n in a.notes
    ]
    return PrintResult(artifacts, report.rendered, report.reused, report.seconds_per_page, notes)
