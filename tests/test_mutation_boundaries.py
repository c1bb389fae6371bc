"""Boundaries that single-point mutations of the core survived (issue 15), one test each.

Each test names its boundary and checks both sides of it, so flipping a
comparison, dropping a check or shifting a limit by one fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.codes import (
    AgencyCode,
    DossierCode,
    InvalidAgencyCode,
    extract_dossier_codes,
)
from tthc_core.delivery import (
    ConfirmDelivery,
    HandOver,
    ProviderStatus,
    Route,
    TrackingOutcome,
    TrackingUpdate,
    apply_tracking_update,
    handle,
    request_shipment,
    shipment_reference,
)
from tthc_core.dossier import (
    HandOver as Handover,
)
from tthc_core.dossier import (
    ReceiveSupplement,
    RequestSupplement,
    Timeliness,
)
from tthc_core.errors import InvalidInput
from tthc_core.receipt import (
    ReceiptCodec,
    ReceiptKey,
    ReceiptPayload,
    StaticKeyRing,
    Verdict,
)
from tthc_core.receipt._payload import TAG_BYTES
from tthc_core.receipt._vietqr import VietQrPayment
from tthc_core.regime import SupplementClock
from tthc_core.testing.dossiers import STEP_UNITS, WEEKDAYS, drive, local, received
from tthc_core.testing.strategies._complaint import weekday_deadlines

# -- codes -------------------------------------------------------------------------------


def test_an_agency_code_has_at_most_five_groups() -> None:
    """Decision 20/2020 Art. 4: four digit groups and the level-1 group; a fifth is refused."""
    assert AgencyCode("000.00.00.00.H15").groups == ("000", "00", "00", "00", "H15")
    with pytest.raises(InvalidAgencyCode, match="at most four digit groups"):
        AgencyCode("000.00.00.00.00.H15")


@pytest.mark.parametrize("before", [" ", ":", "#", "(", "\n"])
def test_a_code_after_a_separator_is_found(before: str) -> None:
    code = DossierCode.parse("000.24.32.H15-260302-0001")
    assert extract_dossier_codes(f"ma ho so{before}000.24.32.H15-260302-0001") == [code]


@pytest.mark.parametrize("glued", ["hoso", "X", "12345", "."])
def test_a_code_glued_to_preceding_text_is_not_taken_for_one(glued: str) -> None:
    # The characters before belong to another token (a longer number, a word):
    # no shorter code is cut out of it.
    assert extract_dossier_codes(f"{glued}000.24.32.H15-260302-0001") == []


# -- receipt: VietQR and the receipt tag -------------------------------------------------


def test_vietqr_additional_data_holds_25_characters_not_26() -> None:
    """EMV QRCPS-MPM §4.8: a template 62 field holds at most 25 characters."""
    fits = VietQrPayment(bank_bin="970403", account="0011012345678", purpose="A" * 25)
    assert fits.purpose == "A" * 25
    with pytest.raises(InvalidInput, match="1-25 printable ASCII"):
        VietQrPayment(bank_bin="970403", account="0011012345678", purpose="A" * 26)
    with pytest.raises(InvalidInput, match="1-25 printable ASCII"):
        VietQrPayment(bank_bin="970403", account="0011012345678", bill_number="B" * 26)


@pytest.mark.parametrize("position", range(TAG_BYTES))
def test_every_byte_of_the_receipt_tag_counts(position: int) -> None:
    """The whole 80-bit tag is compared: a tag wrong in any one byte is TAMPERED."""
    key = ReceiptKey("K1", bytes(range(32)))
    ring, codec = StaticKeyRing([key]), ReceiptCodec("tracuu.example.gov.vn/hs")
    signed = codec.sign(DossierCode.parse("000.00.15.H12-240307-0005"), ring)
    assert codec.verify(signed, ring).verdict is Verdict.VALID
    tag = bytearray(signed.tag)
    tag[position] ^= 0x01
    forged = ReceiptPayload(signed.code, signed.key_id, bytes(tag))
    assert codec.verify(forged, ring).verdict is Verdict.TAMPERED
    assert codec.verify(codec.compact(forged), ring).verdict is Verdict.TAMPERED


# -- dossier: supplement requests ---------------------------------------------------------

ASK = RequestSupplement(("Bản sao Giấy chứng nhận kết hôn",), "Thiếu giấy tờ")


@pytest.mark.parametrize(
    ("clock", "expected"),
    [(SupplementClock.RESTART, Timeliness.IN_TIME), (SupplementClock.PAUSE, Timeliness.OVERDUE)],
)
def test_a_second_pending_supplement_request_is_late_only_under_the_pause_clock(
    clock: SupplementClock, expected: Timeliness
) -> None:
    """Decision 766 KPI 2.1: under PAUSE a second request makes it late; not under RESTART."""
    dossier, _ = received(at=local(2026, 3, 2, 9, 0), supplement_clock=clock)
    dossier, _ = drive(
        dossier,
        (Handover(STEP_UNITS[0]), local(2026, 3, 2, 10, 0)),
        (ASK, local(2026, 3, 2, 11, 0)),
        (ReceiveSupplement(), local(2026, 3, 3, 9, 0)),
        (ASK, local(2026, 3, 3, 10, 0)),  # the second request, still unanswered
    )
    assert len(dossier.supplements) == 2
    assert dossier.timeliness(local(2026, 3, 4, 9, 0)) is expected


def test_the_late_request_flag_counts_from_the_first_handover() -> None:
    """Decree 61/2018 Art. 19(4): within 3 working days of the handling agency's receipt.

    The agency received the dossier at the first handover; a later internal
    handover does not restart the three days.
    """
    start = local(2026, 3, 2, 10, 0)  # Monday: first handover
    dossier, _ = received(at=local(2026, 3, 2, 9, 0))
    dossier, _ = drive(
        dossier,
        (Handover(STEP_UNITS[0]), start),
        (Handover(STEP_UNITS[1]), local(2026, 3, 5, 9, 0)),  # Thursday: second handover
    )
    exactly = WEEKDAYS.add_working_minutes(start, WEEKDAYS.minutes_of(Duration.working_days(3)))
    on_time, _ = drive(dossier, (ASK, exactly))
    assert on_time.supplements[-1].late_request is False
    late, _ = drive(dossier, (ASK, exactly + dt.timedelta(minutes=1)))
    assert late.supplements[-1].late_request is True


# -- delivery ------------------------------------------------------------------------------

MONDAY = dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN_TZ)


def _shipment():  # type: ignore[no-untyped-def]
    from tthc_core.delivery import (
        TWO_LEVEL_REFORM,
        AdministrativeUnit,
        ChoiceMoment,
        ResolvedAddress,
        ReturnChoice,
        UnitLevel,
    )
    from tthc_core.party import PostalAddress, ReturnChannel

    province = AdministrativeUnit(
        "66", "Tỉnh Đắk Lắk", UnitLevel.PROVINCE, "66", valid_from=TWO_LEVEL_REFORM
    )
    commune = AdministrativeUnit(
        "24343", "Xã Krông Năng", UnitLevel.COMMUNE, "66", valid_from=TWO_LEVEL_REFORM
    )
    address = PostalAddress("Nguyễn Văn An", "0912345678", "Thôn 3", "24343", "66")
    choice = ReturnChoice(
        ReturnChannel.POSTAL,
        MONDAY,
        ChoiceMoment.INTAKE,
        ResolvedAddress(address, commune, province, None, MONDAY.date()),
    )
    code = DossierCode.parse("000.00.15.H12-250908-0005")
    shipment, _ = request_shipment(
        shipment_reference(code, 1), code, choice, Route.WITHIN_PROVINCE, at=MONDAY
    )
    deadlines = weekday_deadlines()
    shipment, _ = handle(
        shipment, HandOver("EH000000001VN", 16_000), at=MONDAY, deadlines=deadlines
    )
    return shipment, deadlines


def test_a_delivery_at_exactly_j_plus_n_is_late() -> None:
    """Circular 17/2017 (J+n): on time before 24:00 of the n-th working day (exclusive end)."""
    shipment, deadlines = _shipment()
    due = shipment.expected_by
    assert due == dt.datetime(2025, 9, 11, 0, 0, tzinfo=VN_TZ)  # J+2 from Monday
    confirm = ConfirmDelivery("Nguyễn Văn An", True)
    before, _ = handle(shipment, confirm, at=due - dt.timedelta(minutes=1), deadlines=deadlines)
    at_due, _ = handle(shipment, confirm, at=due, deadlines=deadlines)
    assert (before.late, at_due.late) == (False, True)


def _failure(  # type: ignore[no-untyped-def]
    shipment, at: dt.datetime, reason: str, attempt: int | None = None
) -> TrackingUpdate:
    return TrackingUpdate(
        reference=shipment.reference,
        status=ProviderStatus.DELIVERY_FAILED,
        occurred_at=at,
        item_code="EH000000001VN",
        attempt=attempt,
        reason=reason,
    )


def test_an_unnumbered_failure_at_the_previous_attempts_instant_is_not_a_new_attempt() -> None:
    """A report no later than the last recorded attempt is a reordered one, not attempt 2."""
    shipment, deadlines = _shipment()
    numbered = _failure(shipment, MONDAY, "vắng nhà", attempt=1)  # keyed by its number
    first = apply_tracking_update(shipment, numbered, deadlines=deadlines)
    assert first.outcome is TrackingOutcome.APPLIED
    same = apply_tracking_update(
        first.shipment, _failure(shipment, MONDAY, "sai địa chỉ"), deadlines=deadlines
    )
    assert same.outcome is TrackingOutcome.STALE
    later = apply_tracking_update(
        first.shipment,
        _failure(shipment, MONDAY + dt.timedelta(minutes=1), "sai địa chỉ"),
        deadlines=deadlines,
    )
    assert later.outcome is TrackingOutcome.APPLIED
    assert [a.number for a in later.shipment.failed_attempts] == [1, 2]


# -- complaints ----------------------------------------------------------------------------


def _accepted_complaint(at: dt.datetime) -> cp.Case:
    from tthc_core.party import Applicant

    deadlines = weekday_deadlines()
    case, _ = cp.receive(
        case_id="KN-1",
        kind=cp.CaseKind.COMPLAINT,
        at=at,
        channel=cp.Channel.CHAT,
        agency=cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh"),
        deadlines=deadlines,
        sender=Applicant("Trần Thị Lan", address="Buôn Đrao", phone="0912345678"),
        content="Nội dung đơn",
    )
    case, _ = cp.accept(case, at=at, deadlines=deadlines)
    return case


def test_a_suspension_on_the_periods_last_day_keeps_the_period_alive() -> None:
    """Decree 124/2020 Art. 28b: suspended on its last day, the period has not run out yet;
    suspended the day after, it has, and resuming does not cure it."""
    deadlines = weekday_deadlines()
    accepted_at = dt.datetime(2026, 7, 8, 9, 0, tzinfo=VN_TZ)
    case = _accepted_complaint(accepted_at)
    assert case.due_at is not None
    last_day = (case.due_at - dt.timedelta(microseconds=1)).date()
    at_9 = dt.time(9, 0)
    resume_at = dt.datetime.combine(last_day + dt.timedelta(days=30), at_9, tzinfo=VN_TZ)

    def suspended_then_resumed(day: dt.date) -> cp.Case:
        when = dt.datetime.combine(day, at_9, tzinfo=VN_TZ)
        paused, _ = cp.suspend(case, at=when, reason="Người khiếu nại ốm", deadlines=deadlines)
        resumed, _ = cp.resume(paused, at=resume_at, deadlines=deadlines)
        return resumed

    on_last_day = suspended_then_resumed(last_day)
    day_after = suspended_then_resumed(last_day + dt.timedelta(days=1))
    assert on_last_day.due_at is not None
    assert on_last_day.due_at > resume_at
    assert day_after.due_at == case.due_at  # the lapsed due instant stays
    assert cp.timeliness(day_after, resume_at) is cp.Timeliness.OVERDUE


def test_remote_areas_add_their_extra_days_and_negative_ones_are_refused() -> None:
    """VNPost's published extra days for remote areas add to J+n; fewer than zero is an error."""
    from tthc_core.delivery import expected_delivery

    deadlines = weekday_deadlines()
    plain = expected_delivery(MONDAY, Route.SAME_DISTRICT, deadlines)
    assert plain == dt.datetime(2025, 9, 10, 0, 0, tzinfo=VN_TZ)  # J+1: Tuesday, late from Wed
    remote = expected_delivery(MONDAY, Route.SAME_DISTRICT, deadlines, extra_days=2)
    assert remote == dt.datetime(2025, 9, 12, 0, 0, tzinfo=VN_TZ)  # J+3: Thursday
    with pytest.raises(InvalidInput, match="extra_days must not be negative, got -1"):
        expected_delivery(MONDAY, Route.SAME_DISTRICT, deadlines, extra_days=-1)


