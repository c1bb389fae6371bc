"""Codes: Circular 01/2018 Art. 19, Decision 20/2020 Art. 4, CSDLQG procedure codes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.codes import (
    AgencyCode,
    AgencyLevel,
    DossierCode,
    InvalidAgencyCode,
    InvalidDossierCode,
    InvalidProcedureCode,
    ProcedureCode,
    extract_dossier_codes,
)
from tthc_core.testing.strategies import agency_codes, dossier_codes, procedure_codes

EXAMPLE = DossierCode(AgencyCode("000.00.15.H12"), dt.date(2024, 3, 7), 5)


@pytest.mark.parametrize(
    "text",
    [
        "000.00.15.H12-240307-0005",
        "000.00.15.h12-240307-0005",
        " 000.00.15.H12 - 240307 - 0005 \n",
        "000.00.15.H12\u2013240307\u20140005",
        "000\uff0e00\uff0e15\uff0eH12-240307-0005",
        "Mã hồ sơ: 000.00.15.H12-240307-0005",
        "ma ho so 000.00.15.H12-240307-0005",
        "MÃ HỒ SƠ 000.00.15.H12-240307-0005",
        "tra cứu 000.00.15.H12-240307-0005",
        "tracuu 000.00.15.H12-240307-0005",
    ],
)
def test_parse_accepts_what_people_type(text: str) -> None:
    assert DossierCode.parse(text) == EXAMPLE


def test_canonical_form_is_circular_01_2018_art_19() -> None:
    assert str(EXAMPLE) == "000.00.15.H12-240307-0005"


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("hello", "format"),
        ("000.00.15.H12-240307", "format"),
        ("000.00.15.123-240307-0005", "agency"),
        ("000.00.15.H12-241307-0005", "date"),
        ("000.00.15.H12-240230-0005", "date"),
        ("000.00.15.H12-2403070-0005", "date"),
        ("000.00.15.H12-240307-005", "sequence"),
        ("000.00.15.H12-240307-0000", "sequence"),
    ],
)
def test_parse_names_the_wrong_part(text: str, part: str) -> None:
    with pytest.raises(InvalidDossierCode) as info:
        DossierCode.parse(text)
    assert info.value.part == part
    assert info.value.rule == "Circular 01/2018/TT-VPCP Art. 19"


@given(dossier_codes())
def test_parse_str_round_trip(code: DossierCode) -> None:
    assert DossierCode.parse(str(code)) == code


@given(dossier_codes(), st.text(alphabet=" abcxyzđ:.,!?\n", max_size=20))
def test_extract_finds_a_code_in_chat_text(code: DossierCode, noise: str) -> None:
    message = f"Cho tôi hỏi{noise} hồ sơ {code}{noise}ạ"
    assert code in extract_dossier_codes(message)


def test_extract_skips_impossible_dates_and_duplicates() -> None:
    text = (
        "hồ sơ 000.00.15.H12-240307-0005, lại 000.00.15.H12-240307-0005 "
        "và 000.00.15.H12-241399-0001 và 000.24.31.H15-250101-0012"
    )
    assert [str(c) for c in extract_dossier_codes(text)] == [
        "000.00.15.H12-240307-0005",
        "000.24.31.H15-250101-0012",
    ]


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("000.00.00.H30", AgencyLevel.LEVEL_1),  # UBND tỉnh Hậu Giang
        ("000.00.15.H12", AgencyLevel.LEVEL_2),  # a department or pre-2025 district
        ("000.24.31.H15", AgencyLevel.LEVEL_3),  # a commune under district 31
        ("000.302.36.H05", AgencyLevel.LEVEL_3),  # lenient width, seen in real systems
        ("000.00.101.H05", AgencyLevel.LEVEL_2),
        ("001.02.03.H05", AgencyLevel.LEVEL_4),
    ],
)
def test_agency_level_reads_groups_right_to_left(code: str, level: AgencyLevel) -> None:
    assert AgencyCode(code).level is level


@pytest.mark.parametrize(
    "bad", ["", "H1", "000.00.15.h12", "000.00.15", "000.AB.15.H12", "0" * 33 + ".H12"]
)
def test_agency_code_rejects_bad_shapes(bad: str) -> None:
    with pytest.raises(InvalidAgencyCode):
        AgencyCode(bad)


@given(agency_codes())
def test_agency_code_parse_round_trip(code: AgencyCode) -> None:
    assert AgencyCode.parse(str(code).lower()) == code


@pytest.mark.parametrize(
    "text",
    ["1.001193", "1.011442.000.00.00.H38", "2.000815.000.00.00.H55.02", "3.000181.000.00.00.H22"],
)
def test_procedure_codes_round_trip(text: str) -> None:
    assert str(ProcedureCode.parse(text)) == text


def test_procedure_code_parts() -> None:
    code = ProcedureCode.parse("2.000815.000.00.00.H55.02")
    assert code.national == "2.000815"
    assert code.agency == AgencyCode("000.00.00.H55")
    assert code.service == "02"


@pytest.mark.parametrize("bad", ["1.0011", "x.001193", "1.001193.H5", ""])
def test_procedure_code_rejects(bad: str) -> None:
    with pytest.raises(InvalidProcedureCode):
        ProcedureCode.parse(bad)


@given(procedure_codes())
def test_procedure_code_property_round_trip(code: ProcedureCode) -> None:
    assert ProcedureCode.parse(str(code)) == code


def test_full_width_input_is_read_as_ascii() -> None:
    full_width = "０００.００.１５.Ｈ１２-２４０３０７-０００５"
    assert DossierCode.parse(full_width) == EXAMPLE


@pytest.mark.parametrize(
    "text", ["000.00.15.H12-24030\u0667-0005", "000.00.15.H12-240307-000\u0665"]
)
def test_other_script_digits_are_not_digits_of_a_code(text: str) -> None:
    with pytest.raises(InvalidDossierCode):
        DossierCode.parse(text)
