"""`pufa serve`: the live preview rebuilds on change, reloads, and shows errors on the page."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import ROOT
from tests.servers import pufa_serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - localhost only
        return str(r.read().decode("utf-8"))


def wait_for(check: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


def leave(page: Any) -> None:
    """Stop the preview's polling before closing: a reload may be under way, so try again."""
    for attempt in range(3):
        try:
            page.goto("about:blank")
            return
        except PlaywrightError:
            if attempt == 2:
                raise


@pytest.fixture
def preview(content_copy: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    cmd = [
        "--content",
        str(content_copy),
        "--port",
        str(port),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--themes",
        str(ROOT / "themes"),
        "--work",
        str(tmp_path / "work"),
    ]
    base = f"http://127.0.0.1:{port}/"
    with pufa_serve(cmd, "预览地址"):
        yield base, content_copy


def test_edit_shows_up_and_errors_are_shown(preview: tuple[str, Path], browser: Any) -> None:
    base, content = preview
    page_url = base + "cases/lease-deposit/"
    assert "房东不退押金" in get(page_url)
    ledger = (content / ".published.json").read_text(encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(page_url)
    case = content / "cases" / "lease-deposit.md"
    text = case.read_text(encoding="utf-8")
    case.write_text(
        text.replace("房东不退押金，社区法律顾问这样调解", "房东扣押金，法律顾问来调解"),
        encoding="utf-8",
    )
    wait_for(lambda: "房东扣押金，法律顾问来调解" in get(page_url))
    page.wait_for_function(
        "(document.querySelector('h1')?.textContent || '').includes('房东扣押金')", timeout=30000
    )  # the open page reloaded by itself
    case.write_text(text.replace("title:", "title：", 1), encoding="utf-8")
    status = wait_for(lambda: json.loads(get(base + "__pufa/status"))["errors"])
    assert any("cases/lease-deposit.md:2: title: 用了全角冒号" in e for e in status)
    assert "房东扣押金" in get(page_url)  # the last good preview stays up
    banner = page.locator("#pufa-preview-errors")
    banner.wait_for(timeout=30000)
    assert "内容有问题" in banner.inner_text() and "全角冒号" in banner.inner_text()
    case.write_text(text, encoding="utf-8")
    wait_for(lambda: not json.loads(get(base + "__pufa/status"))["errors"])
    wait_for(lambda: "房东不退押金" in get(page_url))
    # The open page reloads once more by itself, and the error banner is gone.
    page.wait_for_function(
        "(document.querySelector('h1')?.textContent || '').includes('房东不退押金')"
        " && !document.getElementById('pufa-preview-errors')",
        timeout=30000,
    )
    # A preview publishes nothing: the ledger of published addresses is untouched.
    assert (content / ".published.json").read_text(encoding="utf-8") == ledger
    leave(page)
    context.close()
