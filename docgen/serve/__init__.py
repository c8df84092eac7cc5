"""`docgen serve`: the workspace (workspace.py) as web pages, for staff who never open a data file.

A thin adapter: every page and action calls a workspace function (routes.py). Server-rendered pages
(docgen/web/*.html, Jinja with autoescape) and one small script (docgen/web/static/editor.js); nothing is
fetched from elsewhere, so the pages work on an offline intranet.

Security: one process, one workspace folder. Every name is confined to the folder (workspace.Workspace.path).
Every change is a POST carrying the session's CSRF token, whose cookie is SameSite=Strict and HttpOnly, from
a page of this server (Origin: scheme, host and port); requests must name this server in their Host header
(no DNS rebinding). With a password (required to serve other machines), every page but the login needs a
session from it; sessions expire, wrong passwords are throttled (guard.py). Bodies have a size limit per
route and a shape (payload.py); slow work runs in bounded pools beside the event loop (pool.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from docgen.messages import message
from docgen.serve import routes
from docgen.serve.guard import is_loopback
from docgen.serve.routes import Context, ServeLimits
from docgen.workspace import Workspace

__all__ = ["ServeLimits", "create_app", "is_loopback", "run"]

WEB = Path(__file__).parent.parent / "web"


def create_app(
    folder: Path | str, host: str = "127.0.0.1", password: str | None = None, limits: ServeLimits | None = None
) -> Starlette:
    """The web app serving `folder`. Raises ValueError (message "serve-needs-password") when `host` is not a
    loopback address and there is no password."""
    if not is_loopback(host) and not password:
        raise ValueError(message("serve-needs-password", host=host))
    app = Starlette(
        routes=[
            Route("/", routes.index),
            Route("/login", routes.login, methods=["GET", "POST"]),
            Route("/logout", routes.logout, methods=["POST"]),
            Route("/new", routes.new_report, methods=["POST"]),
            Route("/r/{name}", routes.editor),
            Route("/r/{name}/check", routes.check_edit, methods=["POST"]),
            Route("/r/{name}/save", routes.save, methods=["POST"]),
            Route("/r/{name}/download/{kind}", routes.download),
            Mount("/static", StaticFiles(directory=WEB / "static"), name="static"),
        ],
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=_allowed_hosts(host)),
            Middleware(_SecurityHeaders),
        ],
        exception_handlers=routes.EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    )
    app.state.docgen = Context(Workspace(folder), password or None, _pages(), limits or ServeLimits())
    return app


def _allowed_hosts(host: str) -> list[str]:
    return sorted({"127.0.0.1", "localhost", host} if is_loopback(host) else {"*"})


class _SecurityHeaders:
    """Headers every response carries: no script or style from elsewhere, no framing, no sniffing; and
    nothing behind a session kept in a cache (pages and downloads hold other bodies' reports)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _HEADERS if str(scope.get("path", "")).startswith("/static/") else _PRIVATE_HEADERS

        async def with_headers(event: Any) -> None:
            if event["type"] == "http.response.start":
                headers = list(event.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in extra.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                event = {**event, "headers": headers}
            await send(event)

        await self.app(scope, receive, with_headers)


_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer would make the browser send "Origin: null" with our own forms
    "x-frame-options": "DENY",
}
_PRIVATE_HEADERS = {**_HEADERS, "cache-control": "no-store"}


def _pages() -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        loader=FileSystemLoader(WEB), autoescape=select_autoescape(["html"]), undefined=StrictUndefined
    )


def run(folder: Path, host: str, port: int, password: str | None) -> None:
    app = create_app(folder, host, password)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        timeout_keep_alive=5,  # an idle connection is closed after 5 s
        limit_concurrency=200,  # connections and tasks beyond are answered 503 at once
        h11_max_incomplete_event_size=64 * 1024,  # request line and headers
        timeout_graceful_shutdown=10,
    )
