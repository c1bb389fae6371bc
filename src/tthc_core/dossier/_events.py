"""Dossier events: the append-only audit trail from which a dossier is rebuilt.

Every command that succeeds yields exactly one event. Events carry every value
the decision computed (due times, flags, form labels), so replaying them needs
no calendar (:func:`tthc_core.dossier.rebuild`). Class names start with
``Dossier`` because they are the ``"type"`` tags of the serialised union.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.calendar import Duration
from tthc_core.catalogue import StepTemplate
from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.dossier._sheet import HandoverKind
from tthc_core.dossier._states import Channel
from tthc_core.events import DomainEvent
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.regime import Regime, SupplementClock

__all__ = [
    "DossierCompletionRequested",
    "DossierEvent",
    "DossierHandedOver",
    "DossierParcelReturned",
    "DossierPaymentConfirmed",
    "DossierPaymentRequested",
    "DossierPostalDeliveryConfirmed",
    "DossierReceived",
    "DossierRefusedAfterAppraisal",
    "DossierRefusedAtIntake",
    "DossierRescheduled",
    "DossierResolved",
    "DossierResubmitted",
    "DossierResultDeliveredElectronically",
    "DossierResultDispatchedByPost",
    "DossierResultReturnedAtDesk",
    "DossierReturnChannelChosen",
    "DossierStopped",
    "DossierSubmitted",
    "DossierSupplementReceived",
    "DossierSupplementRequested",
    "DossierWithdrawalRequested",
]


@attrs.frozen(kw_only=True)
class DossierEvent(DomainEvent):
    """Something that happened to one dossier.

    Args:
        code: The dossier's code.
    """

    code: DossierCode


@attrs.frozen(kw_only=True)
class DossierSubmitted(DossierEvent):
    """The dossier was registered in the one-stop e-system (portal status 1).

    Args:
        applicant: Who filed it.
        procedure_code: The procedure.
        procedure_name: Its name.
        processing_time: Its legal processing time.
        steps: Its step template.
        channel: How it was filed.
        return_channel: How the result will be returned (Mẫu 01 item 6).
        postal_address: Where, for postal return.
        supplement_clock: The agency's override of the regime's supplement clock.
        regime: The regime in force on the submission date.
    """

    applicant: Applicant
    procedure_code: ProcedureCode
    procedure_name: str
    processing_time: Duration
    steps: tuple[StepTemplate, ...]
    channel: Channel
    return_channel: ReturnChannel
    postal_address: PostalAddress | None
    supplement_clock: SupplementClock | None
    regime: Regime


@attrs.frozen(kw_only=True)
class DossierReceived(DossierEvent):
    """The desk received the dossier and issued Mẫu 01; ``occurred_at`` is the receipt time.

    Args:
        unit: The receiving desk.
        officer: The receiving officer.
        due_at: The promised return time.
        regime: The regime in force on the receipt date, kept for life.
        form: The receipt form's label.
        dossier_code: The code dated on the receipt day, when it replaces the
            submission code ``code`` (Circular 01/2018/TT-VPCP Art. 19).
    """

    unit: str
    officer: str | None
    due_at: dt.datetime
    regime: Regime
    form: str
    dossier_code: DossierCode | None = None


@attrs.frozen(kw_only=True)
class DossierCompletionRequested(DossierEvent):
    """Returned at intake for completion with Mẫu 02 (Decree 61/2018 Art. 17(1a)).

    Args:
        items: What to add or correct.
        reason: Why.
        officer: Who gave guidance.
        form: Mẫu 02's label.
    """

    items: tuple[str, ...]
    reason: str
    officer: str | None
    form: str


@attrs.frozen(kw_only=True)
class DossierResubmitted(DossierEvent):
    """The applicant filed the completed dossier again."""


@attrs.frozen(kw_only=True)
class DossierRefusedAtIntake(DossierEvent):
    """Refused at intake with Mẫu 03 (Decree 61/2018 Art. 17(1b)).

    Args:
        reason: Why.
        officer: The receiving officer.
        form: Mẫu 03's label.
    """

    reason: str
    officer: str | None
    form: str


@attrs.frozen(kw_only=True)
class DossierHandedOver(DossierEvent):
    """The dossier changed hands: a new row of the control sheet.

    The previous row (if any) is completed at ``occurred_at``.

    Args:
        kind: Internal, to another agency, or back.
        from_unit: Who handed over.
        from_officer: Its officer.
        to_unit: Who received.
        to_officer: Its officer.
        allowance: The receiving unit's allowance.
        due_at: Its step's due time.
        step_index: The template step, or ``None`` for ad hoc.
        note: Ghi chú.
        late_transfer: The desk handed a paper dossier on later than Decree
            61/2018 Art. 18 allows (same day, or the next morning after 15:00).
    """

    kind: HandoverKind
    from_unit: str
    from_officer: str | None
    to_unit: str
    to_officer: str | None
    allowance: Duration
    due_at: dt.datetime
    step_index: int | None
    note: str
    late_transfer: bool = False


@attrs.frozen(kw_only=True)
class DossierSupplementRequested(DossierEvent):
    """More documents requested after appraisal with Mẫu 02 (Decree 61/2018 Art. 19(4)).

    Args:
        items: What to add or correct.
        reason: Why.
        form: Mẫu 02's label.
        late_request: Made more than 3 working days after the handling agency
            received the dossier.
    """

    items: tuple[str, ...]
    reason: str
    form: str
    late_request: bool


@attrs.frozen(kw_only=True)
class DossierSupplementReceived(DossierEvent):
    """The complete dossier is back; the clock runs again.

    Args:
        clock: The policy applied.
        waited_minutes: Working minutes spent waiting.
        due_at: The dossier's new due time.
        step_due_at: The open step's new due time, if a step was open.
        resumed_at: The signed postal handover the clock resumed at, when it
            was not the event's instant (Decision 45/2016/QĐ-TTg Art. 7(4)).
    """

    clock: SupplementClock
    waited_minutes: int
    due_at: dt.datetime
    step_due_at: dt.datetime | None
    resumed_at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class DossierPaymentRequested(DossierEvent):
    """Fees or taxes requested (portal status 6).

    Args:
        amount_vnd: Amount in đồng.
        reason: What for.
    """

    amount_vnd: int
    reason: str


@attrs.frozen(kw_only=True)
class DossierPaymentConfirmed(DossierEvent):
    """The applicant paid."""


@attrs.frozen(kw_only=True)
class DossierWithdrawalRequested(DossierEvent):
    """The applicant asked to withdraw (portal status 7).

    Args:
        reason: The applicant's reason.
    """

    reason: str


@attrs.frozen(kw_only=True)
class DossierStopped(DossierEvent):
    """Processing stopped (portal status 8).

    Args:
        reason: Why.
        form: The stop notice's label (Mẫu 05 in the 2025 regime), else ``None``.
    """

    reason: str
    form: str | None


@attrs.frozen(kw_only=True)
class DossierRefusedAfterAppraisal(DossierEvent):
    """Refused after appraisal with Mẫu 03 (Decree 61/2018 Art. 19(8)).

    Args:
        reason: Why.
        form: Mẫu 03's label.
        after_due: Issued after the due time, although the rule wants it within.
    """

    reason: str
    form: str
    after_due: bool


@attrs.frozen(kw_only=True)
class DossierRescheduled(DossierEvent):
    """Apology and new appointment, Mẫu 04 (Decree 61/2018 Art. 19(9)).

    Args:
        original_due_at: The due time before.
        new_due_at: The new appointment.
        reason: Why.
        form: Mẫu 04's label.
        late_notice: Issued less than the regime's lead time before ``original_due_at``.
    """

    original_due_at: dt.datetime
    new_due_at: dt.datetime
    reason: str
    form: str
    late_notice: bool


@attrs.frozen(kw_only=True)
class DossierResolved(DossierEvent):
    """The result is ready (portal status 9); processing ends.

    Args:
        note: A note.
    """

    note: str


@attrs.frozen(kw_only=True)
class DossierResultReturnedAtDesk(DossierEvent):
    """The applicant collected the result at the desk (portal status 10)."""


@attrs.frozen(kw_only=True)
class DossierResultDispatchedByPost(DossierEvent):
    """The result was handed to public post.

    Args:
        shipment_reference: The shipment's reference.
    """

    shipment_reference: str


@attrs.frozen(kw_only=True)
class DossierPostalDeliveryConfirmed(DossierEvent):
    """The post delivered the result (portal status 10)."""


@attrs.frozen(kw_only=True)
class DossierParcelReturned(DossierEvent):
    """The parcel came back undelivered; the result waits at the desk again."""


@attrs.frozen(kw_only=True)
class DossierReturnChannelChosen(DossierEvent):
    """The applicant chose how to get the result (Mẫu 01 item 6; Decision 45/2016 Art. 5).

    Args:
        return_channel: The channel.
        postal_address: The delivery address, for postal return.
    """

    return_channel: ReturnChannel
    postal_address: PostalAddress | None


@attrs.frozen(kw_only=True)
class DossierResultDeliveredElectronically(DossierEvent):
    """The electronic result was delivered through the portal (portal status 10)."""
