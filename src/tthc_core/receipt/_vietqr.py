"""Fee payment by VietQR (NAPAS 247), printed next to the receipt QR.

A VietQR is an EMVCo merchant-presented payload (see :mod:`._emv`) whose
merchant account template 38 carries the NAPAS GUID ``A000000727``, the
beneficiary bank's 6-digit BIN and account (or card) number, and the service
code ``QRIBFTTA`` (to an account) or ``QRIBFTTC`` (to a card). Currency 704
(VND) and country VN are fixed. Mẫu 01 local variants print the fees
(phí, lệ phí) on the receipt (vn-one-stop-rules.md §2.2); tthc puts the dossier
code in the bill number (additional data 62/01) so the agency can reconcile
the transfer with the dossier. Fields of template 62 hold at most 25 ASCII
characters (EMV QRCPS-MPM §4.8), so the bill number must be ASCII and ≤ 25.
"""

from __future__ import annotations

import enum
import re

import attrs

from tthc_core.codes import DossierCode
from tthc_core.errors import InvalidInput
from tthc_core.receipt._emv import (
    NAPAS_GUID,
    EmvObject,
    InvalidMerchantQr,
    emv_object,
    parse_merchant_qr,
    serialise_with_crc,
)

__all__ = ["VietQrPayment", "VietQrService", "build_vietqr", "fee_payment", "parse_vietqr"]

_ADDITIONAL_MAX = 25
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]+")


class VietQrService(enum.Enum):
    """The NAPAS 247 service code (ID 38, sub-ID 02)."""

    TO_ACCOUNT = "QRIBFTTA"
    TO_CARD = "QRIBFTTC"


def _bin(_: object, __: object, value: str) -> None:
    if not re.fullmatch(r"[0-9]{6}", value):
        raise InvalidInput(f"bank BIN {value!r} must be 6 digits, such as 970403")


def _account(_: object, __: object, value: str) -> None:
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", value):
        raise InvalidInput(f"account {value!r} must be 1-19 letters or digits")


def _amount(_: object, __: object, value: int | None) -> None:
    if value is not None and not 1 <= value < 10**13:
        raise InvalidInput(f"amount {value} VND must be between 1 and 13 digits")


def _additional(_: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    if (
        not _PRINTABLE_ASCII.fullmatch(value)
        or len(value) > _ADDITIONAL_MAX
        or value != value.strip()
    ):
        raise InvalidInput(
            f"{attribute.name} {value!r} must be 1-{_ADDITIONAL_MAX} printable ASCII characters "
            "without surrounding spaces (EMV additional data; write Vietnamese without accents)"
        )


@attrs.frozen(kw_only=True)
class VietQrPayment:
    """A VietQR transfer request.

    Args:
        bank_bin: The beneficiary bank's 6-digit BIN (acquirer id).
        account: The account or card number (≤ 19).
        service: To an account or to a card.
        amount_vnd: The amount in VND, or ``None`` for the payer to type.
        bill_number: Additional data 62/01 (tthc: the dossier code).
        purpose: Additional data 62/08 (purpose of transaction).
        dynamic: Point of initiation 12 (one payment) rather than 11 (reusable);
            by default dynamic when there is an amount.
    """

    bank_bin: str = attrs.field(validator=_bin)
    account: str = attrs.field(validator=_account)
    service: VietQrService = VietQrService.TO_ACCOUNT
    amount_vnd: int | None = attrs.field(default=None, validator=_amount)
    bill_number: str | None = attrs.field(default=None, validator=_additional)
    purpose: str | None = attrs.field(default=None, validator=_additional)
    dynamic: bool = attrs.field(
        default=attrs.Factory(lambda self: self.amount_vnd is not None, takes_self=True)
    )


def build_vietqr(payment: VietQrPayment) -> str:
    """The VietQR payload string (CRC appended, upper-case hex).

    Args:
        payment: What to pay.
    """
    beneficiary = (emv_object("00", payment.bank_bin), emv_object("01", payment.account))
    account = (
        emv_object("00", NAPAS_GUID),
        emv_object("01", beneficiary),
        emv_object("02", payment.service.value),
    )
    objects: list[EmvObject] = [
        emv_object("00", "01"),
        emv_object("01", "12" if payment.dynamic else "11"),
        emv_object("38", account),
        emv_object("53", "704"),
    ]
    if payment.amount_vnd is not None:
        objects.append(emv_object("54", str(payment.amount_vnd)))
    objects.append(emv_object("58", "VN"))
    extra = tuple(
        emv_object(i, v) for i, v in (("01", payment.bill_number), ("08", payment.purpose)) if v
    )
    if extra:
        objects.append(emv_object("62", extra))
    return serialise_with_crc(tuple(objects))


def parse_vietqr(text: str) -> VietQrPayment:
    """Parse a NAPAS VietQR payload.

    Args:
        text: The scanned text.

    Raises:
        InvalidMerchantQr: If it is not a well-formed VietQR in VND.
    """
    payload = parse_merchant_qr(text)
    account = payload.get("38")
    guid = account.child("00") if account else None
    if account is None or guid is None or guid.value != NAPAS_GUID:
        raise InvalidMerchantQr("not a VietQR: no NAPAS merchant account (ID 38, A000000727)")
    beneficiary = account.child("01")
    bank = beneficiary.child("00") if beneficiary else None
    number = beneficiary.child("01") if beneficiary else None
    service = account.child("02")
    currency = payload.get("53")
    if bank is None or number is None or service is None:
        raise InvalidMerchantQr("VietQR account 38 needs a bank BIN, an account and a service")
    if currency is None or currency.value != "704":
        raise InvalidMerchantQr("VietQR payments are in VND (currency 704)")
    amount = payload.get("54")
    extra = payload.get("62")
    bill = extra.child("01") if extra else None
    purpose = extra.child("08") if extra else None
    point = payload.get("01")
    try:
        return VietQrPayment(
            bank_bin=bank.value,
            account=number.value,
            service=VietQrService(service.value),
            amount_vnd=None if amount is None else int(amount.value),
            bill_number=None if bill is None else bill.value,
            purpose=None if purpose is None else purpose.value,
            dynamic=point is not None and point.value == "12",
        )
    except ValueError as exc:  # InvalidInput is a ValueError too
        raise InvalidMerchantQr(f"invalid VietQR field: {exc}") from exc


def fee_payment(
    code: DossierCode,
    *,
    bank_bin: str,
    account: str,
    amount_vnd: int,
    purpose: str | None = None,
) -> VietQrPayment:
    """The fee transfer of a dossier, its code in the bill number (62/01).

    Args:
        code: The dossier code; its canonical form must fit 25 characters.
        bank_bin: The agency's bank BIN.
        account: The agency's account.
        amount_vnd: The fee (phí, lệ phí) in VND.
        purpose: Text shown to the payer (ASCII, ≤ 25), such as ``"Le phi ho tich"``.

    Raises:
        InvalidInput: If the code is too long for 62/01 or a field is invalid.
    """
    if len(str(code)) > _ADDITIONAL_MAX:
        raise InvalidInput(
            f"dossier code {code} has {len(str(code))} characters; the VietQR bill number "
            f"holds {_ADDITIONAL_MAX}, so no fee QR can carry it",
            rule="EMV QRCPS-MPM §4.8 (ID 62/01)",
        )
    return VietQrPayment(
        bank_bin=bank_bin,
        account=account,
        amount_vnd=amount_vnd,
        bill_number=str(code),
        purpose=purpose,
    )
