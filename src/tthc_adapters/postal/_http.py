"""The HTTP adapter for a partner REST API in the shape of VNPost's (httpx + stamina).

* An access token from ``GetAccessToken`` is cached and renewed once on 401.
* Transport errors, timeouts, 429 and 5xx are retried with stamina's
  exponential backoff; everything else fails at once.
* ``create_shipment`` is idempotent on our reference even if the operator does
  not de-duplicate: the reference travels as ``saleOrderCode`` and as an
  ``Idempotency-Key`` header, and before every attempt the adapter looks the
  reference up and returns the booking it finds instead of booking again (one
  extra GET per booking buys safety against operators that do not de-duplicate).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
import httpx
import stamina

from tthc_adapters.postal import _wire
from tthc_core.delivery import (
    BookedShipment,
    PostalOrder,
    PostalRejected,
    PostalUnavailable,
    Quote,
    ShipmentNotFound,
    TrackingUpdate,
)

_T = TypeVar("_T")

__all__ = ["PartnerConfig", "PartnerPostalService"]


@attrs.frozen
class PartnerConfig:
    """Connection settings for the partner API.

    Args:
        base_url: The API root, such as the operator's partner host.
        username: The partner account.
        password: Its password (never logged).
        customer_code: Our customer code at the operator.
        service_code: The operator's service for TTHC results (set per contract).
        timeout_seconds: Per-request timeout.
        attempts: Attempts per call, first included.
        retry_timeout_seconds: Give up retrying after this long.
        wait_initial_seconds: First backoff.
        wait_max_seconds: Longest backoff.
    """

    base_url: str
    username: str
    password: str = attrs.field(repr=False)
    customer_code: str
    service_code: str = "BCCI"
    timeout_seconds: float = 10.0
    attempts: int = 5
    retry_timeout_seconds: float = 45.0
    wait_initial_seconds: float = 0.1
    wait_max_seconds: float = 5.0


class _ServerError(Exception):
    """A retryable answer (429 or 5xx)."""


_RETRY_ON = (httpx.TransportError, _ServerError)


class PartnerPostalService:
    """:class:`tthc_core.delivery.PostalService` over the partner REST API.

    Args:
        config: Connection settings.
        transport: An httpx transport (for tests); the default opens sockets.
    """

    def __init__(self, config: PartnerConfig, *, transport: httpx.BaseTransport | None = None):
        self._config = config
        self._client = httpx.Client(
            base_url=config.base_url, timeout=config.timeout_seconds, transport=transport
        )
        self._token: str | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    # -- port ----------------------------------------------------------------

    def quote(self, order: PostalOrder) -> Quote:
        """Price ``order`` (``ServicesCharge``)."""
        data = self._call("POST", _wire.QUOTE, json=self._payload(order))["data"]
        offer = next((o for o in data if o["serviceCode"] == self._config.service_code), None)
        if offer is None:
            raise PostalRejected(f"the operator does not offer service {self._config.service_code}")
        return Quote(int(offer["totalFee"]), str(offer["serviceCode"]))

    def create_shipment(self, order: PostalOrder) -> BookedShipment:
        """Book ``order`` (``CreateOrder``), at most once per reference."""
        payload = self._payload(order)

        def book() -> BookedShipment:
            # An earlier try, or an earlier call, may have booked it already.
            found = self._lookup(order.reference)
            if found is not None:
                return _booked(found)
            answer = self._send("POST", _wire.CREATE, json=payload, key=order.reference)
            return _booked(_data(answer, order.reference))

        return self._retried("book", order.reference, book)

    def cancel(self, reference: str) -> None:
        """Cancel a booking not yet picked up (``orderCancel``)."""
        self._call("POST", _wire.CANCEL, json={"saleOrderCode": reference}, key=reference)

    def track(self, reference: str) -> Sequence[TrackingUpdate]:
        """Every status report of the booking (``getOrder`` history)."""
        data = self._call("GET", _wire.GET_ORDER, params={"saleOrderCode": reference})["data"]
        return tuple(_wire.update_from_wire(entry) for entry in data["history"])

    # -- plumbing ------------------------------------------------------------

    def _payload(self, order: PostalOrder) -> dict[str, Any]:
        return _wire.order_payload(
            order, customer_code=self._config.customer_code, service_code=self._config.service_code
        )

    def _retrying(self) -> Any:
        c = self._config
        return stamina.retry_context(
            on=_RETRY_ON,
            attempts=c.attempts,
            timeout=c.retry_timeout_seconds,
            wait_initial=c.wait_initial_seconds,
            wait_max=c.wait_max_seconds,
        )

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        key: str | None = None,
    ) -> dict[str, Any]:
        reference = key or (params or {}).get("saleOrderCode", "")
        return self._retried(
            path.rsplit("/", 1)[-1],
            reference,
            lambda: _checked(
                self._send(method, path, json=json, params=params, key=key), reference
            ),
        )

    def _retried(self, what: str, reference: str, work: Callable[[], _T]) -> _T:
        """Run ``work`` under the retry policy; a persistent failure is PostalUnavailable."""
        try:
            for attempt in self._retrying():
                with attempt:
                    return work()
        except _RETRY_ON as exc:
            raise _unavailable(what, reference, exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _lookup(self, reference: str) -> dict[str, Any] | None:
        answer = self._send("GET", _wire.GET_ORDER, params={"saleOrderCode": reference})
        if answer.status_code == httpx.codes.NOT_FOUND:
            return None
        return _data(answer, reference)

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        key: str | None = None,
    ) -> httpx.Response:
        for fresh in (False, True):
            headers = {_wire.TOKEN_HEADER: self._access_token(renew=fresh)}
            if key is not None:
                headers["Idempotency-Key"] = key
            answer = self._client.request(method, path, json=json, params=params, headers=headers)
            if answer.status_code != httpx.codes.UNAUTHORIZED:
                break
        if answer.status_code == httpx.codes.TOO_MANY_REQUESTS or answer.status_code >= 500:
            raise _ServerError(f"{method} {path}: HTTP {answer.status_code}")
        return answer

    def _access_token(self, *, renew: bool) -> str:
        with self._lock:
            if self._token is None or renew:
                c = self._config
                answer = self._client.post(
                    _wire.TOKEN,
                    json={
                        "username": c.username,
                        "password": c.password,
                        "customerCode": c.customer_code,
                    },
                )
                if answer.status_code == httpx.codes.TOO_MANY_REQUESTS or answer.status_code >= 500:
                    raise _ServerError(f"GetAccessToken: HTTP {answer.status_code}")
                body = _json(answer, "GetAccessToken")
                if answer.status_code != httpx.codes.OK or not body.get("success"):
                    raise PostalRejected(f"the operator refused our credentials: {body}")
                self._token = str(body["token"])
            return self._token


def _unavailable(what: str, reference: str, exc: Exception) -> PostalUnavailable:
    return PostalUnavailable(
        f"the postal operator did not answer ({what} {reference}: {exc}); retrying with the "
        "same reference is safe"
    )


def _json(answer: httpx.Response, what: str) -> dict[str, Any]:
    """The JSON object of an answer, or a typed refusal naming what came instead."""
    try:
        body = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise PostalRejected(
            f"the operator answered {what} with HTTP {answer.status_code} and a body that is "
            "not a JSON object"
        )
    return body


def _checked(answer: httpx.Response, reference: str) -> dict[str, Any]:
    if answer.status_code == httpx.codes.NOT_FOUND:
        raise ShipmentNotFound(f"the operator has no shipment {reference}")
    body = _json(answer, reference)
    if answer.status_code != httpx.codes.OK or not body.get("success"):
        raise PostalRejected(
            f"the operator refused the request for {reference}: "
            f"{body.get('message', answer.status_code)}"
        )
    return body


def _data(answer: httpx.Response, reference: str) -> dict[str, Any]:
    data: dict[str, Any] = _checked(answer, reference)["data"]
    return data


def _booked(data: Mapping[str, Any]) -> BookedShipment:
    return BookedShipment(str(data["saleOrderCode"]), str(data["itemCode"]), int(data["totalFee"]))
