"""The partner-API adapter turns throttling and garbled answers into typed errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import stamina

from tthc_adapters.postal import PartnerConfig, PartnerPostalService
from tthc_core.delivery import PostalRejected, PostalUnavailable, ShipmentNotFound


@pytest.fixture(autouse=True)
def _fast_retries() -> Iterator[None]:
    with stamina.set_testing(True, attempts=3):
        yield


def _service(handler: httpx.MockTransport) -> PartnerPostalService:
    config = PartnerConfig("http://operator.test", "tthc", "secret", "C0001", attempts=3)
    return PartnerPostalService(config, transport=handler)


def test_a_throttled_token_request_is_retried() -> None:
    calls = {"token": 0}

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("GetAccessToken"):
            calls["token"] += 1
            if calls["token"] == 1:
                return httpx.Response(429, json={"message": "slow down"})
            return httpx.Response(200, json={"success": True, "token": "t"})
        return httpx.Response(404, json={"success": False})

    service = _service(httpx.MockTransport(handle))
    with pytest.raises(ShipmentNotFound):
        service.track("000.43.31.H15-261123-0001-BC1")
    assert calls["token"] == 2


def test_a_token_request_that_stays_throttled_is_unavailable_not_a_refusal() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={"message": "slow down"})

    with pytest.raises(PostalUnavailable):
        _service(httpx.MockTransport(handle)).track("X-BC1")


@pytest.mark.parametrize("body", [b"<html>Bad gateway</html>", b"[1, 2]", b""])
def test_an_answer_that_is_not_a_json_object_is_a_typed_refusal(body: bytes) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("GetAccessToken"):
            return httpx.Response(200, json={"success": True, "token": "t"})
        return httpx.Response(400, content=body)

    with pytest.raises(PostalRejected, match="not a JSON object"):
        _service(httpx.MockTransport(handle)).track("X-BC1")
