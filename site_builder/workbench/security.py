"""Safe by default: loopback only, Host header checked, CSRF token, size limits, CSP."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 2_000_000  # forms, Markdown, pasted HTML
MAX_UPLOAD = 12_000_000  # photos (cleaned to far less)
CSRF_HEADER = "x-pufa-csrf"
CSRF_FIELD = "csrf"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

NOT_LOOPBACK = (
    "工作台现在只能在本机使用（地址 127.0.0.1）：还没有账号和密码，"
    "开放给其他电脑会让任何人都能修改内容。请先添加账号（pufa users add 姓名 --role 管理员），"
    "再用 --tls-cert/--tls-key 或 --behind-proxy 开放给其他电脑。"
)
NEEDS_TLS = (
    "开放给其他电脑时，密码和登录凭据不能明文传输：请用 --tls-cert 证书.pem --tls-key 私钥.pem "
    "直接提供 HTTPS，或放在 nginx 等反向代理后面并加上 --behind-proxy（见 deploy/README.md）。"
)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1, localhost and other loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A fresh CSRF token (one per server run)."""
    return secrets.token_urlsafe(32)


def token_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: refuse a foreign Host (DNS rebinding) or Origin, and bodies over
    the limit; mark every response no-sniff and not frameable by other sites."""

    def __init__(
        self, app: ASGIApp, port: int, hosts: tuple[str, ...] = (), public: bool = False
    ) -> None:
        self.app = app
        self.port = port
        self.public = public  # any Host (accounts guard it); Origin must be that host
        names = {"127.0.0.1", "localhost", "[::1]", *hosts}
        self.hosts = names | {f"{h}:{port}" for h in names}
        self.origins = {f"{s}://{h}" for h in self.hosts for s in ("http", "https")}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if not self.public and host not in self.hosts:
            await _plain(
                send, 421, "拒绝访问：请用 http://127.0.0.1 打开工作台（网址里的主机名不对）"
            )
            return
        origin = headers.get("origin")
        allowed = {f"{scope.get('scheme', 'http')}://{host}"} if self.public else self.origins
        if scope["method"] not in SAFE_METHODS and origin and origin not in allowed:
            await _plain(send, 403, "拒绝访问：这个请求来自别的网站")
            return
        limit = MAX_UPLOAD if scope["path"].endswith("/api/photo") else MAX_BODY
        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            await _plain(send, 413, f"提交的内容太大（上限 {limit // 1_000_000} MB）")
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise ValueError("提交的内容太大")
            return message

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),  # forms send their Origin
                ]
                names = {k.lower() for k, _ in message.get("headers", [])}
                if b"x-frame-options" not in names and b"content-security-policy" not in names:
                    extra.append((b"x-frame-options", b"SAMEORIGIN"))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, limited, secured)
