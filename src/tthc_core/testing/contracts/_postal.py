"""The contract every :class:`~tthc_core.delivery.PostalService` adapter must pass.

Subclass :class:`PostalServiceContract` and override two fixtures::

    class TestMyPostal(PostalServiceContract):
        @pytest.fixture
        def postal(self):
            return MyPostalService(...)

        @pytest.fixture
        def report(self, postal):
            return lambda reference, status, at, **kw: my_operator.report(...)

``report`` makes the operator report a status for a booking (a fake's control
hook); against a real sandbox that cannot be driven, override it to call
``pytest.skip``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import pytest

from tthc_core.calendar import VN_TZ
from tthc_core.delivery import (
    TWO_LEVEL_REFORM,
    AdministrativeUnit,
    PostalOrder,
    PostalRejected,
    PostalService,
    ProviderStatus,
    ResolvedAddress,
    ShipmentNotFound,
    UnitLevel,
)
from tthc_core.party import PostalAddress

__all__ = ["PostalServiceContract", "ReportHook", "sample_order"]

_T0 = dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN_TZ)


class ReportHook(Protocol):
    """Make the operator report ``status`` for booking ``reference``."""

    def __call__(
        self, reference: str, status: ProviderStatus, at: dt.datetime, **details: Any
    ) -> None:
        """Report it."""
        ...


def _place(name: str, ward: str, ward_name: str) -> ResolvedAddress:
    province = AdministrativeUnit(
        "66", "Đắk Lắk", UnitLevel.PROVINCE, "66", valid_from=TWO_LEVEL_REFORM
    )
    commune = AdministrativeUnit(
        ward, ward_name, UnitLevel.COMMUNE, "66", valid_from=TWO_LEVEL_REFORM
    )
    address = PostalAddress(name, "0912345678", "Thôn 3", ward, "66")
    return ResolvedAddress(address, commune, province, None, TWO_LEVEL_REFORM)


def sample_order(reference: str = "000.00.15.H12-250908-0005-BC1", fee: int = 0) -> PostalOrder:
    """An order from xã Krông Năng's centre to an applicant in xã Dliê Ya."""
    return PostalOrder(
        reference,
        _place("Trung tâm Phục vụ HCC xã Krông Năng", "24343", "Xã Krông Năng"),
        _place("Nguyễn Văn An", "24346", "Xã Dliê Ya"),
        "Kết quả giải quyết TTHC, hồ sơ 000.00.15.H12-250908-0005",
        fee_to_collect_vnd=fee,
    )


class PostalServiceContract:
    """What every postal adapter promises."""

    @pytest.fixture
    def postal(self) -> PostalService:
        """The adapter under test: override it."""
        raise NotImplementedError("override the `postal` fixture in your test class")

    @pytest.fixture
    def report(self, postal: PostalService) -> ReportHook:
        """The operator's report hook: override it (or skip)."""
        raise NotImplementedError("override the `report` fixture in your test class")

    def test_quote_is_stable_and_non_negative(self, postal: PostalService) -> None:
        first = postal.quote(sample_order())
        assert first.postage_vnd >= 0
        assert postal.quote(sample_order()) == first

    def test_create_is_idempotent_on_the_reference(self, postal: PostalService) -> None:
        first = postal.create_shipment(sample_order())
        again = postal.create_shipment(sample_order())
        assert again == first
        assert first.reference == sample_order().reference

    def test_different_references_book_different_parcels(self, postal: PostalService) -> None:
        a = postal.create_shipment(sample_order("R-BC1"))
        b = postal.create_shipment(sample_order("R-BC2"))
        assert a.item_code != b.item_code

    def test_a_new_booking_has_no_reports(self, postal: PostalService) -> None:
        postal.create_shipment(sample_order())
        assert list(postal.track(sample_order().reference)) == []

    def test_reports_are_tracked_as_sent(self, postal: PostalService, report: ReportHook) -> None:
        booked = postal.create_shipment(sample_order(fee=8_000))
        ref = booked.reference
        report(ref, ProviderStatus.ACCEPTED, _T0)
        report(ref, ProviderStatus.DELIVERY_FAILED, _T0 + dt.timedelta(days=1), attempt=1)
        report(
            ref,
            ProviderStatus.DELIVERED,
            _T0 + dt.timedelta(days=3),
            received_by="Nguyễn Văn An",
            fee_collected_vnd=8_000,
        )
        updates = sorted(postal.track(ref), key=lambda u: u.occurred_at)
        assert [u.status for u in updates] == [
            ProviderStatus.ACCEPTED,
            ProviderStatus.DELIVERY_FAILED,
            ProviderStatus.DELIVERED,
        ]
        assert {u.item_code for u in updates} == {booked.item_code}
        assert updates[1].attempt == 1
        assert updates[2].received_by == "Nguyễn Văn An"
        assert updates[2].fee_collected_vnd == 8_000

    def test_cancel_before_pickup_twice_is_fine(self, postal: PostalService) -> None:
        postal.create_shipment(sample_order())
        postal.cancel(sample_order().reference)
        postal.cancel(sample_order().reference)
        statuses = [u.status for u in postal.track(sample_order().reference)]
        assert statuses == [ProviderStatus.CANCELLED]

    def test_cancel_after_pickup_is_refused(
        self, postal: PostalService, report: ReportHook
    ) -> None:
        postal.create_shipment(sample_order())
        report(sample_order().reference, ProviderStatus.ACCEPTED, _T0)
        with pytest.raises(PostalRejected):
            postal.cancel(sample_order().reference)

    def test_unknown_references_are_not_found(self, postal: PostalService) -> None:
        with pytest.raises(ShipmentNotFound):
            postal.track("NO-SUCH-BC1")
        with pytest.raises(ShipmentNotFound):
            postal.cancel("NO-SUCH-BC1")
