"""The filing dialogue aggregate: one question at a time, resumable, cancellable, submitted once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata

import attrs
import pytest

from tthc_adapters.catalogue_io import sample_catalogue
from tthc_core.calendar import VN_TZ
from tthc_core.catalogue import OnlineLevel, Procedure
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.events import DomainEvent
from tthc_core.filing import (
    TABLE,
    Answer,
    AskReuse,
    Attach,
    Blob,
    Cancel,
    ChooseReturn,
    Confirm,
    Filing,
    FilingRefused,
    GiveIdentity,
    Identity,
    Next,
    RequestDocuments,
    Reuse,
    Show,
    Skip,
    Stage,
    Submit,
    handle,
    prompt,
    read_reply,
    rebuild,
    start,
)
from tthc_core.party import ReturnChannel
from tthc_core.serialization import converter

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)
CATALOGUE = {str(p.code): p for p in sample_catalogue()}
BIRTH = CATALOGUE["1.001193"]
COPY = CATALOGUE["2.000635"]
CODE = DossierCode(AgencyCode.parse("000.00.15.H12"), AT.date(), 1)


def blob(n: int, media_type: str = "image/jpeg") -> Blob:
    return Blob(hashlib.sha256(str(n).encode()).hexdigest(), media_type, 1000 + n)


class Dialogue:
    """Drives a filing as the desk would, keeping every event."""

    def __init__(self, procedure: Procedure) -> None:
        self.procedure = procedure
        self.filing, self.events = start(
            filing_id="zalo:u1:1", channel="zalo", user_id="u1", procedure=procedure, at=AT
        )

    def say(self, text: str) -> Filing:
        command = read_reply(self.filing, self.procedure, text)
        if isinstance(command, Confirm):
            command = Submit(CODE)
        return self.do(command)

    def do(self, command: object) -> Filing:
        self.filing, events = handle(self.filing, command, procedure=self.procedure, at=AT)  # type: ignore[arg-type]
        self.events += events
        return self.filing


def test_a_birth_registration_is_filed_one_question_at_a_time() -> None:
    d = Dialogue(BIRTH)
    assert prompt(d.filing, BIRTH).startswith("Câu 1/9: Họ, chữ đệm và tên của trẻ")
    for answer in ("Nguyễn Thị Mai", "5/2/2026", "nu", "Bệnh viện huyện Krông Năng"):
        d.say(answer)
    assert "Giới tính" not in prompt(d.filing, BIRTH)
    d.say("Trần Thị Lan")
    assert "bỏ qua" in prompt(d.filing, BIRTH)  # the father's name is optional
    d.say("bỏ qua")
    d.say("Trần Thị Lan")
    d.say("066203001234")
    d.say("2")  # Mẹ
    assert d.filing.stage is Stage.DOCUMENTS
    assert d.filing.answer_map["gioi_tinh"] == "Nữ"
    assert d.filing.answer_map["ngay_sinh"] == "2026-02-05"
    d.say("bo qua")  # the paper declaration is optional online: the e-form stands for it
    with pytest.raises(FilingRefused) as refused:
        d.say("xong")  # the birth certificate is required
    assert "Giấy chứng sinh" in refused.value.reason_vi
    d.do(Attach(blob(1)))
    d.do(Attach(blob(2, "application/pdf")))
    assert "Đã nhận 2 tệp" in prompt(d.filing, BIRTH)
    d.say("xong")
    d.say("bỏ qua")
    assert d.filing.stage is Stage.IDENTITY
    d.say("0912 345 678")
    assert d.filing.stage is Stage.RETURN
    d.say("2")  # the electronic result (toàn trình)
    assert d.filing.return_channel is ReturnChannel.ELECTRONIC
    text = prompt(d.filing, BIRTH)
    assert "Nguyễn Thị Mai" in text
    assert "không phải nộp" in text  # fee-exempt
    assert text == unicodedata.normalize("NFC", text)
    d.say("đồng ý")
    assert d.filing.stage is Stage.SUBMITTED
    assert d.filing.dossier_code == CODE
    assert "Mới đăng ký" in prompt(d.filing, BIRTH)


def test_the_summary_shows_the_fee_due() -> None:
    d = Dialogue(COPY)
    for answer in ("1", "Nguyễn Văn An", "bỏ qua", "Nguyễn Văn An", "066203001234"):
        d.say(answer)
    d.say("bỏ qua")
    d.do(Attach(blob(3, "application/pdf")))
    d.say("xong")
    d.do(GiveIdentity(Identity("0912345678")))
    d.do(ChooseReturn(ReturnChannel.DESK))
    assert "8.000 đồng" in prompt(d.filing, COPY)


def test_bad_answers_are_refused_with_the_field_reason_and_change_nothing() -> None:
    d = Dialogue(BIRTH)
    d.say("Nguyễn Thị Mai")
    before = d.filing
    with pytest.raises(FilingRefused) as refused:
        d.say("ngày mai")
    assert "ngày/tháng/năm" in refused.value.reason_vi
    assert d.filing == before
    with pytest.raises(FilingRefused, match="required"):
        d.say("bỏ qua")


def test_cancel_at_any_open_stage_and_nothing_after() -> None:
    d = Dialogue(BIRTH)
    d.say("Nguyễn Thị Mai")
    d.say("Hủy")
    assert d.filing.stage is Stage.CANCELLED
    for command in (Answer("x"), Attach(blob(1)), Show(), Cancel()):
        with pytest.raises(FilingRefused) as refused:
            d.do(command)
        assert "nộp hồ sơ" in refused.value.reason_vi


def test_the_same_file_twice_is_kept_once_and_a_file_sent_early_is_kept() -> None:
    d = Dialogue(BIRTH)
    d.do(Attach(blob(7)))  # during the e-form: kept, outside the documents' questions
    d.do(Attach(blob(7)))
    assert len(d.filing.documents) == 1
    assert d.filing.documents[0].slot is None


def test_a_document_refuses_a_medium_the_catalogue_does_not_allow() -> None:
    d = Dialogue(COPY)
    for answer in ("1", "Nguyễn Văn An", "bỏ qua", "Nguyễn Văn An", "066203001234", "bỏ qua"):
        d.say(answer)
    assert isinstance(read_reply(d.filing, COPY, "dùng lại"), AskReuse)
    earlier = DossierCode(AgencyCode.parse("000.00.15.H12"), dt.date(2026, 1, 5), 9)
    d.do(Reuse(blob(9, "application/pdf"), earlier))  # reused, and on to the next question
    assert d.filing.stage is Stage.IDENTITY
    assert d.filing.documents[-1].reused_from == earlier


def test_submitted_once_and_supplements_follow() -> None:
    d = Dialogue(COPY)
    for answer in ("1", "Nguyễn Văn An", "bỏ qua", "Nguyễn Văn An", "066203001234", "bỏ qua"):
        d.say(answer)
    d.do(Attach(blob(3, "application/pdf")))
    for text in ("xong", "0912345678", "1", "đồng ý"):
        d.say(text)
    with pytest.raises(FilingRefused):
        d.do(Submit(CODE))
    d.do(RequestDocuments(("Bản chụp căn cước của người yêu cầu (mặt sau)",)))
    assert d.filing.stage is Stage.SUPPLEMENTING
    assert "đầy đủ một lần" in prompt(d.filing, COPY)
    with pytest.raises(FilingRefused):
        d.say("xong")
    d.do(Attach(blob(4)))
    d.say("xong")
    assert d.filing.stage is Stage.SUBMITTED
    assert d.filing.supplements == 1
    assert rebuild(d.events, version=3) == attrs_evolve_version(d.filing, 3)


def attrs_evolve_version(filing: Filing, version: int) -> Filing:
    return attrs.evolve(filing, version=version)


def test_events_round_trip_and_rebuild() -> None:
    d = Dialogue(BIRTH)
    d.say("Nguyễn Thị Mai")
    d.do(Attach(blob(1)))
    stream = [
        converter.structure(
            json.loads(json.dumps(converter.unstructure(e, DomainEvent))), DomainEvent
        )
        for e in d.events
    ]
    assert stream == d.events
    assert rebuild(stream) == d.filing
    stored = json.loads(json.dumps(converter.unstructure(d.filing)))
    assert converter.structure(stored, Filing) == d.filing


def test_every_stage_is_in_the_table() -> None:
    assert set(TABLE) == set(Stage)
    assert not TABLE[Stage.CANCELLED]
    assert Skip not in TABLE[Stage.SUBMITTED]
    assert Next in TABLE[Stage.SUPPLEMENTING]


def test_a_procedure_without_an_online_service_cannot_be_filed() -> None:
    procedure = attrs.evolve(
        BIRTH, online_level=OnlineLevel.NONE, return_channels=(ReturnChannel.DESK,)
    )
    with pytest.raises(FilingRefused) as refused:
        start(filing_id="f", channel="zalo", user_id="u", procedure=procedure, at=AT)
    assert "trực tiếp" in refused.value.reason_vi