def test_before_2025_the_same_district_is_the_same_district_route() -> None:
    """Circular 17/2017: 'nội huyện' — two communes of one district are the same-district route."""
    import attrs

    from tthc_core.delivery import TWO_LEVEL_REFORM, AdministrativeUnit, UnitLevel, classify_route

    shipment, _ = _shipment()
    origin = shipment.choice.address
    assert origin is not None

    def unit(code: str, level: UnitLevel) -> AdministrativeUnit:
        return AdministrativeUnit(code, f"Đơn vị {code}", level, "66", valid_until=TWO_LEVEL_REFORM)

    district_a, district_b = unit("645", UnitLevel.DISTRICT), unit("646", UnitLevel.DISTRICT)
    here = attrs.evolve(origin, district=district_a, commune=unit("24343", UnitLevel.COMMUNE))
    same_district = attrs.evolve(here, commune=unit("24346", UnitLevel.COMMUNE))
    other_district = attrs.evolve(same_district, district=district_b)
    no_district = attrs.evolve(same_district, district=None)
    assert classify_route(here, same_district) is Route.SAME_DISTRICT
    assert classify_route(here, other_district) is Route.WITHIN_PROVINCE
    assert classify_route(here, no_district) is Route.WITHIN_PROVINCE
    assert classify_route(no_district, no_district) is Route.SAME_DISTRICT  # same commune


