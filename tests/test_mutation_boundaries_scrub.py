"""Scrubbing identities from public text: each spelling's boundary, both sides (issue 15).

Law on Denunciations 25/2018/QH14 Art. 9(1)(b), Art. 47(2): a denouncer's name, address and
other personal information are kept secret; tthc's privacy rule: no citizen's identity is ever
public. Each test names the boundary one surviving mutant of ``complaint/_scrub`` crossed: the
shortest secret looked for, the shortest number, the shortest e-mail name, the names and
addresses by their parts, adjacent identities masked as one.
"""

from __future__ import annotations

import pytest

from tthc_core.complaint import scrub

# -- which secrets are looked for ---------------------------------------------------------


def test_a_two_character_secret_is_masked_and_a_one_character_one_skipped() -> None:
    """Secrets shorter than two characters are skipped (they would mask ordinary words)."""
    assert scrub("Ông An đến nộp", ["An"]) == "Ông *** đến nộp"
    assert scrub("Nhóm A đã nộp", ["A"]) == "Nhóm A đã nộp"


# -- numbers ------------------------------------------------------------------------------


def test_a_seven_digit_number_is_masked_however_separated() -> None:
    """A secret of 7 or more digits is a number: any separators between its digits."""
    assert scrub("gọi 123 4567 nhé", ["1234567"]) == "gọi *** nhé"
    assert scrub("mã 123 456 nhé", ["123456"]) == "mã 123 456 nhé"  # six digits: a word


def test_a_number_without_a_trunk_zero_is_masked_as_written() -> None:
    """Only a leading 0 is the trunk prefix; other numbers keep their first digit."""
    assert scrub("số 1234 5678", ["12345678"]) == "số ***"


def test_a_number_with_a_trunk_zero_is_masked_after_84_or_without_the_zero() -> None:
    """0905 1234 is also written +84 905 1234 or 905 1234 (the secret itself spaced)."""
    for text in ("gọi +84 905 1234", "gọi 905 1234"):
        assert scrub(text, ["0905 1234"]) == "gọi ***"


# -- e-mail addresses ---------------------------------------------------------------------


def test_an_email_spelt_out_is_masked_whole() -> None:
    """``mai.anh at gmail chấm com``: the domain's labels, joined by a spoken dot."""
    assert scrub("thư: mai.anh at gmail chấm com.", ["mai.anh@gmail.com"]) == "thư: ***."


def test_an_email_name_of_four_characters_is_masked_alone_and_of_three_not() -> None:
    """The name part alone is looked for from four characters (shorter ones are words)."""
    assert scrub("tài khoản binh đã gửi", ["binh@gmail.com"]) == "tài khoản *** đã gửi"
    assert scrub("tài khoản anh đã gửi", ["anh@gmail.com"]) == "tài khoản anh đã gửi"


def test_an_email_name_is_what_comes_before_the_first_at() -> None:
    """``mai@anh@x.vn``: the name part is ``mai`` (three characters, not looked for alone)."""
    assert scrub("Mai Anh đến", ["mai@anh@x.vn"]) == "Mai Anh đến"


# -- names --------------------------------------------------------------------------------


def test_a_two_word_name_is_masked_with_its_given_name_shortened() -> None:
    assert scrub("Bà Trần M. đã gửi", ["Trần Mai"]) == "Bà *** đã gửi"


def test_a_three_word_name_is_masked_without_its_family_name() -> None:
    """Every word after the family name, whole: ``Văn An`` for Nguyễn Văn An."""
    assert scrub("ông Văn An đến", ["Nguyễn Văn An"]) == "ông *** đến"


# -- addresses ----------------------------------------------------------------------------


def test_an_address_part_with_a_house_number_is_masked_alone() -> None:
    """``9A Hai Bà Trưng``: a part whose first word starts with a digit."""
    text = "Gửi tới 9A Hai Bà Trưng hôm qua"
    assert scrub(text, ["9A Hai Bà Trưng, Hà Nội"]) == "Gửi tới *** hôm qua"


def test_a_house_number_followed_by_its_street_is_masked() -> None:
    """``Nhà 12 đường Lê Lợi`` is also written ``12 Lê Lợi`` (nhà and đường left out)."""
    assert scrub("ở 12 Lê Lợi", ["Nhà 12 đường Lê Lợi, Huế"]) == "ở ***"


def test_a_one_word_street_follows_its_house_number() -> None:
    assert scrub("gần 5 phố Huế", ["Số 5 Phố Huế, Hà Nội"]) == "gần ***"


def test_a_house_number_is_paired_only_with_a_street_part() -> None:
    """``Thôn 3, xã Hòa Phú``: 3 is not a house number on a street called Hòa Phú."""
    assert scrub("Tổ 3 Hòa Phú đã họp", ["Thôn 3, xã Hòa Phú"]) == "Tổ 3 Hòa Phú đã họp"


def test_a_street_word_alone_makes_no_house_number_pattern() -> None:
    """``12 Đường``: no street name follows, so a bare 12 stays."""
    text = "Đã nhận 12, còn thiếu 3"
    assert scrub(text, ["12 Đường, Hòa Phú"]) == text


@pytest.mark.parametrize(
    ("secret", "text"),
    [
        ("Số 12 đường Lê Lợi", "ở 12 Lê Lợi"),  # a number, no comma
        ("Xóm Chùa, Hòa Phú", "ở Xóm Chùa"),  # a comma, no number
    ],
)
def test_a_secret_with_a_number_or_a_comma_is_an_address(secret: str, text: str) -> None:
    assert scrub(text, [secret]) == "ở ***"


# -- masking ------------------------------------------------------------------------------


def test_identities_that_touch_are_masked_as_one() -> None:
    """A name ending in an initial's dot, then a phone number: one mask, not two."""
    text = "Liên hệ Trần M. +84 912 345 678."
    assert scrub(text, ["Trần Mai"]) == "Liên hệ ***."
