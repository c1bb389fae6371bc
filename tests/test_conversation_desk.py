"""Conversations through the desk: filing by chat, the postal return, catalogue, staff."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests._conversation import Citizen
from tests._desk import HOME, at, receive
from tests.test_desk_postal import ready  # noqa: F401 - the fixture

from tthc_core.complaint import CaseKind, CaseState, Viewer, may_read
from tthc_core.conversation import Buttons, Step, Text, from_payload
from tthc_core.delivery import PostalOrder, PostalUnavailable, Quote
from tthc_core.desk import Desk, act, awaiting_staff, notify_followers, reply_as_staff
from tthc_core.dossier import Dossier, DossierResolved, HandOver, Resolve
from tthc_core.links import CitizenLink
from tthc_core.storage import Store
from tthc_core.storage.kinds import CASE_CONTACTS, COMPLAINTS, CONVERSATIONS, DOSSIERS, SHIPMENTS


def _cases(store: Store) -> list:
    with store.unit_of_work() as uow:
        return uow.repository(COMPLAINTS).page(limit=1000)


def test_a_denunciation_by_chat_asks_identity_notes_confidentiality_and_files_one_case(
    store: Store, desk: Desk
) -> None:
    # Law on Denunciations 2018 Art. 23(1): name and address; Art. 9, 47: kept secret.
    citizen = Citizen(store, desk)
    (ask,) = citizen.say("Tôi muốn gửi đơn")
    assert "Tố cáo" in ask
    assert "Hủy" in ask
    assert "vui lòng nhập nội dung" in citizen.say("4")[0]
    assert citizen.photo("https://photo.zalo.test/a.jpg") is not None
    (name,) = citizen.say("Cán bộ địa chính xã nhận tiền của dân khi làm sổ đỏ")
    assert "họ và tên" in name
    assert "giữ bí mật" in name
    assert "địa chỉ" in citizen.say("Trần Văn Bình")[0]
    (summary,) = citizen.say("Thôn 5, xã Krông Năng")
    assert "Trần Văn Bình" in summary
    assert "Ảnh kèm theo: 1" in summary
    assert "Xác nhận" in summary
    assert _cases(store) == []  # nothing filed before the confirmation
    (receipt,) = citizen.say("xac nhan")  # without diacritics
    (case,) = _cases(store)
    assert case.case_id in receipt
    assert case.kind is CaseKind.DENUNCIATION
    assert case.sender is not None
    assert case.sender.name == "Trần Văn Bình"
    assert [a.ref for a in case.attachments] == ["https://photo.zalo.test/a.jpg"]
    assert case.due_at is not None
    assert "Hạn xem xét, thụ lý" in receipt
    assert "giữ bí mật" in receipt
    assert not may_read(case.kind, Viewer.STAFF)  # staff other than the handler see no name
    # Nor does the transcript staff read when the citizen later asks something else.
    conversation = citizen.conversation()
    assert conversation is not None
    transcript = " ".join(turn.text for turn in conversation.transcript)
    assert "Trần Văn Bình" not in transcript
    assert "nhận tiền" not in transcript
    assert "giữ bí mật" in transcript
    # A double tap and a redelivered event change nothing.
    assert "Không có yêu cầu nào" in citizen.say("Xác nhận")[0]
    with store.unit_of_work() as uow:
        contact = uow.repository(CASE_CONTACTS).get(case.case_id)
    assert contact is not None
    assert contact.user_id == "u1"
    assert len(_cases(store)) == 1


def test_a_redelivered_confirmation_is_answered_once_and_files_once(
    store: Store, desk: Desk
) -> None:
    citizen = Citizen(store, desk)
    citizen.say("khiếu nại")
    citizen.say("UBND xã từ chối cấp giấy xác nhận mà không nêu lý do")
    citizen.say("Lê Thị Mai")
    citizen.say("Buôn Dhung, xã Krông Năng")
    first = citizen.say("Xác nhận", event="same")
    assert citizen.say("Xác nhận", event="same") == []  # the platform redelivered it
    assert first[0].startswith("Đã tiếp nhận khiếu nại")
    (case,) = _cases(store)
    assert case.kind is CaseKind.COMPLAINT
    assert case.state is CaseState.RECEIVED


def test_cancel_at_every_step_files_nothing(store: Store, desk: Desk) -> None:
    for steps in (
        [],
        ["3"],
        ["3", "nội dung"],
        ["3", "nội dung", "Tên"],
        ["3", "x", "Tên", "Địa chỉ"],
    ):
        citizen = Citizen(store, desk, user_id=f"c{len(steps)}")
        citizen.say("gửi đơn")
        for text in steps:
            citizen.say(text)
        assert citizen.say("HUY")[0].startswith("Đã hủy")
        conversation = citizen.conversation()
        assert conversation is not None
        assert conversation.step is Step.IDLE
        assert conversation.filing is None
    assert _cases(store) == []


def test_a_petition_in_one_message_goes_straight_to_the_summary(store: Store, desk: Desk) -> None:
    citizen = Citizen(store, desk)
    (summary,) = citizen.say(
        "Phản ánh: thủ tục đăng ký biến động đất yêu cầu bản sao không cần thiết, đề nghị bỏ"
    )
    assert "Phản ánh, kiến nghị" in summary
    assert "Xác nhận" in summary
    (receipt,) = citizen.say("đồng ý")
    (case,) = _cases(store)
    assert case.kind is CaseKind.PETITION
    assert case.sender is None  # Decree 20/2008 does not require identity in chat
    assert case.case_id.startswith("PA-")
    assert case.case_id in receipt


def test_a_dialogue_resumes_after_days_and_expires_after_seven(store: Store, desk: Desk) -> None:
    citizen = Citizen(store, desk)
    citizen.say("khieu nai")
    # Six days later the dialogue is where it was.
    assert "họ và tên" in citizen.say("Bị từ chối không lý do", later=dt.timedelta(days=6))[0]
    # Seven days of silence: told, dropped, nothing filed; the message is read afresh.
    replies = citizen.say("Nguyễn Văn A", later=dt.timedelta(days=7))
    assert "hết hạn" in replies[0]
    conversation = citizen.conversation()
    assert conversation is not None
    assert conversation.filing is None
    assert _cases(store) == []


def test_a_photo_outside_a_filing_is_not_taken(store: Store, desk: Desk) -> None:
    citizen = Citizen(store, desk)
    assert citizen.photo("https://photo.zalo.test/qr.jpg") is None  # the QR reader's turn
    citizen.say("tố cáo")
    for i in range(10):
        assert citizen.photo(f"https://photo.zalo.test/{i}.jpg") is not None
    (refused,) = citizen.photo("https://photo.zalo.test/11.jpg") or []
    assert isinstance(refused, Text)
    assert "tối đa 10 ảnh" in refused.text
    conversation = citizen.conversation()
    assert conversation is not None
    draft = conversation.filing
    assert draft is not None
    assert len(draft.photos) == 10


def test_result_ready_sends_buttons_with_the_due_date_once_per_follower(
    store: Store, desk: Desk
) -> None:
    dossier = receive(store, desk, postal_address=HOME)
    with store.unit_of_work() as uow:
        for user in ("u1", "u2"):
            uow.links.link(CitizenLink("zalo", user, dossier.code, at(11, 23, 10)))
        handovers = (at(11, 23, 10), at(12, 1, 9), at(12, 2, 9))
        for step, when in zip(dossier.steps, handovers, strict=True):
            act(uow, desk, dossier.code, HandOver(step.unit), at=when)
        act(uow, desk, dossier.code, Resolve(), at=at(12, 2, 14))
        # Notifying again for the same change writes nothing (one key per version and follower).
        stored = uow.repository(DOSSIERS).get(str(dossier.code))
        assert stored is not None
        again = [DossierResolved(occurred_at=at(12, 2, 14), code=dossier.code, note="")]
        assert notify_followers(uow, desk, stored, again) == 0
        uow.commit()
    lease = dt.timedelta(minutes=1)
    claimed = store.outbox_queue.claim(owner="t", now=at(12, 3, 0), lease=lease, limit=50)
    notices = [p.message for p in claimed if "đã có kết quả" in str(p.message.payload["text"])]
    assert sorted(m.payload["user_id"] for m in notices) == ["u1", "u2"]
    reply = from_payload(notices[0].payload["reply"])
    assert isinstance(reply, Buttons)
    assert [b.title for b in reply.buttons] == ["Bưu điện", "Nhận tại bộ phận một cửa"]
    assert reply.buttons[0].payload == f"Bưu điện {dossier.code}"
    assert "Hẹn trả kết quả: " in reply.text


def test_the_post_is_chosen_the_address_and_postage_confirmed_and_one_parcel_booked(
    store: Store,
    desk: Desk,
    ready: Dossier,  # noqa: F811 - the fixture
) -> None:
    quoted: list[PostalOrder] = []

    class Quotes:
        def quote(self, order: PostalOrder) -> Quote:
            quoted.append(order)
            return Quote(postage_vnd=32_000, service_code="BCCI")

    priced = _with_postage(desk, Quotes())
    with store.unit_of_work() as uow:
        uow.links.link(CitizenLink("zalo", "u1", ready.code, at(12, 2, 14, 30)))
        uow.commit()
    citizen = Citizen(store, priced)
    (shown,) = citizen.say(f"Bưu điện {ready.code}")
    assert "32.000 đồng" in shown
    assert "Thôn 3, đường Lê Lợi" in shown
    with store.unit_of_work() as uow:
        assert uow.repository(SHIPMENTS).for_dossier(ready.code) == []  # not before confirming
    (changing,) = citizen.say("Đổi địa chỉ")
    assert "số nhà" in changing
    # The result-ready button tapped again while asked for a street: not a street.
    assert "32.000 đồng" in citizen.say(f"Bưu điện {ready.code}")[0]
    citizen.say("Đổi địa chỉ")
    (again,) = citizen.say("Số 12, đường Hùng Vương")
    assert "Số 12, đường Hùng Vương" in again
    (booked,) = citizen.say("Xác nhận")
    assert booked.startswith("Đã đăng ký gửi kết quả")
    # Double taps, the button again, a redelivered event: one parcel.
    citizen.say("Xác nhận")
    assert "Đã ghi nhận" in citizen.say(f"Bưu điện {ready.code}")[0]
    with store.unit_of_work() as uow:
        (shipment,) = uow.repository(SHIPMENTS).for_dossier(ready.code)
    assert shipment.choice.address is not None
    assert shipment.choice.address.address.street == "Số 12, đường Hùng Vương"
    assert len(quoted) == 3  # registered address, again after the re-tap, the new street


def test_the_postage_unavailable_is_said_and_the_choice_still_possible(
    store: Store,
    desk: Desk,
    ready: Dossier,  # noqa: F811 - the fixture
) -> None:
    class Down:
        def quote(self, order: PostalOrder) -> Quote:
            raise PostalUnavailable("operator down")

    with store.unit_of_work() as uow:
        uow.links.link(CitizenLink("zalo", "u1", ready.code, at(12, 2, 14, 30)))
        uow.commit()
    citizen = Citizen(store, _with_postage(desk, Down()))
    assert "Chưa tính được cước phí" in citizen.say("bưu điện")[0]
    assert citizen.say("hủy")[0].startswith("Đã hủy")
    (desk_choice,) = citizen.say(f"Nhận tại một cửa {ready.code}")
    assert desk_choice.startswith("Đã ghi nhận")


def _with_postage(desk: Desk, quotes: object) -> Desk:
    return attrs.evolve(desk, postage=quotes)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("làm khai sinh cần giấy tờ gì", "Đăng ký khai sinh"),
        ("lam khai sinh can giay to gi", "Đăng ký khai sinh"),
        ("thủ tục cấp giấy phép xây dựng", "Cấp giấy phép xây dựng"),
        ("thu tuc cap giay phep xay dung nha o rieng le", "Cấp giấy phép xây dựng"),
    ],
)
def test_catalogue_questions_are_answered_from_the_catalogue(
    store: Store, desk: Desk, question: str, expected: str
) -> None:
    _add_procedures(store)
    (answer,) = Citizen(store, desk).say(question)
    assert expected in answer
    assert "Thành phần hồ sơ" in answer
    assert "Lệ phí" in answer
    assert "Thời hạn giải quyết" in answer
    assert "Nơi nộp" in answer
    assert "Dịch vụ công trực tuyến" in answer


def test_an_ambiguous_question_lists_the_procedures_as_buttons(store: Store, desk: Desk) -> None:
    _add_procedures(store)
    citizen = Citizen(store, desk)
    (listed,) = citizen.say("cấp bản sao")
    assert "Ông/bà hỏi về thủ tục nào?" in listed
    assert "Thủ tục 2.000908" in listed  # the button's payload, typed on channels without buttons
    (answer,) = citizen.say("Thủ tục 2.000908")
    assert "Cấp bản sao từ sổ gốc" in answer
    assert "8.000 đồng" in answer


def test_what_the_desk_cannot_answer_waits_for_staff_and_the_officer_answers(
    store: Store, desk: Desk
) -> None:
    citizen = Citizen(store, desk)
    assert "chuyển đến cán bộ" in citizen.say("Xin hỏi bộ phận một cửa làm việc thứ bảy không?")[0]
    assert "Xin chào" in citizen.say("xin chào")[0]  # a greeting is not a question for staff
    with store.unit_of_work() as uow:
        (waiting,) = awaiting_staff(uow, citizen.now)
    assert waiting.transcript[0].text.startswith("Xin hỏi")
    with store.unit_of_work() as uow:
        uow.actor = "demo.motcua"  # type: ignore[attr-defined] - the staff unit of work sets it
        reply_as_staff(
            uow, desk, waiting.key, officer="demo.motcua", text="Có, sáng thứ bảy.", at=citizen.now
        )
        uow.commit()
    with store.unit_of_work() as uow:
        assert awaiting_staff(uow, citizen.now) == []
        history = uow.audit.history(CONVERSATIONS, waiting.key)
    assert history[-1].actor == "demo.motcua"
    claimed = store.outbox_queue.claim(
        owner="t", now=citizen.now, lease=dt.timedelta(minutes=1), limit=50
    )
    assert any("Có, sáng thứ bảy." in str(p.message.payload["text"]) for p in claimed)


def _add_procedures(store: Store) -> None:
    from tthc_core.calendar import Duration
    from tthc_core.catalogue import Fee, Procedure, RequiredDocument
    from tthc_core.codes import ProcedureCode

    added = [
        Procedure(
            code=ProcedureCode.parse("1.001193"),
            name="Đăng ký khai sinh",
            sector="Hộ tịch",
            processing_time=Duration.same_day(),
            documents=(
                RequiredDocument("Tờ khai đăng ký khai sinh"),
                RequiredDocument("Giấy chứng sinh"),
            ),
        ),
        Procedure(
            code=ProcedureCode.parse("1.009994"),
            name="Cấp giấy phép xây dựng đối với nhà ở riêng lẻ",
            sector="Xây dựng",
            processing_time=Duration.working_days(15),
            documents=(RequiredDocument("Đơn đề nghị cấp giấy phép xây dựng"),),
            fees=(Fee("Lệ phí cấp giấy phép xây dựng", 75_000),),
        ),
        Procedure(
            code=ProcedureCode.parse("2.000635"),
            name="Cấp bản sao trích lục hộ tịch",
            sector="Hộ tịch",
            processing_time=Duration.working_days(1),
        ),
    ]
    with store.unit_of_work() as uow:
        for procedure in added:
            uow.catalogue.put(procedure)
        uow.commit()
