"""Shared fixtures: a copy of the example content, one build of it, a local server, Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_builder.build import BuildOptions, build
from site_builder.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the example county."""
    dst = tmp_path / "content"
    shutil.copytree(EXAMPLE, dst)
    return dst


def build_opts(content: Path, out: Path, work: Path) -> BuildOptions:
    return BuildOptions(
        content=content, out=out, config=ROOT / "mkdocs.yml", themes=ROOT / "themes", work=work
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example county built once for the whole session."""
    base = tmp_path_factory.mktemp("built")
    content = base / "content"
    shutil.copytree(EXAMPLE, content)
    out = base / "site"
    build(build_opts(content, out, base / "work"))
    return out


@pytest.fixture(scope="session")
def example_print_cache(built_site: Path) -> Path:
    """The print cache of :func:`built_site` (content-addressed, so safe to share): a test
    whose subject is not the print spends no time laying out the example county again."""
    return built_site.parent / "work" / "print-cache"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served_site(built_site: Path) -> Iterator[str]:
    """Base URL of the built example site served on localhost."""
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


PHONE = {"width": 390, "height": 844}  # a common phone's CSS viewport


@pytest.fixture
def phone_context(browser: Any) -> Iterator[Any]:
    """A fresh Chromium context at phone width, in Chinese; closed after the test."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield context
    context.close()


@pytest.fixture
def phone_page(phone_context: Any) -> Any:
    """A page of :func:`phone_context` that records every URL it asks for (``.requests``)."""
    page = phone_context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    return page


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
