"""Search: a Pagefind index (Chinese segmentation) over the article bodies of the site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import BuildError


def index_site(site: Path) -> str:
    """Run Pagefind (the `pagefind[extended]` package) over ``site``; return its summary.

    Only elements marked ``data-pagefind-body`` are indexed (entity and free pages), so the
    navigation, header and footer never show up in results.
    """
    cmd = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-subdir",
        "pagefind",
        "--silent",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not (site / "pagefind" / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["无输出"]
        raise BuildError(f"生成搜索索引失败（Pagefind）：{detail[0]}")
    return proc.stdout.strip()
