"""After a publish lands: fetch pages over HTTP(S) from ``check_url`` and compare them.

The home page, every page a QR code printed in this build points to, and a sample of the
rest are fetched with ``Cache-Control: no-cache`` and the user agent ``pufa-check``; each body's
SHA-256 must equal the file in site/. A portal cache may take a while: pages still missing or
different are fetched again until ``timeout`` seconds have passed.
"""

from __future__ import annotations

import hashlib
import json
import random
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

USER_AGENT = "pufa-check"


@dataclass
class CheckResult:
    checked: int
    qr_pages: int
    failures: dict[str, str] = field(default_factory=dict)  # page URL (relative) → reason
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def page_file(url: str) -> str:
    """``cases/x/`` → ``cases/x/index.html`` (the file a directory URL serves)."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def pages_to_check(
    site: Path, site_url: str, sample: int, seed: int | None = None
) -> tuple[list[str], int]:
    """Relative URLs: home, every QR target of this build, ``sample`` other pages; and how
    many are QR targets."""
    qr: list[str] = []
    try:
        manifest = json.loads((site / "print" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = []
    for entry in manifest:
        for url in entry.get("qr", []):
            if url.startswith(site_url):
                rel = url[len(site_url) :].split("#")[0].split("?")[0]
                if rel not in qr:
                    qr.append(rel)
    chosen = ["", *[u for u in qr if u]]
    rest = sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("*.html")
        if p.relative_to(site).as_posix() != "404.html"
    )
    rest = [u for u in rest if u not in chosen]
    rng = random.Random(seed)
    chosen += sorted(rng.sample(rest, min(sample, len(rest))))
    return chosen, len([u for u in qr if u])


def fetch(url: str, timeout: float = 20) -> tuple[int, bytes]:
    """(status, body); status 0 when the server could not be reached."""
    request = urllib.request.Request(
        url, headers={"Cache-Control": "no-cache", "Pragma": "no-cache", "User-Agent": USER_AGENT}
    )
    context = ssl.create_default_context()  # certificates verified
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (urllib.error.URLError, OSError):
        return 0, b""


def check_published(
    site: Path,
    site_url: str,
    check_url: str,
    *,
    timeout: float = 600,
    interval: float = 10,
    sample: int = 20,
    say: Callable[[str], None] = lambda _: None,
) -> CheckResult:
    """Fetch and compare until every page matches or ``timeout`` seconds have passed."""
    started = time.monotonic()
    base = check_url if check_url.endswith("/") else check_url + "/"
    pages, qr_count = pages_to_check(site, site_url, sample)
    expected = {
        u: hashlib.sha256((site / page_file(u)).read_bytes()).hexdigest()
        for u in pages
        if (site / page_file(u)).is_file()
    }
    waiting: dict[str, str] = {u: "" for u in pages}
    while True:
        for url in list(waiting):
            status, body = fetch(base + url)
            if status == 0:
                waiting[url] = "连不上服务器"
            elif status != 200:
                waiting[url] = f"打不开（HTTP {status}）"
            elif url not in expected:
                waiting[url] = "本地网站里没有这个网页"
            elif hashlib.sha256(body).hexdigest() != expected[url]:
                waiting[url] = "内容与本次生成的不一样（服务器或缓存还是旧的）"
            else:
                del waiting[url]
        elapsed = time.monotonic() - started
        if not waiting or elapsed + interval > timeout:
            break
        say(f"发布后检查：还有 {len(waiting)} 个网页没有更新，{interval:.0f} 秒后再试……")
        time.sleep(interval)
    result = CheckResult(len(pages), qr_count, dict(waiting))
    result.seconds = time.monotonic() - started
    return result


def failure_message(result: CheckResult, check_url: str, minutes: float) -> str:
    """The Chinese report of a failed check, naming every page."""
    base = check_url if check_url.endswith("/") else check_url + "/"
    lines = [
        f"发布后检查没有通过：{len(result.failures)} 个网页在 {base} 上打不开或与本次生成的不一样"
        f"（已等待 {minutes:g} 分钟）："
    ]
    for url, reason in sorted(result.failures.items()):
        lines.append(f"  {base}{url}：{reason}")
    lines.append(
        "请确认 site.yml 的 publish.check_url 是网站的实际地址，并请服务器管理员检查缓存；"
        "印在海报上的二维码指向这些网页。"
    )
    return "\n".join(lines)
