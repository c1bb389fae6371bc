"""The receipt QR payload: a dossier code plus an authenticity tag (version 1).

Circular 01/2018/TT-VPCP Art. 19(2) lets agencies print a barcode or QR code
next to the dossier code. tthc's QR carries the code and a tag: the first 80
bits of HMAC-SHA-256 (RFC 2104; truncation per NIST SP 800-107 Rev. 1 §5.3.3)
over the code and key id, under the agency's key. Knowing a valid tag is the
capability to see a dossier's details and link a chat account to it; a typed
code alone shows its status only (the privacy rule of tthc), so guessing a
sequential code reveals nobody's file, and forging or altering a tag is
detected.

Two textual forms, both upper-case ASCII inside the QR alphanumeric character
set (``0-9 A-Z $%*+-./:`` and space, ISO/IEC 18004:2015 §7.4.4), which is
denser than byte mode and needs no character-set guess:

* URL form, opened by any phone camera on the status page::

      HTTPS://TRACUU.EXAMPLE.GOV.VN/HS/000.00.15.H12-240307-0005/1.K1.MFRGGZDFMZTWQ2LK

  Scheme and host are case-insensitive (RFC 3986 §6.2.2.1); the status page
  must route its path case-insensitively too.
* Compact form, for chat::

      TTHC:000.00.15.H12-240307-0005/1.K1.MFRGGZDFMZTWQ2LK

Both end in ``<code>/<version>.<key id>.<tag>``; the tag is 16 base32
characters (RFC 4648 §6). Dropping the last segment of the URL form gives the
status-only URL of the code.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Literal

import attrs

from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.errors import InvalidInput
from tthc_core.receipt._keys import KEY_ID_MAX_LEN, KeyRing, ReceiptKey, check_key_id, upper

__all__ = [
    "COMPACT_PREFIX",
    "MAX_LOOKUP_BASE_LEN",
    "PAYLOAD_VERSION",
    "QR_CAPACITY_5M_ALPHANUMERIC",
    "TAG_BYTES",
    "InvalidReceiptPayload",
    "PayloadForm",
    "ReceiptCodec",
    "ReceiptPayload",
    "Verdict",
    "Verification",
    "compute_tag",
]

#: The payload format version written after the code.
PAYLOAD_VERSION = "1"
#: Tag length: 80 bits, 16 base32 characters without padding.
TAG_BYTES = 10
#: Alphanumeric-mode capacity of a version 5 symbol at level M (ISO/IEC 18004:2015 Table 7).
QR_CAPACITY_5M_ALPHANUMERIC = 122
#: The prefix of the compact (chat) form.
COMPACT_PREFIX = "TTHC:"

_SCHEME = "HTTPS://"
_MAX_CODE_LEN = 35 + len("-YYMMDD-XXXX")  # Decision 20/2020 Art. 4: agency code ≤ 35
_TAG_CHARS = -(-TAG_BYTES * 8 // 5)
_SUFFIX_MAX = len(f"/{PAYLOAD_VERSION}..") + KEY_ID_MAX_LEN + _TAG_CHARS
#: Longest lookup base such that every URL payload fits a version 5-M symbol.
MAX_LOOKUP_BASE_LEN = QR_CAPACITY_5M_ALPHANUMERIC - len(_SCHEME) - 1 - _MAX_CODE_LEN - _SUFFIX_MAX
_BASE = re.compile(r"[A-Z0-9-]+(?:\.[A-Z0-9-]+)+(?:/[A-Z0-9.-]+)*")
_SUFFIX = re.compile(
    rf"(?P<version>[0-9A-Z]+)\.(?P<kid>[0-9A-Z]{{1,{KEY_ID_MAX_LEN}}})\.(?P<tag>[A-Z2-7]{{{_TAG_CHARS}}})"
)
# What scanners and chat apps add around a payload: whitespace, BOM, zero-width space.
_PADDING = " \t\r\n\v\f\ufeff\u200b"

FailureKind = Literal["not_ours", "malformed", "version"]


class InvalidReceiptPayload(InvalidInput):
    """Text that is not a valid receipt payload of this codec.

    Attributes:
        kind: ``"not_ours"`` (another QR: a web link, a VietQR, free text),
            ``"malformed"`` (our prefix with a broken body) or ``"version"``
            (our prefix with a payload version this release does not know).
    """

    def __init__(self, reason: str, *, kind: FailureKind) -> None:
        super().__init__(reason, rule="Circular 01/2018/TT-VPCP Art. 19(2)")
        self.kind: FailureKind = kind


class PayloadForm(enum.Enum):
    """The textual form of a payload."""

    URL = "url"
    COMPACT = "compact"


def _check_tag(_: object, __: object, value: bytes) -> None:
    if len(value) != TAG_BYTES:
        raise InvalidInput(f"a receipt tag is {TAG_BYTES} bytes, got {len(value)}")


@attrs.frozen
class ReceiptPayload:
    """What a receipt QR carries.

    Args:
        code: The dossier code.
        key_id: The id of the key that made the tag.
        tag: The truncated HMAC-SHA-256 tag (10 bytes).
    """

    code: DossierCode
    key_id: str = attrs.field(converter=upper, validator=check_key_id)
    tag: bytes = attrs.field(validator=_check_tag)

    @property
    def tag_text(self) -> str:
        """The tag in base32 as printed (16 characters)."""
        return base64.b32encode(self.tag).decode("ascii")

    @property
    def suffix(self) -> str:
        """``<code>/<version>.<key id>.<tag>``, the part both forms share."""
        return f"{self.code}/{PAYLOAD_VERSION}.{self.key_id}.{self.tag_text}"


def compute_tag(code: DossierCode, key: ReceiptKey) -> bytes:
    """The 80-bit tag of ``code`` under ``key``.

    The MAC input binds the payload version, the key id and the canonical code.

    Args:
        code: The dossier code.
        key: The agency's key.
    """
    message = f"tthc-receipt/{PAYLOAD_VERSION}|{key.key_id}|{code}".encode("ascii")
    return hmac.new(key.secret, message, hashlib.sha256).digest()[:TAG_BYTES]


class Verdict(enum.Enum):
    """The outcome of verifying a scanned payload."""

    NOT_OURS = "not_ours"  # another QR, or not a payload at all
    UNKNOWN_KEY = "unknown_key"  # our format, but no such key for the agency
    TAMPERED = "tampered"  # our format, but the tag does not match (forged or altered)
    VALID = "valid"


@attrs.frozen
class Verification:
    """A verdict with the decoded payload (when it decoded) and a reason.

    Args:
        verdict: The outcome.
        payload: The decoded payload, if the text decoded.
        reason: An English sentence for logs and staff.
    """

    verdict: Verdict
    payload: ReceiptPayload | None
    reason: str

    @property
    def grants_details(self) -> bool:
        """Whether the holder may see the dossier's details and link a chat account.

        Only a valid tag does; a typed code shows the status only.
        """
        return self.verdict is Verdict.VALID


def _normalise_base(text: str) -> str:
    base = upper(text.strip())
    if base.startswith(_SCHEME):
        base = base[len(_SCHEME) :]
    base = base.rstrip("/")
    if not _BASE.fullmatch(base):
        raise InvalidInput(
            f"lookup base {text!r} must be a host name with an optional path, using only "
            "letters, digits, '.', '-' and '/', for example tracuu.example.gov.vn/hs"
        )
    if len(base) > MAX_LOOKUP_BASE_LEN:
        raise InvalidInput(
            f"lookup base {text!r} is {len(base)} characters; at most {MAX_LOOKUP_BASE_LEN} "
            "characters keep every receipt URL within a version 5-M QR code"
        )
    return base


def _normalise_bases(bases: Iterable[str]) -> tuple[str, ...]:
    return tuple(_normalise_base(b) for b in bases)


@attrs.frozen
class ReceiptCodec:
    """Encodes, decodes and verifies receipt payloads for one lookup site.

    Args:
        lookup_base: The status site's host and path, such as
            ``"tracuu.example.gov.vn/hs"`` (``https://`` is implied; at most
            :data:`MAX_LOOKUP_BASE_LEN` characters).
        also_accept: Former lookup bases whose URLs are still ours.
    """

    lookup_base: str = attrs.field(converter=_normalise_base)
    also_accept: tuple[str, ...] = attrs.field(default=(), converter=_normalise_bases)

    def sign(self, code: DossierCode, keys: KeyRing) -> ReceiptPayload:
        """The payload of ``code`` tagged with its agency's signing key.

        Raises:
            NoSigningKey: If the key ring has no key for the code's agency.
        """
        key = keys.signing_key(code.agency)
        return ReceiptPayload(code, key.key_id, compute_tag(code, key))

    def url(self, payload: ReceiptPayload) -> str:
        """The URL form (a phone camera opens it on the status page)."""
        return f"{_SCHEME}{self.lookup_base}/{payload.suffix}"

    def compact(self, payload: ReceiptPayload) -> str:
        """The compact form, for chat."""
        return f"{COMPACT_PREFIX}{payload.suffix}"

    def encode(self, payload: ReceiptPayload, form: PayloadForm = PayloadForm.URL) -> str:
        """The payload in ``form``."""
        return self.url(payload) if form is PayloadForm.URL else self.compact(payload)

    def status_url(self, code: DossierCode) -> str:
        """The status-only URL of a code (what a typed code opens)."""
        return f"{_SCHEME}{self.lookup_base}/{code}"

    def decode(self, text: str) -> ReceiptPayload:
        """Decode either form, tolerating surrounding whitespace and any ASCII letter case.

        Args:
            text: What a scanner or a chat message produced.

        Raises:
            InvalidReceiptPayload: With ``kind`` saying why.
        """
        body = self._body(upper(text.strip(_PADDING)))
        code_text, slash, suffix = body.partition("/")
        match = _SUFFIX.fullmatch(suffix) if slash else None
        if match is None:
            raise InvalidReceiptPayload(
                f"{text!r} does not end in <code>/<version>.<key id>.<16-character tag>",
                kind="malformed",
            )
        if match["version"] != PAYLOAD_VERSION:
            raise InvalidReceiptPayload(
                f"payload version {match['version']!r} is not supported (this release reads "
                f"version {PAYLOAD_VERSION})",
                kind="version",
            )
        try:
            code = DossierCode.parse(code_text)
        except InvalidDossierCode as exc:
            raise InvalidReceiptPayload(
                f"the dossier code in {text!r} is invalid: {exc.reason}", kind="malformed"
            ) from exc
        if str(code) != code_text:
            raise InvalidReceiptPayload(
                f"the dossier code in {text!r} is not in canonical form", kind="malformed"
            )
        tag = base64.b32decode(match["tag"])
        return ReceiptPayload(code, match["kid"], tag)

    def _body(self, upper: str) -> str:
        if upper.startswith(COMPACT_PREFIX):
            return upper[len(COMPACT_PREFIX) :]
        if upper.startswith(_SCHEME):
            rest = upper[len(_SCHEME) :]
            for base in (self.lookup_base, *self.also_accept):
                if rest.startswith(base + "/"):
                    return rest[len(base) + 1 :]
        raise InvalidReceiptPayload(
            f"not a receipt payload of {self.lookup_base.lower()}: it starts neither with "
            f"{COMPACT_PREFIX} nor with https://{self.lookup_base.lower()}/",
            kind="not_ours",
        )

    def verify(self, scanned: str | ReceiptPayload, keys: KeyRing) -> Verification:
        """Decode (if text) and check the tag in constant time.

        Args:
            scanned: The scanned text, or an already decoded payload.
            keys: The agencies' keys.
        """
        if isinstance(scanned, ReceiptPayload):
            payload = scanned
        else:
            try:
                payload = self.decode(scanned)
            except InvalidReceiptPayload as exc:
                verdict = Verdict.TAMPERED if exc.kind == "malformed" else Verdict.NOT_OURS
                return Verification(verdict, None, exc.reason)
        key = keys.verification_key(payload.code.agency, payload.key_id)
        if key is None:
            return Verification(
                Verdict.UNKNOWN_KEY,
                payload,
                f"key {payload.key_id!r} is not a receipt key of agency {payload.code.agency}",
            )
        if not hmac.compare_digest(compute_tag(payload.code, key), payload.tag):
            return Verification(
                Verdict.TAMPERED, payload, f"the tag does not match dossier {payload.code}"
            )
        return Verification(Verdict.VALID, payload, f"authentic receipt of dossier {payload.code}")
