"""Conversations the desk could not answer: listed for staff, answered by an officer."""

from __future__ import annotations

from typing import Any

from tests._staff import PEOPLE, StaffDesk

from tthc_core.accounts import Role
from tthc_core.desk import Desk, answer_chat
from tthc_core.storage import OutboundMessage, drain_outbox
from tthc_core.storage.kinds import CONVERSATIONS


def _ask(staff_desk: StaffDesk, desk: Desk, user: str, text: str) -> None:
    with staff_desk.store.unit_of_work() as uow:
        answer_chat(uow, desk, user_id=user, event_id=f"q-{user}", text=text, at=staff_desk.clock())
        uow.commit()


def test_an_officer_answers_a_waiting_conversation(staff_desk: StaffDesk, desk: Desk) -> None:
    _ask(staff_desk, desk, "u7", "Cho hỏi bộ phận một cửa có làm việc thứ bảy không?")
    staff_desk.login(Role.DESK)
    page = staff_desk.client.get("/staff/conversations").text
    assert "Cho hỏi bộ phận một cửa có làm việc thứ bảy không?" in page
    assert "Câu hỏi chờ trả lời" in page  # the nav link
    response: Any = staff_desk.post("/staff/conversations/reply", {"key": "zalo:u7", "text": " "})
    assert response.status_code == 303
    assert "Không gửi được trả lời" in staff_desk.client.get("/staff/conversations").text
    staff_desk.post("/staff/conversations/reply", {"key": "zalo:nobody", "text": "x"})
    assert "Không tìm thấy cuộc trò chuyện" in staff_desk.client.get("/staff/conversations").text
    staff_desk.post("/staff/conversations/reply", {"key": "zalo:u7", "text": "Có, sáng thứ bảy."})
    assert "Không có câu hỏi nào chờ trả lời" in staff_desk.client.get("/staff/conversations").text
    sent: list[OutboundMessage] = []
    drain_outbox(staff_desk.store.outbox_queue, sent.append, owner="w", clock=staff_desk.clock)
    (answer,) = [m for m in sent if m.key.startswith("staff:")]
    assert answer.payload["user_id"] == "u7"
    assert "Có, sáng thứ bảy." in str(answer.payload["text"])
    with staff_desk.store.unit_of_work() as uow:
        history = uow.audit.history(CONVERSATIONS, "zalo:u7")
        stored = uow.repository(CONVERSATIONS).get("zalo:u7")
    assert history[-1].actor == PEOPLE[Role.DESK][0]  # logged against the officer
    assert stored is not None
    assert stored.transcript[-1].officer == PEOPLE[Role.DESK][0]


def test_roles_without_messages_cannot_see_or_answer(staff_desk: StaffDesk, desk: Desk) -> None:
    _ask(staff_desk, desk, "u8", "Câu hỏi riêng tư")
    staff_desk.login(Role.SPECIALIST)
    assert staff_desk.client.get("/staff/conversations").status_code == 403
    response: Any = staff_desk.post("/staff/conversations/reply", {"key": "zalo:u8", "text": "x"})
    assert response.status_code == 403
