"""Strategies for receipts, their keys and QR payloads, and VietQR payments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tthc_core.calendar import Duration, TimeUnit
from tthc_core.catalogue import CopyType, Fee, RequiredDocument
from tthc_core.codes import DossierCode
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.receipt import (
    MAX_LOOKUP_BASE_LEN,
    LogBookEntry,
    Receipt,
    ReceiptCodec,
    ReceiptKey,
    ReceiptPayload,
    ReceivingAgency,
    StaticKeyRing,
    VietQrPayment,
    VietQrService,
)
from tthc_core.receipt._payload import TAG_BYTES
from tthc_core.testing.strategies._codes import agency_codes, dossier_codes, procedure_codes
from tthc_core.testing.strategies._time import aware_datetimes

__all__ = [
    "key_rings",
    "lookup_bases",
    "receipt_codecs",
    "receipt_keys",
    "receipt_payloads",
    "receipts",
    "vietnamese_text",
    "vietqr_payments",
]

_VI_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
_VI_ALPHABET = _VI_LETTERS + _VI_LETTERS.upper() + "0123456789"
_KEY_IDS = st.text("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=4)


def vietnamese_text(min_words: int = 1, max_words: int = 6) -> st.SearchStrategy[str]:
    """Words of Vietnamese letters (NFC, with diacritics) joined by single spaces."""
    word = st.text(_VI_ALPHABET, min_size=1, max_size=8)
    return st.lists(word, min_size=min_words, max_size=max_words).map(" ".join)


def receipt_keys(key_id: str | None = None) -> st.SearchStrategy[ReceiptKey]:
    """Keys for every agency with random 16-64 byte secrets."""
    ids = st.just(key_id) if key_id else _KEY_IDS
    return st.builds(ReceiptKey, ids, st.binary(min_size=16, max_size=64))


def key_rings() -> st.SearchStrategy[StaticKeyRing]:
    """Key rings of one to three keys for every agency, distinct ids."""
    return st.lists(receipt_keys(), min_size=1, max_size=3, unique_by=lambda k: k.key_id).map(
        StaticKeyRing
    )


def lookup_bases() -> st.SearchStrategy[str]:
    """Lookup bases such as ``tracuu.example.gov.vn/hs``."""
    label = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
    host = st.lists(label, min_size=2, max_size=3).map(".".join)
    path = st.lists(label, max_size=2).map(lambda parts: "".join(f"/{p}" for p in parts))
    bases = st.builds(lambda h, p: f"{h}.vn{p}", host, path)
    return bases.filter(lambda b: len(b) <= MAX_LOOKUP_BASE_LEN)


def receipt_codecs() -> st.SearchStrategy[ReceiptCodec]:
    """Codecs over random lookup bases."""
    return lookup_bases().map(ReceiptCodec)


def receipt_payloads() -> st.SearchStrategy[ReceiptPayload]:
    """Payloads with random codes, key ids and tags (not necessarily authentic)."""
    return st.builds(
        ReceiptPayload,
        dossier_codes(),
        _KEY_IDS,
        st.binary(min_size=TAG_BYTES, max_size=TAG_BYTES),
    )


def _phones() -> st.SearchStrategy[str]:
    return st.from_regex(r"0[35789][0-9]{8}", fullmatch=True)


def _applicants() -> st.SearchStrategy[Applicant]:
    return st.builds(
        Applicant,
        name=vietnamese_text(2, 4),
        address=vietnamese_text(0, 8),
        phone=st.none() | _phones(),
        email=st.none() | st.from_regex(r"[a-z]{1,10}@[a-z]{2,8}\.vn", fullmatch=True),
    )


def _postal_addresses() -> st.SearchStrategy[PostalAddress]:
    return st.builds(
        PostalAddress,
        recipient=vietnamese_text(2, 4),
        phone=_phones(),
        street=vietnamese_text(1, 6),
        ward_code=st.from_regex(r"[0-9]{5}", fullmatch=True),
        province_code=st.from_regex(r"[0-9]{2}", fullmatch=True),
    )


def _documents() -> st.SearchStrategy[RequiredDocument]:
    return st.builds(
        RequiredDocument, vietnamese_text(1, 8), st.sampled_from(CopyType), st.integers(1, 5)
    )


@st.composite
def receipts(draw: st.DrawFn) -> Receipt:
    """Consistent receipts: the code matches the agency and receipt date, due after receipt."""
    agency = ReceivingAgency(
        draw(agency_codes()), draw(vietnamese_text(2, 5)), place=draw(vietnamese_text(0, 2))
    )
    received_at = draw(aware_datetimes())
    channel = draw(st.sampled_from(ReturnChannel))
    unit = draw(st.sampled_from([TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS]))
    return Receipt(
        agency=agency,
        dossier_code=DossierCode(agency.code, received_at.date(), draw(st.integers(1, 9999))),
        applicant=draw(_applicants()),
        procedure_code=draw(procedure_codes()),
        procedure_name=draw(vietnamese_text(2, 8)),
        documents=draw(st.lists(_documents(), min_size=1, max_size=5)),
        sets=draw(st.integers(1, 3)),
        processing_time=Duration(draw(st.integers(1, 30)), unit),
        received_at=received_at,
        due_at=received_at + dt.timedelta(minutes=draw(st.integers(1, 60 * 24 * 90))),
        return_channel=channel,
        postal_address=draw(_postal_addresses()) if channel is ReturnChannel.POSTAL else None,
        log_book=LogBookEntry(f"{draw(st.integers(1, 9)):02d}", draw(st.integers(1, 9999))),
        officer=draw(vietnamese_text(2, 4)),
        fees=draw(st.lists(_fees(), max_size=2)),
    )


def _fees() -> st.SearchStrategy[Fee]:
    return st.builds(Fee, vietnamese_text(1, 4), st.integers(0, 2_000_000))


_ASCII_FIELD = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=25
) | st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ]{0,23}[A-Za-z0-9]", fullmatch=True)


def vietqr_payments() -> st.SearchStrategy[VietQrPayment]:
    """VietQR transfer requests: static or dynamic, with or without bill number and purpose."""
    return st.builds(
        VietQrPayment,
        bank_bin=st.from_regex(r"970[0-9]{3}", fullmatch=True),
        account=st.from_regex(r"[0-9A-Za-z]{1,19}", fullmatch=True),
        service=st.sampled_from(VietQrService),
        amount_vnd=st.none() | st.integers(1, 10**13 - 1),
        bill_number=st.none()
        | dossier_codes().map(str).filter(lambda s: len(s) <= 25)
        | _ASCII_FIELD,
        purpose=st.none() | _ASCII_FIELD,
        dynamic=st.booleans(),
    )


REGISTRY: dict[type, Any] = {
    Receipt: receipts(),
    ReceiptKey: receipt_keys(),
    StaticKeyRing: key_rings(),
    ReceiptCodec: receipt_codecs(),
    ReceiptPayload: receipt_payloads(),
    VietQrPayment: vietqr_payments(),
    Applicant: _applicants(),
    PostalAddress: _postal_addresses(),
    RequiredDocument: _documents(),
    LogBookEntry: st.builds(
        LogBookEntry, st.from_regex(r"[0-9]{2}", fullmatch=True), st.integers(1, 9999)
    ),
}
