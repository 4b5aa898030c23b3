"""Find the CJK font for print: from the theme's configuration, then from the system."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

INSTALL_HINT = "请安装中文字体：在 Debian/Ubuntu 上运行 apt-get install fonts-noto-cjk"


@dataclass(frozen=True)
class Font:
    """A CJK font face: CSS family name, file and face index (for .ttc collections)."""

    family: str
    path: str
    index: int


def resolve_font(family: str, file: str | None = None, theme_dir: Path | None = None) -> Font:
    """The font the posters use. ``file`` (relative to the theme) wins; otherwise fontconfig
    must know ``family`` with Chinese coverage, or a clear Chinese error is raised."""
    if file:
        path = (theme_dir / file) if theme_dir else Path(file)
        if not path.is_file():
            raise ConfigError(f"印刷样式指定的字体文件不存在：{path}")
        return Font(family, str(path.resolve()), 0)
    if not shutil.which("fc-match"):
        raise ConfigError(f"找不到字体工具 fc-match（fontconfig）。{INSTALL_HINT}")
    out = subprocess.run(
        ["fc-match", "-f", "%{family}|%{file}|%{index}", f"{family}:lang=zh-cn"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    names, _, rest = out.partition("|")
    found, _, index = rest.partition("|")
    if family.lower() not in names.lower() or not found:
        raise ConfigError(f"找不到印刷用的中文字体“{family}”。{INSTALL_HINT}")
    return Font(family, found, int(index or 0))
