"""Review findings in the postal return, each pinned by a test that failed before its fix.

Decision 45/2016/QĐ-TTg Art. 10, Circular 17/2017/TT-BTTTT Art. 5(2): two
failed attempts, then the result goes back to the agency. An operator may
report a failed attempt without numbering it; the second such report is a
legitimate update, not a duplicate.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from tests.test_delivery_rules import DEADLINES, MONDAY, new_shipment

from tthc_core.delivery import (
    ProviderStatus,
    Shipment,
    ShipmentState,
    TrackingOutcome,
    TrackingUpdate,
    apply_tracking_update,
)


def _update(
    shipment: Shipment, status: ProviderStatus, at: dt.datetime, attempt: int | None = None
) -> TrackingUpdate:
    return TrackingUpdate(
        reference=shipment.reference,
        status=status,
        occurred_at=at,
        item_code="EH000000001VN",
        attempt=attempt,
        postage_vnd=16_000,
    )


def _apply(shipment: Shipment, update: TrackingUpdate) -> tuple[Shipment, TrackingOutcome]:
    result = apply_tracking_update(shipment, update, deadlines=DEADLINES)
    return result.shipment, result.outcome


@given(duplicate=st.booleans())
def test_unnumbered_failed_attempts_count_one_by_one(duplicate: bool) -> None:
    """Two unnumbered failure reports are attempts 1 and 2; a repeated report is a duplicate."""
    shipment, _ = _apply(new_shipment(), _update(new_shipment(), ProviderStatus.ACCEPTED, MONDAY))
    first = _update(shipment, ProviderStatus.DELIVERY_FAILED, MONDAY + dt.timedelta(days=1))
    shipment, outcome = _apply(shipment, first)
    assert outcome is TrackingOutcome.APPLIED
    if duplicate:
        assert _apply(shipment, first)[1] is TrackingOutcome.DUPLICATE
    second = _update(shipment, ProviderStatus.DELIVERY_FAILED, MONDAY + dt.timedelta(days=3))
    shipment, outcome = _apply(shipment, second)
    assert outcome is TrackingOutcome.APPLIED
    assert [a.number for a in shipment.failed_attempts] == [1, 2]
    assert _apply(shipment, second)[1] is TrackingOutcome.DUPLICATE
    returned = apply_tracking_update(
        shipment,
        _update(shipment, ProviderStatus.RETURNED, MONDAY + dt.timedelta(days=4)),
        deadlines=DEADLINES,
    )
    assert returned.shipment.state is ShipmentState.RETURNED
    assert not returned.events[0].premature  # type: ignore[attr-defined]


def test_an_unnumbered_failure_older_than_the_last_attempt_is_stale() -> None:
    """A reordered report never moves the parcel backwards or invents an attempt."""
    shipment, _ = _apply(new_shipment(), _update(new_shipment(), ProviderStatus.ACCEPTED, MONDAY))
    later = _update(shipment, ProviderStatus.DELIVERY_FAILED, MONDAY + dt.timedelta(days=3))
    shipment, _ = _apply(shipment, later)
    earlier = _update(shipment, ProviderStatus.DELIVERY_FAILED, MONDAY + dt.timedelta(days=1))
    unchanged, outcome = _apply(shipment, earlier)
    assert outcome is TrackingOutcome.STALE
    assert unchanged == shipment
