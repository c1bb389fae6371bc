"""What the citizen who filed online hears when the desk acts on the dossier.

Called by :func:`tthc_core.desk.act` after every command, in the same unit of
work, so each message exists if and only if the change it announces was
committed (the outbox):

* received (Decree 61/2018 Art. 17(1c)): the electronic receipt — the code,
  dated on the receipt day (Circular 01/2018 Art. 19), the promised return
  time and the receipt's verifiable look-up link (Mẫu 01);
* asked to complete at intake (Art. 17(2a)) or to supplement after appraisal
  (Art. 19(4)): the filing reopens for documents and the citizen reads the
  whole list at once (đầy đủ một lần, Art. 11(2)(c)); the dossier's clock
  follows its regime's supplement rule (:mod:`tthc_core.dossier`);
* refused at intake (Art. 17(1b), Mẫu 03): the reason;
* fee requested (portal status 6): the amount and a VietQR (EMVCo) transfer
  request whose bill number is the dossier code (:func:`tthc_core.receipt.fee_payment`);
  fee paid (status 6 → 4): an acknowledgement;
* result returned (status 10): every follower is asked to rate
  (:mod:`tthc_core.desk._ratings`; Circular 01/2018 Art. 12-13).
"""

from __future__ import annotations

from collections.abc import Sequence

from tthc_core.desk._config import Desk
from tthc_core.desk._numbering import followers
from tthc_core.desk._ratings import ask_rating
from tthc_core.desk.messages import format_instant
from tthc_core.dossier import (
    Channel,
    Dossier,
    DossierCompletionRequested,
    DossierPaymentConfirmed,
    DossierPaymentRequested,
    DossierPostalDeliveryConfirmed,
    DossierReceived,
    DossierRefusedAtIntake,
    DossierResultDeliveredElectronically,
    DossierResultReturnedAtDesk,
    DossierSupplementRequested,
)
from tthc_core.errors import InvalidInput
from tthc_core.events import DomainEvent
from tthc_core.filing import FilingRefused, RequestDocuments, dong, handle, supplement_request
from tthc_core.rating import RatingTopic
from tthc_core.receipt import build_vietqr, fee_payment
from tthc_core.storage import OutboundMessage, UnitOfWork
from tthc_core.storage.kinds import FILINGS
from tthc_core.text import nfc

__all__ = ["fee_request", "follow_up_online"]


def _tell(uow: UnitOfWork, dossier: Dossier, topic: str, text: str) -> None:
    for link in followers(uow, dossier):
        uow.outbox.put(
            OutboundMessage(
                key=f"{dossier.code}#v{dossier.version}#{topic}#{link.channel}:{link.user_id}",
                channel=link.channel,
                payload={"user_id": link.user_id, "text": nfc(text)},
            )
        )


def _reopen(
    uow: UnitOfWork, dossier: Dossier, items: tuple[str, ...], at_event: DomainEvent
) -> bool:
    repo = uow.repository(FILINGS)
    for filing in repo.for_dossier(dossier.submitted_as or dossier.code):
        procedure = uow.catalogue.get(filing.procedure_code)
        if procedure is None:
            continue
        try:
            changed, events = handle(
                filing, RequestDocuments(items), procedure=procedure, at=at_event.occurred_at
            )
        except FilingRefused:
            continue
        saved = repo.save(changed, events)
        _tell(uow, dossier, "supplement", supplement_request(saved))
        return True
    return False


def follow_up_online(
    uow: UnitOfWork, desk: Desk, dossier: Dossier, events: Sequence[DomainEvent]
) -> None:
    """Tell the online filer what the desk's command did (see the module docstring)."""
    for event in events:
        match event:
            case DossierReceived() if dossier.channel is Channel.ONLINE:
                _tell(uow, dossier, "receipt", _receipt(desk, dossier))
            case DossierCompletionRequested(items=items) | DossierSupplementRequested(items=items):
                if not _reopen(uow, dossier, items, event):
                    listed = "\n".join(f"- {i}" for i in items)
                    _tell(
                        uow, dossier, "supplement", f"Hồ sơ {dossier.code} cần bổ sung:\n{listed}"
                    )
            case DossierRefusedAtIntake(reason=reason):
                _tell(
                    uow,
                    dossier,
                    "refused",
                    f"Hồ sơ {dossier.code} không được tiếp nhận. Lý do: {reason}",
                )
            case DossierPaymentRequested(amount_vnd=amount, reason=reason):
                _tell(uow, dossier, "fee", fee_request(desk, dossier, amount, reason))
            case DossierPaymentConfirmed():
                _tell(
                    uow,
                    dossier,
                    "paid",
                    f"Đã nhận khoản nộp phí, lệ phí của hồ sơ {dossier.code}. Hồ sơ tiếp tục "
                    "được giải quyết.",
                )
            case (
                DossierResultReturnedAtDesk()
                | DossierResultDeliveredElectronically()
                | DossierPostalDeliveryConfirmed()
            ):
                for link in followers(uow, dossier):
                    ask_rating(
                        uow,
                        channel=link.channel,
                        user_id=link.user_id,
                        topic=RatingTopic.DOSSIER,
                        subject=str(dossier.code),
                        at=event.occurred_at,
                    )
            case _:
                pass


def _receipt(desk: Desk, dossier: Dossier) -> str:
    link = desk.codec.url(desk.codec.sign(dossier.code, desk.keys))
    due = "" if dossier.due_at is None else f"\nHẹn trả kết quả: {format_instant(dossier.due_at)}."
    return (
        f"{desk.agency_name} đã tiếp nhận hồ sơ của ông/bà.\nMã hồ sơ: {dossier.code}"
        f" (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Mẫu 01).{due}\nTra cứu: {link}"
    )


def fee_request(desk: Desk, dossier: Dossier, amount_vnd: int, reason: str) -> str:
    """The fee notice with its VietQR transfer request (the dossier code as bill number)."""
    text = f"Hồ sơ {dossier.code}: đề nghị nộp {reason.lower()} {dong(amount_vnd)}."
    account = desk.fee_account
    if account is None or amount_vnd <= 0:
        return text + " Xin nộp tại Bộ phận Một cửa."
    try:
        qr = build_vietqr(
            fee_payment(
                dossier.code,
                bank_bin=account.bank_bin,
                account=account.account,
                amount_vnd=amount_vnd,
                purpose=account.purpose,
            )
        )
    except InvalidInput:
        return text + " Xin nộp tại Bộ phận Một cửa."
    return (
        f"{text}\nQuét mã VietQR sau bằng ứng dụng ngân hàng để chuyển khoản (nội dung là mã "
        f"hồ sơ, xin giữ nguyên):\n{qr}"
    )
