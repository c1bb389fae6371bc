"""Intake (Decree 61/2018 Art. 17): receipt, completion at intake, refusal, regimes, channels."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.calendar import Deadlines, Duration
from tthc_core.catalogue import OnlineLevel
from tthc_core.dossier import (
    AskToComplete,
    Channel,
    ChannelNotOffered,
    CommandOutOfOrder,
    DossierCompletionRequested,
    DossierReceived,
    DossierRefusedAtIntake,
    DossierState,
    DossierSubmitted,
    HandOver,
    ReceiveDossier,
    RefuseAtIntake,
    RequestWithdrawal,
    ResubmitDossier,
    StopProcessing,
    handle,
)
from tthc_core.errors import InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.regime import REGIME_2018, REGIME_2025
from tthc_core.testing.dossiers import (
    BIRTH_REGISTRATION,
    WEEKDAYS,
    drive,
    local,
    postal_address,
    received,
    submitted,
)
from tthc_core.testing.strategies import aware_datetimes, deadlines


def test_receipt_promises_due_after_the_processing_time() -> None:
    # Monday 2/3/2026 09:00 + 5 working days (Mon-Fri, 480 office minutes a day)
    # = Monday 9/3/2026 09:00, printed on Mẫu 01 to the minute.
    dossier, events = received(at=local(2026, 3, 2, 9, 0))
    assert dossier.state is DossierState.RECEIVED
    assert dossier.received_at == local(2026, 3, 2, 9, 0)
    assert dossier.due_at == local(2026, 3, 9, 9, 0)
    assert [type(e) for e in events] == [DossierSubmitted, DossierReceived]
    receipt = events[1]
    assert isinstance(receipt, DossierReceived)
    assert receipt.form == "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert dossier.holder_unit == dossier.receiving_unit == "Bộ phận Một cửa"


@given(deadlines(2026), aware_datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 11, 30)))  # noqa: DTZ001
def test_due_is_deadlines_due_of_receipt_and_processing_time(
    dl: Deadlines, at: dt.datetime
) -> None:
    dossier, _ = received(at=at, deadlines=dl)
    assert dossier.due_at == dl.due(at, BIRTH_REGISTRATION.processing_time)
    assert dossier.due_at is not None
    assert dossier.due_at >= at


def test_online_dossiers_start_submitted_and_are_received_later() -> None:
    dossier, _events = submitted(at=local(2026, 3, 1, 21, 0))  # a Sunday evening
    assert dossier.state is DossierState.SUBMITTED
    assert dossier.state.national_code == 1
    assert dossier.due_at is None
    assert dossier.timeliness(local(2026, 3, 2)) is None
    # Numbered on the receipt day (Circular 01/2018 Art. 19), not the submission day.
    monday = attrs.evolve(dossier.code, received_on=dt.date(2026, 3, 2))
    dossier, _more = handle(
        dossier,
        ReceiveDossier("Bộ phận Một cửa", code=monday),
        at=local(2026, 3, 2, 8, 0),
        deadlines=WEEKDAYS,
    )
    assert dossier.code == monday
    assert dossier.state is DossierState.RECEIVED
    assert dossier.due_at == WEEKDAYS.due(local(2026, 3, 2, 8, 0), Duration.working_days(5))


def test_completion_at_intake_lists_everything_in_one_mau_02() -> None:
    # Decree 61/2018 Art. 17(1a), (2a): one complete notice, then the applicant files again.
    dossier, _ = submitted(at=local(2026, 3, 2, 9))
    command = AskToComplete(("Giấy chứng sinh", "Bản sao CCCD của mẹ"), "Thiếu giấy tờ")
    dossier, events = handle(dossier, command, at=local(2026, 3, 2, 10))
    assert dossier.state is DossierState.INCOMPLETE_AT_INTAKE
    assert dossier.completion_requests == 1
    notice = events[0]
    assert isinstance(notice, DossierCompletionRequested)
    assert notice.form.startswith("Mẫu 02")
    assert notice.items == command.items
    dossier, _ = handle(dossier, ResubmitDossier(), at=local(2026, 3, 3, 9))
    assert dossier.state is DossierState.SUBMITTED


@pytest.mark.parametrize("items", [(), ("",), ("Giấy chứng sinh", "  ")])
def test_completion_notice_without_items_is_invalid(items: tuple[str, ...]) -> None:
    with pytest.raises(InvalidInput, match=r"Art\. 17\(2a\)"):
        AskToComplete(items, "Thiếu giấy tờ")


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_refusal_needs_a_reason(reason: str) -> None:
    # Decree 61/2018 Art. 17(1b): the refusal (Mẫu 03) states its reasons.
    with pytest.raises(InvalidInput, match="reason must not be blank"):
        RefuseAtIntake(reason)


def test_refusal_at_intake_is_final_and_has_no_due_time() -> None:
    dossier, _ = submitted(at=local(2026, 3, 2, 9))
    dossier, events = handle(
        dossier, RefuseAtIntake("Không thuộc thẩm quyền"), at=local(2026, 3, 2, 9, 30)
    )
    assert dossier.state is DossierState.REFUSED_AT_INTAKE
    assert dossier.state.national_code == 3
    assert dossier.is_final
    assert dossier.closing_reason == "Không thuộc thẩm quyền"
    assert dossier.timeliness(local(2026, 4, 1)) is None
    assert isinstance(events[0], DossierRefusedAtIntake)
    assert events[0].form.startswith("Mẫu 03")


def test_postal_filing_time_is_the_signed_handover() -> None:
    # Decision 45/2016 Art. 7(4): the clock starts when desk and postal worker sign.
    signed = local(2026, 3, 4, 14, 20)
    dossier, _ = received(at=signed, channel=Channel.POSTAL)
    assert dossier.channel is Channel.POSTAL
    assert dossier.received_at == signed
    assert dossier.due_at == WEEKDAYS.due(signed, BIRTH_REGISTRATION.processing_time)


def test_regime_is_that_of_the_receipt_date_and_kept_for_life() -> None:
    old, _ = received(at=local(2025, 6, 30, 16, 0))
    new, _ = received(at=local(2025, 7, 1, 8, 0))
    assert old.regime is REGIME_2018
    assert new.regime is REGIME_2025
    later, _ = drive(old, (HandOver("Công chức Tư pháp - Hộ tịch"), local(2025, 7, 2, 8, 0)))
    assert later.regime is REGIME_2018


def test_online_dossier_submitted_before_the_switch_takes_the_receipt_dates_regime() -> None:
    dossier, _ = submitted(at=local(2025, 6, 30, 22, 0))
    assert dossier.regime is REGIME_2018
    dossier, _ = handle(
        dossier,
        ReceiveDossier(
            "Trung tâm Phục vụ HCC",
            code=attrs.evolve(dossier.code, received_on=dt.date(2025, 7, 1)),
        ),
        at=local(2025, 7, 1, 8),
        deadlines=WEEKDAYS,
    )
    assert dossier.regime is REGIME_2025


def test_dates_before_decree_61_are_refused() -> None:
    with pytest.raises(InvalidInput, match="predates Decree 61/2018"):
        received(at=local(2018, 6, 20, 9))


def test_channels_the_procedure_does_not_offer_are_refused() -> None:
    no_post = attrs.evolve(BIRTH_REGISTRATION, postal_intake=False, postal_return=False)
    offline = attrs.evolve(BIRTH_REGISTRATION, online_level=OnlineLevel.NONE)
    at = local(2026, 3, 2, 9)
    with pytest.raises(ChannelNotOffered, match="public post") as info:
        received(at=at, procedure=no_post, channel=Channel.POSTAL)
    assert info.value.rule == "Decision 45/2016/QĐ-TTg Art. 1(2)"
    with pytest.raises(ChannelNotOffered, match="public post"):
        received(
            at=at,
            procedure=no_post,
            return_channel=ReturnChannel.POSTAL,
            postal_address=postal_address(),
        )
    with pytest.raises(ChannelNotOffered, match="no online public service"):
        submitted(at=at, procedure=offline)


def test_postal_return_needs_an_address() -> None:
    with pytest.raises(InvalidInput, match="postal address"):
        received(at=local(2026, 3, 2, 9), return_channel=ReturnChannel.POSTAL)


@given(st.integers(1, 10_000))
def test_commands_dated_before_the_last_event_are_refused(minutes: int) -> None:
    dossier, _ = received(at=local(2026, 3, 2, 9))
    with pytest.raises(CommandOutOfOrder) as info:
        handle(
            dossier,
            HandOver("Công chức Tư pháp - Hộ tịch"),
            at=dossier.last_event_at - dt.timedelta(minutes=minutes),
            deadlines=WEEKDAYS,
        )
    assert info.value.last_event_at == dossier.last_event_at
    assert info.value.rule


def test_naive_instants_and_missing_deadlines_are_invalid() -> None:
    dossier, _ = submitted(at=local(2026, 3, 2, 9))
    with pytest.raises(InvalidInput, match="no time zone"):
        handle(dossier, ReceiveDossier("Bộ phận Một cửa"), at=dt.datetime(2026, 3, 2, 10))  # noqa: DTZ001
    with pytest.raises(InvalidInput, match="pass deadlines="):
        handle(dossier, ReceiveDossier("Bộ phận Một cửa"), at=local(2026, 3, 2, 10))


def test_withdrawal_before_receipt_stops_without_timeliness() -> None:
    # Decision 766 KPI 2.1: a withdrawal counts only if the dossier had been received.
    dossier, _ = submitted(at=local(2026, 3, 2, 9))
    dossier, _ = drive(
        dossier,
        (RequestWithdrawal("Nộp nhầm thủ tục"), local(2026, 3, 2, 10)),
        (StopProcessing("Công dân rút hồ sơ"), local(2026, 3, 2, 11)),
    )
    assert dossier.state is DossierState.STOPPED
    assert dossier.timeliness(local(2026, 3, 3)) is None
