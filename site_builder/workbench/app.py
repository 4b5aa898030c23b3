"""The ASGI application of `pufa serve`: the live preview at ``/`` and the 工作台 at
``/__pufa/``, behind the :class:`~.security.Guard`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..build import BuildOptions
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
) -> Any:
    """The whole application, wrapped in the Host/Origin/size guard."""
    wb = Workbench(
        Store(build_opts.content, state or state_dir(build_opts.content)),
        build_opts,
        preview_site,
        new_token(),
        f"http://127.0.0.1:{port}",
    )
    app = Starlette(routes=[Route("/__pufa/static/{name:str}", static), *routes(), *preview_routes])
    app.state.wb = wb
    guarded = Guard(app, port)
    guarded.state = app.state  # type: ignore[attr-defined]  # tests reach the workbench
    return guarded
