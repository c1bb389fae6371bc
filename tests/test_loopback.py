"""``LoopbackServer``: serves an app on a free loopback port, or says it could not."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tthc_adapters.loopback import LoopbackServer, ServerDidNotStart


async def _hello(_: object) -> PlainTextResponse:
    return PlainTextResponse("xin chào")


def test_it_serves_the_app_until_the_block_ends() -> None:
    app = Starlette(routes=[Route("/", _hello)])
    with LoopbackServer(app) as server:
        assert server.url == f"http://127.0.0.1:{server.port}"
        url = server.url
        assert httpx.get(url).text == "xin chào"
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=1)


def test_a_server_that_cannot_start_fails_loudly() -> None:
    async def broken(scope: dict[str, object], receive: object, send: object) -> None:
        raise RuntimeError("the app refuses to start")

    with pytest.raises(ServerDidNotStart), LoopbackServer(broken, lifespan="on", start_seconds=5):
        pass  # pragma: no cover - never entered
