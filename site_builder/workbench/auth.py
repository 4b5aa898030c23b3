"""Who is asking: sessions, login, logout, password change, and the roles' limits.

With no account in the state folder the 工作台 is a single-user tool on 127.0.0.1 (the
person at the keyboard, acting as 管理员). Once an account exists, every page and action
— the preview too — needs a session: pages send a stranger to the login page, API calls
get 401. Cookies are HttpOnly and SameSite=Strict, and Secure (with the ``__Host-``
prefix) when served over HTTPS directly or behind a proxy that says so.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..accounts.sessions import SessionStore
from ..accounts.throttle import Throttle
from ..accounts.users import ADMIN, AccountError, User, UserStore
from .security import ASGIApp, Receive, Scope, Send

LOCAL_NAME = "本机用户"
OPEN_PATHS = ("/__pufa/login", "/__pufa/static/")
COOKIE = "pufa_session"
SECURE_COOKIE = "__Host-pufa_session"


@dataclass
class Actor:
    """The person behind a request."""

    user: User
    csrf: str
    token: str = ""  # the session cookie ("" in single-user mode)
    local: bool = False

    @property
    def name(self) -> str:
        return self.user.name

    def can(self, action: str) -> bool:
        return self.user.can(action)


current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("pufa_actor", default=None)


def actor() -> Actor:
    """The actor of the request being handled (set by :class:`Auth`)."""
    a = current.get()
    if a is None:
        raise RuntimeError("no actor outside a request")
    return a


def cookie_name(scope: Scope) -> str:
    return SECURE_COOKIE if scope.get("scheme") == "https" else COOKIE


def session_cookie(scope: Scope, token: str, max_age: int | None = None) -> str:
    """The Set-Cookie value of a session (empty token and max_age 0 to clear it)."""
    secure = scope.get("scheme") == "https"
    parts = [f"{cookie_name(scope)}={token}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if secure:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def _cookies(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in scope.get("headers", []):
        if k.lower() == b"cookie":
            for part in v.decode("latin-1").split(";"):
                name, _, value = part.strip().partition("=")
                out.setdefault(name, value)
    return out


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""


class Auth:
    """ASGI middleware in front of the 工作台 and the preview."""

    def __init__(self, app: ASGIApp, state: Path, local_csrf: str) -> None:
        self.app = app
        self.users = UserStore(state)
        self.sessions = SessionStore(state, self.users)
        self.throttle = Throttle()
        self.local_csrf = local_csrf

    def accounts(self) -> bool:
        return self.users.exists()

    def token_of(self, scope: Scope) -> str | None:
        return _cookies(scope).get(cookie_name(scope))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if not self.accounts():
            local = User(LOCAL_NAME, ADMIN, "", "", 0.0)
            reset = current.set(Actor(local, self.local_csrf, local=True))
        else:
            found = await asyncio.to_thread(self.sessions.get, self.token_of(scope))
            if found is None and not path.startswith(OPEN_PATHS):
                await _deny(scope, send)
                return
            act = Actor(found[1], found[0].csrf, self.token_of(scope) or "") if found else None
            reset = current.set(act)
        try:
            await self.app(scope, receive, send)
        finally:
            current.reset(reset)


async def _deny(scope: Scope, send: Send) -> None:
    path = scope["path"]
    if path.startswith("/__pufa/api/") or path == "/__pufa/status" or scope["method"] != "GET":
        body = json.dumps(
            {"status": "login", "message": "请先登录（登录已过期或还没有登录）"}, ensure_ascii=False
        ).encode()
        status, kind, extra = 401, b"application/json; charset=utf-8", []
    else:
        target = path + (
            "?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else ""
        )
        body = "请先登录".encode()
        status, kind = 303, b"text/plain; charset=utf-8"
        extra = [(b"location", ("/__pufa/login?next=" + quote(target, safe="")).encode())]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def safe_next(target: str) -> str:
    """Where to go after login: a path of this server only."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/__pufa/"


__all__ = [
    "AccountError",
    "Actor",
    "Auth",
    "actor",
    "client_address",
    "safe_next",
    "session_cookie",
]
