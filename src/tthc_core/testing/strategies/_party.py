"""Strategies for people and places: applicants, postal addresses, phone numbers."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tthc_core.party import Applicant, PostalAddress

__all__ = ["applicants", "phone_numbers", "postal_addresses", "typed_phones", "vietnamese_names"]

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
_MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Thu")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hương", "Khánh", "Linh", "Phúc", "Quân", "Yến")
# Names of Ê Đê and other Tây Nguyên peoples keep their own order and apostrophes.
_OTHER_NAMES = ("H'Nhi Niê", "Y Khu Êban", "Ksor H'Bla", "Rơ Mah Hiệp")
_STREETS = ("Thôn 3", "Buôn Ea Kmar", "Số 12 đường Lê Lợi", "Tổ dân phố 5", "Km 45 Quốc lộ 29")


def vietnamese_names() -> st.SearchStrategy[str]:
    """Full names in NFC: family, optional middle and given name, or a Tây Nguyên name."""
    kinh = st.builds(
        lambda f, m, g: " ".join(p for p in (f, m, g) if p),
        st.sampled_from(_FAMILY),
        st.sampled_from(("", *_MIDDLE)),
        st.sampled_from(_GIVEN),
    )
    return st.one_of(kinh, st.sampled_from(_OTHER_NAMES))


def phone_numbers() -> st.SearchStrategy[str]:
    """Vietnamese mobile numbers in national form, ``0`` + prefix digit + 8 digits."""
    return st.builds(
        lambda p, n: f"0{p}{n:08d}", st.sampled_from("35789"), st.integers(0, 99_999_999)
    )


@st.composite
def typed_phones(draw: st.DrawFn, national: str) -> str:
    """``national`` as people type it: grouped, dotted, dashed, with ``+84`` or ``84``.

    Args:
        national: A number in ``0xxxxxxxxx`` form.
    """
    subscriber = national[1:]
    prefix = draw(st.sampled_from(("0", "+84", "84", "+84 ")))
    separator = draw(st.sampled_from(("", " ", ".", "-", "\u00a0")))
    groups = (subscriber[:3], subscriber[3:6], subscriber[6:])
    body = separator.join(groups)
    if prefix == "0" and draw(st.booleans()):
        return f"(0{groups[0]}) {groups[1]} {groups[2]}"
    padding = draw(st.sampled_from(("", " ", "\t")))
    return f"{padding}{prefix}{body}{padding}"


def postal_addresses() -> st.SearchStrategy[PostalAddress]:
    """Addresses with GSO-shaped codes; a third name a pre-2025 district."""
    return st.builds(
        PostalAddress,
        recipient=vietnamese_names(),
        phone=phone_numbers(),
        street=st.sampled_from(_STREETS),
        ward_code=st.integers(1, 99_999).map(lambda n: f"{n:05d}"),
        province_code=st.integers(1, 96).map(lambda n: f"{n:02d}"),
        district_code=st.one_of(
            st.none(), st.none(), st.integers(1, 999).map(lambda n: f"{n:03d}")
        ),
    )


def applicants() -> st.SearchStrategy[Applicant]:
    """Applicants, with or without an address, phone, e-mail and CCCD number."""
    return st.builds(
        Applicant,
        vietnamese_names(),
        address=st.one_of(st.just(""), st.sampled_from(_STREETS)),
        phone=st.none() | phone_numbers(),
        email=st.none() | st.from_regex(r"[a-z]{3,8}[0-9]{0,2}@example\.vn", fullmatch=True),
        identity_number=st.none() | st.from_regex(r"0[0-9]{11}", fullmatch=True),
    )


REGISTRY: dict[type, Any] = {
    Applicant: applicants(),
    PostalAddress: postal_addresses(),
}
