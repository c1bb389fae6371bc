"""How uvicorn serves the app: no banner, and the security headers on its own answers too.

uvicorn answers some requests itself, before the application sees them: a
malformed request line, headers larger than h11's limit (16 KiB by default),
a broken chunked body — ``400 Bad Request``. Its h11 protocol writes those
without the server's default headers, so :class:`SecureH11Protocol` adds
:data:`~tthc_adapters.app._guards.SECURITY_HEADERS` there; the application's
own responses get them from :class:`~tthc_adapters.app._guards.SecurityHeaders`
(the 500 page included). h11 is kept (not httptools) because httptools sets
no limit on header size. The ``server: uvicorn`` banner is switched off; the
``date`` header stays (RFC 9110 §6.6.1: an origin server with a clock sends it).
"""

from __future__ import annotations

from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from tthc_adapters.app._guards import SECURITY_HEADERS

__all__ = ["SecureH11Protocol", "uvicorn_options"]


class SecureH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, whose own ``400`` answers carry the security headers."""

    def send_400_response(self, msg: str) -> None:
        """Answer a request uvicorn could not parse, then close the connection."""
        headers = [
            *SECURITY_HEADERS,
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"connection", b"close"),
        ]
        events = (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=msg.encode("ascii")),
            h11.EndOfMessage(),
        )
        for event in events:
            self.transport.write(self.conn.send(event))
        self.transport.close()


def uvicorn_options() -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.Config`` that every tthc server uses."""
    return {"http": SecureH11Protocol, "server_header": False, "date_header": True}
