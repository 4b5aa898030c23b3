"""The print run as the build sees it: start the workers, finish into site/print (manifest,
QR checks, notes, the reprint report)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content
from ..errors import BuildError
from .artifact import Artifact
from .catalog import NAMES, plan
from .render import RenderJob, start_render
from .theme import PrintTheme, load_theme
from .verify import check


@dataclass
class PrintResult:
    artifacts: list[Artifact]
    rendered: list[str] = field(default_factory=list)
    reused: int = 0
    cpu_per_page: dict[str, float] = field(default_factory=dict)  # layout, pdf, png, verify
    notes: list[str] = field(default_factory=list)
    laid_out_pages: int = 0

    @property
    def seconds_per_page(self) -> float:
        """A worker's CPU per laid-out page: layout, PDFs, PNGs and QR checks together."""
        return sum(self.cpu_per_page.values())


def _read_manifest(path: Path) -> list[dict[str, object]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, list) else None


def content_names(artifacts: list[Artifact]) -> dict[str, str]:
    """Display name of each village and person that has artifacts."""
    names: dict[str, str] = {}
    for a in artifacts:
        if a.kind == "card":
            names[f"village:{a.village}"] = a.context["card"]["village_name"]
        elif a.kind == "person-card":
            names[f"person:{a.source}"] = a.context["card"]["name"]
    return names


def reprint_report(
    old: list[dict[str, object]], new: list[dict[str, object]], names: dict[str, str]
) -> list[str]:
    """Chinese lines naming the villages (and people) whose printed items changed since the
    previous build: a new edition of a file, or a new file."""
    before = {str(e["file"]): e.get("edition") for e in old if isinstance(e, dict)}
    changed: dict[str, list[str]] = {}
    for e in new:
        file, kind = str(e["file"]), str(e["kind"])
        if not file.endswith(".pdf") or kind == "pack" or before.get(file) == e["edition"]:
            continue
        key = f"village:{e['village']}" if "village" in e else f"person:{e['source']}"
        label = str(e.get("name") or NAMES.get(kind, kind))
        if label not in changed.setdefault(key, []):
            changed[key].append(label)
    if not changed:
        return ["与上次构建相比，没有需要重新打印的印刷品。"]
    lines = ["需要重新打印（与上次构建相比内容有变化）："]
    for key, labels in sorted(changed.items()):
        lines.append(f"  {names.get(key, key.split(':', 1)[1])}：{'、'.join(labels)}")
    return lines


def plan_print(content: Content, themes: Path, site_url: str) -> tuple[PrintTheme, list[Artifact]]:
    """Load the theme named in site.yml and plan every artifact (no rendering)."""
    theme = load_theme(themes, content.site.print.theme)
    return theme, plan(content, theme, site_url)


def start_print(
    artifacts: list[Artifact],
    theme: PrintTheme,
    cache: Path,
    old_site: Path,
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
) -> PrintJob:
    """Start laying out the artifacts not in ``cache`` on worker processes: ``jobs`` of
    them (``pufa build --jobs N``), by default one per core this process may use;
    ``progress(done, total)`` hears of each finished batch (from a pool thread)."""
    old_manifest = old_site / "print" / "manifest.json"
    job = start_render(artifacts, theme, cache, old_manifest, jobs=jobs, progress=progress)
    return PrintJob(artifacts, job, old_manifest)


@dataclass
class PrintJob:
    artifacts: list[Artifact]
    job: RenderJob
    old_manifest: Path

    def finish(self, site: Path, site_url: str) -> PrintResult:
        """Place everything in ``site/print``, write the manifest, verify the codes of the
        new artifacts."""
        artifacts = self.artifacts
        old = _read_manifest(self.old_manifest)
        report = self.job.finish(site)
        manifest = site / "print" / "manifest.json"
        manifest.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(report.manifest, ensure_ascii=False, indent=1)
        manifest.write_text(text, encoding="utf-8")
        fresh = set(report.rendered)
        # A pack holds only artifacts verified on their own: `pufa verify` reads packs too.
        problems = [
            problem
            for a in artifacts
            if a.pdf_path in fresh and a.qr and not a.parts
            for problem in check(a, report.decoded.get(a.digest, []), site, site_url)
        ]
        if problems:
            raise BuildError("印刷品的二维码检查没有通过：\n" + "\n".join(problems))
        if report.broken:
            raise BuildError("印刷品写出后读不回来：\n" + "\n".join(report.broken))
        notes = [f"{a.source}: {a.name} {a.pdf_path}: {n}" for a in artifacts for n in a.notes]
        if old is not None:
            notes += reprint_report(old, report.manifest, content_names(artifacts))
        return PrintResult(
            artifacts=artifacts,
            rendered=report.rendered,
            reused=report.reused,
            cpu_per_page=report.cpu_per_page,
            notes=notes,
            laid_out_pages=report.laid_out_pages,
        )

    def close(self) -> None:
        self.job.close()
