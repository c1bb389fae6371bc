"""HTTP plumbing of the app: content negotiation, JSON bodies, security headers."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tthc_core.errors import InvalidInput

__all__ = [
    "MAX_BODY_BYTES",
    "BodyTooLarge",
    "SecurityHeaders",
    "json_error",
    "read_json",
    "wants_json",
]

#: The largest webhook body read (a chat message or a postal report is far smaller).
MAX_BODY_BYTES = 64 * 1024

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


class SecurityHeaders:
    """ASGI middleware adding :data:`_HEADERS` to every HTTP response.

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

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _quality(accept: str, media_type: str) -> float | None:
    """The q-value ``accept`` names ``media_type`` with exactly, or ``None``."""
    for item in accept.split(","):
        name, *params = (p.strip() for p in item.split(";"))
        if name.lower() != media_type:
            continue
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    return max(0.0, min(1.0, float(value)))
                except ValueError:
                    return 0.0
        return 1.0
    return None


def wants_json(request: Request) -> bool:
    """Whether the client asked for JSON by name, rather than HTML (RFC 9110 §12.5.1).

    Wildcards count for HTML only: a browser's ``*/*`` gets the page, and
    ``Accept: application/json`` gets JSON.
    """
    accept = request.headers.get("accept", "")
    as_json = _quality(accept, "application/json")
    if not as_json:
        return False
    as_html = _quality(accept, "text/html")
    return as_html is None or as_json >= as_html


class BodyTooLarge(InvalidInput):
    """A request body above :data:`MAX_BODY_BYTES`."""


async def read_json(request: Request, *, limit: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """The request's body as a JSON object.

    Raises:
        BodyTooLarge: Past ``limit`` bytes (reading stops there).
        InvalidInput: If the body is not UTF-8 JSON holding an object.
    """
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    try:
        body = json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"the body is not UTF-8 JSON: {exc}") from None
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    return body


def json_error(status: int, error: str, reason: str, **extra: Any) -> JSONResponse:
    """``{"error": ..., "reason": ...}`` with ``status``.

    Args:
        status: The HTTP status.
        error: A stable machine-readable code.
        reason: A sentence a person can act on.
        extra: More fields.
    """
    return JSONResponse({"error": error, "reason": reason, **extra}, status_code=status)
