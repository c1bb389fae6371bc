"""Case actions beyond the first slice: extend, suspend, resume, forward, escalate, publish, close.

Each runs through the staff pages as the case handler, is checked against the
stored case and the audit trail, and prints the notice its event issues; the
overdue list is the stored overdue queue.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from tests._staff import PEOPLE, StaffDesk
from tests.test_staff_cases import _case

from tthc_adapters.staff._case_actions import CASE_ACTIONS
from tthc_core import complaint as cp
from tthc_core.accounts import Action, Role, allowed
from tthc_core.calendar import Duration
from tthc_core.desk import Desk
from tthc_core.storage.kinds import COMPLAINTS


def _stored(staff_desk: StaffDesk, case_id: str) -> cp.Case:
    with staff_desk.store.unit_of_work() as uow:
        case = uow.repository(COMPLAINTS).get(case_id)
    assert case is not None
    return case


def _do(
    staff_desk: StaffDesk, case_id: str, action: str, data: dict[str, str] | None = None
) -> str:
    answer: Any = staff_desk.post(f"/staff/cases/{case_id}/{action}", data)
    assert answer.status_code == 303, answer.text
    page = staff_desk.client.get(f"/staff/cases/{case_id}").text
    return page


def _notice_links(page: str) -> list[str]:
    return re.findall(r'href="(/staff/cases/[^"]+/notices/\d+)"', page)


def test_a_complaint_is_extended_suspended_resumed_and_closed(
    staff_desk: StaffDesk, desk: Desk
) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.COMPLAINT, "KN-2026-0101")
    staff_desk.login(Role.CASE_HANDLER)
    _do(staff_desk, case_id, "accept")
    page = _do(staff_desk, case_id, "assign")
    assert 'id="case-extend"' in page
    assert "Điều 28 Luật Khiếu nại số 02/2011/QH13 (vụ việc phức tạp)" in page  # names its article
    ordinary_due = _stored(staff_desk, case_id).due_at
    assert ordinary_due is not None
    page = _do(staff_desk, case_id, "extend", {"variant": "complex", "reason": "Nhiều nội dung"})
    extended = _stored(staff_desk, case_id)
    assert extended.due_at is not None
    assert extended.due_at - ordinary_due == dt.timedelta(days=15)  # 30 → 45 days
    assert 'id="case-extend"' not in page  # the law has no longer limit
    staff_desk.clock.now += dt.timedelta(days=5)
    page = _do(staff_desk, case_id, "suspend", {"reason": "Chờ kết quả giám định"})
    assert _stored(staff_desk, case_id).state is cp.CaseState.SUSPENDED
    assert "Tạm dừng tính thời hạn" in page
    assert case_id not in staff_desk.client.get("/staff/cases").text  # no running period
    assert case_id in staff_desk.client.get("/staff/cases?queue=all").text
    staff_desk.clock.now += dt.timedelta(days=10)
    _do(staff_desk, case_id, "resume")
    resumed = _stored(staff_desk, case_id)
    assert resumed.state is cp.CaseState.ASSIGNED
    assert resumed.due_at is not None
    # 5 of 45 days were used before the suspension; 40 count on from the decision to continue,
    # past days off at the end (Decree 124/2020 Art. 28b(2); Civil Code 2015 Art. 148).
    day = staff_desk.clock.now.date()
    assert resumed.due_at == desk.deadlines.due_by_days(day, Duration.calendar_days(40))
    assert resumed.due_at - extended.due_at >= dt.timedelta(days=10)
    _do(staff_desk, case_id, "verify")
    _do(staff_desk, case_id, "dialogue", {"record_ref": "BB-01"})
    _do(
        staff_desk,
        case_id,
        "resolve",
        {"summary": "Giữ nguyên quyết định", "document_ref": "12/QĐ"},
    )
    _do(staff_desk, case_id, "publish")
    page = _do(staff_desk, case_id, "close")
    assert _stored(staff_desk, case_id).state is cp.CaseState.CLOSED
    links = _notice_links(page)
    titles = [staff_desk.client.get(link).text for link in links]
    assert any("Thông báo về việc thụ lý" in t for t in titles)
    assert any("vụ việc phức tạp" in t and "Nhiều nội dung" in t for t in titles)
    assert any("Quyết định tạm đình chỉ" in t and "Chờ kết quả giám định" in t for t in titles)
    assert any("Quyết định tiếp tục giải quyết" in t for t in titles)
    with staff_desk.store.unit_of_work() as uow:
        actors = {r.actor for r in uow.audit.history(COMPLAINTS, case_id)}
    assert PEOPLE[Role.CASE_HANDLER][0] in actors


def test_a_petition_is_forwarded_with_the_forwarding_slip(
    staff_desk: StaffDesk, desk: Desk
) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.PETITION, "PA-2026-0101")
    staff_desk.login(Role.CASE_HANDLER)
    page = _do(staff_desk, case_id, "forward", {"to": "Sở Tư pháp tỉnh Đắk Lắk", "reason": ""})
    assert "không được để trống" in page
    page = _do(
        staff_desk,
        case_id,
        "forward",
        {"to": "Sở Tư pháp tỉnh Đắk Lắk", "reason": "Quy định thuộc thẩm quyền của tỉnh"},
    )
    case = _stored(staff_desk, case_id)
    assert case.state is cp.CaseState.FORWARDED
    assert case.forwarded_to == "Sở Tư pháp tỉnh Đắk Lắk"
    (link,) = _notice_links(page)
    slip = staff_desk.client.get(link).text
    assert "Phiếu chuyển đơn" in slip
    assert "Sở Tư pháp tỉnh Đắk Lắk" in slip
    assert "Căn cứ: điểm d khoản 1 Điều 9 Nghị định số 20/2008/NĐ-CP" in slip


def test_a_petition_offers_no_extension_and_refuses_one(staff_desk: StaffDesk, desk: Desk) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.PETITION, "PA-2026-0102")
    staff_desk.login(Role.CASE_HANDLER)
    _do(staff_desk, case_id, "accept")
    page = _do(staff_desk, case_id, "assign")
    assert 'id="case-extend"' not in page
    assert 'id="case-suspend"' not in page  # petitions have no suspension
    page = _do(staff_desk, case_id, "extend", {"variant": "complex", "reason": "x"})
    assert "Không thực hiện được" in page


def test_an_overdue_complaint_is_queued_then_escalated(staff_desk: StaffDesk, desk: Desk) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.COMPLAINT, "KN-2026-0102")
    staff_desk.login(Role.CASE_HANDLER)
    _do(staff_desk, case_id, "accept")
    assert case_id not in staff_desk.client.get("/staff/cases?queue=overdue").text
    page = staff_desk.client.get(f"/staff/cases/{case_id}").text
    assert 'id="case-escalate"' not in page  # neither decided nor overdue
    staff_desk.clock.now += dt.timedelta(days=40)
    assert case_id in staff_desk.client.get("/staff/cases?queue=overdue").text
    page = staff_desk.client.get(f"/staff/cases/{case_id}").text
    assert 'id="case-escalate"' in page
    _do(
        staff_desk,
        case_id,
        "escalate",
        {"agency_code": "000.00.00.H15", "agency_name": "UBND tỉnh Đắk Lắk"},
    )
    case = _stored(staff_desk, case_id)
    assert case.level is cp.ComplaintLevel.SECOND
    assert case.state is cp.CaseState.RECEIVED
    assert case.agency.name == "UBND tỉnh Đắk Lắk"
    page = _do(staff_desk, case_id, "escalate", {"agency_code": "x", "agency_name": "y"})
    assert "Không thực hiện được" in page  # only once, and only a first-level complaint


def test_a_denunciation_extension_is_offered_thirty_days_at_a_time(
    staff_desk: StaffDesk, desk: Desk
) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.DENUNCIATION, "TC-2026-0101")
    staff_desk.login(Role.CASE_HANDLER)
    _do(staff_desk, case_id, "accept")
    page = _do(staff_desk, case_id, "assign")
    assert 'value="complex"' in page
    assert 'value="especially_complex"' not in page
    page = _do(
        staff_desk, case_id, "extend", {"variant": "especially_complex", "reason": "Rất phức tạp"}
    )
    assert "Không thực hiện được" in page  # 60 days in one decision: Art. 30(1)
    page = _do(staff_desk, case_id, "extend", {"variant": "complex", "reason": "Phức tạp"})
    assert 'value="especially_complex"' in page


def test_the_denouncer_stays_hidden_on_notices_from_other_officers(
    staff_desk: StaffDesk, desk: Desk
) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.DENUNCIATION, "TC-2026-0102")
    staff_desk.login(Role.CASE_HANDLER)
    page = _do(staff_desk, case_id, "accept")
    (link,) = _notice_links(page)
    notice = staff_desk.client.get(link).text  # not assigned yet: not the handler
    assert "Quyết định thụ lý tố cáo" in notice
    assert "Hoàng Văn Tố" not in notice
    assert "0905123456" not in notice
    _do(staff_desk, case_id, "assign")
    assert "Hoàng Văn Tố" in staff_desk.client.get(link).text


def test_unknown_cases_and_notices_are_404(staff_desk: StaffDesk, desk: Desk) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.PETITION, "PA-2026-0103")
    staff_desk.login(Role.CASE_HANDLER)
    assert staff_desk.client.get(f"/staff/cases/{case_id}/notices/999").status_code == 404
    answer: Any = staff_desk.post("/staff/cases/PA-0000-0000/accept")
    assert answer.status_code == 404
    assert staff_desk.client.get("/staff/cases?queue=nonsense").status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_every_case_action_as_every_role(staff_desk: StaffDesk, desk: Desk, role: Role) -> None:
    """The role table over HTTP: each case action and page, tried as each role."""
    case_id = _case(staff_desk, desk, cp.CaseKind.COMPLAINT, "KN-2026-0199")
    staff_desk.login(Role.CASE_HANDLER)
    (notice,) = _notice_links(_do(staff_desk, case_id, "accept"))
    staff_desk.login(role)
    tried = {f"GET {p}": staff_desk.client.get(p, follow_redirects=False).status_code
             for p in ("/staff/cases", "/staff/cases?queue=overdue", f"/staff/cases/{case_id}",
                       notice)}  # fmt: skip
    for action in CASE_ACTIONS:
        answer: Any = staff_desk.post(f"/staff/cases/{case_id}/{action.name}")
        tried[action.name] = answer.status_code
        assert action.permission is Action.HANDLE_CASES
    for what, status in tried.items():
        if allowed(role, Action.HANDLE_CASES):
            assert status in (200, 303), (role, what, status)
        else:
            assert status == 403, (role, what, status)


def test_the_action_table_covers_every_core_command() -> None:
    assert [a.command for a in CASE_ACTIONS] == list(cp.CaseCommand)
