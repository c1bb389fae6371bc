"""Receipt authentication keys and the key-ring port.

Each agency signs its receipts' QR payloads with its own secret key
(HMAC-SHA-256, RFC 2104 / FIPS 198-1). Every key has a short id printed in
the payload, so an agency can rotate keys: it signs with the newest key and
keeps older ones to verify receipts already in citizens' hands.

The core never reads keys from files or the environment; they come in through
the :class:`KeyRing` port (``tthc_adapters.qr`` loads them from a key file or
the ``TTHC_RECEIPT_KEYS`` variable).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Protocol

import attrs

from tthc_core.codes import AgencyCode
from tthc_core.errors import InvalidInput

__all__ = [
    "KEY_ID_MAX_LEN",
    "MIN_SECRET_BYTES",
    "KeyRing",
    "NoSigningKey",
    "ReceiptKey",
    "StaticKeyRing",
]

#: Longest key id; key ids use ``0-9A-Z`` so the payload stays in QR alphanumeric mode.
KEY_ID_MAX_LEN = 4
#: Shortest accepted secret: 128 bits (NIST SP 800-107 Rev. 1 §5.3.4: the HMAC key
#: should carry at least the security strength wanted).
MIN_SECRET_BYTES = 16

_KEY_ID = re.compile(rf"[0-9A-Z]{{1,{KEY_ID_MAX_LEN}}}")


class NoSigningKey(InvalidInput):
    """The key ring has no key to sign receipts of an agency."""


_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def upper(text: str) -> str:
    """attrs converter: ASCII upper case (key ids and payloads are case-insensitive).

    Only ``a-z`` change: ``str.upper`` would also turn non-ASCII letters such as
    ``ſ`` or ``ı`` into ``S`` or ``I`` and so admit a second spelling.
    """
    return text.translate(_ASCII_UPPER)


def check_key_id(_: object, __: object, value: str) -> None:
    """attrs validator: a key id is 1-4 characters from ``0-9A-Z``."""
    if not _KEY_ID.fullmatch(value):
        raise InvalidInput(
            f"key id {value!r} must be 1 to {KEY_ID_MAX_LEN} characters from 0-9 and A-Z"
        )


def _check_secret(_: object, __: object, value: bytes) -> None:
    if len(value) < MIN_SECRET_BYTES:
        raise InvalidInput(
            f"a receipt key secret must be at least {MIN_SECRET_BYTES} bytes "
            f"({MIN_SECRET_BYTES * 8} bits), got {len(value)}"
        )


@attrs.frozen
class ReceiptKey:
    """A secret key that signs receipt payloads.

    Args:
        key_id: Its short public id (``0-9A-Z``, 1-4 characters), printed in payloads.
        secret: The secret bytes (at least 16; 32 recommended). Never shown in ``repr``.
        agency: The agency whose receipts it signs, or ``None`` for every agency
            served by the installation.
    """

    key_id: str = attrs.field(converter=upper, validator=check_key_id)
    secret: bytes = attrs.field(repr=False, validator=_check_secret)
    agency: AgencyCode | None = None


class KeyRing(Protocol):
    """Port: the receipt keys of the agencies an installation serves."""

    def signing_key(self, agency: AgencyCode) -> ReceiptKey:
        """The key that signs new receipts of ``agency``.

        Raises:
            NoSigningKey: If there is none.
        """
        ...

    def verification_key(self, agency: AgencyCode, key_id: str) -> ReceiptKey | None:
        """The key with id ``key_id`` valid for ``agency``, or ``None`` if unknown."""
        ...


class StaticKeyRing:
    """A :class:`KeyRing` over a fixed list of keys (in memory, immutable).

    Rotation by order: for each agency, the **last** listed key that applies to
    it (its own key, else a key for every agency) signs; all listed keys verify.

    Args:
        keys: The keys, oldest first.

    Raises:
        InvalidInput: If two keys with the same id apply to the same agency scope.
    """

    def __init__(self, keys: Iterable[ReceiptKey]) -> None:
        self._keys = tuple(keys)
        seen: set[tuple[AgencyCode | None, str]] = set()
        for key in self._keys:
            scope = (key.agency, key.key_id)
            if scope in seen:
                where = "every agency" if key.agency is None else str(key.agency)
                raise InvalidInput(f"key id {key.key_id!r} is listed twice for {where}")
            seen.add(scope)

    @property
    def keys(self) -> tuple[ReceiptKey, ...]:
        """The keys, oldest first."""
        return self._keys

    def signing_key(self, agency: AgencyCode) -> ReceiptKey:
        """The newest key of ``agency``, else the newest key for every agency."""
        for scope in (agency, None):
            for key in reversed(self._keys):
                if key.agency == scope:
                    return key
        raise NoSigningKey(f"no receipt key is configured for agency {agency}")

    def verification_key(self, agency: AgencyCode, key_id: str) -> ReceiptKey | None:
        """The key ``key_id`` of ``agency`` (or of every agency), if listed."""
        wanted = upper(key_id)
        for scope in (agency, None):
            for key in self._keys:
                if key.agency == scope and key.key_id == wanted:
                    return key
        return None
