"""Login, logout and password change pages of the 工作台."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..accounts.users import AccountError
from .auth import Auth, actor, client_address, current, safe_next, session_cookie
from .security import token_ok


def _auth(request: Request) -> Auth:
    auth: Auth = request.app.state.auth
    return auth


async def login_page(request: Request) -> Response:
    wb = request.app.state.wb
    auth = _auth(request)
    if not auth.accounts():
        return RedirectResponse("/__pufa/", 303)
    nxt = safe_next(str(request.query_params.get("next", "/__pufa/")))
    return wb.page("login.html.j2", title="登录", next=nxt, error="", name="")


async def login(request: Request) -> Response:
    wb = request.app.state.wb
    auth = _auth(request)
    form = await request.form(max_files=0, max_fields=10)
    name = str(form.get("name") or "").strip()[:64]
    password = str(form.get("password") or "")[:1024]
    nxt = safe_next(str(form.get("next") or "/__pufa/"))
    address = client_address(request.scope)

    def again(error: str, status: int) -> Response:
        return wb.page("login.html.j2", status, title="登录", next=nxt, error=error, name=name)

    left = auth.throttle.wait_left(name, address)
    if left > 0:
        return again(f"登录失败的次数太多，请 {int(left) + 1} 秒后再试。", 429)
    user = await asyncio.to_thread(auth.users.verify, name, password)
    if user is None:
        auth.throttle.failed(name, address)
        return again("账号或密码不对。", 401)
    auth.throttle.succeeded(name, address)
    token, _ = auth.sessions.create(user, address)
    response = RedirectResponse(nxt, 303)
    response.headers.append("set-cookie", session_cookie(request.scope, token))
    return response


async def logout(request: Request) -> Response:
    auth = _auth(request)
    form = await request.form(max_files=0, max_fields=10)
    a = current.get()
    if a is None or not token_ok(a.csrf, str(form.get("csrf") or "")):
        return Response("这个请求没有有效的安全令牌", 403)
    auth.sessions.end(a.token)
    response = RedirectResponse("/__pufa/login", 303)
    response.headers.append("set-cookie", session_cookie(request.scope, "", max_age=0))
    return response


async def password_page(request: Request) -> Response:
    wb = request.app.state.wb
    return wb.page("password.html.j2", title="修改密码", error="", done=False, local=actor().local)


async def password(request: Request) -> Response:
    wb = request.app.state.wb
    auth = _auth(request)
    a = actor()
    form = await request.form(max_files=0, max_fields=10)
    ctx: dict[str, Any] = {"title": "修改密码", "done": False, "local": a.local}
    if a.local or not token_ok(a.csrf, str(form.get("csrf") or "")):
        return wb.page("password.html.j2", 403, error="这个请求没有有效的安全令牌", **ctx)
    old, new, again = (str(form.get(k) or "") for k in ("old", "new", "again"))
    address = client_address(request.scope)
    if auth.throttle.wait_left(a.name, address) > 0:
        return wb.page("password.html.j2", 429, error="失败的次数太多，请稍后再试。", **ctx)
    if await asyncio.to_thread(auth.users.verify, a.name, old) is None:
        auth.throttle.failed(a.name, address)
        return wb.page("password.html.j2", 400, error="原来的密码不对。", **ctx)
    if new != again:
        return wb.page("password.html.j2", 400, error="两次输入的新密码不一样。", **ctx)
    try:
        await asyncio.to_thread(auth.users.set_password, a.name, new)
    except AccountError as exc:
        return wb.page("password.html.j2", 400, error=str(exc), **ctx)
    auth.sessions.end_user(a.name, keep=a.token)
    auth.sessions.renew(a.token)
    ctx["done"] = True
    return wb.page("password.html.j2", error="", **ctx)


def account_routes() -> list[Route]:
    return [
        Route("/__pufa/login", login_page, methods=["GET"]),
        Route("/__pufa/login", login, methods=["POST"]),
        Route("/__pufa/logout", logout, methods=["POST"]),
        Route("/__pufa/password", password_page, methods=["GET"]),
        Route("/__pufa/password", password, methods=["POST"]),
    ]
