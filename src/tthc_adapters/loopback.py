"""An ASGI app served by uvicorn on a free ``127.0.0.1`` port in a daemon thread.

For the fake partner servers (Zalo, the national portal) and tests that talk to
an app over real HTTP. One place waits for the start and fails loudly when the
server does not come up, instead of each caller polling ``server.started``.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any

__all__ = ["LoopbackServer", "ServerDidNotStart"]


class ServerDidNotStart(RuntimeError):  # noqa: N818 - reads best at call sites
    """uvicorn did not start within the time allowed (or its thread died)."""


class LoopbackServer:
    """Serves ``app`` on ``127.0.0.1`` (a context manager); :attr:`port`, :attr:`url` once started.

    Args:
        app: The ASGI application.
        start_seconds: How long to wait for the server to start.
        **config: More ``uvicorn.Config`` options (``log_level`` defaults to ``critical``).
    """

    def __init__(self, app: Any, *, start_seconds: float = 20.0, **config: Any) -> None:
        import uvicorn

        config.setdefault("log_level", "critical")
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, **config))
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._start_seconds = start_seconds

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        deadline = time.monotonic() + self._start_seconds
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                self._server.should_exit = True
                raise ServerDidNotStart(f"uvicorn did not start in {self._start_seconds} s")
            time.sleep(0.01)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.should_exit = True
        self._thread.join(10)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        port: int = self._server.servers[0].sockets[0].getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"
