"""ASGI guards around the whole app: security headers on every answer, URLs with NUL refused."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SECURITY_HEADERS", "RefuseNul", "SecurityHeaders"]

#: Sent with every response. The status URL may carry a receipt tag (a
#: capability), so no referrer leaves the page and nothing is cached or indexed.
_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-robots-tag": "noindex, nofollow",
    "cache-control": "no-store",
}


#: :data:`_HEADERS` as ``(name, value)`` byte pairs, for a server's own answers.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = tuple(
    (name.encode("ascii"), value.encode("ascii")) for name, value in _HEADERS.items()
)

_CRASHED = b"Internal Server Error"


class SecurityHeaders:
    """ASGI middleware adding :data:`_HEADERS` to every HTTP response.

    It wraps the whole application (outside Starlette's error middleware, so
    the 500 page has them too); if the application fails before it starts a
    response, this answers the ``500`` itself, with the headers, and lets the
    error propagate to the server's log.

    Args:
        app: The wrapped application.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                raw = list(message.get("headers", ()))
                present = {name.lower() for name, _ in raw}
                raw.extend(pair for pair in SECURITY_HEADERS if pair[0] not in present)
                message["headers"] = raw
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                await send_with_headers(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": _CRASHED})
            raise


class RefuseNul:
    """ASGI middleware answering ``400`` to a URL that holds a NUL character (``%00``).

    No path or query parameter of this service may hold one, and PostgreSQL's
    text type cannot store one (the look-up would fail as a server error).

    Args:
        app: The wrapped application.
        refusal: Builds the ``400`` from the path and the reason (default:
            ``{"error": "invalid_input", "reason": ...}``; Open311 answers its
            own error form).
    """

    def __init__(
        self, app: ASGIApp, *, refusal: Callable[[str, str], Response] | None = None
    ) -> None:
        self.app = app
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse the request, or pass it on."""
        if scope["type"] == "http":
            query = scope.get("query_string", b"").lower()
            if "\x00" in scope["path"] or b"%00" in query or b"\x00" in query:
                reason = "the URL holds a NUL character (%00)"
                response = (
                    self.refusal(scope["path"], reason)
                    if self.refusal is not None
                    else JSONResponse({"error": "invalid_input", "reason": reason}, 400)
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
