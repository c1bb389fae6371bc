"""VietQR / EMVCo merchant-presented QR: TLV structure and CRC-16/CCITT-FALSE (anchors.md §6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._shared import shared_file

from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.errors import InvalidInput
from tthc_core.receipt import (
    InvalidMerchantQr,
    VietQrPayment,
    build_vietqr,
    crc16_ccitt_false,
    fee_payment,
    parse_merchant_qr,
    parse_vietqr,
)
from tthc_core.testing.strategies import vietqr_payments

VECTORS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "vietqr-vectors.tsv"
)


def _vectors() -> list[tuple[str, str, str]]:
    if not VECTORS.exists():
        return []
    rows = []
    for line in VECTORS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            expect, source, payload = line.split("\t")
            rows.append((expect, source, payload))
    return rows


@pytest.mark.skipif(not VECTORS.exists(), reason=f"conformance vectors absent: {VECTORS}")
@pytest.mark.parametrize(("expect", "source", "payload"), _vectors())
def test_conformance_vectors(expect: str, source: str, payload: str) -> None:
    """Every valid line parses; every invalid line is rejected with a reason."""
    assert expect in ("valid", "invalid"), source
    if expect == "valid":
        assert parse_merchant_qr(payload).objects[-1].id == "63"
    else:
        with pytest.raises(InvalidMerchantQr) as info:
            parse_merchant_qr(payload)
        assert info.value.reason


def test_vectors_file_has_both_kinds() -> None:
    shared_file("conformance", "vietqr-vectors.tsv")  # fails in CI when absent, else skips
    kinds = {row[0] for row in _vectors()}
    assert kinds == {"valid", "invalid"}


def test_crc_check_value() -> None:
    """CRC-16/CCITT-FALSE's catalogued check value."""
    assert crc16_ccitt_false(b"123456789") == 0x29B1


@given(vietqr_payments())
def test_build_then_parse_round_trips(payment: VietQrPayment) -> None:
    text = build_vietqr(payment)
    assert parse_vietqr(text) == payment
    assert parse_vietqr(text + "\n") == payment


@given(vietqr_payments(), st.data())
def test_any_altered_character_is_rejected(payment: VietQrPayment, data: st.DataObject) -> None:
    """A CRC-16 catches every burst of up to 16 bits; so every single-character change."""
    text = build_vietqr(payment)
    i = data.draw(st.integers(0, len(text) - 1))
    char = data.draw(st.characters(min_codepoint=0x20, max_codepoint=0x7E))
    if char.upper() == text[i].upper():
        char = "~"
    altered = text[:i] + char + text[i + 1 :]
    with pytest.raises(InvalidMerchantQr):
        parse_merchant_qr(altered)


def test_lower_case_crc_is_accepted() -> None:
    text = build_vietqr(VietQrPayment(bank_bin="970422", account="0352350917"))
    assert parse_vietqr(text[:-4] + text[-4:].lower()) == parse_vietqr(text)


def test_fee_payment_carries_the_dossier_code_in_the_bill_number() -> None:
    code = DossierCode(AgencyCode("000.00.15.H12"), dt.date(2024, 3, 7), 5)
    text = build_vietqr(
        fee_payment(code, bank_bin="970403", account="0011012345678", amount_vnd=50_000)
    )
    bill = parse_merchant_qr(text).get("62")
    assert bill is not None
    sub = bill.child("01")
    assert sub is not None
    assert sub.value == str(code)
    assert parse_vietqr(text).amount_vnd == 50_000
    assert parse_vietqr(text).dynamic


def test_a_code_longer_than_the_bill_number_field_is_refused() -> None:
    """EMV QRCPS-MPM §4.8: additional-data fields hold at most 25 characters."""
    code = DossierCode(AgencyCode("000.00.101.H05"), dt.date(2024, 3, 7), 5)
    with pytest.raises(InvalidInput, match="25"):
        fee_payment(code, bank_bin="970403", account="1", amount_vnd=1)


@pytest.mark.parametrize("purpose", ["Lệ phí hộ tịch", " padded", "x" * 26, ""])
def test_additional_data_must_be_short_ascii(purpose: str) -> None:
    with pytest.raises(InvalidInput):
        VietQrPayment(bank_bin="970403", account="1", purpose=purpose)


def test_vnpay_is_a_valid_merchant_qr_but_not_a_vietqr() -> None:
    vnpay = next((p for e, s, p in _vectors() if "VNPAY" in s), None)
    if vnpay is None:
        pytest.skip(f"conformance vectors absent: {VECTORS}")
    assert parse_merchant_qr(vnpay).merchant_accounts[0].id == "26"
    with pytest.raises(InvalidMerchantQr, match="not a VietQR"):
        parse_vietqr(vnpay)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "000201",
        "00020201",  # wrong format indicator
        "0002016304",  # CRC with no digits
        "000201\x0063041234",
        "\u0660\u06600201",  # Arabic-Indic digits are not EMV digits
    ],
)
def test_garbage_is_rejected(text: str) -> None:
    with pytest.raises(InvalidMerchantQr):
        parse_merchant_qr(text)
