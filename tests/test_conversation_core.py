"""The conversation core: its table, decisions, reading, replies and catalogue matching."""

from __future__ import annotations

import datetime as dt
import unicodedata
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._desk import at

from tthc_core.calendar import Duration
from tthc_core.catalogue import Procedure
from tthc_core.codes import ProcedureCode
from tthc_core.complaint import CaseKind
from tthc_core.conversation import (
    MAX_CHARS,
    TABLE,
    Action,
    AddPhoto,
    Button,
    Buttons,
    Cancel,
    ChooseKind,
    Confirm,
    Conversation,
    FilingConfirmed,
    GiveText,
    NotNow,
    StartFiling,
    Step,
    Text,
    TooManyPhotos,
    apply_event,
    as_text,
    case_id_for,
    check_table,
    decide,
    expire,
    filing_start,
    from_payload,
    handle,
    match_procedures,
    read_answer,
    split,
    to_payload,
)
from tthc_core.errors import InvalidInput
from tthc_core.testing import strategies as ts
from tthc_core.text import fold

T0 = at(12, 1, 9)


def test_the_table_is_checked_for_traps_unreachable_steps_and_missing_cancels() -> None:
    assert check_table(TABLE) == []
    broken = dict(TABLE)
    del broken[(Step.FILING_NAME, Action.CANCEL)]
    del broken[(Step.FILING_CONTENT, Action.GIVE_CONTENT)]
    problems = check_table(MappingProxyType(broken))
    assert "step filing_name cannot cancel back to idle" in problems
    assert any("filing_name is unreachable" in p for p in problems)


def _walk(*commands: object, at: dt.datetime = T0) -> Conversation:
    conversation = Conversation("zalo", "u1")
    for command in commands:
        conversation, _ = handle(conversation, command, at=at)  # type: ignore[arg-type]
    return conversation


def test_a_complaint_asks_name_and_address_a_petition_does_not() -> None:
    complaint = _walk(StartFiling(CaseKind.COMPLAINT), GiveText("nội dung"))
    petition = _walk(StartFiling(CaseKind.PETITION), GiveText("nội dung"))
    assert complaint.step is Step.FILING_NAME  # Law on Complaints 2011 Art. 8(2)
    assert petition.step is Step.FILING_CONFIRM


def test_a_confirmation_names_one_case_and_a_second_is_not_now() -> None:
    ready = _walk(StartFiling(CaseKind.PETITION), GiveText("nội dung"))
    (event,) = decide(ready, Confirm(), at=T0)
    assert isinstance(event, FilingConfirmed)
    assert event.case_id == case_id_for(ready, CaseKind.PETITION, T0)
    after = apply_event(ready, event)
    assert after.filed == (event.case_id,)
    with pytest.raises(NotNow):
        decide(after, Confirm(), at=T0)
    # The next filing gets another id.
    again = _walk(StartFiling(CaseKind.PETITION), GiveText("x"))
    again = apply_event(again, decide(again, Confirm(), at=T0)[0])
    assert case_id_for(after, CaseKind.PETITION, T0) != event.case_id
    assert again.filed == after.filed  # same account, same count: the same id (idempotent)


def test_photos_are_capped_and_a_timed_out_step_must_expire_first() -> None:
    drafting = _walk(StartFiling(CaseKind.DENUNCIATION))
    for i in range(10):
        drafting, _ = handle(drafting, AddPhoto(f"https://p/{i}.jpg"), at=T0)
    with pytest.raises(TooManyPhotos):
        decide(drafting, AddPhoto("https://p/x.jpg"), at=T0)
    later = T0 + dt.timedelta(days=7)
    with pytest.raises(NotNow):
        decide(drafting, GiveText("x"), at=later)
    (expired,) = expire(drafting, later)
    assert apply_event(drafting, expired).filing is None
    assert expire(drafting, later - dt.timedelta(seconds=1)) == []


def test_idle_cannot_cancel_or_confirm() -> None:
    for command in (Cancel(), Confirm(), ChooseKind(CaseKind.COMPLAINT), GiveText("x")):
        with pytest.raises(NotNow):
            decide(Conversation("zalo", "u1"), command, at=T0)


@pytest.mark.parametrize("word", ["hủy", "Hủy", "HUY", "huy", " huỷ ", "huy bo"])
def test_cancel_is_read_with_or_without_diacritics_at_every_step(word: str) -> None:
    for step in Step:
        expected = None if step is Step.IDLE else Cancel()
        assert read_answer(word, step) == expected


