"""EMVCo merchant-presented QR (EMV QRCPS-MPM v1.1): TLV structure and CRC.

The payload is a flat string of data objects: a 2-digit ID, a 2-digit length
(in characters) and the value. IDs 26-51 (merchant account information), 62
(additional data), 64 (alternate language) and 80-99 are templates of nested
objects. ID 00 (payload format indicator ``"01"``) comes first, ID 63 (CRC)
last; the CRC is CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF,
no reflection) over the whole payload up to and including ``"6304"``, written
as 4 hexadecimal digits (EMV QRCPS-MPM §4.7.3). Parsers accept lower-case hex.

NAPAS VietQR (GUID ``A000000727`` in ID 38) nests one level further: its
sub-object 01 (beneficiary organisation) is itself a template of the bank BIN
and the account number.

The structure is validated independently of the CRC: a payload whose CRC
matches but whose lengths are wrong is rejected (anchors.md §6.2).
"""

from __future__ import annotations

import re

import attrs

from tthc_core.errors import InvalidInput

__all__ = [
    "NAPAS_GUID",
    "EmvObject",
    "EmvPayload",
    "InvalidMerchantQr",
    "crc16_ccitt_false",
    "emv_object",
    "parse_merchant_qr",
    "serialise_with_crc",
]

#: The NAPAS globally unique identifier of VietQR (ID 38, sub-ID 00).
NAPAS_GUID = "A000000727"
_RULE = "EMV QRCPS-MPM v1.1 §4; NAPAS VietQR v1.5.2"


class InvalidMerchantQr(InvalidInput):
    """Text that is not a well-formed EMVCo merchant-presented QR payload."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, rule=_RULE)


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        table.append(crc & 0xFFFF)
    return tuple(table)


_TABLE = _crc_table()


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE of ``data`` (the check value of ``b"123456789"`` is 0x29B1).

    Args:
        data: The bytes to check (the payload's UTF-8 bytes).
    """
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _TABLE[((crc >> 8) ^ byte) & 0xFF]
    return crc


@attrs.frozen
class EmvObject:
    """One data object: its ID, raw value and, for templates, its nested objects.

    Args:
        id: Two digits.
        value: The value as written.
        children: The nested objects of a template, else ``()``.
    """

    id: str
    value: str
    children: tuple[EmvObject, ...] = ()

    def child(self, id_: str) -> EmvObject | None:
        """The nested object ``id_``, if present."""
        return next((c for c in self.children if c.id == id_), None)

    def serialise(self) -> str:
        """``ID LL VALUE``."""
        return f"{self.id}{len(self.value):02d}{self.value}"


def emv_object(id_: str, value: str | tuple[EmvObject, ...]) -> EmvObject:
    """Build an object from a value or from nested objects (a template).

    Raises:
        InvalidMerchantQr: If the value is longer than 99 characters.
    """
    if isinstance(value, tuple):
        obj = EmvObject(id_, "".join(c.serialise() for c in value), value)
    else:
        obj = EmvObject(id_, value)
    if len(obj.value) > 99:
        raise InvalidMerchantQr(f"object {id_} is {len(obj.value)} characters; at most 99 fit")
    return obj


@attrs.frozen
class EmvPayload:
    """A parsed merchant-presented payload (CRC checked).

    Args:
        objects: The top-level objects in order, ending with the CRC (ID 63).
    """

    objects: tuple[EmvObject, ...]

    def get(self, id_: str) -> EmvObject | None:
        """The top-level object ``id_``, if present."""
        return next((o for o in self.objects if o.id == id_), None)

    @property
    def merchant_accounts(self) -> tuple[EmvObject, ...]:
        """The merchant account templates (IDs 26-51)."""
        return tuple(o for o in self.objects if 26 <= int(o.id) <= 51)


def _is_template(id_: str) -> bool:
    n = int(id_)
    return 26 <= n <= 51 or n in (62, 64) or 80 <= n <= 99


