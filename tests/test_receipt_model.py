"""Receipt Mẫu 01 (Circular 01/2018/TT-VPCP; Decree 61/2018 Art. 17, 26): fields, rules, wording."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.catalogue import CopyType, Fee, Procedure, RequiredDocument
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.receipt import (
    LogBookEntry,
    Receipt,
    ReceivingAgency,
    issue_receipt,
    receipt_sheet,
    receipt_text,
)
from tthc_core.receipt._text import format_date_vi, format_vnd
from tthc_core.serialization import converter
from tthc_core.testing.strategies import receipts

AGENCY = ReceivingAgency(AgencyCode("000.24.31.H15"), "UBND xã Krông Năng", place="Krông Năng")
RECEIVED = dt.datetime(2026, 11, 27, 9, 15, tzinfo=VN_TZ)
CODE = DossierCode(AGENCY.code, RECEIVED.date(), 12)
PROCEDURE = Procedure(
    code=ProcedureCode.parse("1.001193"),
    name="Đăng ký khai sinh",
    sector="Hộ tịch",
    processing_time=Duration.working_days(3),
    documents=(
        RequiredDocument("Tờ khai đăng ký khai sinh"),
        RequiredDocument("Giấy chứng sinh", CopyType.ORIGINAL),
        RequiredDocument("Căn cước của cha hoặc mẹ", CopyType.COPY, 2),
    ),
)
#: Fee-exempt when on time (Law on Civil Status 2014 Art. 11); copies of extracts are charged.
EXTRACT_COPY_FEE = Fee("Phí cấp bản sao trích lục hộ tịch", 8_000)
APPLICANT = Applicant(
    "Nguyễn Thị Hồng", "Buôn Ea Blang, xã Krông Năng", "0912 345 678", "hong@example.vn"
)


def _receipt(**changes: Any) -> Receipt:
    receipt = issue_receipt(
        agency=AGENCY,
        dossier_code=CODE,
        applicant=APPLICANT,
        procedure=PROCEDURE,
        received_at=RECEIVED,
        deadlines=default_deadlines(),
        log_book=LogBookEntry("01/2026", 125),
        officer="Trần Văn Bình",
    )
    return attrs.evolve(receipt, **changes) if changes else receipt


def test_issue_computes_the_due_time_from_the_legal_processing_time() -> None:
    receipt = _receipt()
    assert receipt.due_at == default_deadlines().due(RECEIVED, PROCEDURE.processing_time)
    assert receipt.due_at > RECEIVED
    assert receipt.documents == PROCEDURE.documents
    assert receipt.fees == PROCEDURE.fees
    assert receipt.form_label.startswith("Mẫu 01")


def test_code_must_belong_to_the_receiving_agency() -> None:
    """Decree 61/2018 Art. 26: the code's first part is the receiving agency's identifier."""
    other = DossierCode(AgencyCode("000.00.15.H12"), RECEIVED.date(), 12)
    with pytest.raises(InvalidInput) as info:
        _receipt(dossier_code=other)
    assert info.value.rule == "Decree 61/2018/NĐ-CP Art. 26"


def test_code_date_must_be_the_receipt_date() -> None:
    """Circular 01/2018 Art. 19: YYMMDD is the receipt date."""
    with pytest.raises(InvalidInput) as info:
        _receipt(dossier_code=DossierCode(AGENCY.code, dt.date(2026, 11, 26), 12))
    assert info.value.rule == "Circular 01/2018/TT-VPCP Art. 19"


def test_receipt_date_is_the_local_date() -> None:
    """23:30 UTC on 26/11 is 06:30 on 27/11 in Vietnam: the code's date is the 27th."""
    utc = dt.datetime(2026, 11, 26, 23, 30, tzinfo=dt.UTC)
    receipt = _receipt(received_at=utc)
    assert receipt.dossier_code.received_on == dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    "changes",
    [
        {"due_at": RECEIVED},
        {"due_at": RECEIVED - dt.timedelta(minutes=1)},
        {"received_at": RECEIVED.replace(second=5)},
        {"received_at": RECEIVED.replace(tzinfo=None)},
        {"documents": ()},
        {"sets": 0},
        {"officer": " "},
        {"return_channel": ReturnChannel.POSTAL},
        {
            "postal_address": PostalAddress(
                "Nguyễn Thị Hồng", "0912345678", "Buôn Ea", "24157", "66"
            )
        },
    ],
)
def test_broken_receipts_are_refused_with_a_reason(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as info:
        _receipt(**changes)
    assert info.value.reason


def test_postal_return_carries_the_address() -> None:
    """Decision 45/2016 Art. 5: the applicant may choose to receive the result by post."""
    address = PostalAddress("Nguyễn Thị Hồng", "0912345678", "Buôn Ea Blang", "24157", "66")
    receipt = _receipt(return_channel=ReturnChannel.POSTAL, postal_address=address)
    collect = dict(receipt_sheet(receipt).items)["6. Đăng ký nhận kết quả tại"]
    assert "bưu chính công ích" in collect
    assert "Buôn Ea Blang" in collect


def test_text_has_every_field_of_mau_01_in_vietnamese() -> None:
    text = receipt_text(_receipt())
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 000.24.31.H15-261127-0012",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Hồng",
        "Địa chỉ: Buôn Ea Blang, xã Krông Năng",
        "Số điện thoại: 0912345678",
        "Email: hong@example.vn",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "1. Thành phần hồ sơ nộp gồm:",
        "3. Căn cước của cha hoặc mẹ (bản sao: 02)",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 27 tháng 11 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: ",
        "6. Đăng ký nhận kết quả tại: Bộ phận Tiếp nhận và Trả kết quả – UBND xã Krông Năng",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2026, Số thứ tự: 125",
        "Người tiếp nhận hồ sơ: Trần Văn Bình",
        "Krông Năng, ngày 27 tháng 11 năm 2026",
        "Bộ phận tiếp nhận và trả kết quả: UBND xã Krông Năng",
    ):
        assert expected in text
    assert "Phí, lệ phí" not in text  # on-time birth registration is free


