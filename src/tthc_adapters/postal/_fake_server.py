"""A fake partner server: the wire protocol on 127.0.0.1, with switches for failures.

It serves the endpoints of :mod:`tthc_adapters.postal._wire` from a
:class:`~tthc_adapters.postal._fake_office.FakePostOffice` on an ephemeral
port (stdlib ``http.server`` in a daemon thread), for tests and the demo.

Failure switches (:class:`Faults`), each counted down per request:

* ``fail_next``: answer 503 without doing anything;
* ``fail_after_commit``: do the work, then answer 500 (the client cannot know
  it succeeded);
* ``stall_next``: do the work, then wait ``stall_seconds`` before answering
  (the client times out first);
* on the office: ``duplicate_callbacks`` (every callback sent twice),
  ``hold_callbacks`` + ``release_held_callbacks()`` (callbacks out of order),
  ``dedupe_creates=False`` (a repeated order code books a second parcel);
* :meth:`FakePostalServer.expire_tokens` (every issued token answers 401).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

from tthc_adapters.postal import _wire
from tthc_adapters.postal._fake_office import FakePostOffice

__all__ = ["FakePostalServer", "Faults"]


@attrs.define
class Faults:
    """Failure switches; each ``*_next`` counter is spent one request at a time."""

    fail_next: int = 0
    fail_after_commit: int = 0
    stall_next: int = 0
    stall_seconds: float = 0.5

    def take(self, name: str) -> bool:
        """Spend one unit of counter ``name``; True if there was one."""
        left: int = getattr(self, name)
        if left <= 0:
            return False
        setattr(self, name, left - 1)
        return True


class FakePostalServer:
    """The fake partner API on ``127.0.0.1`` (use as a context manager).

    Args:
        office: The operator state (a fresh one by default).
        username: Accepted user name.
        password: Accepted password.
        customer_code: Accepted customer code.
    """

    def __init__(
        self,
        office: FakePostOffice | None = None,
        *,
        username: str = "tthc",
        password: str = "secret",  # noqa: S107 - a fake's fixed credential
        customer_code: str = "C0001",
    ) -> None:
        self.office = office or FakePostOffice()
        self.faults = Faults()
        self.credentials = {
            "username": username,
            "password": password,
            "customerCode": customer_code,
        }
        self.requests: list[tuple[str, str]] = []
        self._tokens: set[str] = set()
        self._issued = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakePostalServer:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakePostalServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def expire_tokens(self) -> None:
        """Invalidate every issued access token (the next call gets 401)."""
        with self._lock:
            self._tokens.clear()

    # -- request handling (called from handler threads) ----------------------------

    def _issue_token(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if any(body.get(k) != v for k, v in self.credentials.items()):
            return HTTPStatus.UNAUTHORIZED, {"success": False, "message": "sai thông tin đăng nhập"}
        with self._lock:
            self._issued += 1
            token = f"tok-{self._issued}"
            self._tokens.add(token)
        return HTTPStatus.OK, {"success": True, "token": token}

    def _authorised(self, token: str | None) -> bool:
        with self._lock:
            return token in self._tokens

    def answer(
        self, method: str, url: str, token: str | None, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Answer one request, applying the failure switches."""
        path = urlsplit(url).path
        self.requests.append((method, path))
        if self.faults.take("fail_next"):
            return HTTPStatus.SERVICE_UNAVAILABLE, {"success": False, "message": "bảo trì"}
        if path == _wire.TOKEN and method == "POST":
            status, answer = self._issue_token(body)
        elif not self._authorised(token):
            return HTTPStatus.UNAUTHORIZED, {"success": False, "message": "token hết hạn"}
        else:
            status, answer = self._route(method, url, body)
        if self.faults.take("fail_after_commit"):
            return HTTPStatus.INTERNAL_SERVER_ERROR, {"success": False, "message": "lỗi hệ thống"}
        if self.faults.take("stall_next"):
            time.sleep(self.faults.stall_seconds)
        return status, answer

    def _route(self, method: str, url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = urlsplit(url)
        route = _ROUTES.get((method, parts.path))
        if route is None:
            return HTTPStatus.NOT_FOUND, {"success": False, "message": f"no route {parts.path}"}
        return route(self.office, parts.query, body)


_NOT_FOUND = {"success": False, "message": "không có đơn hàng"}
_Route = Callable[[FakePostOffice, str, dict[str, Any]], tuple[int, dict[str, Any]]]


def _quote(office: FakePostOffice, _: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return HTTPStatus.OK, {"success": True, "data": [office.quote(body)]}


def _create(office: FakePostOffice, _: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return HTTPStatus.OK, {"success": True, "data": office.create(body)}


def _get(office: FakePostOffice, query: str, _: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    booking = office.find(parse_qs(query).get("saleOrderCode", [""])[0])
    if booking is None:
        return HTTPStatus.NOT_FOUND, _NOT_FOUND
    return HTTPStatus.OK, {"success": True, "data": booking.as_wire()}


def _cancel(office: FakePostOffice, _: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    done = office.cancel(str(body.get("saleOrderCode", "")))
    if done is None:
        return HTTPStatus.NOT_FOUND, _NOT_FOUND
    if not done:
        return HTTPStatus.CONFLICT, {"success": False, "message": "đơn hàng đã được lấy"}
    return HTTPStatus.OK, {"success": True}


_ROUTES: dict[tuple[str, str], _Route] = {
    ("POST", _wire.QUOTE): _quote,
    ("POST", _wire.CREATE): _create,
    ("GET", _wire.GET_ORDER): _get,
    ("POST", _wire.CANCEL): _cancel,
}


def _handler_for(server: FakePostalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else {}
            status, answer = server.answer(
                method, self.path, self.headers.get(_wire.TOKEN_HEADER), body
            )
            data = json.dumps(answer, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
