"""A print theme: layout data (layout.yml), Jinja2 templates and CSS under themes/<name>/print.

A theme folder only needs the files it changes; everything else comes from themes/default.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..errors import ConfigError
from .fonts import Font, cut_faces, face_css, resolve_font
from .layout import Layout, load_layout
from .textfit import Metrics


@dataclass
class PrintTheme:
    name: str
    dirs: list[Path]
    layout: Layout
    css: str
    font: Font
    fingerprint: str
    env: jinja2.Environment

    def font_css(self) -> tuple[str, str]:
        """@font-face rules of the cut faces and the family list for ``--font``."""
        return face_css(cut_faces(self.font), self.font.family)

    def metrics(self) -> Metrics:
        return _metrics(self.font.path, self.font.index)

    def bold_metrics(self) -> Metrics:
        return _metrics(self.font.bold_path, self.font.bold_index)


_METRICS: dict[tuple[str, int], Metrics] = {}


def _metrics(path: str, index: int) -> Metrics:
    if (path, index) not in _METRICS:
        _METRICS[(path, index)] = Metrics(path, index)
    return _METRICS[(path, index)]


def load_theme(themes: Path, name: str) -> PrintTheme:
    """Load ``themes/<name>/print`` over ``themes/default/print``."""
    dirs = [d for d in (themes / name / "print", themes / "default" / "print") if d.is_dir()]
    if not dirs:
        raise ConfigError(f"找不到印刷样式：{themes / name / 'print'}")
    layout = load_layout(
        [
            (themes / t / "print" / "layout.yml", _shown(themes / t / "print" / "layout.yml"))
            for t in dict.fromkeys(("default", name))
        ]
    )
    css_parts: list[str] = []
    digest = hashlib.sha256()
    for d in reversed(dirs):  # default first, the chosen theme overrides
        for f in sorted(p for p in d.rglob("*") if p.is_file()):
            digest.update(str(f.relative_to(d)).encode())
            digest.update(f.read_bytes())
        css = d / "print.css"
        if css.is_file():
            css_parts.append(css.read_text(encoding="utf-8"))
    fonts = layout.font
    font = resolve_font(fonts.family, fonts.file, dirs[0], fonts.bold_file)
    digest.update(font.identity().encode())
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["shift"] = lambda f, b: {**f, "x": f["x"] + b, "y": f["y"] + b}
    env.filters["edition"] = with_edition
    return PrintTheme(name, dirs, layout, "\n".join(css_parts), font, digest.hexdigest(), env)


def with_edition(f: dict[str, Any], edition: str) -> dict[str, Any]:
    """A fitted edition line (fitted with the widest sample) carrying the real edition:
    date and hash are swapped in token by token, so a wrapped line stays as measured."""
    sample = str(f["sample"])
    s_date, _, s_hash = sample.partition(" ")
    date, _, digest = edition.partition(" ")
    columns = [
        [[ln.replace(s_date, date).replace(s_hash, digest) for ln in para] for para in col]
        for col in f["columns"]
    ]
    return {**f, "columns": columns}


def _shown(path: Path) -> str:
    """A path as users read it: relative to the working folder when it lies inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
