"""Fee payments: HMAC-verified notices over real HTTP; status 6 left exactly once; reconciling."""

from __future__ import annotations

import json

import httpx
import pytest
from tests._app import NOW, POSTAL_SECRET, UNTHROTTLED
from tests._desk import at, receive

from tthc_adapters.app import create_app
from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.payments import FakePaymentPlatform, notice_from_wire, sign
from tthc_core.desk import (
    Desk,
    PaymentNotice,
    PaymentOutcome,
    act,
    reconciliation,
    record_payment,
)
from tthc_core.dossier import DossierPaymentConfirmed, DossierState, HandOver, RequestPayment
from tthc_core.storage import Store
from tthc_core.storage.kinds import DOSSIERS

SECRET = "payment-secret"  # noqa: S105 - a test value


def _awaiting(store: Store, desk: Desk, amount: int = 8000) -> str:
    dossier = receive(store, desk)
    with store.unit_of_work() as uow:
        act(uow, desk, dossier.code, HandOver(dossier.steps[0].unit), at=at(11, 23, 10))
        act(uow, desk, dossier.code, RequestPayment(amount, "Lệ phí"), at=at(11, 23, 11))
        uow.commit()
    return str(dossier.code)


def _notice(tx: str, amount: int, content: str) -> PaymentNotice:
    return PaymentNotice(tx, amount, content, at(11, 23, 12))


def test_a_payment_moves_the_dossier_out_of_status_6_exactly_once(store: Store, desk: Desk) -> None:
    code = _awaiting(store, desk)
    with store.unit_of_work() as uow:
        payment, new = record_payment(uow, desk, _notice("FT1", 8000, f"{code} le phi"), at=NOW)
        again, repeated = record_payment(uow, desk, _notice("FT1", 8000, code), at=NOW)
        second, _ = record_payment(uow, desk, _notice("FT2", 8000, code), at=NOW)
        uow.commit()
    assert (payment.outcome, new, repeated) == (PaymentOutcome.CONFIRMED, True, False)
    assert again == payment
    assert second.outcome is PaymentOutcome.DUPLICATE  # paid twice: for an officer
    with store.unit_of_work() as uow:
        dossier = uow.repository(DOSSIERS).get(code)
        assert dossier is not None
        assert dossier.state is DossierState.IN_PROCESSING
        assert dossier.payments[-1].paid_at is not None
        trail = uow.audit.for_dossier(code)
        confirmations = [e for e in trail if isinstance(e.event, DossierPaymentConfirmed)]
        assert len(confirmations) == 1
        assert [p.notice.transaction_id for p in reconciliation(uow)] == ["FT2"]


def test_unmatched_and_underpaid_payments_wait_for_an_officer(store: Store, desk: Desk) -> None:
    code = _awaiting(store, desk)
    with store.unit_of_work() as uow:
        short, _ = record_payment(uow, desk, _notice("FT3", 5000, code), at=NOW)
        stray, _ = record_payment(uow, desk, _notice("FT4", 8000, "chuyen tien"), at=NOW)
        uow.commit()
    assert short.outcome is PaymentOutcome.UNDERPAID
    assert short.requested_vnd == 8000
    assert stray.outcome is PaymentOutcome.UNMATCHED
    with store.unit_of_work() as uow:
        dossier = uow.repository(DOSSIERS).get(code)
        assert dossier is not None
        assert dossier.state is DossierState.AWAITING_PAYMENT
        assert {p.outcome for p in reconciliation(uow)} == {
            PaymentOutcome.UNDERPAID,
            PaymentOutcome.UNMATCHED,
        }


def test_the_wire_refuses_malformed_notices() -> None:
    with pytest.raises(ValueError, match="paid_at"):
        notice_from_wire({"transaction_id": "t", "amount": 1, "content": "", "paid_at": "hôm qua"})
    with pytest.raises(ValueError, match="amount"):
        notice_from_wire(
            {"transaction_id": "t", "amount": 0, "content": "", "paid_at": "2026-11-23T10:00+07:00"}
        )
    with pytest.raises(ValueError, match="offset"):
        notice_from_wire(
            {"transaction_id": "t", "amount": 1, "content": "", "paid_at": "2026-11-23T10:00"}
        )


def test_over_real_http_the_fake_platform_pays_once_and_forgeries_are_refused(
    store: Store, desk: Desk
) -> None:
    code = _awaiting(store, desk)
    app = create_app(
        store,
        desk,
        postal_secret=POSTAL_SECRET,
        clock=lambda: NOW,
        throttle=UNTHROTTLED,
        payment_secret=SECRET,
    )
    with LoopbackServer(app) as server:
        url = f"{server.url}/webhooks/payment"
        bank = FakePaymentPlatform(url, SECRET)
        paid = at(11, 23, 12)
        first = bank.credit("FT9", 8000, code, paid)
        redelivered = bank.credit("FT9", 8000, code, paid)
        forged = FakePaymentPlatform(url, "wrong").credit("FT10", 8000, code, paid)
        raw = json.dumps({"transaction_id": "FT11"}).encode()
        headers = {"content-type": "application/json", "x-signature": sign(raw, SECRET)}
        malformed = httpx.post(url, content=raw, headers=headers)
    assert (first.status_code, first.json()) == (200, {"recorded": True, "outcome": "confirmed"})
    assert redelivered.json() == {"recorded": False, "outcome": "confirmed"}
    assert forged.status_code == 401
    assert malformed.status_code == 400
    with store.unit_of_work() as uow:
        dossier = uow.repository(DOSSIERS).get(code)
        assert dossier is not None
        assert dossier.state is DossierState.IN_PROCESSING
        assert not reconciliation(uow)
