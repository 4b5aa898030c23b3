"""A print theme: layout data (layout.yml), Jinja2 templates and CSS under themes/<name>/print.

A theme folder only needs the files it changes; everything else comes from themes/default.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..errors import ConfigError
from .fonts import Font, cut_faces, face_css, resolve_font
from .textfit import Box, Metrics


@dataclass
class PrintTheme:
    name: str
    dirs: list[Path]
    layout: dict[str, Any]
    css: str
    font: Font
    fingerprint: str
    env: jinja2.Environment

    def box(self, product: str, name: str) -> Box:
        """A text box of a product's layout."""
        try:
            spec = self.layout[product][name]
        except KeyError:
            raise ConfigError(f"印刷样式 {self.name} 的 layout.yml 缺少 {product}.{name}") from None
        return Box(**spec)

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
    layout: dict[str, Any] = {}
    css_parts: list[str] = []
    digest = hashlib.sha256()
    for d in reversed(dirs):  # default first, the chosen theme overrides
        for f in sorted(p for p in d.rglob("*") if p.is_file()):
            digest.update(str(f.relative_to(d)).encode())
            digest.update(f.read_bytes())
        lay = d / "layout.yml"
        if lay.is_file():
            try:
                data = yaml.safe_load(lay.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise ConfigError(f"{lay} 格式错误：{exc}") from None
            _merge(layout, data)
        css = d / "print.css"
        if css.is_file():
            css_parts.append(css.read_text(encoding="utf-8"))
    fonts = layout.get("font", {})
    font = resolve_font(
        fonts.get("family", "Noto Sans CJK SC"), fonts.get("file"), dirs[0], fonts.get("bold_file")
    )
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


def _merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v
