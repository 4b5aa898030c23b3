"""The ASGI application of `pufa serve`: the live preview at ``/`` and the 工作台 at
``/__pufa/``, behind the :class:`~.security.Guard` and (once accounts exist) the
:class:`~.auth.Auth` login check."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..accounts.statedir import ensure_state
from ..build import BuildOptions
from .account_routes import account_routes
from .auth import Auth
from .review_routes import review_routes
from .routes import Workbench, routes
from .security import Guard, new_token
from .store import Store

STATIC = {"workbench.js": "text/javascript", "workbench.css": "text/css"}


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        return Response("找不到", 404)
    data = resources.files("site_builder.workbench").joinpath("static").joinpath(name).read_bytes()
    return Response(data, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})


def state_dir(content: Path) -> Path:
    """The 工作台's state folder: beside the content folder, never inside it or the
    build's work folder (so `make clean` keeps waiting edits)."""
    return content.resolve().parent / ".pufa-state"


def create_app(
    build_opts: BuildOptions,
    preview_site: Path,
    port: int,
    preview_routes: list[Route],
    state: Path | None = None,
    public: bool = False,
    scheme: str = "http",
) -> Any:
    """The whole application, wrapped in the login check and the Host/Origin/size guard.

    ``public``: served on a non-loopback address (accounts required): any Host name is
    accepted, but a change must come from a page of that same host.
    """
    state = ensure_state(state or state_dir(build_opts.content))
    if build_opts.state is None:
        build_opts.state = state
    csrf = new_token()
    wb = Workbench(
        Store(build_opts.content, state),
        build_opts,
        preview_site,
        csrf,
        f"{scheme}://127.0.0.1:{port}",
    )
    app = Starlette(
        routes=[
            Route("/__pufa/static/{name:str}", static),
            *account_routes(),
            *review_routes(),
            *routes(),
            *preview_routes,
        ]
    )
    auth = Auth(app, state, csrf)
    app.state.wb = wb
    app.state.auth = auth
    guarded = Guard(auth, port, public=public)
    guarded.state = app.state  # type: ignore[attr-defined]  # tests reach the workbench
    return guarded