# -- the outbox ----------------------------------------------------------------------------


def test_an_outbox_key_holds_1_to_200_characters() -> None:
    from tthc_core.storage import OutboundMessage

    assert OutboundMessage("k" * 200, "zalo").key == "k" * 200
    for bad in ("k" * 201, "", "   "):
        with pytest.raises(InvalidInput, match="key must be 1 to 200 characters"):
            OutboundMessage(bad, "zalo")
    with pytest.raises(InvalidInput, match="channel must be 1 to 200 characters"):
        OutboundMessage("k", "")


def test_retry_delays_must_be_positive() -> None:
    from tthc_core.storage import RetryPolicy

    assert RetryPolicy(first_delay=dt.timedelta(microseconds=1)).delay(1) == dt.timedelta(
        microseconds=1
    )
    with pytest.raises(InvalidInput, match="first_delay must be positive, got 0:00:00"):
        RetryPolicy(first_delay=dt.timedelta(0))
    with pytest.raises(InvalidInput, match="max_delay must be positive"):
        RetryPolicy(max_delay=dt.timedelta(seconds=-1))


def test_the_first_retry_waits_the_first_delay_and_the_cap_holds() -> None:
    from tthc_core.storage import RetryPolicy

    policy = RetryPolicy(first_delay=dt.timedelta(seconds=30), max_delay=dt.timedelta(minutes=2))
    waits = [policy.delay(n) for n in (0, 1, 2, 3, 4, 5)]
    assert [w.total_seconds() for w in waits] == [30, 30, 60, 120, 120, 120]
