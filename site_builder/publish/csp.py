"""The Content-Security-Policy the built site passes without 'unsafe-inline'.

The theme emits a few small inline scripts (Material's base-path bootstrap, one per page
depth; the 大字 and anchor helpers). Their SHA-256 hashes go into ``script-src``; the build
writes them to ``site/.pufa/csp.txt`` and a ready nginx snippet ``site/.pufa/nginx-csp.conf``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# Inline <script> without src whose type runs as JavaScript (data blocks such as JSON-LD and
# Material's __config are not scripts: CSP does not apply to them).
_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_JS_TYPES = ("", "text/javascript", "application/javascript", "module")


def _runs(attrs: str) -> bool:
    if re.search(r"\bsrc\s*=", attrs, re.I):
        return False
    found = _TYPE.search(attrs)
    return (found.group(1).lower() if found else "") in _JS_TYPES


def csp_hashes(site_dir: Path) -> list[str]:
    """``'sha256-…'`` sources for every distinct inline script of every page, sorted."""
    out: set[str] = set()
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        for m in _SCRIPT.finditer(text):
            if _runs(m.group("attrs")):
                digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
                out.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(out)


def policy(hashes: list[str]) -> str:
    """The policy of the hosting guide: nothing from other hosts, no inline code except the
    hashed scripts, WebAssembly for the Pagefind search."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    ).strip()


def write_csp(site_dir: Path) -> list[str]:
    """Write ``.pufa/csp.txt`` (the policy) and ``.pufa/nginx-csp.conf`` into the site."""
    hashes = csp_hashes(site_dir)
    folder = site_dir / ".pufa"
    folder.mkdir(exist_ok=True)
    text = policy(hashes)
    (folder / "csp.txt").write_text(text + "\n", encoding="utf-8")
    (folder / "nginx-csp.conf").write_text(
        "# 由 pufa build 生成：网站内联脚本的哈希变了时会更新（pufa publish 会提醒）\n"
        f'add_header Content-Security-Policy "{text}" always;\n',
        encoding="utf-8",
    )
    return hashes
