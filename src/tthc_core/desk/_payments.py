"""Fee payments confirmed by the bank or payment platform, and their reconciliation.

A :class:`PaymentNotice` is one credited transfer, as the platform's webhook
reports it (HMAC-verified by the adapter, :mod:`tthc_adapters.payments`).
:func:`record_payment` keeps it once per transaction id (a redelivered notice
changes nothing) and matches it by the dossier code the VietQR request put in
the transfer's content (bill number 62/01, :func:`tthc_core.receipt.fee_payment`):

* the dossier waits for this fee (portal status 6) and the amount covers the
  request → :class:`~tthc_core.dossier.ConfirmPayment`: the dossier leaves
  status 6, exactly once, and its filer is told;
* otherwise the payment is kept for an officer (:func:`reconciliation`):
  ``unmatched`` (no dossier of this desk named), ``underpaid`` (less than
  requested) or ``duplicate`` (the dossier was not waiting for a fee — paid
  twice, or before it was asked). Amounts are whole đồng.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from tthc_core.calendar import to_local
from tthc_core.codes import DossierCode, extract_dossier_codes
from tthc_core.desk._config import Desk
from tthc_core.desk._dossiers import act
from tthc_core.desk._numbering import find_dossier
from tthc_core.dossier import ConfirmPayment, DossierState
from tthc_core.errors import InvalidInput
from tthc_core.storage import AggregateKind, Index, UnitOfWork
from tthc_core.validators import aware as _aware
from tthc_core.validators import non_blank as _non_blank

__all__ = [
    "PAYMENTS",
    "Payment",
    "PaymentNotice",
    "PaymentOutcome",
    "reconciliation",
    "record_payment",
]


def _amount(_: object, __: object, value: int) -> None:
    if value <= 0:
        raise InvalidInput(f"a credited amount must be a positive number of đồng, got {value}")


@attrs.frozen
class PaymentNotice:
    """One credited transfer, as the payment platform reports it.

    Args:
        transaction_id: The platform's transaction id (deduplication key).
        amount_vnd: The amount credited, in đồng.
        content: The transfer's content (VietQR bill number / description).
        paid_at: When the platform credited it.
    """

    transaction_id: str = attrs.field(validator=_non_blank)
    amount_vnd: int = attrs.field(validator=_amount)
    content: str
    paid_at: dt.datetime = attrs.field(validator=_aware)


class PaymentOutcome(enum.Enum):
    """What a payment did."""

    CONFIRMED = "confirmed"  # the dossier left status 6
    UNMATCHED = "unmatched"  # names no dossier of this desk
    UNDERPAID = "underpaid"  # less than the fee requested
    DUPLICATE = "duplicate"  # the dossier was not waiting for a fee


@attrs.frozen(kw_only=True)
class Payment:
    """A recorded payment (the aggregate), keyed by the platform's transaction id."""

    notice: PaymentNotice
    outcome: PaymentOutcome
    dossier_code: DossierCode | None
    recorded_at: dt.datetime = attrs.field(validator=_aware)
    requested_vnd: int | None = None
    version: int = 0

    @property
    def needs_officer(self) -> bool:
        """Whether an officer must reconcile it."""
        return self.outcome is not PaymentOutcome.CONFIRMED


#: Payments, keyed by transaction id; by dossier; the state is the outcome.
PAYMENTS: AggregateKind[Payment] = AggregateKind(
    "payment",
    Payment,
    key=lambda p: p.notice.transaction_id,
    index=lambda p: Index(
        state=p.outcome.value,
        dossier_code=None if p.dossier_code is None else str(p.dossier_code),
    ),
)


def record_payment(
    uow: UnitOfWork, desk: Desk, notice: PaymentNotice, *, at: dt.datetime
) -> tuple[Payment, bool]:
    """Record a payment once and apply it (see the module docstring).

    Returns:
        The payment, and whether this call recorded it (``False``: redelivered).
    """
    repo = uow.repository(PAYMENTS)
    known = repo.get(notice.transaction_id)
    if known is not None:
        return known, False
    at = to_local(at)
    codes = [c for c in extract_dossier_codes(notice.content) if c.agency == desk.agency]
    dossier = None
    for code in codes:
        dossier = find_dossier(uow, code)
        if dossier is not None:
            break
    requested = None
    if dossier is None:
        outcome = PaymentOutcome.UNMATCHED
    elif dossier.state is not DossierState.AWAITING_PAYMENT or not dossier.payments:
        outcome = PaymentOutcome.DUPLICATE
    else:
        requested = dossier.payments[-1].amount_vnd
        if notice.amount_vnd < requested:
            outcome = PaymentOutcome.UNDERPAID
        else:
            outcome = PaymentOutcome.CONFIRMED
            act(uow, desk, dossier.code, ConfirmPayment(), at=at)
    payment = Payment(
        notice=notice,
        outcome=outcome,
        dossier_code=None if dossier is None else dossier.code,
        recorded_at=at,
        requested_vnd=requested,
    )
    return repo.save(payment), True


def reconciliation(uow: UnitOfWork, *, limit: int = 1000) -> list[Payment]:
    """The payments an officer must reconcile (unmatched, underpaid, duplicate), oldest first."""
    found: list[Payment] = []
    after: str | None = None
    repo = uow.repository(PAYMENTS)
    while len(found) < limit:
        page = repo.page(after=after, limit=200)
        if not page:
            break
        found += [p for p in page if p.needs_officer]
        after = page[-1].notice.transaction_id
    return sorted(found, key=lambda p: p.recorded_at)[:limit]
