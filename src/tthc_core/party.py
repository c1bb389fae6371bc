"""People and places: the applicant, postal addresses and the return channel.

Privacy rule of tthc: a typed dossier code alone never reveals an applicant's
name, phone or address; these types are only shown to a verified holder (a
valid receipt QR tag, a linked chat account) or to staff.
"""

from __future__ import annotations

import enum
import re
import unicodedata

import attrs

from tthc_core.errors import InvalidInput
from tthc_core.text import nfc

__all__ = ["Applicant", "PostalAddress", "ReturnChannel", "normalise_phone"]

# Mobile numbers have 10 digits; landlines 11 (02 + area code + subscriber, since 2017).
_PHONE = re.compile(r"0[0-9]{9}|02[0-9]{9}")


def normalise_phone(text: str) -> str:
    """A Vietnamese phone number in national form (``0xxxxxxxxx``, landlines ``02xxxxxxxxx``).

    Accepts spaces, dots, dashes, full-width digits (NFKC), and the ``+84``,
    ``0084``, ``84`` and ``+84 (0)`` prefixes.

    Raises:
        InvalidInput: If the number does not have 10 digits starting with 0.
    """
    digits = re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", text))
    digits = re.sub(r"^(\+84|0084)\(0\)", "0", digits)
    digits = digits.replace("(", "").replace(")", "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not _PHONE.fullmatch(digits):
        raise InvalidInput(
            f"{text!r} is not a Vietnamese phone number: expected 10 digits starting "
            "with 0, such as 0912 345 678, or a landline of 11 digits starting with 02"
        )
    return digits


def _name(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise InvalidInput(f"{attribute.name} must not be blank")


def _optional_phone(value: str | None) -> str | None:
    return None if value is None else normalise_phone(value)


@attrs.frozen
class Applicant:
    """The person or organisation filing a dossier (người nộp hồ sơ).

    Args:
        name: Full name, NFC.
        address: Postal address as written.
        phone: Normalised to ``0xxxxxxxxx``.
        email: E-mail, if given.
        identity_number: Citizen identity number (CCCD), if given.
    """

    name: str = attrs.field(converter=nfc, validator=_name)
    address: str = attrs.field(default="", converter=nfc)
    phone: str | None = attrs.field(default=None, converter=_optional_phone)
    email: str | None = None
    identity_number: str | None = None


@attrs.frozen
class PostalAddress:
    """An address for public postal service (bưu chính công ích).

    Post-2025 addresses name the commune/ward and the province (two levels);
    pre-2025 addresses may also name a district (``district_code``) for old
    dossiers. Unit codes are the GSO codes (Decision 124/2004/QĐ-TTg; 2025 codes
    per Decision 19/2025/QĐ-TTg) and are validated by the
    ``AdministrativeUnits`` port, not here.

    Args:
        recipient: Who receives the parcel.
        phone: The recipient's phone, normalised.
        street: House number, street, hamlet (thôn, buôn).
        ward_code: Commune/ward code (5 digits).
        province_code: Province code (2 digits).
        district_code: District code (3 digits), only for pre-2025 addresses.
    """

    recipient: str = attrs.field(converter=nfc, validator=_name)
    phone: str = attrs.field(converter=normalise_phone)
    street: str = attrs.field(converter=nfc, validator=_name)
    ward_code: str = attrs.field()
    province_code: str = attrs.field()
    district_code: str | None = attrs.field(default=None)

    @ward_code.validator
    def _check_ward(self, _: object, value: str) -> None:
        if not re.fullmatch(r"[0-9]{5}", value):
            raise InvalidInput(f"commune/ward code {value!r} must be 5 digits")

    @province_code.validator
    def _check_province(self, _: object, value: str) -> None:
        if not re.fullmatch(r"[0-9]{2}", value):
            raise InvalidInput(f"province code {value!r} must be 2 digits")

    @district_code.validator
    def _check_district(self, _: object, value: str | None) -> None:
        if value is not None and not re.fullmatch(r"[0-9]{3}", value):
            raise InvalidInput(f"district code {value!r} must be 3 digits")


class ReturnChannel(enum.Enum):
    """How the result reaches the applicant (Mẫu 01 item 6, Decision 45/2016)."""

    DESK = "desk"  # nhận tại Bộ phận Một cửa
    POSTAL = "postal"  # qua dịch vụ bưu chính công ích
    ELECTRONIC = "electronic"  # kết quả điện tử (toàn trình procedures)

    @property
    def label_vi(self) -> str:
        """The Vietnamese wording."""
        return _RETURN_LABELS[self]


_RETURN_LABELS = {
    ReturnChannel.DESK: "Nhận trực tiếp tại Bộ phận Một cửa",
    ReturnChannel.POSTAL: "Qua dịch vụ bưu chính công ích",
    ReturnChannel.ELECTRONIC: "Nhận kết quả điện tử",
}
