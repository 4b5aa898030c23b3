"""`pufa serve`: a live preview on localhost, and the 工作台 beside it.

Rebuilds (pages and search, no print) when anything in content/ or themes/ changes, and
reloads the browser; validation errors are shown in the terminal and on top of the page,
and the last good preview stays up instead of going blank. The 工作台 (``/__pufa/``, see
``workbench/``) edits the same files. Starlette + uvicorn, loopback only.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import replace
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

import uvicorn
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from .accounts.users import UserStore
from .build import BuildOptions, build
from .errors import ConfigError, ContentError, PufaError
from .safefs import os_reason
from .workbench.app import create_app, state_dir
from .workbench.security import NEEDS_TLS, NOT_LOOPBACK, is_loopback

RELOAD = (
    "<script>"
    + resources.files("site_builder").joinpath("preview.js").read_text(encoding="utf-8")
    + "</script>"
)


WAITING = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<title>预览还没有生成</title></head><body style="font:18px/1.7 sans-serif;margin:2em">'
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
        # The staff's preview shows the working files, reviewed or not (it needs a login
        # once accounts exist); only the full build publishes approved versions alone.
        self.opts = replace(opts, render_print=False, review=False)
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
        except Exception as exc:  # noqa: BLE001 - the 工作台 stays up to fix what broke
            errors = [f"程序内部错误（{type(exc).__name__}：{exc}），请把这条信息发给技术人员"]
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


def _send(body: str | bytes, status: int = 200, kind: str = "text/html; charset=utf-8") -> Response:
    return Response(body, status, media_type=kind, headers={"Cache-Control": "no-store"})


def preview_routes(preview: Preview) -> list[Route]:
    """The live preview: the last good build at ``/``, its state at ``/__pufa/status``."""

    async def status(request: Request) -> Response:
        with preview.lock:
            state = {
                "version": preview.version,
                "errors": preview.errors,
                "built": (Path(preview.opts.out) / "index.html").is_file(),
            }
        return _send(json.dumps(state, ensure_ascii=False), kind="application/json; charset=utf-8")

    async def page(request: Request) -> Response:
        root = Path(preview.opts.out)
        if not (root / "index.html").is_file():  # no good build yet: say why, in Chinese
            return _send(WAITING, 503)
        rel = unquote(request.url.path).lstrip("/")
        path = (root / rel).resolve()
        if not path.is_relative_to(root.resolve()) or "\x00" in rel:
            return _send(NOT_FOUND, 404)
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            missing = root / "404.html"
            text = missing.read_text(encoding="utf-8") if missing.is_file() else NOT_FOUND
            return _send(_with_reload(text), 404)
        if path.suffix == ".html":
            return _send(_with_reload(path.read_text(encoding="utf-8")))
        return FileResponse(path, headers={"Cache-Control": "no-store"})

    return [
        Route("/__pufa/status", status),
        Route("/{path:path}", page, methods=["GET", "HEAD"]),
    ]


def check_exposure(
    host: str, state: Path, tls: tuple[Path | None, Path | None], behind_proxy: bool
) -> None:
    """Refuse to serve beyond this machine without accounts, or without HTTPS in front."""
    cert, key = tls
    if (cert is None) != (key is None):
        raise ConfigError("--tls-cert 和 --tls-key 要一起用：证书文件和私钥文件")
    for f in (cert, key):
        if f is not None and not f.is_file():
            raise ConfigError(f"找不到文件 {f}")
    if is_loopback(host):
        return
    if not UserStore(state).exists():
        raise ConfigError(NOT_LOOPBACK)
    if cert is None and not behind_proxy:
        raise ConfigError(NEEDS_TLS)


def serve(
    opts: BuildOptions,
    host: str = "127.0.0.1",
    port: int = 8000,
    site_opts: BuildOptions | None = None,
    state: Path | None = None,
    tls: tuple[Path | None, Path | None] = (None, None),
    behind_proxy: bool = False,
) -> None:
    """Build once, then serve the preview and the 工作台 until interrupted.

    ``site_opts`` are the options of the full build the 工作台's 生成网站 button runs.
    Loopback addresses only, unless accounts exist and the server speaks HTTPS itself
    (``tls``: certificate and key files) or sits behind a proxy (``behind_proxy``: then
    ``X-Forwarded-For``/``-Proto`` are believed from 127.0.0.1 only).
    """
    state = state or state_dir(opts.content)
    check_exposure(host, state, tls, behind_proxy)
    preview = Preview(opts, [opts.content, opts.themes])
    preview.rebuild()
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise ConfigError(
            f"无法使用端口 {port}：{os_reason(exc)}（换一个端口：--port 8001）"
        ) from None
    sock.listen(64)
    port = sock.getsockname()[1]
    full = site_opts or replace(opts, out=Path("site"), render_print=True, lock_dir=None)
    scheme = "https" if tls[0] else "http"
    app = create_app(
        replace(full, state=state),
        Path(opts.out),
        port,
        preview_routes(preview),
        state=state,
        public=not is_loopback(host),
        scheme=scheme,
    )
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        proxy_headers=behind_proxy,
        forwarded_allow_ips="127.0.0.1",
        ssl_certfile=str(tls[0]) if tls[0] else None,
        ssl_keyfile=str(tls[1]) if tls[1] else None,
    )
    server = uvicorn.Server(config)
    print(
        f"预览地址：{scheme}://{host}:{port}/ （改动内容后页面会自动刷新；按 Ctrl+C 结束）",
        flush=True,
    )
    if UserStore(state).exists():
        print("已有账号：打开工作台后请登录。", flush=True)
    print(f"工作台：{scheme}://{host}:{port}/__pufa/", flush=True)
    threading.Thread(target=preview.watch_forever, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
