"""`pufa serve`: a live preview on localhost.

Rebuilds (pages and search, no print) when anything in content/ or themes/ changes, and
reloads the browser; validation errors are shown in the terminal and on top of the page,
and the last good preview stays up instead of going blank.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from .build import BuildOptions, build
from .errors import ContentError, PufaError

RELOAD = (
    "<script>"
    + resources.files("site_builder").joinpath("preview.js").read_text(encoding="utf-8")
    + "</script>"
)


WAITING = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>预览还没有生成</title></head><body style=\"font:18px/1.7 sans-serif;margin:2em\">"
    "<h1>预览还没有生成</h1><p>内容有问题，还没有能显示的页面。问题列在上面的红框里，"
    "也打印在运行 pufa serve 的窗口里；改好并保存后，这里会自动显示预览。</p>"
    f"{RELOAD}</body></html>"
)
NOT_FOUND = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>找不到这个页面</title>'
    '</head><body style="font:18px/1.7 sans-serif;margin:2em"><h1>找不到这个页面</h1>'
    '<p><a href="/">回到首页</a></p></body></html>'
)


def _with_reload(page: str) -> str:
    """The page with the preview's reload script before ``</body>``."""
    if "</body>" in page:
        return page.replace("</body>", RELOAD + "</body>", 1)
    return page + RELOAD


class Preview:
    """The state shared by the watcher and the web server."""

    def __init__(self, opts: BuildOptions, watch: list[Path]) -> None:
        self.opts = replace(opts, render_print=False)
        self.watch = watch
        self.version = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def snapshot(self) -> dict[str, float]:
        out = {}
        for root in self.watch:
            for p in root.rglob("*"):
                if p.is_file() and not p.name.startswith(".published"):
                    out[str(p)] = p.stat().st_mtime
        return out

    def rebuild(self) -> None:
        try:
            build(self.opts)
            errors: list[str] = []
            print(f"已更新预览（{time.strftime('%H:%M:%S')}）", flush=True)
        except ContentError as exc:
            errors = [str(p) for p in exc.problems]
        except PufaError as exc:
            errors = [str(exc)]
        for e in errors:
            print(e, flush=True)
        with self.lock:
            self.errors = errors
            self.version += 1

    def watch_forever(self, interval: float = 0.5) -> None:
        last = self.snapshot()
        while True:
            time.sleep(interval)
            now = self.snapshot()
            if now != last:
                last = now
                self.rebuild()


def handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(preview.opts.out), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's API name
            if self.path.startswith("/__pufa/status"):
                with preview.lock:
                    state = {
                        "version": preview.version,
                        "errors": preview.errors,
                        "built": (Path(preview.opts.out) / "index.html").is_file(),
                    }
                    body = json.dumps(state, ensure_ascii=False).encode()
                return self._send(body, "application/json; charset=utf-8")
            root = Path(preview.opts.out)
            if not (root / "index.html").is_file():  # no good build yet: say why, in Chinese
                return self._send(WAITING.encode(), "text/html; charset=utf-8", 503)
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                missing = root / "404.html"
                page = missing.read_text(encoding="utf-8") if missing.is_file() else NOT_FOUND
                return self._send(_with_reload(page).encode(), "text/html; charset=utf-8", 404)
            if path.suffix == ".html" and path.is_file():
                text = _with_reload(path.read_text(encoding="utf-8"))
                return self._send(text.encode(), "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, kind: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(opts: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Build once, then serve and rebuild on change until interrupted."""
    preview = Preview(opts, [opts.content, opts.themes])
    preview.rebuild()
    server = http.server.ThreadingHTTPServer((host, port), handler(preview))
    print(
        f"预览地址：http://{host}:{server.server_address[1]}/ （改动内容后页面会自动刷新；"
        "按 Ctrl+C 结束）",
        flush=True,
    )
    threading.Thread(target=preview.watch_forever, daemon=True).start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
