"""The desk's chat service: look-ups, receipt scans, choices, feedback, deduplication."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._desk import APPLICANT, COPY, KEY, at, receive

from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.desk import (
    ChooseReturn,
    Desk,
    UnknownProcedure,
    act,
    answer_chat,
    read_intent,
    receive_dossier,
)
from tthc_core.dossier import HandOver, Resolve
from tthc_core.links import CitizenLink
from tthc_core.party import Applicant, ReturnChannel
from tthc_core.receipt import ReceiptCodec, ReceiptKey, StaticKeyRing
from tthc_core.storage import Store
from tthc_core.storage.kinds import COMPLAINTS


def chat(store: Store, desk: Desk, text: str, event: str, *, user: str = "u1") -> list[str]:
    with store.unit_of_work() as uow:
        replies = answer_chat(uow, desk, user_id=user, event_id=event, text=text, at=at(11, 24, 9))
        uow.commit()
    assert all(unicodedata.is_normalized("NFC", r) for r in replies)
    return replies


def test_codes_are_allocated_per_agency_and_day(store: Store, desk: Desk) -> None:
    first, second = receive(store, desk), receive(store, desk)
    assert (first.code.sequence, second.code.sequence) == (1, 2)
    assert first.code.agency == desk.agency
    assert str(first.code).endswith("-261123-0001")  # Circular 01/2018 Art. 19


def test_unknown_procedure_is_refused_and_uses_no_sequence(store: Store, desk: Desk) -> None:
    with pytest.raises(UnknownProcedure), store.unit_of_work() as uow:
        receive_dossier(uow, desk, procedure_code="9.999999", applicant=APPLICANT, at=at(11, 23, 9))
    assert receive(store, desk).code.sequence == 1


def test_a_typed_code_reveals_status_only(store: Store, desk: Desk) -> None:
    dossier = receive(store, desk)
    (reply,) = chat(store, desk, f"hồ sơ {str(dossier.code).lower()} đến đâu rồi ạ?", "e1")
    assert str(dossier.code) in reply
    assert "Được tiếp nhận" in reply
    assert "08/12/2026" in reply
    assert "trong hạn" in reply
    for secret in (APPLICANT.name, "Hương", APPLICANT.phone or "", APPLICANT.address):
        assert secret not in reply


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    token=st.text(alphabet="QWXZJ", min_size=6, max_size=8),
    phone=st.from_regex(r"09[0-9]{8}", fullmatch=True),
)
def test_privacy_holds_for_any_applicant(store: Store, desk: Desk, token: str, phone: str) -> None:
    applicant = Applicant(f"Lê {token}", address=f"Buôn {token}", phone=phone)
    with store.unit_of_work() as uow:
        dossier = receive_dossier(
            uow, desk, procedure_code=COPY, applicant=applicant, at=at(11, 23, 9)
        )
        uow.commit()
    (reply,) = chat(store, desk, str(dossier.code), f"p-{token}-{phone}")
    assert token not in reply
    assert phone not in reply


def test_unknown_bad_and_unclear_messages_get_guidance(store: Store, desk: Desk) -> None:
    (unknown,) = chat(store, desk, "000.43.31.H15-261123-0042", "e1")
    assert unknown.startswith("Không tìm thấy hồ sơ 000.43.31.H15-261123-0042")
    (bad,) = chat(store, desk, "000.43.31.H15-261399-0001", "e2")
    assert "ngày tiếp nhận" in bad
    (hello,) = chat(store, desk, "xin chào", "e3")
    assert "mã hồ sơ" in hello


def test_many_codes_are_answered_up_to_the_limit(store: Store, desk: Desk) -> None:
    codes = " ".join(f"000.43.31.H15-261123-{n:04d}" for n in range(1, 9))
    assert len(chat(store, desk, codes, "e1")) == 5


def test_a_redelivered_event_is_answered_once(store: Store, desk: Desk) -> None:
    dossier = receive(store, desk)
    assert chat(store, desk, str(dossier.code), "same")
    assert chat(store, desk, str(dossier.code), "same") == []
    assert store.outbox_queue.counts().pending == 1


def test_a_valid_receipt_qr_links_the_account_and_it_is_notified(store: Store, desk: Desk) -> None:
    dossier = receive(store, desk)
    scanned = desk.codec.compact(desk.codec.sign(dossier.code, desk.keys))
    linked, status = chat(store, desk, scanned + "\n", "e1")
    assert "Đã xác thực" in linked
    assert "Được tiếp nhận" in status
    with store.unit_of_work() as uow:
        assert [link.user_id for link in uow.links.for_dossier(dossier.code)] == ["u1"]
        handovers = (at(11, 23, 10), at(12, 1, 9), at(12, 2, 9))
        for step, when in zip(dossier.steps, handovers, strict=True):
            act(uow, desk, dossier.code, HandOver(step.unit), at=when)
        act(uow, desk, dossier.code, Resolve(), at=at(12, 2, 14))
        uow.commit()
    lease = dt.timedelta(minutes=1)
    claimed = store.outbox_queue.claim(owner="t", now=at(12, 3, 0), lease=lease, limit=10)
    texts = [p.message.payload["text"] for p in claimed]
    assert any("đã có kết quả" in t and "Bưu điện" in t for t in texts)


@pytest.mark.parametrize("how", ["tampered", "foreign key", "other agency"])
def test_a_forged_receipt_qr_is_rejected_and_links_nothing(
    store: Store, desk: Desk, how: str
) -> None:
    dossier = receive(store, desk)
    codec = desk.codec
    if how == "tampered":
        payload = codec.compact(codec.sign(dossier.code, desk.keys))
        scanned = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    elif how == "foreign key":
        foreign = StaticKeyRing([ReceiptKey("K1", b"x" * 32)])
        scanned = codec.compact(codec.sign(dossier.code, foreign))
    else:
        other = DossierCode(AgencyCode("000.00.15.H12"), dossier.code.received_on, 1)
        scanned = ReceiptCodec("tracuu.example.gov.vn").compact(
            ReceiptCodec("tracuu.example.gov.vn").sign(other, StaticKeyRing([KEY]))
        )
    (reply,) = chat(store, desk, scanned, "e1")
    assert "không phải mã" in reply
    with store.unit_of_work() as uow:
        assert uow.links.for_user(desk.chat_channel, "u1") == []


def test_choosing_without_a_ready_dossier_explains_why(store: Store, desk: Desk) -> None:
    (reply,) = chat(store, desk, "1", "e1")
    assert reply.startswith("Chưa ghi nhận được lựa chọn")


def test_feedback_opens_a_case_with_its_statutory_deadline(store: Store, desk: Desk) -> None:
    dossier = receive(store, desk)
    (reply,) = chat(store, desk, f"GÓP Ý {dossier.code} cán bộ hướng dẫn tận tình", "e1")
    with store.unit_of_work() as uow:
        (case,) = uow.repository(COMPLAINTS).for_dossier(dossier.code)
    assert case.case_id in reply
    assert "hết ngày" in reply
    assert case.content == "cán bộ hướng dẫn tận tình"
    assert case.state.value == "received"


def test_a_choice_the_workflow_refuses_gets_a_generic_vietnamese_answer(
    store: Store, desk: Desk
) -> None:
    dossier = receive(store, desk, procedure=COPY)
    with store.unit_of_work() as uow:
        uow.links.link(CitizenLink("zalo", "u1", dossier.code, at(11, 23, 9, 30)))
        # Resolved after the chat message's own timestamp (clocks disagree): the
        # workflow refuses a command older than the dossier's last event.
        act(uow, desk, dossier.code, Resolve(), at=at(11, 24, 9, 30))
        uow.commit()
    (reply,) = chat(store, desk, "2", "e1")
    assert "chưa thể đổi cách nhận kết quả" in reply


def _ready_and_followed(store: Store, desk: Desk, count: int) -> list[DossierCode]:
    codes = []
    for _ in range(count):
        dossier = receive(store, desk, procedure=COPY)
        with store.unit_of_work() as uow:
            uow.links.link(CitizenLink("zalo", "u1", dossier.code, at(11, 23, 9, 30)))
            act(uow, desk, dossier.code, Resolve(), at=at(11, 23, 15))
            uow.commit()
        codes.append(dossier.code)
    return codes


def test_with_several_ready_dossiers_the_citizen_is_asked_which(store: Store, desk: Desk) -> None:
    first, second = _ready_and_followed(store, desk, 2)
    (question,) = chat(store, desk, "2", "e1")
    assert str(first) in question
    assert str(second) in question
    assert f"2 {first}" in question
    (answer,) = chat(store, desk, f"2 {str(second).lower()}", "e2")
    assert answer.startswith(f"Đã ghi nhận: hồ sơ {second}")


def test_naming_a_dossier_the_account_does_not_follow_is_refused(store: Store, desk: Desk) -> None:
    _ready_and_followed(store, desk, 1)
    (reply,) = chat(store, desk, "2 000.43.31.H15-261123-0099", "e1")
    assert "không nằm trong các hồ sơ" in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", ChooseReturn(ReturnChannel.POSTAL)),
        ("Bưu điện!", ChooseReturn(ReturnChannel.POSTAL)),
        ("nhan tai quay", ChooseReturn(ReturnChannel.DESK)),
        (
            "2 000.43.31.h15 - 261123 - 0001",
            ChooseReturn(ReturnChannel.DESK, DossierCode.parse("000.43.31.H15-261123-0001")),
        ),
    ],
)
def test_choice_intents(desk: Desk, text: str, expected: ChooseReturn) -> None:
    assert read_intent(text, desk.codec) == expected


@pytest.mark.parametrize("text", ["1 cái nữa", "12", "2026 là năm nào", "100 nghìn đồng"])
def test_numbers_in_other_sentences_are_not_choices(desk: Desk, text: str) -> None:
    assert not isinstance(read_intent(text, desk.codec), ChooseReturn)
