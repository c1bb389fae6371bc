"""Receipt QR payload: Circular 01/2018 Art. 19(2) QR next to the code, signed with HMAC-SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.errors import InvalidInput
from tthc_core.receipt import (
    MAX_LOOKUP_BASE_LEN,
    QR_CAPACITY_5M_ALPHANUMERIC,
    InvalidReceiptPayload,
    NoSigningKey,
    PayloadForm,
    ReceiptCodec,
    ReceiptKey,
    ReceiptPayload,
    StaticKeyRing,
    Verdict,
    build_vietqr,
    compute_tag,
)
from tthc_core.receipt._vietqr import VietQrPayment
from tthc_core.testing.strategies import (
    dossier_codes,
    key_rings,
    receipt_codecs,
    receipt_payloads,
)

CODE = DossierCode(AgencyCode("000.00.15.H12"), dt.date(2024, 3, 7), 5)
KEY = ReceiptKey("K1", bytes(range(32)))
RING = StaticKeyRing([KEY])
CODEC = ReceiptCodec("tracuu.example.gov.vn/hs")
# ISO/IEC 18004:2015 §7.4.4: the alphanumeric-mode character set.
ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
forms = st.sampled_from(PayloadForm)


@given(receipt_codecs(), receipt_payloads(), forms)
def test_both_forms_decode_back_to_code_key_and_tag(
    codec: ReceiptCodec, payload: ReceiptPayload, form: PayloadForm
) -> None:
    text = codec.encode(payload, form)
    assert codec.decode(text) == payload


@given(receipt_codecs(), dossier_codes(), key_rings(), forms)
def test_signed_payloads_verify_and_grant_details(
    codec: ReceiptCodec, code: DossierCode, ring: StaticKeyRing, form: PayloadForm
) -> None:
    result = codec.verify(codec.encode(codec.sign(code, ring), form), ring)
    assert result.verdict is Verdict.VALID
    assert result.grants_details
    assert result.payload is not None
    assert result.payload.code == code


@given(
    dossier_codes(),
    forms,
    st.sampled_from(["", " ", "\n", "\r\n", "\t ", "\ufeff"]),
    st.sampled_from(["", "\n", "\r\n", "  ", "\u200b"]),
    st.lists(st.booleans(), min_size=130, max_size=130),
)
def test_decoding_tolerates_what_scanners_add(
    code: DossierCode, form: PayloadForm, before: str, after: str, lower: list[bool]
) -> None:
    text = CODEC.encode(CODEC.sign(code, RING), form)
    recased = "".join(c.lower() if flag else c for c, flag in zip(text, lower, strict=False))
    assert CODEC.verify(before + recased + after, RING).verdict is Verdict.VALID


Tampered = tuple[ReceiptCodec, StaticKeyRing, str, str]


@st.composite
def tampered(draw: st.DrawFn) -> Tampered:
    """A signed payload text and a copy with one character substituted, deleted or inserted."""
    codec = draw(receipt_codecs())
    ring = draw(key_rings())
    text = codec.encode(codec.sign(draw(dossier_codes()), ring), draw(forms))
    i = draw(st.integers(0, len(text) - 1))
    op = draw(st.sampled_from(["substitute", "delete", "insert"]))
    if op == "delete":
        return codec, ring, text, text[:i] + text[i + 1 :]
    printable = st.characters(codec="utf-8").filter(lambda c: not c.isspace())
    char = draw(st.sampled_from(sorted(ALPHANUMERIC - {" "})) | printable)
    if op == "insert":
        return codec, ring, text, text[:i] + char + text[i:]
    if char.upper() == text[i].upper():  # a change of case is no change: decoding ignores case
        char = "*" if text[i] != "*" else "%"
    return codec, ring, text, text[:i] + char + text[i + 1 :]


@given(tampered())
def test_any_altered_character_is_detected(case: Tampered) -> None:
    codec, ring, original, altered = case
    assert codec.verify(original, ring).verdict is Verdict.VALID
    assert codec.verify(altered, ring).verdict is not Verdict.VALID


def test_tag_is_truncated_hmac_sha256_over_version_key_id_and_code() -> None:
    message = b"tthc-receipt/1|K1|000.00.15.H12-240307-0005"
    expected = hmac.new(KEY.secret, message, hashlib.sha256).digest()[:10]
    assert compute_tag(CODE, KEY) == expected
    assert CODEC.sign(CODE, RING).tag == expected


def test_forms_are_the_documented_shapes() -> None:
    payload = CODEC.sign(CODE, RING)
    assert CODEC.url(payload) == (
        f"HTTPS://TRACUU.EXAMPLE.GOV.VN/HS/000.00.15.H12-240307-0005/1.K1.{payload.tag_text}"
    )
    assert CODEC.compact(payload) == f"TTHC:000.00.15.H12-240307-0005/1.K1.{payload.tag_text}"
    assert CODEC.status_url(CODE) == "HTTPS://TRACUU.EXAMPLE.GOV.VN/HS/000.00.15.H12-240307-0005"
    assert CODEC.url(payload).rsplit("/", 1)[0] == CODEC.status_url(CODE)


@given(receipt_codecs(), receipt_payloads(), forms)
def test_payloads_are_alphanumeric_ascii(
    codec: ReceiptCodec, payload: ReceiptPayload, form: PayloadForm
) -> None:
    text = codec.encode(payload, form)
    assert set(text) <= ALPHANUMERIC
    assert text.isascii()


def test_longest_payload_fits_a_version_5_m_symbol() -> None:
    """Decision 20/2020 Art. 4 caps agency codes at 35 characters; key ids are ≤ 4."""
    agency = "9999.9999.9999.9999.H30"  # the longest code the agency grammar admits
    longest = DossierCode(AgencyCode(agency), dt.date(2030, 1, 1), 1)
    base = "a" * (MAX_LOOKUP_BASE_LEN - 3) + ".vn"
    codec = ReceiptCodec(base)
    ring = StaticKeyRing([ReceiptKey("ABCD", bytes(16))])
    payload = codec.sign(longest, ring)
    assert len(str(longest)) <= 35 + 12
    assert len(codec.url(payload)) <= QR_CAPACITY_5M_ALPHANUMERIC
    assert len(codec.compact(payload)) <= QR_CAPACITY_5M_ALPHANUMERIC


@pytest.mark.parametrize(
    "base",
    ["", "localhost", "tracuu.example.gov.vn/hồ-sơ", "tracuu.example.gov.vn?x=1", "a" * 40 + ".vn"],
)
def test_bad_lookup_bases_are_rejected(base: str) -> None:
    with pytest.raises(InvalidInput):
        ReceiptCodec(base)


def test_lookup_base_accepts_scheme_and_trailing_slash() -> None:
    assert ReceiptCodec("https://TraCuu.Example.gov.vn/hs/").lookup_base == (
        "TRACUU.EXAMPLE.GOV.VN/HS"
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "not_ours"),
        ("000.00.15.H12-240307-0005", "not_ours"),
        ("https://other.example.vn/hs/000.00.15.H12-240307-0005/1.K1.AAAAAAAAAAAAAAAA", "not_ours"),
        ("TTHC:000.00.15.H12-240307-0005", "malformed"),
        ("TTHC:000.00.15.H12-240307-0005/1.K1.AAAAAAAAAAAAAAA", "malformed"),
        ("TTHC:000.00.15.H12-240307-0005/1.K1.AAAAAAAAAAAAAAA1", "malformed"),
        ("TTHC:000.00.15.H12-240307-0005/1.KEY12.AAAAAAAAAAAAAAAA", "malformed"),
        ("TTHC:000.00.15.H12-241307-0005/1.K1.AAAAAAAAAAAAAAAA", "malformed"),
        ("TTHC:000.00.15.H12 240307-0005/1.K1.AAAAAAAAAAAAAAAA", "malformed"),
        ("TTHC:000.00.15.H12-240307-0005/2.K1.AAAAAAAAAAAAAAAA", "version"),
    ],
)
def test_decode_rejects_with_a_typed_reason(text: str, kind: str) -> None:
    with pytest.raises(InvalidReceiptPayload) as info:
        CODEC.decode(text)
    assert info.value.kind == kind
    assert info.value.reason


def test_verdicts_distinguish_not_ours_unknown_key_tampered_valid() -> None:
    payload = CODEC.sign(CODE, RING)
    other_ring = StaticKeyRing([ReceiptKey("K1", bytes(32))])
    rotated = StaticKeyRing([ReceiptKey("K2", bytes(range(1, 33)))])
    vietqr = build_vietqr(VietQrPayment(bank_bin="970403", account="0011012345678"))
    assert CODEC.verify(vietqr, RING).verdict is Verdict.NOT_OURS
    assert CODEC.verify(CODEC.url(payload), rotated).verdict is Verdict.UNKNOWN_KEY
    assert CODEC.verify(CODEC.url(payload), other_ring).verdict is Verdict.TAMPERED
    assert CODEC.verify(payload, RING).verdict is Verdict.VALID
    for verdict in (Verdict.NOT_OURS, Verdict.UNKNOWN_KEY, Verdict.TAMPERED):
        assert verdict is not Verdict.VALID


def test_a_tag_copied_to_a_guessed_code_is_tampered() -> None:
    """The privacy rule: knowing one receipt does not unlock the next sequential dossier."""
    payload = CODEC.sign(CODE, RING)
    guessed = CODEC.compact(payload).replace("-0005/", "-0006/")
    result = CODEC.verify(guessed, RING)
    assert result.verdict is Verdict.TAMPERED
    assert not result.grants_details


def test_rotation_keeps_old_receipts_valid_and_signs_with_the_newest_key() -> None:
    new_key = ReceiptKey("K2", bytes(range(100, 132)))
    rotated = StaticKeyRing([KEY, new_key])
    old = CODEC.sign(CODE, RING)
    assert CODEC.verify(old, rotated).verdict is Verdict.VALID
    assert CODEC.sign(CODE, rotated).key_id == "K2"


def test_an_agency_key_does_not_sign_for_another_agency() -> None:
    own = ReceiptKey("A1", bytes(range(32)), AgencyCode("000.00.15.H12"))
    ring = StaticKeyRing([own])
    foreign = DossierCode(AgencyCode("000.00.16.H12"), dt.date(2024, 3, 7), 5)
    with pytest.raises(NoSigningKey):
        ring.signing_key(foreign.agency)
    forged = CODEC.sign(CODE, ring)
    moved = CODEC.compact(forged).replace("000.00.15.H12", "000.00.16.H12")
    assert CODEC.verify(moved, ring).verdict is Verdict.UNKNOWN_KEY


def test_agency_key_wins_over_the_installation_key() -> None:
    own = ReceiptKey("A1", bytes(range(32)), CODE.agency)
    ring = StaticKeyRing([own, ReceiptKey("G1", bytes(range(1, 33)))])
    assert ring.signing_key(CODE.agency) is own


@pytest.mark.parametrize(
    ("key_id", "secret"),
    [("", bytes(16)), ("ABCDE", bytes(16)), ("K.1", bytes(16)), ("K1", bytes(15))],
)
def test_bad_keys_are_rejected(key_id: str, secret: bytes) -> None:
    with pytest.raises(InvalidInput):
        ReceiptKey(key_id, secret)


def test_duplicate_key_ids_in_one_scope_are_rejected() -> None:
    with pytest.raises(InvalidInput):
        StaticKeyRing([KEY, ReceiptKey("k1", bytes(16))])


def test_secrets_never_appear_in_repr() -> None:
    assert KEY.secret.hex() not in repr(KEY)
    assert repr(KEY.secret) not in repr(KEY)


@given(st.from_type(ReceiptPayload), st.from_type(StaticKeyRing), st.from_type(ReceiptCodec))
def test_types_have_registered_strategies(
    payload: ReceiptPayload, ring: StaticKeyRing, codec: ReceiptCodec
) -> None:
    assert isinstance(payload, ReceiptPayload)
    assert ring.keys
    assert codec.decode(codec.compact(payload)) == payload
