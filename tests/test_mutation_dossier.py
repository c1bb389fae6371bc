"""The exact event of every dossier transition's effect (``tthc_core.dossier._decide``, issue 15).

Each effect computes one event from the dossier, the command and the instant; these tests build
the expected event field by field, so a field dropped, swapped or computed from the wrong input
fails here. Guards are checked on both sides, with the reason and the rule they give.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tthc_core.calendar import Deadlines, Duration
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.dossier import (
    AskToComplete,
    Channel,
    ChooseReturnChannel,
    Command,
    ConfirmPayment,
    ConfirmPostalDelivery,
    DeliverElectronically,
    DispatchByPost,
    Dossier,
    HandOver,
    PostalParcelReturned,
    ReceiveDossier,
    RefuseAfterAppraisal,
    RefuseAtIntake,
    RequestPayment,
    RequestWithdrawal,
    Resolve,
    ResubmitDossier,
    ReturnAtDesk,
    ReturnFromAgency,
    SendToAgency,
    StopProcessing,
    handle,
)
from tthc_core.dossier import _events as ev
from tthc_core.dossier._errors import (
    CodeNotDatedOnReceipt,
    ReturnChannelMismatch,
    StepTemplateMismatch,
)
from tthc_core.dossier._sheet import HandoverKind
from tthc_core.dossier._transfer import transfer_due
from tthc_core.errors import InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.regime import REGIME_2018, REGIME_2025, Form
from tthc_core.testing.dossiers import (
    DESK,
    STEP_UNITS,
    WEEKDAYS,
    drive,
    local,
    postal_address,
    received,
    submitted,
)

MONDAY = local(2026, 3, 2, 9, 0)
AGENCY = AgencyCode("000.24.32.H15")


def _last(
    dossier: Dossier, command: Command, at: dt.datetime, deadlines: Deadlines | None = WEEKDAYS
) -> Any:
    """The event of ``command`` (the last one it yields)."""
    return handle(dossier, command, at=at, deadlines=deadlines)[1][-1]


# -- intake ------------------------------------------------------------------------------------


def test_receipt_gives_due_regime_form_and_officer() -> None:
    dossier, _ = submitted(at=MONDAY)
    at = MONDAY + dt.timedelta(hours=1)
    assert _last(dossier, ReceiveDossier(DESK, officer="Lan"), at) == ev.DossierReceived(
        occurred_at=at,
        code=dossier.code,
        unit=DESK,
        officer="Lan",
        due_at=WEEKDAYS.due(at, Duration.working_days(5)),
        regime=REGIME_2025,
        form=REGIME_2025.form_label(Form.RECEIPT),
        dossier_code=None,
    )


def test_receipt_needs_deadlines() -> None:
    dossier, _ = submitted(at=MONDAY)
    with pytest.raises(InvalidInput) as info:
        _last(dossier, ReceiveDossier(DESK), MONDAY, deadlines=None)
    assert info.value.reason == (
        "ReceiveDossier computes due times: pass deadlines= "
        "(tthc_core.calendar.Deadlines of the handling agency)"
    )


def test_a_dossier_received_another_day_takes_a_code_of_that_day() -> None:
    """Circular 01/2018 Art. 19: the code is dated on the receipt day, of the same agency."""
    dossier, _ = submitted(at=MONDAY)
    tuesday = MONDAY + dt.timedelta(days=1)
    with pytest.raises(CodeNotDatedOnReceipt) as info:
        _last(dossier, ReceiveDossier(DESK), tuesday)
    assert info.value.reason == (
        f"dossier {dossier.code} was submitted on 02/03/2026 and is received on 03/03/2026: "
        "give ReceiveDossier a code dated on the receipt day, allocated from that day's sequence"
    )
    assert info.value.rule == "Circular 01/2018/TT-VPCP Art. 19; Decree 61/2018/NĐ-CP Art. 17(3)"
    new = DossierCode(AGENCY, tuesday.date(), 7)
    assert _last(dossier, ReceiveDossier(DESK, code=new), tuesday).dossier_code == new
    for wrong in (
        DossierCode(AGENCY, MONDAY.date(), 7),
        DossierCode(AgencyCode("000.24.33.H15"), tuesday.date(), 7),
    ):
        with pytest.raises(CodeNotDatedOnReceipt) as info:
            _last(dossier, ReceiveDossier(DESK, code=wrong), tuesday)
        assert info.value.reason == (
            f"code {wrong} must be dated 03/03/2026, the receipt day, under agency {AGENCY}"
        )
        assert info.value.rule == (
            "Circular 01/2018/TT-VPCP Art. 19; Decree 61/2018/NĐ-CP Art. 17(3)"
        )
    # The same code given again on the submission day changes nothing.
    same = _last(dossier, ReceiveDossier(DESK, code=dossier.code), MONDAY)
    assert same.dossier_code is None


def test_completion_request_resubmission_and_refusal_at_intake() -> None:
    dossier, _ = submitted(at=MONDAY)
    at = MONDAY + dt.timedelta(minutes=5)
    asked = AskToComplete(("Tờ khai",), "Thiếu tờ khai", officer="Lan")
    assert _last(dossier, asked, at) == ev.DossierCompletionRequested(
        occurred_at=at,
        code=dossier.code,
        items=("Tờ khai",),
        reason="Thiếu tờ khai",
        officer="Lan",
        form=REGIME_2025.form_label(Form.SUPPLEMENT_REQUEST),
    )
    waiting, _ = drive(dossier, (asked, at))
    later = at + dt.timedelta(hours=1)
    assert _last(waiting, ResubmitDossier(), later) == ev.DossierResubmitted(
        occurred_at=later, code=dossier.code
    )
    assert _last(dossier, RefuseAtIntake("Không thuộc thẩm quyền", officer="Lan"), at) == (
        ev.DossierRefusedAtIntake(
            occurred_at=at,
            code=dossier.code,
            reason="Không thuộc thẩm quyền",
            officer="Lan",
            form=REGIME_2025.form_label(Form.REFUSAL),
        )
    )


# -- handovers ---------------------------------------------------------------------------------


def test_a_template_handover_row() -> None:
    dossier, _ = received(at=MONDAY, officer="Lan")
    at = MONDAY + dt.timedelta(hours=1)
    command = HandOver(STEP_UNITS[0], to_officer="Hùng", note="bản gốc")
    assert _last(dossier, command, at) == ev.DossierHandedOver(
        occurred_at=at,
        code=dossier.code,
        kind=HandoverKind.INTERNAL,
        from_unit=DESK,
        from_officer="Lan",
        to_unit=STEP_UNITS[0],
        to_officer="Hùng",
        allowance=Duration.working_days(3),
        due_at=WEEKDAYS.due(at, Duration.working_days(3)),
        step_index=0,
        note="bản gốc",
        late_transfer=False,
    )


def test_a_handover_needs_deadlines() -> None:
    dossier, _ = received(at=MONDAY)
    with pytest.raises(InvalidInput) as info:
        _last(dossier, HandOver(STEP_UNITS[0]), MONDAY, deadlines=None)
    assert info.value.reason.startswith("HandOver computes due times: pass deadlines=")


def test_a_template_step_matched_without_diacritics_takes_the_template_spelling() -> None:
    dossier, _ = received(at=MONDAY)
    row = _last(dossier, HandOver("cong chuc tu phap - ho tich"), MONDAY + dt.timedelta(hours=1))
    assert (row.to_unit, row.step_index) == (STEP_UNITS[0], 0)


def test_an_ad_hoc_handover_keeps_the_unit_typed_and_has_no_step() -> None:
    dossier, _ = received(at=MONDAY)
    at = MONDAY + dt.timedelta(hours=1)
    row = _last(dossier, HandOver("Phòng Nội vụ", allowance=Duration.working_hours(4)), at)
    assert (row.to_unit, row.step_index, row.allowance, row.due_at) == (
        "Phòng Nội vụ",
        None,
        Duration.working_hours(4),
        WEEKDAYS.due(at, Duration.working_hours(4)),
    )
    # The next template step after an ad-hoc row is still the first.
    after, _ = drive(dossier, (HandOver("Phòng Nội vụ", allowance=Duration.working_hours(4)), at))
    assert _last(after, HandOver(STEP_UNITS[0]), at + dt.timedelta(hours=1)).step_index == 0


def test_the_template_steps_are_followed_in_order_until_all_are_handed_over() -> None:
    dossier, _ = received(at=MONDAY)
    at = MONDAY + dt.timedelta(hours=1)
    with pytest.raises(StepTemplateMismatch) as info:
        _last(dossier, HandOver(STEP_UNITS[1]), at)
    assert info.value.reason == (
        f"step 1 of the template goes to {STEP_UNITS[0]!r}, not {STEP_UNITS[1]!r}; hand over "
        "to that unit or give an explicit allowance for an ad-hoc step"
    )
    assert info.value.rule == "Decree 61/2018/NĐ-CP Art. 19 (the procedure's internal process)"
    steps = [(HandOver(unit), at + dt.timedelta(hours=i)) for i, unit in enumerate(STEP_UNITS)]
    done, events = drive(dossier, *steps)
    assert [e.step_index for e in events] == [0, 1, 2]
    with pytest.raises(StepTemplateMismatch) as info:
        _last(done, HandOver("Phòng Nội vụ"), at + dt.timedelta(hours=5))
    assert info.value.reason == (
        "the step template of 1.001193 has 3 step(s), all handed over; give the handover to "
        "'Phòng Nội vụ' an explicit allowance"
    )
    assert info.value.rule == "Decree 61/2018/NĐ-CP Art. 19 (the procedure's internal process)"


def test_agency_handovers_are_marked_by_kind() -> None:
    dossier, _ = received(at=MONDAY)
    at = MONDAY + dt.timedelta(hours=1)
    first, _ = drive(dossier, (HandOver(STEP_UNITS[0]), at))
    sent = _last(first, SendToAgency(STEP_UNITS[1]), at + dt.timedelta(hours=1))
    assert (sent.kind, sent.step_index) == (HandoverKind.TO_AGENCY, 1)
    away, _ = drive(first, (SendToAgency(STEP_UNITS[1]), at + dt.timedelta(hours=1)))
    back = _last(away, ReturnFromAgency(STEP_UNITS[2]), at + dt.timedelta(hours=2))
    assert (back.kind, back.from_unit, back.step_index) == (
        HandoverKind.FROM_AGENCY,
        STEP_UNITS[1],
        2,
    )


def test_the_first_handover_of_a_paper_dossier_is_late_after_the_transfer_due() -> None:
    """Decree 61/2018 Art. 18: flagged only after ``transfer_due``, and only the first row."""
    dossier, _ = received(at=MONDAY)
    due = transfer_due(MONDAY, WEEKDAYS)
    assert not _last(dossier, HandOver(STEP_UNITS[0]), due).late_transfer
    late = due + dt.timedelta(minutes=1)
    assert _last(dossier, HandOver(STEP_UNITS[0]), late).late_transfer
    first, _ = drive(dossier, (HandOver(STEP_UNITS[0]), late))
    assert not _last(first, HandOver(STEP_UNITS[1]), late + dt.timedelta(hours=1)).late_transfer
    online, _ = received(at=MONDAY, channel=Channel.ONLINE)
    assert not _last(online, HandOver(STEP_UNITS[0]), late).late_transfer


# -- payment, withdrawal, stop, refusal -------------------------------------------------------


def _processing() -> tuple[Dossier, dt.datetime]:
    dossier, _ = received(at=MONDAY)
    at = MONDAY + dt.timedelta(hours=1)
    return drive(dossier, (HandOver(STEP_UNITS[0]), at))[0], at + dt.timedelta(hours=1)


def test_payment_request_and_confirmation() -> None:
    dossier, at = _processing()
    asked = RequestPayment(50_000, "Lệ phí")
    assert _last(dossier, asked, at) == ev.DossierPaymentRequested(
        occurred_at=at, code=dossier.code, amount_vnd=50_000, reason="Lệ phí"
    )
    waiting, _ = drive(dossier, (asked, at))
    later = at + dt.timedelta(minutes=1)
    assert _last(waiting, ConfirmPayment(), later) == ev.DossierPaymentConfirmed(
        occurred_at=later, code=dossier.code
    )


def test_withdrawal_and_stop_with_the_2025_notice_only_under_the_2025_regime() -> None:
    """Circular 03/2025/TT-VPCP Mẫu 05 (Thông báo dừng); the 2018 regime has no such form."""
    for day, form in (
        (MONDAY, REGIME_2025.form_label(Form.STOP_NOTICE)),
        (local(2024, 3, 4, 9, 0), None),
    ):
        dossier, _ = received(at=day)
        at = day + dt.timedelta(hours=1)
        assert _last(dossier, RequestWithdrawal("Đổi ý"), at) == ev.DossierWithdrawalRequested(
            occurred_at=at, code=dossier.code, reason="Đổi ý"
        )
        withdrawing, _ = drive(dossier, (RequestWithdrawal("Đổi ý"), at))
        assert _last(withdrawing, StopProcessing("Theo yêu cầu"), at) == ev.DossierStopped(
            occurred_at=at, code=dossier.code, reason="Theo yêu cầu", form=form
        )
    assert Form.STOP_NOTICE not in REGIME_2018.forms


def test_refusal_after_appraisal_is_flagged_only_after_the_due_time() -> None:
    """Decree 61/2018 Art. 19(8): the refusal is due within the processing time."""
    dossier, _ = _processing()
    due = dossier.due_at
    assert due is not None
    on_time = _last(dossier, RefuseAfterAppraisal("Không đủ điều kiện"), due)
    assert on_time == ev.DossierRefusedAfterAppraisal(
        occurred_at=due,
        code=dossier.code,
        reason="Không đủ điều kiện",
        form=REGIME_2025.form_label(Form.REFUSAL),
        after_due=False,
    )
    late = _last(dossier, RefuseAfterAppraisal("x"), due + dt.timedelta(minutes=1))
    assert late.after_due


# -- results -----------------------------------------------------------------------------------


def test_results_at_the_desk() -> None:
    dossier, at = _processing()
    assert _last(dossier, Resolve("xong"), at) == ev.DossierResolved(
        occurred_at=at, code=dossier.code, note="xong"
    )
    done, _ = drive(dossier, (Resolve(), at))
    assert _last(done, ReturnAtDesk(), at) == ev.DossierResultReturnedAtDesk(
        occurred_at=at, code=dossier.code
    )
    with pytest.raises(ReturnChannelMismatch) as info:
        _last(done, DispatchByPost("EMS1"), at)
    assert info.value.reason == (
        f"dossier {dossier.code} registered return 'desk' ({ReturnChannel.DESK.label_vi}); "
        "DispatchByPost needs 'postal'"
    )
    assert info.value.rule == "Circular 01/2018/TT-VPCP Mẫu 01 item 6; Decision 45/2016/QĐ-TTg"
    with pytest.raises(ReturnChannelMismatch):
        _last(done, DeliverElectronically(), at)


def test_results_by_post() -> None:
    dossier, _ = received(
        at=MONDAY, return_channel=ReturnChannel.POSTAL, postal_address=postal_address()
    )
    at = MONDAY + dt.timedelta(hours=1)
    done, _ = drive(dossier, (Resolve(), at))
    assert _last(done, DispatchByPost("EMS1"), at) == ev.DossierResultDispatchedByPost(
        occurred_at=at, code=dossier.code, shipment_reference="EMS1"
    )
    posted, _ = drive(done, (DispatchByPost("EMS1"), at))
    assert _last(posted, ConfirmPostalDelivery(), at) == ev.DossierPostalDeliveryConfirmed(
        occurred_at=at, code=dossier.code
    )
    assert _last(posted, PostalParcelReturned(), at) == ev.DossierParcelReturned(
        occurred_at=at, code=dossier.code
    )
    with pytest.raises(ReturnChannelMismatch):
        _last(done, DeliverElectronically(), at)


def test_results_delivered_electronically_and_a_new_return_channel() -> None:
    dossier, _ = received(at=MONDAY)
    at = MONDAY + dt.timedelta(hours=1)
    chosen = ChooseReturnChannel(ReturnChannel.POSTAL, postal_address())
    assert _last(dossier, chosen, at) == ev.DossierReturnChannelChosen(
        occurred_at=at,
        code=dossier.code,
        return_channel=ReturnChannel.POSTAL,
        postal_address=postal_address(),
    )
    online, _ = drive(dossier, (ChooseReturnChannel(ReturnChannel.ELECTRONIC), at))
    done, _ = drive(online, (Resolve(), at))
    assert _last(done, DeliverElectronically(), at) == ev.DossierResultDeliveredElectronically(
        occurred_at=at, code=dossier.code
    )
