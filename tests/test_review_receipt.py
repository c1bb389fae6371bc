"""Review findings on the receipt payload codec: each test pins a defect that was fixed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.errors import InvalidInput
from tthc_core.receipt import (
    InvalidReceiptPayload,
    ReceiptCodec,
    ReceiptKey,
    StaticKeyRing,
    Verdict,
)

KEYS = StaticKeyRing([ReceiptKey("K1", b"k" * 32)])
CODEC = ReceiptCodec("tracuu.example.gov.vn/hs")
PAYLOADS = [
    CODEC.sign(DossierCode(AgencyCode("000.00.15.H12"), dt.date(2024, 3, 7), n), KEYS)
    for n in range(1, 21)
]

# Characters whose Unicode upper case is ASCII: ſ → S, ı → I, ﬀ → FF, ﬅ → ST.
_LOOKALIKES = {"S": "ſ", "I": "ı", "FF": "ﬀ", "ST": "ﬅ"}


def _disguised(text: str) -> list[str]:
    return [
        text.replace(ascii_, other).replace(ascii_.lower(), other)
        for ascii_, other in _LOOKALIKES.items()
        if ascii_ in text.upper()
    ]


@pytest.mark.parametrize("encode", [CODEC.url, CODEC.compact])
def test_only_ascii_letters_are_read_case_insensitively(encode: object) -> None:
    # The payload is upper-case ASCII in the QR alphanumeric set (ISO/IEC 18004
    # §7.4.4); "any letter case" must not admit non-ASCII letters whose Unicode
    # upper case happens to be ASCII, a second spelling of a capability.
    assert callable(encode)
    tried = 0
    for payload in PAYLOADS:
        text = encode(payload)
        assert CODEC.verify(text.lower(), KEYS).verdict is Verdict.VALID
        for disguised in _disguised(text):
            tried += 1
            assert not disguised.isascii()
            with pytest.raises(InvalidReceiptPayload):
                CODEC.decode(disguised)
            assert CODEC.verify(disguised, KEYS).verdict is not Verdict.VALID
    assert tried > 0


@given(st.text(alphabet="ſıﬀﬅ", min_size=1, max_size=3))
def test_key_ids_are_ascii(prefix: str) -> None:
    with pytest.raises(InvalidInput):
        ReceiptKey(prefix, b"k" * 32)
