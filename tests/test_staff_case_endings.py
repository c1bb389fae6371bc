"""Withdraw (rút đơn), terminate (đình chỉ) and reopen (giải quyết lại) on the pages and the API.

Law on Complaints 02/2011 Art. 10 (withdrawal) and Art. 11a (added by Law
136/2025: suspension, termination); Law on Denunciations Art. 33 (withdrawal),
34 (termination), 37 (re-handling).
"""

from __future__ import annotations

from typing import Any

from tests._staff import StaffDesk
from tests.test_staff_api import (
    _auth,
    api,  # noqa: F401 - the fixture, shared
)
from tests.test_staff_case_actions import _do, _notice_links, _stored
from tests.test_staff_cases import _case

from tthc_core import complaint as cp
from tthc_core.accounts import Role
from tthc_core.desk import Desk


def test_a_complaint_is_withdrawn_with_its_notice(staff_desk: StaffDesk, desk: Desk) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.COMPLAINT, "KN-2026-0401")
    staff_desk.login(Role.CASE_HANDLER)
    page = _do(staff_desk, case_id, "accept")
    assert 'id="case-withdraw"' in page
    assert 'id="case-reopen"' not in page  # not answered
    page = _do(staff_desk, case_id, "withdraw", {"reason": "Đã được giải thích, đồng ý"})
    assert _stored(staff_desk, case_id).state is cp.CaseState.WITHDRAWN
    assert 'id="case-withdraw"' not in page
    assert 'id="case-terminate"' not in page
    notices = [staff_desk.client.get(link).text for link in _notice_links(page)]
    (slip,) = [n for n in notices if "rút khiếu nại" in n]
    assert "Căn cứ: Điều 10 Luật Khiếu nại số 02/2011/QH13" in slip
    assert "Đã được giải thích, đồng ý" in slip
    assert "đã rút đơn" in slip


def test_a_petition_withdrawn_prints_no_notice(staff_desk: StaffDesk, desk: Desk) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.PETITION, "PA-2026-0401")
    staff_desk.login(Role.CASE_HANDLER)
    page = _do(staff_desk, case_id, "withdraw")  # the reason is optional
    assert _stored(staff_desk, case_id).state is cp.CaseState.WITHDRAWN
    assert _notice_links(page) == []  # the law gives petitions no written form


def test_a_suspended_denunciation_is_terminated_on_a_ground(
    staff_desk: StaffDesk, desk: Desk
) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.DENUNCIATION, "TC-2026-0401")
    staff_desk.login(Role.CASE_HANDLER)
    _do(staff_desk, case_id, "accept")
    page = _do(staff_desk, case_id, "suspend", {"reason": "Chờ kết quả giám định"})
    assert 'id="case-terminate"' in page
    page = _do(staff_desk, case_id, "terminate", {"reason": " "})
    assert "không được để trống" in page
    assert _stored(staff_desk, case_id).state is cp.CaseState.SUSPENDED
    page = _do(staff_desk, case_id, "terminate", {"reason": "Người tố cáo đã chết"})
    assert _stored(staff_desk, case_id).state is cp.CaseState.TERMINATED
    assert "Trạng thái hiện tại không còn thao tác nào" in page
    notices = [staff_desk.client.get(link).text for link in _notice_links(page)]
    (decision,) = [n for n in notices if "Quyết định đình chỉ việc giải quyết" in n]
    assert "Người tố cáo đã chết" in decision
    assert "Điều 34 Luật Tố cáo số 25/2018/QH14" in decision
    assert "Hoàng Văn Tố" not in decision  # not the assigned handler: the denouncer stays hidden


def _answered_petition(staff_desk: StaffDesk, desk: Desk, case_id: str) -> str:
    _case(staff_desk, desk, cp.CaseKind.PETITION, case_id)
    staff_desk.login(Role.CASE_HANDLER)
    _do(staff_desk, case_id, "accept")
    _do(staff_desk, case_id, "assign")
    return _do(staff_desk, case_id, "resolve", {"summary": "Đã sửa đèn đường"})


def test_an_answered_petition_is_reopened_with_a_new_period(
    staff_desk: StaffDesk, desk: Desk
) -> None:
    case_id = "PA-2026-0402"
    page = _answered_petition(staff_desk, desk, case_id)
    assert _stored(staff_desk, case_id).state is cp.CaseState.RESOLVED
    assert 'id="case-reopen"' in page
    page = _do(staff_desk, case_id, "reopen", {"reason": ""})
    assert "Lý do giải quyết lại không được để trống" in page
    page = _do(staff_desk, case_id, "reopen", {"reason": "Đèn vẫn chưa sáng"})
    reopened = _stored(staff_desk, case_id)
    assert reopened.state is cp.CaseState.ASSIGNED
    assert reopened.due_at is not None
    assert reopened.due_at > staff_desk.clock.now
    assert 'id="case-reopen"' not in page


def test_a_decided_complaint_is_escalated_not_reopened(staff_desk: StaffDesk, desk: Desk) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.COMPLAINT, "KN-2026-0402")
    staff_desk.login(Role.CASE_HANDLER)
    for action, form in [("accept", {}), ("assign", {}), ("verify", {}),
                         ("resolve", {"summary": "Giữ nguyên quyết định"})]:  # fmt: skip
        page = _do(staff_desk, case_id, action, form)
    assert _stored(staff_desk, case_id).state is cp.CaseState.RESOLVED
    assert 'id="case-reopen"' not in page
    assert 'id="case-escalate"' in page
    page = _do(staff_desk, case_id, "reopen", {"reason": "x"})
    assert "Không thực hiện được" in page
    assert _stored(staff_desk, case_id).state is cp.CaseState.RESOLVED


def test_the_api_withdraws_terminates_and_reopens(
    api: Any,  # noqa: F811 - the fixture imported above
    staff_desk: StaffDesk,
    desk: Desk,
) -> None:
    client, tokens, _ = api
    auth = _auth(tokens[Role.CASE_HANDLER])

    def act(case_id: str, name: str, body: dict[str, str]) -> Any:
        return client.post(f"/staff/api/v1/cases/{case_id}/actions/{name}", json=body, headers=auth)

    withdrawn = _case(staff_desk, desk, cp.CaseKind.DENUNCIATION, "TC-2026-0402")
    answer = act(withdrawn, "withdraw", {})
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "withdrawn"
    assert act(withdrawn, "withdraw", {}).status_code == 409  # already ended
    ended = _case(staff_desk, desk, cp.CaseKind.COMPLAINT, "KN-2026-0403")
    assert act(ended, "accept", {}).status_code == 200
    assert act(ended, "suspend", {"reason": "Chờ giám định"}).status_code == 200
    assert act(ended, "terminate", {}).status_code == 400
    assert act(ended, "terminate", {"reason": "Người khiếu nại đã chết"}).json()["state"] == (
        "terminated"
    )
    reopened = "PA-2026-0403"
    _answered_petition(staff_desk, desk, reopened)
    assert "reopen" in client.get(f"/staff/api/v1/cases/{reopened}", headers=auth).json()["actions"]
    answer = act(reopened, "reopen", {"reason": "Chưa thỏa đáng"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "assigned"
