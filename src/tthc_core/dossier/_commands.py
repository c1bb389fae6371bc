"""Commands: what an officer, the citizen or the post asks of a dossier.

A command is a frozen value that validates its own shape (a refusal needs a
reason, a handover a unit); whether it is *allowed* depends on the dossier's
state and is decided by the transition table (:mod:`tthc_core.dossier._table`).
Free text is stored in NFC.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.calendar import Duration, TimeUnit
from tthc_core.codes import DossierCode
from tthc_core.errors import InvalidInput
from tthc_core.party import PostalAddress, ReturnChannel
from tthc_core.text import nfc

__all__ = [
    "AskToComplete",
    "ChooseReturnChannel",
    "Command",
    "ConfirmPayment",
    "ConfirmPostalDelivery",
    "DeliverElectronically",
    "DispatchByPost",
    "HandOver",
    "PostalParcelReturned",
    "ReceiveDossier",
    "ReceiveSupplement",
    "RefuseAfterAppraisal",
    "RefuseAtIntake",
    "RequestPayment",
    "RequestSupplement",
    "RequestWithdrawal",
    "Reschedule",
    "Resolve",
    "ResubmitDossier",
    "ReturnAtDesk",
    "ReturnFromAgency",
    "SendToAgency",
    "StopProcessing",
]


def _non_blank(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise InvalidInput(f"{type(instance).__name__}.{attribute.name} must not be blank")


def _optional_non_blank(
    instance: object, attribute: attrs.Attribute[str | None], value: str | None
) -> None:
    if value is not None and not value.strip():
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must be None or a non-blank name"
        )


def _optional_nfc(value: str | None) -> str | None:
    return None if value is None else nfc(value)


def _items(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(nfc(item) for item in value)


def _check_items(instance: object, _: object, value: tuple[str, ...]) -> None:
    if not value or not all(item.strip() for item in value):
        raise InvalidInput(
            f"{type(instance).__name__} must list at least one document or correction, "
            "none blank: Mẫu 02 names everything needed in a single notice "
            "(Decree 61/2018 Art. 17(2a))"
        )


def _working_time(
    instance: object, attribute: attrs.Attribute[Duration | None], value: Duration | None
) -> None:
    if value is not None and value.unit is TimeUnit.CALENDAR_DAYS:
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must be working days or hours; "
            "a step allowance is working time"
        )


@attrs.frozen
class Command:
    """Base class of dossier commands."""


@attrs.frozen
class ReceiveDossier(Command):
    """Receive a complete dossier and issue the receipt (Mẫu 01; Decree 61/2018 Art. 17(1c)).

    The command's instant is the receipt time; its due time is
    ``Deadlines.due(received_at, processing_time)``. For a postal dossier pass
    the instant the desk and the postal worker sign the handover record: that
    is the valid filing time (Decision 45/2016/QĐ-TTg Art. 7(4)).

    The dossier code is dated the day the desk receives the dossier (Circular
    01/2018/TT-VPCP Art. 19: ``YYMMDD`` is the receipt date). An online dossier
    submitted on an earlier day is registered under its submission code;
    receiving it needs ``code``, allocated from the receipt day's sequence,
    and the dossier is known by that code from then on (the submission code
    stays in ``Dossier.submitted_as``). A dossier refused or returned at intake
    never takes a number of the receipt sequence (Decree 61/2018 Art. 17(3)).

    Args:
        unit: The receiving desk (Bộ phận Một cửa / Trung tâm Phục vụ HCC).
        officer: The receiving officer.
        code: The dossier code dated on the receipt day, when the submission
            code is dated on another day (required then).
    """

    unit: str = attrs.field(converter=nfc, validator=_non_blank)
    officer: str | None = attrs.field(
        default=None, converter=_optional_nfc, validator=_optional_non_blank, kw_only=True
    )
    code: DossierCode | None = attrs.field(default=None, kw_only=True)


@attrs.frozen
class AskToComplete(Command):
    """Return an incomplete dossier at intake with Mẫu 02 (Decree 61/2018 Art. 17(1a), (2a)).

    Args:
        items: Everything to add or correct, in one notice.
        reason: Why.
        officer: The officer giving guidance (Người hướng dẫn).
    """

    items: tuple[str, ...] = attrs.field(converter=_items, validator=_check_items)
    reason: str = attrs.field(converter=nfc, validator=_non_blank)
    officer: str | None = attrs.field(
        default=None, converter=_optional_nfc, validator=_optional_non_blank, kw_only=True
    )


@attrs.frozen
class ResubmitDossier(Command):
    """The applicant files the completed dossier again after Mẫu 02 at intake."""


@attrs.frozen
class RefuseAtIntake(Command):
    """Refuse to receive the dossier with Mẫu 03, stating why (Decree 61/2018 Art. 17(1b)).

    Args:
        reason: The reason; a blank reason is an error.
        officer: The receiving officer.
    """

    reason: str = attrs.field(converter=nfc, validator=_non_blank)
    officer: str | None = attrs.field(
        default=None, converter=_optional_nfc, validator=_optional_non_blank, kw_only=True
    )


@attrs.frozen
class HandOver(Command):
    """Hand the dossier to another unit or officer (a row of the control sheet, Mẫu 05/06).

    Without ``allowance`` the next step of the procedure's step template is
    used, and ``to_unit`` must be that step's unit; with ``allowance`` the
    handover is ad hoc.

    Args:
        to_unit: The receiving unit (department, leader for signature, desk).
        to_officer: The receiving officer, if assigned (Decree 61/2018 Art. 19(1)).
        allowance: The step's time allowance (working time), for ad-hoc steps.
        note: The sheet's "Ghi chú".
    """

    to_unit: str = attrs.field(converter=nfc, validator=_non_blank)
    to_officer: str | None = attrs.field(
        default=None, converter=_optional_nfc, validator=_optional_non_blank, kw_only=True
    )
    allowance: Duration | None = attrs.field(default=None, validator=_working_time, kw_only=True)
    note: str = attrs.field(default="", converter=nfc, kw_only=True)


@attrs.frozen
class SendToAgency(HandOver):
    """Send the dossier to another agency for inter-agency processing (liên thông).

    Decree 61/2018 Art. 19(5)-(6): consulted agencies have deadlines and record
    their input on the control sheet. Same fields as :class:`HandOver`.
    """


@attrs.frozen
class ReturnFromAgency(HandOver):
    """The consulted agency hands the dossier back. Same fields as :class:`HandOver`."""


@attrs.frozen
class RequestSupplement(Command):
    """Ask for more documents after appraisal with Mẫu 02 (Decree 61/2018 Art. 19(4)).

    Args:
        items: Everything to add or correct, in one notice.
        reason: Why.
    """

    items: tuple[str, ...] = attrs.field(converter=_items, validator=_check_items)
    reason: str = attrs.field(converter=nfc, validator=_non_blank)


def _aware(_: object, attribute: attrs.Attribute[dt.datetime], value: dt.datetime) -> None:
    if value.utcoffset() is None:
        raise InvalidInput(f"{attribute.name} must be an aware datetime, got {value!r}")


@attrs.frozen
class ReceiveSupplement(Command):
    """The complete dossier is back: the processing clock runs again.

    Args:
        handed_over_at: For a supplement sent by public post, when the desk and
            the postal worker signed the handover record; the clock resumes
            then, not when the officer records it (Decision 45/2016/QĐ-TTg
            Art. 7(4): the dossier is filed at the signed handover, and the
            time in transit is the applicant's). ``None``: at the command's
            instant.
    """

    handed_over_at: dt.datetime | None = attrs.field(
        default=None, validator=attrs.validators.optional(_aware)
    )


@attrs.frozen
class RequestPayment(Command):
    """Ask the applicant to pay fees or taxes (portal status 6).

    Args:
        amount_vnd: The amount in đồng (non-negative).
        reason: What it is for.
    """

    amount_vnd: int = attrs.field()
    reason: str = attrs.field(converter=nfc, validator=_non_blank)

    @amount_vnd.validator
    def _check_amount(self, _: object, value: int) -> None:
        if value < 0:
            raise InvalidInput(f"a payment cannot be negative ({value} VND)")


@attrs.frozen
class ConfirmPayment(Command):
    """The applicant has paid: processing continues."""


@attrs.frozen
class RequestWithdrawal(Command):
    """The applicant asks to withdraw the dossier (portal status 7).

    Args:
        reason: The applicant's reason, if given.
    """

    reason: str = attrs.field(default="", converter=nfc)


@attrs.frozen
class StopProcessing(Command):
    """Stop processing after a withdrawal request (portal status 8).

    Under the 2025 regime the agency issues Mẫu 05, Thông báo dừng giải quyết
    hồ sơ (Circular 03/2025/TT-VPCP Phụ lục I).

    Args:
        reason: The reason recorded on the stop notice.
    """

    reason: str = attrs.field(converter=nfc, validator=_non_blank)


@attrs.frozen
class RefuseAfterAppraisal(Command):
    """Refuse after appraisal with Mẫu 03, within the processing time (Decree 61/2018 Art. 19(8)).

    Args:
        reason: Why the dossier does not qualify.
    """

    reason: str = attrs.field(converter=nfc, validator=_non_blank)


@attrs.frozen
class Reschedule(Command):
    """Apologise and set a new return time (Mẫu 04; Decree 61/2018 Art. 19(9)).

    Args:
        new_due_at: The new appointment (after the current due time).
        reason: Why the dossier will be late.
    """

    new_due_at: dt.datetime = attrs.field(validator=_aware)
    reason: str = attrs.field(converter=nfc, validator=_non_blank)


@attrs.frozen
class Resolve(Command):
    """The result is ready at the desk (portal status 9): processing ends.

    Args:
        note: A note for the record.
    """

    note: str = attrs.field(default="", converter=nfc)


@attrs.frozen
class ReturnAtDesk(Command):
    """The applicant collects the result at the desk (portal status 10)."""


@attrs.frozen
class DispatchByPost(Command):
    """Hand the result to public post for delivery (Decision 45/2016/QĐ-TTg).

    Args:
        shipment_reference: The shipment's reference (see :mod:`tthc_core.delivery`).
    """

    shipment_reference: str = attrs.field(validator=_non_blank)


@attrs.frozen
class ConfirmPostalDelivery(Command):
    """The post confirms delivery to the applicant: the result is returned."""


@attrs.frozen
class PostalParcelReturned(Command):
    """The parcel could not be delivered and came back to the desk."""


@attrs.frozen
class ChooseReturnChannel(Command):
    """The applicant chooses (again) how to get the result, until it leaves by post.

    Mẫu 01 item 6 records the choice at intake; it may change until dispatch
    (Decision 45/2016/QĐ-TTg Art. 5), and after a parcel comes back.

    Args:
        return_channel: Desk, post or electronic.
        postal_address: Where to deliver; required for postal return.
    """

    return_channel: ReturnChannel
    postal_address: PostalAddress | None = attrs.field(default=None)

    @postal_address.validator
    def _check_address(self, _: object, value: PostalAddress | None) -> None:
        if self.return_channel is ReturnChannel.POSTAL and value is None:
            raise InvalidInput("a postal return needs the applicant's postal address")


@attrs.frozen
class DeliverElectronically(Command):
    """The electronic result is delivered through the portal (Decree 61/2018 Art. 20)."""
