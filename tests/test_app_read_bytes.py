"""``read_bytes``: the one size-checked reader of raw bodies (JSON, forms)."""

from __future__ import annotations

import asyncio

import pytest
from starlette.requests import Request

from tthc_adapters.app._http import BodyTooLarge, read_bytes


def _request(body: bytes, length: bytes | None) -> Request:
    headers = [] if length is None else [(b"content-length", length)]
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    return Request(scope, receive)


@pytest.mark.parametrize("length", [None, b"5", "²".encode("latin-1"), b"\xb9\xb2", b"-1", b"abc"])
def test_any_declared_length_is_read_by_the_bytes_counted(length: bytes | None) -> None:
    """A length that is not ASCII digits (latin-1 '²' passes str.isdigit) is not trusted."""
    assert asyncio.run(read_bytes(_request(b"hello", length), limit=5)) == b"hello"


def test_the_limit_on_both_sides() -> None:
    assert asyncio.run(read_bytes(_request(b"x" * 5, b"5"), limit=5)) == b"xxxxx"
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_bytes(_request(b"x" * 6, None), limit=5))
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_bytes(_request(b"", b"6"), limit=5))