def test_the_receiving_unit_is_the_first_line_of_the_body() -> None:
    sheet = receipt_sheet(_receipt())
    assert sheet.fields[0] == ("Bộ phận tiếp nhận và trả kết quả", "UBND xã Krông Năng")
    assert sheet.fields[1][0] == "Tiếp nhận hồ sơ của"
    desk = attrs.evolve(AGENCY, desk_name="Trung tâm Phục vụ hành chính công xã Krông Năng")
    assert receipt_sheet(_receipt(agency=desk)).fields[0][1] == (
        "Trung tâm Phục vụ hành chính công xã Krông Năng – UBND xã Krông Năng"
    )


@pytest.mark.parametrize(
    ("name", "place", "line"),
    [
        ("UBND xã Krông Năng", "", "Krông Năng, ngày 27 tháng 11 năm 2026"),
        ("UBND phường Tân Lập, thành phố Buôn Ma Thuột", "", "Tân Lập, ngày 27 tháng 11 năm 2026"),
        (
            "Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk",
            "",
            "Đắk Lắk, ngày 27 tháng 11 năm 2026",
        ),
        ("UBND xã Krông Năng", "Ea Tóh", "Ea Tóh, ngày 27 tháng 11 năm 2026"),
        ("Sở Tư pháp", "", "Sở Tư pháp, ngày 27 tháng 11 năm 2026"),
    ],
)
def test_the_place_and_date_line_starts_with_the_place_name(
    name: str, place: str, line: str
) -> None:
    # Decree 30/2020/NĐ-CP Phụ lục I: "<địa danh>, ngày … tháng … năm …".
    agency = ReceivingAgency(AGENCY.code, name, place=place)
    assert receipt_sheet(_receipt(agency=agency)).place_date == line


def test_fees_are_printed_when_the_procedure_charges_them() -> None:
    text = receipt_text(_receipt(fees=(EXTRACT_COPY_FEE,)))
    assert "Phí, lệ phí: Phí cấp bản sao trích lục hộ tịch: 8.000 đồng" in text


@given(receipts())
def test_text_is_nfc_and_prints_times_to_the_minute(receipt: Receipt) -> None:
    text = receipt_text(receipt)
    assert unicodedata.is_normalized("NFC", text)
    due = receipt.due_at.astimezone(VN_TZ)
    assert f"{due:%H} giờ {due:%M} phút" in text
    assert str(receipt.dossier_code) in text


def test_dates_follow_decree_30_2020_leading_zeros() -> None:
    assert format_date_vi(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert format_date_vi(dt.date(2026, 11, 27)) == "ngày 27 tháng 11 năm 2026"
    assert format_date_vi(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"


def test_money_uses_dots_for_thousands() -> None:
    assert format_vnd(1_250_000) == "1.250.000 đồng"
    assert format_vnd(0) == "0 đồng"


@given(receipts())
def test_receipts_round_trip_through_json(receipt: Receipt) -> None:
    data = json.loads(json.dumps(converter.unstructure(receipt)))
    assert converter.structure(data, Receipt) == receipt


@given(st.from_type(Receipt))
def test_receipt_has_a_registered_strategy(receipt: Receipt) -> None:
    assert receipt.dossier_code.agency == receipt.agency.code