def _split(text: str, where: str) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        head = text[i : i + 4]
        if not re.fullmatch(r"[0-9]{4}", head):
            raise InvalidMerchantQr(f"{where}: expected a 2-digit ID and length at offset {i}")
        id_, length = head[:2], int(head[2:])
        value = text[i + 4 : i + 4 + length]
        if len(value) != length:
            raise InvalidMerchantQr(
                f"{where}: object {id_} declares {length} characters but only {len(value)} remain"
            )
        fields.append((id_, value))
        i += 4 + length
    if len({f[0] for f in fields}) != len(fields):
        raise InvalidMerchantQr(f"{where}: an ID appears twice")
    return fields


def _nested(id_: str, value: str, where: str) -> EmvObject:
    children = tuple(EmvObject(i, v) for i, v in _split(value, f"{where}/{id_}"))
    if 26 <= int(id_) <= 51:
        guid = next((c for c in children if c.id == "00"), None)
        if guid is None or not 1 <= len(guid.value) <= 32:
            raise InvalidMerchantQr(f"merchant account {id_} needs a GUID (sub-ID 00)")
        if guid.value == NAPAS_GUID:
            children = tuple(
                _nested_napas(c, f"{where}/{id_}") if c.id == "01" else c for c in children
            )
    return EmvObject(id_, value, children)


def _nested_napas(obj: EmvObject, where: str) -> EmvObject:
    children = tuple(EmvObject(i, v) for i, v in _split(obj.value, f"{where}/01"))
    return EmvObject(obj.id, obj.value, children)


_FORMATS: dict[str, tuple[str, str]] = {
    "00": (r"01", "the payload format indicator must be 01"),
    "01": (r"1[12]", "the point of initiation must be 11 (static) or 12 (dynamic)"),
    "52": (r"[0-9]{4}", "the merchant category code must be 4 digits"),
    "53": (r"[0-9]{3}", "the currency must be a 3-digit ISO 4217 code"),
    "54": (r"(?=.{1,13}$)[0-9]+(?:\.[0-9]*)?", "the amount must be up to 13 digits and a '.'"),
    "58": (r"[A-Z]{2}", "the country must be 2 capital letters"),
    "59": (r".{1,25}", "the merchant name must be 1-25 characters"),
    "60": (r".{1,15}", "the merchant city must be 1-15 characters"),
}


def parse_merchant_qr(text: str) -> EmvPayload:
    """Parse and validate a merchant-presented payload (VietQR, VNPAY, any EMVCo MPM).

    Surrounding whitespace (a scanner's trailing newline) is ignored.

    Args:
        text: The scanned text.

    Raises:
        InvalidMerchantQr: If the structure or the CRC is wrong.
    """
    body = text.strip()
    if not body.isprintable():
        raise InvalidMerchantQr("the payload contains control characters")
    fields = _split(body, "payload")
    if not fields or fields[0] != ("00", "01"):
        raise InvalidMerchantQr("the payload must start with 000201 (format indicator 01)")
    if fields[-1][0] != "63" or not re.fullmatch(r"[0-9A-Fa-f]{4}", fields[-1][1]):
        raise InvalidMerchantQr("the payload must end with the CRC object 6304 and 4 hex digits")
    expected = crc16_ccitt_false(body[:-4].encode("utf-8"))
    if int(fields[-1][1], 16) != expected:
        raise InvalidMerchantQr(
            f"CRC mismatch: the payload says {fields[-1][1].upper()}, its content gives "
            f"{expected:04X}"
        )
    objects = []
    for id_, value in fields:
        pattern = _FORMATS.get(id_)
        if pattern is not None and not re.fullmatch(pattern[0], value):
            raise InvalidMerchantQr(f"object {id_}={value!r}: {pattern[1]}")
        objects.append(
            _nested(id_, value, "payload") if _is_template(id_) else EmvObject(id_, value)
        )
    if "62" in dict(fields):
        for child in next(o for o in objects if o.id == "62").children:
            if not 1 <= len(child.value) <= 25 and child.id != "09":
                raise InvalidMerchantQr(f"additional data 62/{child.id} must be 1-25 characters")
    return EmvPayload(tuple(objects))


def serialise_with_crc(objects: tuple[EmvObject, ...]) -> str:
    """Join objects and append the CRC object (ID 63)."""
    head = "".join(o.serialise() for o in objects) + "6304"
    return f"{head}{crc16_ccitt_false(head.encode('utf-8')):04X}"
