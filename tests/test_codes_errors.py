"""Code errors carry their exact rule string, the input, and a reason that names it.

The rule strings are part of the contract (docs/adapters.md, "rule strings"):
callers and adapters compare ``error.rule`` exactly.
"""

from __future__ import annotations

import pytest

from tthc_core.codes import (
    AgencyCode,
    DossierCode,
    InvalidAgencyCode,
    InvalidDossierCode,
    InvalidProcedureCode,
    ProcedureCode,
    extract_dossier_codes,
)

AGENCY_RULE = "Decision 20/2020/QĐ-TTg Art. 4"
CODE_RULE = "Circular 01/2018/TT-VPCP Art. 19"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("", "1 to 35 characters"),
        ("1" * 33 + ".H15", "1 to 35 characters"),  # 37 characters
        ("000.00.15.h12", "level-1 group of a capital letter and two digits, such as H30"),
        ("000.00.15", "level-1 group of a capital letter and two digits, such as H30"),
        ("000.0X.15.H12", "at most four digit groups before the level-1 group, separated by dots"),
        ("000.00.1X.H12", "at most four digit groups before the level-1 group, separated by dots"),
        (
            "00000.00.15.H12",
            "at most four digit groups before the level-1 group, separated by dots",
        ),
    ],
)
def test_an_invalid_agency_code_says_why_under_its_rule(value: str, says: str) -> None:
    with pytest.raises(InvalidAgencyCode) as info:
        AgencyCode(value)
    assert info.value.rule == AGENCY_RULE
    assert says in info.value.reason
    if value:
        assert repr(value) in info.value.reason


def test_agency_code_length_boundary_is_35_characters() -> None:
    longest = "1234.1234.1234.1234.H15"  # the longest well-formed shape is far below 35
    assert AgencyCode(longest).value == longest
    with pytest.raises(InvalidAgencyCode, match="1 to 35 characters"):
        AgencyCode("1" * 36)
    # 35 characters passes the length check and fails (only) the shape check.
    with pytest.raises(InvalidAgencyCode, match="level-1 group"):
        AgencyCode("1" * 35)


@pytest.mark.parametrize(
    ("text", "part", "says"),
    [
        (
            "hello",
            "format",
            "is not a dossier code: expected <agency>-YYMMDD-XXXX, "
            "for example 000.00.15.H12-240307-0005",
        ),
        ("000.00.15.h1x-240307-0005", "agency", "level-1 group"),
        ("000.00.15.H12-24037-0005", "date", "must be 6 digits, YYMMDD"),
        ("000.00.15.H12-240231-0005", "date", "is not a calendar date (YYMMDD)"),
        ("000.00.15.H12-240307-005", "sequence", "must be 4 digits, zero-padded"),
    ],
)
def test_an_invalid_dossier_code_names_the_part_and_keeps_the_text(
    text: str, part: str, says: str
) -> None:
    with pytest.raises(InvalidDossierCode) as info:
        DossierCode.parse(text)
    assert info.value.rule == CODE_RULE
    assert (info.value.part, info.value.text) == (part, text)
    assert says in info.value.reason


def test_an_invalid_procedure_code_says_what_is_expected() -> None:
    with pytest.raises(InvalidProcedureCode) as info:
        ProcedureCode.parse("1.0114")
    assert "'1.0114' is not a procedure code" in info.value.reason
    assert "for example 1.011442.000.00.00.H38" in info.value.reason


def test_spaces_inside_typed_codes_are_dropped() -> None:
    # Citizens type codes with stray spaces; every parser removes them (and only them).
    assert AgencyCode.parse(" 000. 00 .15. H12 ") == AgencyCode("000.00.15.H12")
    assert ProcedureCode.parse("1. 011442") == ProcedureCode.parse("1.011442")
    assert DossierCode.parse("000.00.15.H12 - 240307 - 0005") == DossierCode.parse(
        "000.00.15.H12-240307-0005"
    )
    assert extract_dossier_codes("mã 000.00.15.H12 - 240307 - 0005 nhé") == [
        DossierCode.parse("000.00.15.H12-240307-0005")
    ]
