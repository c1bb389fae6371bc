"""The fake operator's books: bookings, prices, cancellations and status reports.

Shared by :class:`~tthc_adapters.postal.FakePostalServer` (behind HTTP) and
:class:`~tthc_adapters.postal.InMemoryPostalService` (direct). It speaks the
wire dictionaries of :mod:`tthc_adapters.postal._wire`, so both paths exercise
the same encoding. Thread-safe: the HTTP server answers from several threads.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from tthc_adapters.postal._wire import update_to_wire
from tthc_core.calendar import VN_TZ
from tthc_core.delivery import ProviderStatus, TrackingUpdate

__all__ = ["Booking", "CallbackSink", "FakePostOffice"]

#: Receives each callback body (decoded JSON) and its headers.
CallbackSink = Callable[[Mapping[str, Any], Mapping[str, str]], object]

_BASE_POSTAGE = {"same_commune": 12_000, "same_province": 16_000, "other": 26_000}
_PER_100_GRAMS = 1_500


@attrs.define
class Booking:
    """One booked parcel at the fake operator."""

    reference: str
    item_code: str
    postage_vnd: int
    cod_vnd: int
    history: list[dict[str, Any]] = attrs.field(factory=list)

    @property
    def status(self) -> str | None:
        """The latest reported status, if any."""
        return self.history[-1]["status"] if self.history else None

    def as_wire(self) -> dict[str, Any]:
        """The ``getOrder`` data of this booking."""
        return {
            "saleOrderCode": self.reference,
            "itemCode": self.item_code,
            "totalFee": self.postage_vnd,
            "codAmount": self.cod_vnd,
            "status": self.status,
            "history": list(self.history),
        }


def postage_for(information: Mapping[str, Any]) -> int:
    """The fake tariff: by distance class, plus a surcharge per 100 g over 200 g."""
    if information["senderCommuneCode"] == information["receiverCommuneCode"]:
        base = _BASE_POSTAGE["same_commune"]
    elif information["senderProvinceCode"] == information["receiverProvinceCode"]:
        base = _BASE_POSTAGE["same_province"]
    else:
        base = _BASE_POSTAGE["other"]
    extra = max(0, int(information["weight"]) - 200)
    return base + -(-extra // 100) * _PER_100_GRAMS


class FakePostOffice:
    """The fake operator's state.

    Args:
        dedupe_creates: Return the existing booking when an order code is
            booked again (a real partner API may not; the adapter must cope).
        clock: The operator's clock, for reports it makes itself (cancellations).
    """

    def __init__(
        self,
        *,
        dedupe_creates: bool = True,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(VN_TZ),
    ) -> None:
        self.dedupe_creates = dedupe_creates
        self._clock = clock
        self._lock = threading.RLock()
        self._bookings: list[Booking] = []
        self._sinks: list[CallbackSink] = []
        self._held: list[dict[str, Any]] = []
        self.duplicate_callbacks = False
        self.hold_callbacks = False
        self.callback_headers: dict[str, str] = {}

    # -- bookings -------------------------------------------------------------

    def quote(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The ``ServicesCharge`` answer."""
        information = payload["informationOrder"]
        return {"serviceCode": information["serviceCode"], "totalFee": postage_for(information)}

    def create(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Book an order (``CreateOrder``); idempotent on ``saleOrderCode`` if deduping."""
        information = payload["informationOrder"]
        reference = str(information["saleOrderCode"])
        with self._lock:
            existing = self.find(reference)
            if existing is not None and self.dedupe_creates:
                return existing.as_wire()
            booking = Booking(
                reference,
                f"EH{len(self._bookings) + 1:09d}VN",
                postage_for(information),
                int(information.get("codAmount") or 0),
            )
            self._bookings.append(booking)
            return booking.as_wire()

    def find(self, reference: str) -> Booking | None:
        """The first booking with this order code."""
        with self._lock:
            return next((b for b in self._bookings if b.reference == reference), None)

    def bookings_of(self, reference: str) -> list[Booking]:
        """Every booking with this order code (more than one is a duplicate)."""
        with self._lock:
            return [b for b in self._bookings if b.reference == reference]

    @property
    def bookings(self) -> list[Booking]:
        """Every booking made."""
        with self._lock:
            return list(self._bookings)

    def cancel(self, reference: str) -> bool | None:
        """Cancel a booking: True if cancelled (or already), False if picked up, None if unknown."""
        with self._lock:
            booking = self.find(reference)
            if booking is None:
                return None
            if booking.status == "CANCELLED":
                return True
            if booking.history:
                return False
            self._record(booking, ProviderStatus.CANCELLED, self._clock())
            return True

    # -- status reports -------------------------------------------------------

    def report(
        self,
        reference: str,
        status: ProviderStatus,
        at: dt.datetime,
        *,
        attempt: int | None = None,
        received_by: str | None = None,
        fee_collected_vnd: int = 0,
        note: str = "",
    ) -> dict[str, Any]:
        """Record a status report and send it to the callback subscribers.

        Raises:
            KeyError: If there is no such booking.
        """
        with self._lock:
            booking = self.find(reference)
            if booking is None:
                raise KeyError(reference)
            return self._record(
                booking,
                status,
                at,
                attempt=attempt,
                reason=note,
                received_by=received_by,
                fee_collected_vnd=fee_collected_vnd,
            )

    def _record(
        self, booking: Booking, status: ProviderStatus, at: dt.datetime, **details: Any
    ) -> dict[str, Any]:
        entry = update_to_wire(
            TrackingUpdate(
                reference=booking.reference,
                status=status,
                occurred_at=at,
                item_code=booking.item_code,
                postage_vnd=booking.postage_vnd,
                **details,
            )
        )
        booking.history.append(entry)
        self._emit(entry)
        return entry

    # -- callbacks ------------------------------------------------------------

    def subscribe(self, sink: CallbackSink) -> None:
        """Send every future status report to ``sink``."""
        with self._lock:
            self._sinks.append(sink)

    def _emit(self, entry: dict[str, Any]) -> None:
        if self.hold_callbacks:
            self._held.append(entry)
            return
        self._deliver(entry)

    def _deliver(self, entry: dict[str, Any]) -> None:
        body = json.loads(json.dumps(entry))
        for sink in list(self._sinks):
            for _ in range(2 if self.duplicate_callbacks else 1):
                sink(body, dict(self.callback_headers))

    def release_held_callbacks(self, *, newest_first: bool = True) -> int:
        """Send held callbacks (newest first by default: out of order); returns how many."""
        with self._lock:
            held, self._held = self._held, []
        for entry in reversed(held) if newest_first else held:
            self._deliver(entry)
        return len(held)
