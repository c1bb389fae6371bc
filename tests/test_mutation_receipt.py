"""Receipt payload and VietQR boundaries that mutants of ``tthc_core.receipt`` survived (issue 15).

Each test names the rule or the boundary it pins; ``bench/mutation.py`` runs it against every
receipt module (``nox -s mutate -- src/tthc_core/receipt/_payload.py``).
"""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.errors import InvalidInput
from tthc_core.receipt import (
    MAX_LOOKUP_BASE_LEN,
    InvalidReceiptPayload,
    PayloadForm,
    ReceiptCodec,
    ReceiptKey,
    ReceiptPayload,
    StaticKeyRing,
    Verdict,
    build_vietqr,
)
from tthc_core.receipt._emv import (
    NAPAS_GUID,
    InvalidMerchantQr,
    emv_object,
    serialise_with_crc,
)
from tthc_core.receipt._vietqr import (
    VietQrPayment,
    VietQrService,
    fee_payment,
    parse_vietqr,
)

AGENCY = AgencyCode("000.00.15.H12")
OTHER = AgencyCode("000.00.16.H12")
CODE = DossierCode(AGENCY, dt.date(2024, 3, 7), 5)
KEY = ReceiptKey("K1", bytes(range(32)))
RING = StaticKeyRing([KEY])
CODEC = ReceiptCodec("tracuu.example.gov.vn/hs")
RULE = "Circular 01/2018/TT-VPCP Art. 19(2)"


# -- payload shape -----------------------------------------------------------------------


def test_a_tag_of_the_wrong_length_is_refused_with_both_lengths() -> None:
    with pytest.raises(InvalidInput) as info:
        ReceiptPayload(CODE, "K1", bytes(9))
    assert info.value.reason == "a receipt tag is 10 bytes, got 9"


def test_invalid_payloads_cite_the_rule_that_allows_the_qr() -> None:
    with pytest.raises(InvalidReceiptPayload) as info:
        CODEC.decode("TTHC:nothing")
    assert info.value.rule == RULE


# -- the lookup base -----------------------------------------------------------------------


def test_a_lookup_base_loses_trailing_slashes_only() -> None:
    """Only ``/`` is stripped from the end: a base ending in a letter keeps it."""
    assert ReceiptCodec("https://a.example.vn/box//").lookup_base == "A.EXAMPLE.VN/BOX"
    assert ReceiptCodec("a.example.vn/x").lookup_base == "A.EXAMPLE.VN/X"


def test_a_bad_lookup_base_says_what_a_base_may_contain() -> None:
    with pytest.raises(InvalidInput) as info:
        ReceiptCodec("not a host")
    assert info.value.reason.endswith(
        "must be a host name with an optional path, using only letters, digits, '.', '-' "
        "and '/', for example tracuu.example.gov.vn/hs"
    )


def test_a_lookup_base_one_over_the_limit_says_why() -> None:
    """``MAX_LOOKUP_BASE_LEN`` keeps every URL payload inside a version 5-M symbol."""
    host = "A." + "B" * (MAX_LOOKUP_BASE_LEN - 2)
    assert ReceiptCodec(host).lookup_base == host
    with pytest.raises(InvalidInput) as info:
        ReceiptCodec(host + "C")
    assert info.value.reason.endswith(
        f"is {MAX_LOOKUP_BASE_LEN + 1} characters; at most {MAX_LOOKUP_BASE_LEN} characters "
        "keep every receipt URL within a version 5-M QR code"
    )


def test_former_lookup_bases_are_normalised_and_still_decode() -> None:
    codec = ReceiptCodec("new.example.vn/hs", also_accept=("https://old.example.vn/hs/",))
    assert codec.also_accept == ("OLD.EXAMPLE.VN/HS",)
    payload = codec.sign(CODE, RING)
    old = "https://old.example.vn/hs/" + payload.suffix
    assert codec.decode(old) == payload
    with pytest.raises(InvalidReceiptPayload):
        ReceiptCodec("new.example.vn/hs").decode(old)


# -- encode and decode ---------------------------------------------------------------------


def test_encode_writes_the_form_asked_for_url_by_default() -> None:
    payload = CODEC.sign(CODE, RING)
    assert CODEC.encode(payload) == CODEC.url(payload)
    assert CODEC.encode(payload, PayloadForm.URL).startswith("HTTPS://TRACUU.EXAMPLE.GOV.VN/HS/")
    assert CODEC.encode(payload, PayloadForm.COMPACT) == "TTHC:" + payload.suffix


def test_decode_strips_the_bom_and_zero_width_space_chat_apps_add() -> None:
    payload = CODEC.sign(CODE, RING)
    assert CODEC.decode("\ufeff" + CODEC.compact(payload) + "\u200b\n") == payload


