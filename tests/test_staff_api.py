"""The staff JSON API: tokens, roles, intake and actions, and its checked-in OpenAPI description."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from tests._desk import LAND
from tests._staff import PEOPLE, SPECIALIST_UNIT, StaffDesk, build_app

from tthc_adapters.staff import issue_token, openapi
from tthc_adapters.storage import MemoryApiTokens
from tthc_core.accounts import Action, Role, allowed
from tthc_core.desk import Desk
from tthc_core.storage.kinds import DOSSIERS

OPENAPI_FILE = Path(__file__).parent.parent / "docs" / "openapi.json"
INTAKE = {
    "procedure_code": LAND,
    "name": "Nguyễn Thị Hương",
    "phone": "0912345678",
    "documents_received": [0, 1, 2],
    "return_channel": "desk",
}


@pytest.fixture
def api(staff_desk: StaffDesk, desk: Desk) -> tuple[TestClient, dict[Role, str], MemoryApiTokens]:
    """A client of an app with one API token per role."""
    tokens = MemoryApiTokens()
    app = build_app(staff_desk.store, desk, staff_desk.accounts, staff_desk.clock, tokens=tokens)
    issued = {}
    for role, (username, _, _) in PEOPLE.items():
        account = staff_desk.accounts.get(username)
        assert account is not None
        _, issued[role] = issue_token(tokens, account, label="Cổng tỉnh", at=staff_desk.clock())
    return TestClient(app), issued, tokens


def _auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_the_whole_day_through_the_api(api: Any, staff_desk: StaffDesk) -> None:
    client, tokens, _ = api
    found = client.get(
        "/staff/api/v1/procedures", params={"q": "bien dong"}, headers=_auth(tokens[Role.DESK])
    )
    assert [p["code"] for p in found.json()] == [LAND]
    made = client.post("/staff/api/v1/dossiers", json=INTAKE, headers=_auth(tokens[Role.DESK]))
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    assert "hand_over" in made.json()["actions"]
    steps = [(Role.DESK, SPECIALIST_UNIT), (Role.SPECIALIST, "Lãnh đạo UBND xã Krông Năng"),
             (Role.LEADER, "Trung tâm Phục vụ hành chính công xã Krông Năng")]  # fmt: skip
    for role, unit in steps:
        moved = client.post(
            f"/staff/api/v1/dossiers/{code}/actions/hand_over",
            json={"to_unit": unit},
            headers=_auth(tokens[role]),
        )
        assert moved.status_code == 200, moved.text
    for name in ("resolve", "return_at_desk"):
        done = client.post(
            f"/staff/api/v1/dossiers/{code}/actions/{name}",
            json={},
            headers=_auth(tokens[Role.DESK]),
        )
        assert done.status_code == 200, done.text
    assert done.json()["state"] == "result_returned"
    assert (
        client.get(f"/staff/api/v1/dossiers/{code}", headers=_auth(tokens[Role.LEADER])).json()[
            "actions"
        ]
        == []
    )
    with staff_desk.store.unit_of_work() as uow:
        actors = {r.actor for r in uow.audit.history(DOSSIERS, code)}
    assert actors == {PEOPLE[r][0] for r in (Role.DESK, Role.SPECIALIST, Role.LEADER)}


@pytest.mark.parametrize("role", list(Role))
def test_every_api_action_as_every_role(api: Any, role: Role) -> None:
    client, tokens, _ = api
    code = client.post(
        "/staff/api/v1/dossiers", json=INTAKE, headers=_auth(tokens[Role.DESK])
    ).json()["code"]
    auth = _auth(tokens[role])
    tried = {
        Action.RECEIVE: lambda: client.post("/staff/api/v1/dossiers", json=INTAKE, headers=auth),
        Action.VIEW_DOSSIER: lambda: client.get(f"/staff/api/v1/dossiers/{code}", headers=auth),
    }
    from tthc_adapters.staff._actions import ACTIONS

    for action in ACTIONS:
        tried[action.permission] = lambda name=action.name: client.post(
            f"/staff/api/v1/dossiers/{code}/actions/{name}", json={}, headers=_auth(tokens[role])
        )
    for action, call in tried.items():
        status = call().status_code
        if allowed(role, action):
            assert status in (200, 201, 400, 409), (role, action, status)
        else:
            assert status == 403, (role, action, status)


def test_tokens_must_be_valid_and_unrevoked(api: Any) -> None:
    client, tokens, store = api
    good = tokens[Role.DESK]
    url = "/staff/api/v1/procedures"
    assert client.get(url, headers=_auth(good)).status_code == 200
    for header in (
        {},
        {"authorization": "Basic abc"},
        _auth("tthc_zz.short"),
        _auth(good[:-2] + "xx"),
    ):
        answer = client.get(url, headers=header)
        assert answer.status_code == 401
        assert answer.json()["error"] == "unauthorized"
    token_id = good.split("_", 1)[1].split(".")[0]
    assert store.revoke(token_id)
    assert client.get(url, headers=_auth(good)).status_code == 401


def test_errors_are_json_with_a_reason(api: Any) -> None:
    client, tokens, _ = api
    desk = _auth(tokens[Role.DESK])
    missing = client.post(
        "/staff/api/v1/dossiers", json=INTAKE | {"documents_received": [0]}, headers=desk
    )
    assert missing.status_code == 400
    assert "Hợp đồng chuyển nhượng" in missing.json()["reason"]
    assert client.post("/staff/api/v1/dossiers", content=b"{", headers=desk).status_code == 400
    assert (
        client.post(
            "/staff/api/v1/dossiers", json=INTAKE | {"procedure_code": "9.999999"}, headers=desk
        ).status_code
        == 404
    )
    assert (
        client.get("/staff/api/v1/dossiers/000.43.31.H15-261123-0099", headers=desk).status_code
        == 404
    )
    assert client.get("/staff/api/v1/dossiers/khong-phai-ma", headers=desk).status_code == 404
    assert client.get("/staff/api/v1/nothing", headers=desk).status_code == 404
    code = client.post("/staff/api/v1/dossiers", json=INTAKE, headers=desk).json()["code"]
    early = client.post(
        f"/staff/api/v1/dossiers/{code}/actions/return_at_desk", json={}, headers=desk
    )
    assert early.status_code == 409
    assert early.json()["error"] == "rule_violation"


def test_the_checked_in_openapi_is_the_generated_one() -> None:
    checked_in = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    assert checked_in == openapi(), (
        "docs/openapi.json is stale: python -m tthc_adapters.staff._openapi > docs/openapi.json"
    )


def test_openapi_is_served_valid_and_describes_every_action(api: Any) -> None:
    from openapi_spec_validator import validate

    client, _, _ = api
    served = client.get("/staff/api/v1/openapi.json").json()
    validate(served)
    from tthc_adapters.staff._actions import ACTIONS

    for action in ACTIONS:
        assert f"/dossiers/{{code}}/actions/{action.name}" in served["paths"]
    assert served["openapi"].startswith("3.1")


def test_a_token_records_no_secret() -> None:
    from tthc_core.api_tokens import split_token

    tokens = MemoryApiTokens()
    from tthc_core.accounts import Account

    account = Account("motcua", "Trần Văn Nam", Role.DESK, "Một cửa", "h")
    record, text = issue_token(
        tokens, account, label="x", at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    parts = split_token(text)
    assert parts is not None
    assert parts.secret not in repr(record)
    assert parts.secret not in record.secret_digest
    assert tokens.for_user("motcua") == [record]


def test_a_deactivated_accounts_tokens_stop(api: Any, staff_desk: StaffDesk) -> None:
    import attrs

    client, tokens, _ = api
    account = staff_desk.accounts.get(PEOPLE[Role.DESK][0])
    assert account is not None
    staff_desk.accounts.update(attrs.evolve(account, active=False))
    answer = client.get("/staff/api/v1/procedures", headers=_auth(tokens[Role.DESK]))
    assert answer.status_code == 401


def _complaint(staff_desk: StaffDesk, desk: Desk, case_id: str) -> str:
    from tests.test_staff_cases import _case

    from tthc_core import complaint as cp

    return _case(staff_desk, desk, cp.CaseKind.DENUNCIATION, case_id)


@pytest.mark.parametrize("role", list(Role))
def test_every_api_case_action_as_every_role(
    api: Any, staff_desk: StaffDesk, desk: Desk, role: Role
) -> None:
    from tthc_adapters.staff._case_actions import CASE_ACTIONS

    client, tokens, _ = api
    case_id = _complaint(staff_desk, desk, "TC-2026-0301")
    auth = _auth(tokens[role])
    answers = {
        "list": client.get("/staff/api/v1/cases", params={"queue": "overdue"}, headers=auth),
        "show": client.get(f"/staff/api/v1/cases/{case_id}", headers=auth),
    }
    for action in CASE_ACTIONS:
        answers[action.name] = client.post(
            f"/staff/api/v1/cases/{case_id}/actions/{action.name}", json={}, headers=auth
        )
    for name, answer in answers.items():
        if allowed(role, Action.HANDLE_CASES):
            assert answer.status_code in (200, 400, 409), (role, name, answer.text)
        else:
            assert answer.status_code == 403, (role, name, answer.status_code)


def test_cases_through_the_api_keep_the_denouncer_secret(
    api: Any, staff_desk: StaffDesk, desk: Desk
) -> None:
    client, tokens, _ = api
    case_id = _complaint(staff_desk, desk, "TC-2026-0302")
    auth = _auth(tokens[Role.CASE_HANDLER])
    listed = client.get("/staff/api/v1/cases", params={"queue": "open"}, headers=auth).json()
    assert [c["case_id"] for c in listed] == [case_id]
    assert "Hoàng Văn Tố" not in json.dumps(listed, ensure_ascii=False)
    assert listed[0]["actions"][:3] == ["accept", "decline", "forward"]
    for name, body in [
        ("accept", {}),
        ("assign", {}),
        ("extend", {"variant": "complex", "reason": "Phức tạp"}),
    ]:
        answer = client.post(
            f"/staff/api/v1/cases/{case_id}/actions/{name}", json=body, headers=auth
        )
        assert answer.status_code == 200, answer.text
    shown = client.get(f"/staff/api/v1/cases/{case_id}", headers=auth).json()
    assert shown["sender"]["name"] == "Hoàng Văn Tố"  # the assigned handler
    assert shown["clock"]["variant"] == "complex"
    refused = client.post(
        f"/staff/api/v1/cases/{case_id}/actions/extend",
        json={"variant": "complex", "reason": "x"},
        headers=auth,
    )
    assert refused.status_code == 409
    assert client.get("/staff/api/v1/cases/none", headers=auth).status_code == 404
    assert client.get("/staff/api/v1/cases", params={"queue": "x"}, headers=auth).status_code == 400
