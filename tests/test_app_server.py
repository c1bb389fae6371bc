"""The served app over real loopback sockets: no banner, security headers on every answer.

Issue 9: ``server: uvicorn`` was on every response, and the errors uvicorn
answers itself (a malformed request, headers too large) carried none of the
security headers. uvicorn runs here in a thread with :func:`uvicorn_options`,
exactly as ``tthc serve`` configures it, and raw requests go over a socket.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from tests._app import NOW, POSTAL_SECRET, UNTHROTTLED

from tthc_adapters.app import create_app, uvicorn_options
from tthc_adapters.app._guards import SECURITY_HEADERS
from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.storage import MemoryStore
from tthc_core.desk import Desk
from tthc_core.storage import Store

_CRASH = "000.43.31.H15-261123-0009"


class _CrashingStore(MemoryStore):
    """A store whose unit of work fails: the app's own 500 page."""

    def unit_of_work(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("the disk is on fire")

    def read_only(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("the disk is on fire")


@pytest.fixture(scope="module")
def port(desk: Desk) -> Iterator[int]:
    store: Store = MemoryStore(clock=lambda: NOW)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    app = create_app(
        store, desk, postal_secret=POSTAL_SECRET, clock=lambda: NOW, throttle=UNTHROTTLED
    )
    with LoopbackServer(app, **uvicorn_options()) as server:
        yield server.port


def _raw(port: int, request: bytes) -> tuple[int, dict[str, list[str]]]:
    """Send ``request`` as is; the status and the headers (lower-case names) of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:  # in pieces, as a slow client sends: h11 limits an incomplete head
            for start in range(0, len(request), 8192):
                sock.sendall(request[start : start + 8192])
                time.sleep(0.001)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the end
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except ConnectionResetError:
            pass
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(head[0].split()[1]), headers


def _get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        pytest.param(_get("/healthz"), 200, id="app 200"),
        pytest.param(_get("/no/such/page"), 404, id="app 404"),
        pytest.param(_get(f"/{_CRASH}/1.K1.AAAAAAAAAAAAAAAA"), 200, id="status page"),
        pytest.param(b"GARBAGE\r\n\r\n", 400, id="malformed request line"),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400, id="malformed header"
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n",
            400,
            id="headers too large",
        ),
        pytest.param(
            b"POST /webhooks/chat HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
            400,
            id="broken chunked body",
        ),
    ],
)
def test_every_answer_has_the_security_headers_and_no_banner(
    port: int, request_bytes: bytes, status: int
) -> None:
    got, headers = _raw(port, request_bytes)
    assert got == status
    assert "server" not in headers
    for name, value in SECURITY_HEADERS:
        assert headers.get(name.decode()) == [value.decode()], name


def test_the_apps_own_500_has_the_security_headers(desk: Desk) -> None:
    from starlette.testclient import TestClient

    app = create_app(
        _CrashingStore(clock=lambda: NOW),
        desk,
        postal_secret=POSTAL_SECRET,
        clock=lambda: NOW,
        throttle=UNTHROTTLED,
    )
    response = TestClient(app, raise_server_exceptions=False).get(f"/{_CRASH}")
    assert response.status_code == 500
    for name, value in SECURITY_HEADERS:
        assert response.headers[name.decode()] == value.decode()