def test_an_extra_path_segment_is_a_malformed_ending() -> None:
    """The code is everything before the first ``/``; the rest must be the signed suffix."""
    payload = CODEC.sign(CODE, RING)
    text = f"TTHC:{CODE}/X/1.K1.{payload.tag_text}"
    with pytest.raises(InvalidReceiptPayload) as info:
        CODEC.decode(text)
    assert info.value.kind == "malformed"
    assert "does not end in <code>/<version>.<key id>.<16-character tag>" in info.value.reason


def test_a_code_that_parses_but_is_not_canonical_is_malformed() -> None:
    """A Unicode dash parses as a code, but a signed payload carries the canonical form."""
    payload = CODEC.sign(CODE, RING)
    text = f"TTHC:000.00.15.H12\u2013240307\u20130005/1.K1.{payload.tag_text}"
    with pytest.raises(InvalidReceiptPayload) as info:
        CODEC.decode(text)
    assert info.value.kind == "malformed"
    assert info.value.reason == f"the dossier code in {text!r} is not in canonical form"


def test_a_foreign_payload_names_our_site_in_lower_case() -> None:
    with pytest.raises(InvalidReceiptPayload) as info:
        CODEC.decode("https://example.com/")
    assert info.value.kind == "not_ours"
    assert info.value.reason == (
        "not a receipt payload of tracuu.example.gov.vn/hs: it starts neither with "
        "TTHC: nor with https://tracuu.example.gov.vn/hs/"
    )


# -- verify --------------------------------------------------------------------------------


def test_a_malformed_payload_of_ours_is_tampered_and_a_foreign_one_not_ours() -> None:
    broken = CODEC.verify("TTHC:000.00.15.H12-240307-0005/1.K1.SHORT", RING)
    assert broken.verdict is Verdict.TAMPERED
    assert broken.payload is None
    assert "does not end in" in broken.reason
    foreign = CODEC.verify("https://example.com/x", RING)
    assert foreign.verdict is Verdict.NOT_OURS
    assert foreign.reason.startswith("not a receipt payload of")
    newer = CODEC.verify(f"TTHC:{CODE}/2.K1.{'A' * 16}", RING)
    assert newer.verdict is Verdict.NOT_OURS  # a later payload version: not ours to judge


def test_the_key_is_looked_up_for_the_code_s_agency() -> None:
    """An agency's own key verifies its receipts; it is not a key of any other agency."""
    ring = StaticKeyRing(
        [ReceiptKey("K1", bytes(range(32)), AGENCY), ReceiptKey("K1", bytes(32), OTHER)]
    )
    payload = CODEC.sign(CODE, ring)
    verified = CODEC.verify(payload, ring)
    assert (verified.verdict, verified.payload) == (Verdict.VALID, payload)
    assert verified.reason == f"authentic receipt of dossier {CODE}"
    foreign = DossierCode(AgencyCode("000.00.17.H12"), CODE.received_on, 5)
    unknown = ReceiptPayload(foreign, "K1", payload.tag)
    found = CODEC.verify(unknown, ring)
    assert (found.verdict, found.payload) == (Verdict.UNKNOWN_KEY, unknown)
    assert found.reason == "key 'K1' is not a receipt key of agency 000.00.17.H12"


def test_a_wrong_tag_is_tampered_and_keeps_the_payload() -> None:
    payload = CODEC.sign(CODE, RING)
    forged = ReceiptPayload(CODE, "K1", base64.b32decode("A" * 16))
    verified = CODEC.verify(forged, RING)
    assert (verified.verdict, verified.payload) == (Verdict.TAMPERED, forged)
    assert verified.reason == f"the tag does not match dossier {CODE}"
    assert CODEC.verify(payload, RING).verdict is Verdict.VALID


# -- VietQR (NAPAS 247 on EMV QRCPS-MPM) ---------------------------------------------------


def _qr(*objects: tuple[str, object]) -> str:
    """A merchant QR of the given top-level objects (nested ones as tuples), CRC appended."""

    def build(id_: str, value: object) -> object:
        if isinstance(value, tuple):
            return emv_object(id_, tuple(build(i, v) for i, v in value))  # type: ignore[misc]
        return emv_object(id_, str(value))

    return serialise_with_crc(tuple(build(i, v) for i, v in objects))  # type: ignore[misc]


BENEFICIARY = ("01", (("00", "970403"), ("01", "0011")))
ACCOUNT_38 = ("38", (("00", NAPAS_GUID), BENEFICIARY, ("02", "QRIBFTTA")))


