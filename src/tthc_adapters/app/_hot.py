"""The two hot routes, reached without Starlette's routing and middleware.

The status page (the receipt QR opens it) and the chat webhook (every chat
message) carry nearly all of the service's traffic. Through Starlette each
request walks the router (every route's pattern tried in turn, the catch-all
status route last), then the error and exception middleware, before the
endpoint runs: per request, about as much work as the whole bare endpoint
the service benchmark compares against. :class:`HotRoutes` sits inside the
app's guards (:class:`._guards.SecurityHeaders` and :class:`._guards.RefuseNul`
still see every request and answer) and calls the same endpoint functions the
routes call, with the app's own error handlers — so the answers are those of
the routed path, byte for byte; everything else goes on to Starlette.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["HotRoutes"]

logger = logging.getLogger("tthc.app")

Endpoint = Callable[[Request], Awaitable[Response]]
ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]


class HotRoutes:
    """Answers ``GET`` status pages and ``POST`` chat events directly; passes the rest on.

    Args:
        app: Starlette's middleware stack (everything else).
        status: The status-page endpoint (the catch-all ``GET`` route's).
        is_status: Whether a ``GET`` path is one the catch-all route serves
            (no other route of the app matches it).
        posts: Endpoints of ``POST`` paths (exact paths).
        http_error: The app's handler of :class:`HTTPException`.
        server_error: The app's handler of any other exception (the 500 page).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        status: Endpoint,
        is_status: Callable[[str], bool],
        posts: dict[str, Endpoint],
        http_error: ErrorHandler,
        server_error: ErrorHandler,
    ) -> None:
        self.app = app
        self._status = status
        self._is_status = is_status
        self._posts = posts
        self._http_error = http_error
        self._server_error = server_error

    def _endpoint(self, scope: Scope) -> Endpoint | None:
        path: str = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        method = scope["method"]
        if method == "GET":
            return self._status if self._is_status(path) else None
        if method == "POST":
            return self._posts.get(path)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a hot route, or pass the request on."""
        endpoint = self._endpoint(scope) if scope["type"] == "http" else None
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        try:
            response = await endpoint(request)
        except HTTPException as exc:
            response = await self._http_error(request, exc)
        except Exception as exc:  # the routed path's 500 page; the error is logged
            response = await self._server_error(request, exc)
        await response(scope, receive, send)
