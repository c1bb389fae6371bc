"""Applicants, postal addresses and return channels: validation, phones, NFC."""

from __future__ import annotations

import unicodedata

import attrs
import pytest
from hypothesis import given

from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant, PostalAddress, ReturnChannel, normalise_phone
from tthc_core.testing.strategies import (
    applicants,
    phone_numbers,
    postal_addresses,
    typed_phones,
    vietnamese_names,
)


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(0912) 345 678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        " 0912\u00a0345\u00a0678 ",
    ],
)
def test_phone_numbers_are_normalised_to_the_national_form(typed: str) -> None:
    assert normalise_phone(typed) == "0912345678"


@given(phone_numbers().flatmap(lambda n: typed_phones(n).map(lambda t: (n, t))))
def test_any_typed_form_normalises_to_its_number(pair: tuple[str, str]) -> None:
    national, typed = pair
    assert normalise_phone(typed) == national
    assert normalise_phone(national) == national  # idempotent


@pytest.mark.parametrize(
    "bad", ["", "12345", "091234567", "09123456789", "1912345678", "+1 912 345 678", "0912abc678"]
)
def test_bad_phone_numbers_are_refused_with_an_example(bad: str) -> None:
    with pytest.raises(InvalidInput, match="such as 0912 345 678"):
        normalise_phone(bad)


def test_full_width_digits_are_converted() -> None:
    stored = normalise_phone("0\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18")
    assert stored == "0912345678"


@pytest.mark.parametrize("text", ["0084912345678", "+84 (0) 912 345 678", "(+84) 912-345-678"])
def test_international_prefixes(text: str) -> None:
    assert normalise_phone(text) == "0912345678"


@pytest.mark.parametrize("text", ["0\u0669\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"])
def test_other_script_digits_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_phone(text)


def test_names_and_addresses_are_stored_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    applicant = Applicant(decomposed, address=unicodedata.normalize("NFD", "Buôn Ea Kmar"))
    assert applicant.name == "Nguyễn Thị Hương"
    assert unicodedata.is_normalized("NFC", applicant.name)
    assert applicant.address == "Buôn Ea Kmar"
    assert applicant == Applicant("Nguyễn Thị Hương", address="Buôn Ea Kmar")


@given(vietnamese_names())
def test_nfc_and_nfd_input_give_equal_applicants(name: str) -> None:
    assert Applicant(unicodedata.normalize("NFD", name)) == Applicant(name)


def test_applicant_phone_is_optional_and_normalised() -> None:
    assert Applicant("Lê Minh Đức").phone is None
    assert Applicant("Lê Minh Đức", phone="+84 98 765 4321").phone == "0987654321"
    with pytest.raises(InvalidInput, match="not a Vietnamese phone number"):
        Applicant("Lê Minh Đức", phone="112")


@pytest.mark.parametrize("blank", ["", "   ", "\u00a0\t"])
def test_blank_names_are_refused(blank: str) -> None:
    with pytest.raises(InvalidInput, match="name must not be blank"):
        Applicant(blank)


ADDRESS = PostalAddress("Trần Thị Bích", "0912 345 678", "Thôn 3", "24580", "66")


def test_postal_address_normalises_and_keeps_codes() -> None:
    assert ADDRESS.phone == "0912345678"
    assert ADDRESS.district_code is None
    assert attrs.evolve(ADDRESS, district_code="645").district_code == "645"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ward_code": "2458"}, "commune/ward code '2458' must be 5 digits"),
        ({"province_code": "6"}, "province code '6' must be 2 digits"),
        ({"district_code": "64"}, "district code '64' must be 3 digits"),
        ({"recipient": " "}, "recipient must not be blank"),
        ({"street": ""}, "street must not be blank"),
        ({"phone": "0912"}, "not a Vietnamese phone number"),
    ],
)
def test_postal_address_validation_names_the_field(change: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        attrs.evolve(ADDRESS, **change)


@given(postal_addresses())
def test_generated_addresses_are_valid_and_rebuildable(address: PostalAddress) -> None:
    assert attrs.evolve(address) == address
    assert len(address.ward_code) == 5
    assert len(address.province_code) == 2


@given(applicants())
def test_generated_applicants_are_stable_under_rebuilding(applicant: Applicant) -> None:
    assert attrs.evolve(applicant) == applicant
    assert applicant.phone is None or normalise_phone(applicant.phone) == applicant.phone


def test_return_channels_have_vietnamese_labels() -> None:
    """Mẫu 01 item 6 (Circular 01/2018): desk, public post (Decision 45/2016) or electronic."""
    labels = {c: c.label_vi for c in ReturnChannel}
    assert labels[ReturnChannel.POSTAL] == "Qua dịch vụ bưu chính công ích"
    assert all(unicodedata.is_normalized("NFC", label) for label in labels.values())
    assert len(set(labels.values())) == len(labels)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0262 3670 000", "02623670000"),
        ("+84 262 3670 000", "02623670000"),
        ("842623670000", "02623670000"),
    ],
)
def test_landlines_have_eleven_digits(text: str, expected: str) -> None:
    assert normalise_phone(text) == expected


@pytest.mark.parametrize("text", ["0912 345 6789", "0312 345 6789"])
def test_eleven_digits_are_landlines_only(text: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_phone(text)
