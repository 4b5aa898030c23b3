"""Find the CJK font for print and cut it into small faces that PDFs embed cheaply.

WeasyPrint subsets fonts but keeps glyph ids, so every PDF carries the metrics of all
glyphs up to the highest one used. With Noto Sans CJK (65,535 glyphs) a one-page poster
weighs ~280 KB, nearly all of it font. The posters therefore use faces cut from the
theme's font: the common characters (GB2312 level 1 and symbols, ~5,100 glyphs) and the
rest of GB2312 (~3,000). A poster then weighs ~65 KB; a character outside both falls back
to the full font, so nothing is ever missing. The cut faces are cached per user, keyed by
the source file, so a build cuts them once.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from ..errors import ConfigError

INSTALL_HINT = "请安装中文字体：在 Debian/Ubuntu 上运行 apt-get install fonts-noto-cjk"
TIERS_VERSION = "gb2312-2tier-1"  # part of the theme fingerprint: change it, re-render all
_SYMBOLS = [
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x21FF),  # letterlike symbols, number forms, arrows
    (0x2460, 0x26FF),  # enclosed numbers, box drawing, shapes, ☎
    (0x3000, 0x303F),  # CJK punctuation
    (0xFF00, 0xFFEF),  # full-width forms
]


@dataclass(frozen=True)
class Font:
    """A CJK font: CSS family name, regular and bold files with face indexes (.ttc)."""

    family: str
    path: str
    index: int
    bold_path: str
    bold_index: int

    def identity(self) -> str:
        """What the rendered output depends on: the files' names, sizes and times."""
        parts = [self.family, TIERS_VERSION]
        for path, index in ((self.path, self.index), (self.bold_path, self.bold_index)):
            st = os.stat(path)
            parts.append(f"{path}:{index}:{st.st_size}:{st.st_mtime_ns}")
        return "|".join(parts)


@dataclass(frozen=True)
class Face:
    """One cut face for @font-face."""

    family: str
    weight: int
    path: Path


def resolve_font(
    family: str,
    file: str | None = None,
    theme_dir: Path | None = None,
    bold_file: str | None = None,
) -> Font:
    """The font the posters use. ``file`` and ``bold_file`` (relative to the theme) win;
    otherwise fontconfig must know ``family`` with Chinese coverage, or a clear Chinese
    error is raised."""
    if file:
        regular = _theme_file(file, theme_dir)
        bold = _theme_file(bold_file, theme_dir) if bold_file else regular
        return Font(family, str(regular), 0, str(bold), 0)
    path, index = _fc_match(family, "")
    bold_path, bold_index = _fc_match(family, ":bold")
    return Font(family, path, index, bold_path, bold_index)


def _theme_file(file: str, theme_dir: Path | None) -> Path:
    path = (theme_dir / file) if theme_dir else Path(file)
    if not path.is_file():
        raise ConfigError(f"印刷样式指定的字体文件不存在：{path}")
    return path.resolve()


def _fc_match(family: str, style: str) -> tuple[str, int]:
    if not shutil.which("fc-match"):
        raise ConfigError(f"找不到字体工具 fc-match（fontconfig）。{INSTALL_HINT}")
    out = subprocess.run(
        ["fc-match", "-f", "%{family}|%{file}|%{index}", f"{family}{style}:lang=zh-cn"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    names, _, rest = out.partition("|")
    found, _, index = rest.partition("|")
    if family.lower() not in names.lower() or not found:
        raise ConfigError(f"找不到印刷用的中文字体“{family}”。{INSTALL_HINT}")
    return found, int(index or 0)


@functools.cache
def tiers() -> list[set[int]]:
    """Code points of each cut face: common characters first, then the rest of GB2312."""
    common = {c for lo, hi in _SYMBOLS for c in range(lo, hi + 1)}
    common |= _gb2312_rows(range(0xA1, 0xAA)) | _gb2312_rows(range(0xB0, 0xD8))
    return [common, _gb2312_rows(range(0xD8, 0xF8))]


def _gb2312_rows(rows: range) -> set[int]:
    out = set()
    for hi in rows:
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.add(ord(bytes([hi, lo]).decode("gb2312")))
    return out


def font_cache_dir() -> Path:
    """Where cut faces are kept: $PUFA_FONT_CACHE, else the user's cache folder, else (no
    writable home, as on some CI machines) the system's temporary folder."""
    if os.environ.get("PUFA_FONT_CACHE"):
        return Path(os.environ["PUFA_FONT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for folder in (Path(base) / "pufa" / "fonts", Path(tempfile.gettempdir()) / "pufa-fonts"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    raise ConfigError(f"无法保存印刷字体：{base} 和临时文件夹都不可写")


def cut_faces(font: Font, cache: Path | None = None) -> list[Face]:
    """The cut faces of ``font`` (made once and cached), in fallback order."""
    cache = cache or font_cache_dir()
    key = hashlib.sha256(font.identity().encode()).hexdigest()[:12]
    faces, missing = [], []
    weights = ((400, font.path, font.index), (700, font.bold_path, font.bold_index))
    for n in range(len(tiers())):
        for weight, path, index in weights:
            target = cache / f"pufa-{key}-{n + 1}-{weight}.otf"
            if not target.is_file():
                missing.append((path, index, n, target))
            faces.append(Face(f"PufaPrint{n + 1}-{key}", weight, target))
    if missing:
        with ProcessPoolExecutor(min(2, len(missing)), mp_context=get_context("fork")) as pool:
            list(pool.map(_cut, *zip(*missing, strict=True)))
    return faces


def _cut(path: str, index: int, tier: int, target: Path) -> None:
    """Subset ``path`` to the code points of ``tier``: no vertical metrics and no
    substitutions (posters set text horizontally), so glyph ids stay few and dense."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.drop_tables += ["GSUB", "vmtx", "vhea", "VORG", "BASE"]
    font = TTFont(path, fontNumber=index, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=tiers()[tier])
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    font.save(str(tmp))
    tmp.replace(target)


def face_css(faces: list[Face], fallback: str) -> tuple[str, str]:
    """@font-face rules for ``faces`` and the CSS family list that uses them first."""
    rules = "\n".join(
        f'@font-face {{ font-family: "{f.family}"; src: url("{f.path.as_uri()}"); '
        f"font-weight: {f.weight}; }}"
        for f in faces
    )
    families = list(dict.fromkeys(f.family for f in faces))
    stack = ", ".join(f'"{name}"' for name in [*families, fallback])
    return rules, stack


@functools.lru_cache(maxsize=8)
def _cmap(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    return frozenset(font.getBestCmap() or {})


def missing_glyphs(text: str, font: Font | str | Path, index: int = 0) -> list[str]:
    """Characters of ``text`` that the print font lacks (read from the font's own cmap),
    each once, in order of first appearance: they would print as empty boxes. ``font`` is a
    theme's :class:`Font` (``load_theme(...).font``) or a font file with its face ``index``
    (.ttc). Spaces, line breaks and invisible format characters (U+200D, U+FE0F) are never
    reported."""
    import unicodedata

    path, face = (font.path, font.index) if isinstance(font, Font) else (str(font), index)
    have = _cmap(path, face)
    out: list[str] = []
    for ch in dict.fromkeys(text):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Mn"):
            continue
        if ord(ch) not in have:
            out.append(ch)
    return out
