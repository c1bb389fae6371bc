"""Citizens' messages the system could not deliver: listed, retried, answered by an officer."""

from __future__ import annotations

from typing import Any

from tests._staff import PEOPLE, StaffDesk

from tthc_core.accounts import Role
from tthc_core.storage import OutboundMessage, RetryPolicy, drain_outbox


def _park(staff_desk: StaffDesk, *messages: OutboundMessage) -> None:
    with staff_desk.store.unit_of_work() as uow:
        for message in messages:
            uow.outbox.put(message)
        uow.commit()

    def fail(_: OutboundMessage) -> None:
        raise ConnectionError("Zalo: user has not interacted in 7 days")

    drain_outbox(
        staff_desk.store.outbox_queue, fail, owner="w", clock=staff_desk.clock,
        retry=RetryPolicy(max_attempts=1),
    )  # fmt: skip


def _chat(n: int) -> OutboundMessage:
    return OutboundMessage(
        f"m{n}", "zalo", {"user_id": f"u{n}", "text": f"Hồ sơ {n} đã có kết quả"}
    )


def test_parked_messages_are_retried_or_answered(staff_desk: StaffDesk) -> None:
    _park(staff_desk, _chat(1), _chat(2))
    staff_desk.login(Role.DESK)
    page = staff_desk.client.get("/staff/messages").text
    assert "Hồ sơ 1 đã có kết quả" in page
    assert "7 days" in page
    first, second = staff_desk.store.outbox_queue.parked()
    answer: Any = staff_desk.post(f"/staff/messages/{first.id}/retry")
    assert answer.status_code == 303
    staff_desk.post(
        f"/staff/messages/{second.id}/reply", {"text": "  Mời ông/bà đến nhận kết quả.  "}
    )
    staff_desk.post(f"/staff/messages/{second.id}/reply", {"text": " "})
    assert "từ 1 đến 2000" in staff_desk.client.get("/staff/messages").text
    sent: list[OutboundMessage] = []
    drain_outbox(staff_desk.store.outbox_queue, sent.append, owner="w", clock=staff_desk.clock)
    assert sorted(m.key for m in sent if not m.key.startswith("staff-reply:")) == ["m1"]
    (reply,) = [m for m in sent if m.key.startswith("staff-reply:")]
    assert reply.payload == {
        "user_id": "u2",
        "text": "Mời ông/bà đến nhận kết quả.",
        "officer": PEOPLE[Role.DESK][0],
    }
    assert [p.message for p in staff_desk.store.outbox_queue.parked()] == [_chat(2)]
    assert staff_desk.post(f"/staff/messages/{first.id}/retry").status_code == 303  # type: ignore[attr-defined]
    assert "không còn chờ xử lý" in staff_desk.client.get("/staff/messages").text


def test_only_the_desk_and_case_handlers_see_messages(staff_desk: StaffDesk) -> None:
    _park(staff_desk, _chat(1))
    for role in Role:
        staff_desk.login(role)
        status = staff_desk.client.get("/staff/messages").status_code
        assert status == (200 if role in (Role.DESK, Role.CASE_HANDLER) else 403), role
