"""The fake portal over HTTP: an ASGI app, an in-process httpx transport, a loopback server.

:func:`asgi_app` wraps :meth:`FakeNationalPortal.handle` (a call the fake
answers with :data:`HANG` sleeps ``hang_seconds``, so the client times out);
:func:`mock_transport` calls the same handler in-process (a hang raises
``httpx.ReadTimeout``), for fast property tests; :class:`LoopbackPortal` runs
the ASGI app under uvicorn on 127.0.0.1 in a thread.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.portal._fake import HANG, FakeNationalPortal

__all__ = ["LoopbackPortal", "asgi_app", "mock_transport"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def asgi_app(
    fake: FakeNationalPortal, *, hang_seconds: float = 1.0
) -> Callable[..., Awaitable[None]]:
    """The fake as an ASGI 3 application (every request is a POST)."""
    lock = threading.Lock()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        with lock:
            status, body = fake.handle(scope["path"], headers, raw)
        if status == HANG:
            await asyncio.sleep(hang_seconds)
            status = 504
        payload = json.dumps(body, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    return app


def mock_transport(fake: FakeNationalPortal) -> httpx.MockTransport:
    """An httpx transport answering from ``fake`` in-process."""

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        status, body = fake.handle(request.url.path, headers, request.content)
        if status == HANG:
            raise httpx.ReadTimeout("fake portal hangs", request=request)
        return httpx.Response(status, json=body)

    return httpx.MockTransport(handler)


class LoopbackPortal(LoopbackServer):
    """The fake served by uvicorn on ``127.0.0.1`` (a context manager; ``url`` once started)."""

    def __init__(self, fake: FakeNationalPortal, *, hang_seconds: float = 1.0) -> None:
        super().__init__(asgi_app(fake, hang_seconds=hang_seconds), lifespan="off")
