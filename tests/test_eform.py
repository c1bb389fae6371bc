"""E-forms and the catalogue as the online-filing contract (Decree 42/2022, Decree 45/2020)."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_adapters.catalogue_io import load_catalogue, sample_catalogue
from tthc_core.calendar import Duration
from tthc_core.catalogue import DocumentMedium, Fee, FeeExemption, OnlineLevel, Procedure
from tthc_core.codes import ProcedureCode
from tthc_core.eform import NO, YES, FieldKind, FormField, InvalidAnswer
from tthc_core.errors import InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.serialization import converter
from tthc_core.testing.strategies import form_fields, procedures


def _field(kind: FieldKind, **kw: object) -> FormField:
    return FormField("f", "Câu hỏi", kind, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "answer", "stored"),
    [
        (FieldKind.DATE, "5/3/2026", "2026-03-05"),
        (FieldKind.DATE, "05-03-2026", "2026-03-05"),
        (FieldKind.DATE, "2026-03-05", "2026-03-05"),
        (FieldKind.NUMBER, "1.200", "1200"),
        (FieldKind.PHONE, "+84 912 345 678", "0912345678"),
        (FieldKind.ID_NUMBER, "0012 0300 1234", "001203001234"),
        (FieldKind.YES_NO, "Có", YES),
        (FieldKind.YES_NO, "khong", NO),
        (FieldKind.TEXT, "  Nguyễn   Thị  Mai ", "Nguyễn Thị Mai"),
    ],
)
def test_answers_are_read_into_their_stored_form(kind: FieldKind, answer: str, stored: str) -> None:
    assert _field(kind).read(answer) == stored


def test_a_choice_is_read_by_number_or_by_name_without_diacritics() -> None:
    field = _field(FieldKind.CHOICE, choices=("Nam", "Nữ"))
    assert field.read("2") == "Nữ"
    assert field.read("nu") == "Nữ"
    with pytest.raises(InvalidAnswer, match="refused") as caught:
        field.read("3")
    assert "1. Nam; 2. Nữ" in caught.value.reason_vi


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        (FieldKind.DATE, "31/02/2026"),
        (FieldKind.DATE, "hôm qua"),
        (FieldKind.NUMBER, "hai"),
        (FieldKind.PHONE, "12345"),
        (FieldKind.ID_NUMBER, "12345678901"),
        (FieldKind.YES_NO, "có lẽ"),
        (FieldKind.TEXT, "   "),
        (FieldKind.TEXT, "x" * 201),
    ],
)
def test_bad_answers_say_in_vietnamese_what_to_write(kind: FieldKind, answer: str) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        _field(kind).read(answer)
    reason = caught.value.reason_vi
    assert reason == unicodedata.normalize("NFC", reason)
    assert any(ch in reason for ch in "ăâđêôơưàáảãạ")  # Vietnamese, with diacritics


@given(form_fields(), st.text(max_size=300))
def test_any_answer_is_read_or_refused_with_a_reason(field: FormField, answer: str) -> None:
    try:
        stored = field.read(answer)
    except InvalidAnswer as error:
        reason = error.reason_vi
    else:
        reason = "đã đọc"
        assert field.read(stored) == stored  # the stored form reads as itself
    assert reason.strip()


def test_form_definitions_are_checked() -> None:
    with pytest.raises(InvalidInput, match="lower-case"):
        FormField("Họ tên", "Họ tên")
    with pytest.raises(InvalidInput, match="choice"):
        FormField("a", "A", FieldKind.TEXT, choices=("x", "y"))
    with pytest.raises(InvalidInput, match="read the same"):
        FormField("a", "A", FieldKind.CHOICE, choices=("Nữ", "Nu"))


def _procedure(**kw: object) -> Procedure:
    base: dict[str, object] = {
        "code": ProcedureCode.parse("2.000635"),
        "name": "Cấp bản sao trích lục hộ tịch",
        "sector": "Hộ tịch",
        "processing_time": Duration.working_hours(8),
    }
    return Procedure(**(base | kw))  # type: ignore[arg-type]


def test_fee_exemption_applies_when_its_yes_no_field_is_answered_yes() -> None:
    exempt = FeeExemption("ho_ngheo", "Người thuộc hộ nghèo")
    procedure = _procedure(
        form=(FormField("ho_ngheo", "Hộ nghèo?", FieldKind.YES_NO),),
        fees=(Fee("Phí", 8000, (exempt,)), Fee("Lệ phí khác", 2000)),
    )
    assert procedure.fee_due_vnd({"ho_ngheo": NO}) == 10_000
    assert procedure.fee_due_vnd({"ho_ngheo": YES}) == 2000
    assert procedure.fee_due_vnd({}) == 10_000


def test_an_exemption_must_name_a_yes_no_field_of_the_form() -> None:
    with pytest.raises(InvalidInput, match="no yes/no field"):
        _procedure(fees=(Fee("Phí", 8000, (FeeExemption("ho_ngheo", "x"),)),))
    with pytest.raises(InvalidInput, match="twice"):
        _procedure(form=(FormField("a", "A"), FormField("a", "B")))


def test_return_channels_follow_the_online_level_and_postal_return() -> None:
    assert _procedure(online_level=OnlineLevel.FULL).returns == (
        ReturnChannel.DESK,
        ReturnChannel.POSTAL,
        ReturnChannel.ELECTRONIC,
    )
    assert _procedure(postal_return=False).returns == (ReturnChannel.DESK,)
    # a catalogue entry changed later keeps its implied channels consistent
    assert attrs.evolve(_procedure(), postal_return=False).returns == (ReturnChannel.DESK,)
    with pytest.raises(InvalidInput, match="toàn trình"):
        _procedure(return_channels=(ReturnChannel.ELECTRONIC,))
    with pytest.raises(InvalidInput, match="postal_return"):
        _procedure(postal_return=False, return_channels=(ReturnChannel.POSTAL,))


@given(procedures())
def test_procedures_with_forms_round_trip_through_the_converter(procedure: Procedure) -> None:
    assert converter.structure(converter.unstructure(procedure), Procedure) == procedure


def test_the_sample_declares_the_filing_contract() -> None:
    by_code = {str(p.code): p for p in sample_catalogue()}
    birth, copy = by_code["1.001193"], by_code["2.000635"]
    assert birth.online_level is OnlineLevel.FULL
    assert birth.fee_due_vnd({}) == 0
    assert copy.fee_due_vnd({}) == 8000
    assert [f.name for f in birth.form][:2] == ["ho_ten_tre", "ngay_sinh"]
    assert any(d.reusable for d in copy.documents)
    assert not birth.documents[0].required  # the e-form stands for the paper declaration


def test_json_import_reads_forms_media_exemptions_and_return_channels(tmp_path: Path) -> None:
    row = {
        "code": "2.000635",
        "name": "Cấp bản sao trích lục hộ tịch",
        "sector": "Hộ tịch",
        "processing": "8h",
        "documents": "Giấy tờ tùy thân:copy:1:pdf+reuse",
        "fees": "Phí=8000",
        "fee_exempt_if": "ho_ngheo=Hộ nghèo",
        "online_level": "full",
        "return_channels": "desk|electronic",
        "form": [{"name": "ho_ngheo", "label_vi": "Hộ nghèo?", "kind": "yes_no"}],
        "source": "test",
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps([row]), encoding="utf-8")
    (procedure,) = load_catalogue(path)
    assert procedure.documents[0].media == (DocumentMedium.PDF, DocumentMedium.REUSE)
    assert procedure.returns == (ReturnChannel.DESK, ReturnChannel.ELECTRONIC)
    assert procedure.fee_due_vnd({"ho_ngheo": YES}) == 0
    row["form"] = '[{"name": "x"}]'
    path.write_text(json.dumps([row]), encoding="utf-8")
    with pytest.raises(InvalidInput, match="label_vi"):
        load_catalogue(path)
    row["form"] = "[{"
    path.write_text(json.dumps([row]), encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        load_catalogue(path)
    row["form"] = ""
    row["documents"] = "Giấy:copy:1:fax"
    path.write_text(json.dumps([row]), encoding="utf-8")
    with pytest.raises(InvalidInput, match="media"):
        load_catalogue(path)


@given(st.dates(min_value=dt.date(1900, 1, 1)))
def test_a_date_answer_is_shown_as_people_write_it_and_reads_back(day: dt.date) -> None:
    """Stored ISO 8601, shown ngày/tháng/năm; what is shown reads back to the same answer."""
    field = FormField("ngay_sinh", "Ngày sinh", FieldKind.DATE)
    stored = field.read(f"{day.day}/{day.month}/{day.year}")
    shown = field.show(stored)
    assert shown == f"{day:%d/%m/%Y}"
    assert field.read(shown) == stored


def test_other_answers_are_shown_as_stored() -> None:
    field = FormField("ho_ten", "Họ và tên")
    assert field.show("Trần Thị Lan") == "Trần Thị Lan"