def test_a_vietqr_round_trips_every_field() -> None:
    payment = VietQrPayment(
        bank_bin="970403",
        account="0011001932418",
        service=VietQrService.TO_CARD,
        amount_vnd=8_000,
        bill_number="000.24.32.H15-260302-0001",
        purpose="Le phi ho tich",
    )
    assert payment.dynamic  # an amount makes it a one-time (dynamic) QR
    assert parse_vietqr(build_vietqr(payment)) == payment
    static = VietQrPayment(bank_bin="970403", account="0011")
    assert not static.dynamic
    assert "010211" in build_vietqr(static)  # point of initiation 11: reusable
    assert parse_vietqr(build_vietqr(static)) == static


def test_the_amount_is_1_to_13_digits() -> None:
    for amount in (1, 10**13 - 1):
        assert VietQrPayment(bank_bin="970403", account="1", amount_vnd=amount).amount_vnd == amount
    for amount in (0, 10**13):
        with pytest.raises(InvalidInput) as info:
            VietQrPayment(bank_bin="970403", account="1", amount_vnd=amount)
        assert info.value.reason == f"amount {amount} VND must be between 1 and 13 digits"


def test_bin_and_account_errors_say_the_shape_expected() -> None:
    with pytest.raises(InvalidInput) as info:
        VietQrPayment(bank_bin="97040", account="1")
    assert info.value.reason == "bank BIN '97040' must be 6 digits, such as 970403"
    with pytest.raises(InvalidInput) as info:
        VietQrPayment(bank_bin="970403", account="12-34")
    assert info.value.reason == "account '12-34' must be 1-19 letters or digits"
    assert VietQrPayment(bank_bin="970403", account="AbZz09").account == "AbZz09"


def test_additional_data_is_printable_ascii_up_to_25() -> None:
    assert VietQrPayment(bank_bin="970403", account="1", purpose="x" * 25).purpose == "x" * 25
    with pytest.raises(InvalidInput) as info:
        VietQrPayment(bank_bin="970403", account="1", purpose="Lệ phí")
    assert info.value.reason == (
        "purpose 'Lệ phí' must be 1-25 printable ASCII characters without surrounding spaces "
        "(EMV additional data; write Vietnamese without accents)"
    )


def test_a_merchant_qr_without_a_napas_account_is_not_a_vietqr() -> None:
    reason = "not a VietQR: no NAPAS merchant account (ID 38, A000000727)"
    for text in (
        _qr(("00", "01"), ("53", "704"), ("58", "VN")),  # no account 38
        _qr(("00", "01"), ("38", (("00", "A000000999"), ("02", "X"))), ("53", "704")),
    ):
        with pytest.raises(InvalidMerchantQr) as info:
            parse_vietqr(text)
        assert info.value.reason == reason


def test_account_38_needs_bin_account_and_service() -> None:
    reason = "VietQR account 38 needs a bank BIN, an account and a service"
    for account in (
        ("38", (("00", NAPAS_GUID), ("02", "QRIBFTTA"))),  # no beneficiary
        ("38", (("00", NAPAS_GUID), BENEFICIARY)),  # no service
    ):
        with pytest.raises(InvalidMerchantQr) as info:
            parse_vietqr(_qr(("00", "01"), account, ("53", "704"), ("58", "VN")))
        assert info.value.reason == reason


def test_a_vietqr_in_another_currency_is_refused() -> None:
    with pytest.raises(InvalidMerchantQr) as info:
        parse_vietqr(_qr(("00", "01"), ACCOUNT_38, ("53", "840"), ("58", "VN")))
    assert info.value.reason == "VietQR payments are in VND (currency 704)"


def test_an_invalid_field_in_a_vietqr_says_which() -> None:
    bad = (
        "38",
        (("00", NAPAS_GUID), ("01", (("00", "97040"), ("01", "0011"))), ("02", "QRIBFTTA")),
    )
    with pytest.raises(InvalidMerchantQr) as info:
        parse_vietqr(_qr(("00", "01"), bad, ("53", "704"), ("58", "VN")))
    assert info.value.reason == (
        "invalid VietQR field: bank BIN '97040' must be 6 digits, such as 970403"
    )


def test_a_fee_payment_carries_the_code_and_the_purpose() -> None:
    payment = fee_payment(
        CODE, bank_bin="970403", account="0011", amount_vnd=8_000, purpose="Le phi ho tich"
    )
    assert (payment.bill_number, payment.purpose, payment.amount_vnd) == (
        str(CODE),
        "Le phi ho tich",
        8_000,
    )
    long = DossierCode(AgencyCode("000.00.00.00.H15"), CODE.received_on, 5)
    assert len(str(long)) == 28
    with pytest.raises(InvalidInput) as info:
        fee_payment(long, bank_bin="970403", account="0011", amount_vnd=1)
    assert info.value.rule == "EMV QRCPS-MPM §4.8 (ID 62/01)"
