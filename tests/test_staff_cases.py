"""The case handler's pages: queue, actions, and the denouncer's identity against every role."""

from __future__ import annotations

from typing import Any

import pytest
from tests._staff import FAST_HASHER, PASSWORD, PEOPLE, StaffDesk

from tthc_core import complaint as cp
from tthc_core.accounts import Account, Role
from tthc_core.desk import Desk
from tthc_core.party import Applicant
from tthc_core.storage.kinds import COMPLAINTS

DENOUNCER = Applicant("Hoàng Văn Tố", address="Thôn 5, xã Krông Năng", phone="0905123456")
WORDS = "Cán bộ địa chính nhận tiền của dân để làm nhanh hồ sơ"


def _case(staff_desk: StaffDesk, desk: Desk, kind: cp.CaseKind, case_id: str) -> str:
    case, events = cp.receive(
        case_id=case_id,
        kind=kind,
        at=staff_desk.clock.now,
        channel=cp.Channel.DESK,
        agency=desk.complaints,
        deadlines=desk.deadlines,
        sender=DENOUNCER,
        content=WORDS,
        public_summary="Tố cáo hành vi của cán bộ",
    )
    with staff_desk.store.unit_of_work() as uow:
        uow.repository(COMPLAINTS).save(case, events)
        uow.commit()
    return case_id


@pytest.fixture
def second_handler(staff_desk: StaffDesk) -> str:
    staff_desk.accounts.add(
        Account(
            "pakn2", "Đinh Thị Hoa", Role.CASE_HANDLER, "Thanh tra xã", FAST_HASHER.hash(PASSWORD)
        )
    )
    return "pakn2"


def _login_as(staff_desk: StaffDesk, username: str) -> None:
    staff_desk.client.cookies.clear()
    token = staff_desk.csrf()
    answer = staff_desk.client.post(
        "/staff/login",
        data={"username": username, "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303


def test_a_case_is_accepted_assigned_and_resolved(staff_desk: StaffDesk, desk: Desk) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.PETITION, "PA-2026-0001")
    staff_desk.login(Role.CASE_HANDLER)
    assert case_id in staff_desk.client.get("/staff/cases").text
    for action, data in [
        ("accept", {}),
        ("assign", {}),
        ("resolve", {"summary": "Đã trả lời công dân bằng văn bản"}),
    ]:
        answer: Any = staff_desk.post(f"/staff/cases/{case_id}/{action}", data)
        assert answer.status_code == 303
        assert "Đã thực hiện" in staff_desk.client.get(f"/staff/cases/{case_id}").text, action
    with staff_desk.store.unit_of_work() as uow:
        case = uow.repository(COMPLAINTS).get(case_id)
        actors = {r.actor for r in uow.audit.history(COMPLAINTS, case_id)}
    assert case is not None
    assert case.state is cp.CaseState.RESOLVED
    assert case.handler == PEOPLE[Role.CASE_HANDLER][0]
    assert actors == {
        None,
        PEOPLE[Role.CASE_HANDLER][0],
    }  # received by the system, then the officer


def test_a_refused_case_action_is_explained(staff_desk: StaffDesk, desk: Desk) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.PETITION, "PA-2026-0002")
    staff_desk.login(Role.CASE_HANDLER)
    staff_desk.post(f"/staff/cases/{case_id}/resolve", {"summary": "x"})  # not accepted yet
    assert "Không thực hiện được" in staff_desk.client.get(f"/staff/cases/{case_id}").text
    staff_desk.post(f"/staff/cases/{case_id}/decline", {"reason": ""})
    assert "không được để trống" in staff_desk.client.get(f"/staff/cases/{case_id}").text


def test_the_denouncer_is_seen_by_the_assigned_handler_only(
    staff_desk: StaffDesk, desk: Desk, second_handler: str
) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.DENUNCIATION, "TC-2026-0001")
    handler = PEOPLE[Role.CASE_HANDLER][0]
    _login_as(staff_desk, handler)
    before = staff_desk.client.get(f"/staff/cases/{case_id}").text
    assert DENOUNCER.name not in before  # not assigned yet: even a case handler may not
    staff_desk.post(f"/staff/cases/{case_id}/accept")
    staff_desk.post(f"/staff/cases/{case_id}/assign")  # to herself
    for role in Role:
        username = PEOPLE[role][0]
        for reader in {username, second_handler} if role is Role.CASE_HANDLER else {username}:
            _login_as(staff_desk, reader)
            for path in ("/staff/cases", f"/staff/cases/{case_id}"):
                answer = staff_desk.client.get(path)
                seen = [secret in answer.text for secret in (DENOUNCER.name, "0905123456", WORDS)]
                if reader == handler:
                    assert answer.status_code == 200
                    assert seen[0], (reader, path)
                else:
                    assert not any(seen), (reader, path)
                    assert answer.status_code in (200, 403), (reader, path)


def test_other_cases_show_their_sender_to_case_handlers(
    staff_desk: StaffDesk, desk: Desk, second_handler: str
) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.COMPLAINT, "KN-2026-0001")
    _login_as(staff_desk, second_handler)
    assert DENOUNCER.name in staff_desk.client.get(f"/staff/cases/{case_id}").text


def test_a_case_is_assigned_only_to_a_case_handler(
    staff_desk: StaffDesk, desk: Desk, second_handler: str
) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.DENUNCIATION, "TC-2026-0002")
    staff_desk.login(Role.CASE_HANDLER)
    staff_desk.post(f"/staff/cases/{case_id}/accept")
    staff_desk.post(f"/staff/cases/{case_id}/assign", {"handler": PEOPLE[Role.LEADER][0]})
    assert "không phải cán bộ xử lý" in staff_desk.client.get(f"/staff/cases/{case_id}").text
    staff_desk.post(f"/staff/cases/{case_id}/assign", {"handler": second_handler})
    with staff_desk.store.unit_of_work() as uow:
        case = uow.repository(COMPLAINTS).get(case_id)
    assert case is not None
    assert case.handler == second_handler
    page = staff_desk.client.get(f"/staff/cases/{case_id}").text
    assert DENOUNCER.name not in page  # the assigner is no longer the handler