def test_confirmation_words_and_kinds_are_read() -> None:
    assert read_answer("xác nhận", Step.FILING_CONFIRM) == Confirm()
    assert read_answer("Xac nhan", Step.RETURN_CONFIRM) == Confirm()
    assert read_answer("nội dung khác", Step.FILING_CONFIRM) is None
    assert read_answer("Tố cáo", Step.FILING_KIND) == ChooseKind(CaseKind.DENUNCIATION)
    assert read_answer("3", Step.FILING_KIND) == ChooseKind(CaseKind.COMPLAINT)
    assert filing_start("toi muon khieu nai") == (CaseKind.COMPLAINT, "")
    assert filing_start("gửi đơn") == (None, "")
    assert filing_start("tra cứu hồ sơ") is None
    kind, rest = filing_start("Tố cáo cán bộ xã nhận tiền của dân khi làm giấy tờ") or (None, "")
    assert kind is CaseKind.DENUNCIATION
    assert rest.startswith("Tố cáo cán bộ")


@given(st.text(max_size=5000), st.integers(1, 300))
def test_split_parts_fit_are_nfc_and_keep_every_word(text: str, limit: int) -> None:
    parts = split(text, limit)
    assert all(0 < len(p) <= limit for p in parts)
    assert all(unicodedata.is_normalized("NFC", p) for p in parts)
    assert "".join("".join(p.split()) for p in parts) == "".join(
        unicodedata.normalize("NFC", text).split()
    )


def test_nfd_text_is_measured_after_normalising() -> None:
    nfd = unicodedata.normalize("NFD", "Hồ sơ đã có kết quả. " * 90)
    assert len(nfd) > MAX_CHARS
    assert len(Text(nfd).text) == 1890  # measured in NFC (the reference §6), so it fits
    with pytest.raises(InvalidInput):
        Text("á" * (MAX_CHARS + 1))


@given(ts.replies())
def test_replies_round_trip_through_the_outbox_payload(reply: object) -> None:
    assert from_payload(to_payload(reply)) == reply  # type: ignore[arg-type]
    assert len(as_text(reply)) <= MAX_CHARS  # type: ignore[arg-type]


def test_buttons_as_text_tell_what_to_type() -> None:
    reply = Buttons("Chọn", (Button("Bưu điện", "Bưu điện 000.43.31.H15-261123-0001"),))
    assert as_text(reply) == "Chọn\n- Bưu điện: gõ “Bưu điện 000.43.31.H15-261123-0001”"
    with pytest.raises(InvalidInput):
        Buttons("x", tuple(Button(str(i), str(i)) for i in range(6)))
    with pytest.raises(InvalidInput):
        Button("x" * 36, "x")
    for bad in ({}, {"type": "buttons", "text": "x", "buttons": "no"}, [], {"type": "video"}):
        with pytest.raises(InvalidInput):
            from_payload(bad)


def _procedure(code: str, name: str) -> Procedure:
    return Procedure(ProcedureCode.parse(code), name, "Hộ tịch", Duration.working_days(1))


CATALOGUE = (
    _procedure("1.001193", "Đăng ký khai sinh"),
    _procedure("1.000656", "Đăng ký khai tử"),
    _procedure("2.000635", "Cấp bản sao trích lục hộ tịch"),
    _procedure("2.000908", "Cấp bản sao từ sổ gốc"),
    _procedure("1.009994", "Cấp giấy phép xây dựng đối với nhà ở riêng lẻ"),
)


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("làm khai sinh cần giấy tờ gì", "1.001193"),
        ("LAM KHAI SINH CAN GIAY TO GI", "1.001193"),
        ("khai tử", "1.000656"),
        ("thủ tục cấp giấy phép xây dựng", "1.009994"),
        ("thu tuc cap giay phep xay dung", "1.009994"),
        ("Thủ tục 2.000908", "2.000908"),
    ],
)
def test_questions_match_one_procedure(question: str, code: str) -> None:
    found = match_procedures(question, CATALOGUE)
    assert found.unique is not None
    assert found.unique.code.national == code
    nfd = unicodedata.normalize("NFD", question)
    assert match_procedures(nfd, CATALOGUE) == found


def test_an_ambiguous_question_lists_and_a_stranger_matches_nothing() -> None:
    found = match_procedures("cấp bản sao", CATALOGUE)
    assert {p.code.national for p in found.procedures} == {"2.000635", "2.000908"}
    assert match_procedures("đăng ký", CATALOGUE).procedures == ()  # shared by every name
    assert match_procedures("thời tiết hôm nay thế nào", CATALOGUE).procedures == ()
    assert fold("Đăng ký") == "dang ky"
