"""Staff application security: roles × actions, CSRF, session fixation, lock-out, cookies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests._desk import LAND
from tests._staff import PASSWORD, PEOPLE, SPECIALIST_UNIT, StaffDesk
from tests.test_staff_flow import receive

from tthc_core.accounts import (
    PERMISSIONS,
    Account,
    Action,
    LockoutPolicy,
    Role,
    allowed,
    check_username,
    is_locked,
    login_failed,
    login_succeeded,
)
from tthc_core.errors import InvalidInput

#: The specification, written independently of PERMISSIONS: who may do what.
EXPECTED = {
    Role.DESK: {"view_queues", "view_dossier", "receive", "print_receipt", "hand_over",
                "receive_supplement", "resolve", "return_at_desk", "record_fees",
                "cancel_parcel", "handle_messages"},
    Role.SPECIALIST: {"view_queues", "view_dossier", "hand_over", "request_supplement", "refuse"},
    Role.LEADER: {"view_queues", "view_dossier", "hand_over", "refuse", "reschedule", "resolve",
                  "view_reports"},
    Role.CASE_HANDLER: {"handle_cases", "handle_messages"},
    Role.ADMIN: {"manage_accounts", "manage_catalogue", "view_reports"},
}  # fmt: skip

#: How each action is tried over HTTP ({code} is a received dossier).
REQUESTS: dict[Action, tuple[str, str] | None] = {
    Action.VIEW_QUEUES: ("GET", "/staff/queues"),
    Action.VIEW_DOSSIER: ("GET", "/staff/dossiers/{code}"),
    Action.RECEIVE: ("POST", f"/staff/intake/{LAND}"),
    Action.PRINT_RECEIPT: ("GET", "/staff/dossiers/{code}/receipt.pdf"),
    Action.HAND_OVER: ("POST", "/staff/dossiers/{code}/hand_over"),
    Action.REQUEST_SUPPLEMENT: ("POST", "/staff/dossiers/{code}/request_supplement"),
    Action.RECEIVE_SUPPLEMENT: ("POST", "/staff/dossiers/{code}/receive_supplement"),
    Action.REFUSE: ("POST", "/staff/dossiers/{code}/refuse"),
    Action.RESCHEDULE: ("POST", "/staff/dossiers/{code}/reschedule"),
    Action.RESOLVE: ("POST", "/staff/dossiers/{code}/resolve"),
    Action.RETURN_AT_DESK: ("POST", "/staff/dossiers/{code}/return_at_desk"),
    Action.RECORD_FEES: ("POST", "/staff/dossiers/{code}/request_payment"),
    Action.CANCEL_PARCEL: ("POST", "/staff/dossiers/{code}/parcels/{code}-BC1/cancel"),
    Action.HANDLE_CASES: ("GET", "/staff/cases"),
    Action.VIEW_REPORTS: ("GET", "/staff/reports"),
    Action.HANDLE_MESSAGES: ("GET", "/staff/messages"),
    Action.MANAGE_ACCOUNTS: ("GET", "/staff/admin"),
    Action.MANAGE_CATALOGUE: ("GET", "/staff/admin"),
}


def test_the_permission_table_is_the_specification() -> None:
    assert {r: {a.value for a in acts} for r, acts in PERMISSIONS.items()} == EXPECTED
    assert set(REQUESTS) == set(Action)


@pytest.mark.parametrize("role", list(Role))
def test_every_action_as_every_role(staff_desk: StaffDesk, role: Role) -> None:
    code = receive(staff_desk)
    staff_desk.login(role)
    for action, request in REQUESTS.items():
        if request is None:
            continue
        method, path = request
        url = path.format(code=code)
        if method == "GET":
            status = staff_desk.client.get(url, follow_redirects=False).status_code
        else:
            status = staff_desk.post(url).status_code  # type: ignore[attr-defined]
        if allowed(role, action):
            assert status in (200, 303, 400), (role, action, status)
        else:
            assert status == 403, (role, action, status)


def test_pages_need_a_login(staff_desk: StaffDesk) -> None:
    for path in ("/staff/", "/staff/queues", "/staff/intake", "/staff/admin"):
        response = staff_desk.client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/staff/login"


def test_a_form_without_the_csrf_token_is_refused(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk)
    before = staff_desk.dossier(code)
    for token in (None, "", "forged"):
        data = {"to_unit": SPECIALIST_UNIT} | ({} if token is None else {"csrf": token})
        response = staff_desk.client.post(f"/staff/dossiers/{code}/hand_over", data=data)
        assert response.status_code == 403
        assert "tải lại trang" in response.text
    assert staff_desk.dossier(code) == before
    response = staff_desk.client.post(
        "/staff/login", data={"username": "motcua", "password": PASSWORD}
    )
    assert response.status_code == 403


def test_login_rotates_the_session_no_fixation(staff_desk: StaffDesk) -> None:
    client = staff_desk.client
    token = staff_desk.csrf()
    planted = client.cookies.get("tthc_staff")
    assert planted
    response = client.post(
        "/staff/login",
        data={"username": "motcua", "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.cookies.get("tthc_staff") != planted
    assert staff_desk.csrf() != token  # a new CSRF token with the new session
    # The cookie planted before login is still anonymous.
    client.cookies.clear()
    client.cookies.set("tthc_staff", planted)
    assert client.get("/staff/queues", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_signed_httponly_and_samesite(staff_desk: StaffDesk) -> None:
    response = staff_desk.client.get("/staff/login")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/staff" in cookie
    staff_desk.client.cookies.set("tthc_staff", "eyJ1c2VyIjogIm1vdGN1YSJ9.forged.sig")
    assert staff_desk.client.get("/staff/queues", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(staff_desk: StaffDesk) -> None:
    staff_desk.login(Role.DESK)
    assert staff_desk.post("/staff/logout").status_code == 303  # type: ignore[attr-defined]
    assert staff_desk.client.get("/staff/queues", follow_redirects=False).status_code == 303


def _login(desk: StaffDesk, password: str) -> Any:
    return desk.client.post(
        "/staff/login",
        data={"username": "motcua", "password": password, "csrf": desk.csrf()},
        follow_redirects=False,
    )


def test_repeated_failures_lock_the_account_then_it_opens_again(staff_desk: StaffDesk) -> None:
    # The test app locks after 3 failures for 15 minutes.
    assert _login(staff_desk, "sai").status_code == 401
    assert _login(staff_desk, "sai").status_code == 401
    assert _login(staff_desk, PASSWORD).status_code == 303  # two failures: not locked
    staff_desk.client.cookies.clear()
    for _ in range(3):
        response = _login(staff_desk, "sai")
    assert response.status_code == 401
    assert "tạm khóa" in response.text
    assert _login(staff_desk, PASSWORD).status_code == 401  # locked: even the right password
    staff_desk.clock.now += dt.timedelta(minutes=15)
    assert _login(staff_desk, PASSWORD).status_code == 303


def test_an_unknown_user_gets_the_same_answer(staff_desk: StaffDesk) -> None:
    response = staff_desk.client.post(
        "/staff/login", data={"username": "ai-do", "password": "x", "csrf": staff_desk.csrf()}
    )
    assert response.status_code == 401
    assert response.text == _login(staff_desk, "sai").text


def test_a_deactivated_account_loses_its_session(staff_desk: StaffDesk) -> None:
    staff_desk.login(Role.DESK)
    account = staff_desk.accounts.get("motcua")
    assert account is not None
    from attrs import evolve

    staff_desk.accounts.update(evolve(account, active=False))
    assert staff_desk.client.get("/staff/queues", follow_redirects=False).status_code == 303


def test_pages_escape_what_citizens_typed(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk, name="<script>alert(1)</script>")
    page = staff_desk.client.get(f"/staff/dossiers/{code}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# The lock-out rule itself, on both sides of its boundaries.

AT = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
POLICY = LockoutPolicy(max_failures=3, lock_for=dt.timedelta(minutes=10))


def _account() -> Account:
    return Account("motcua", "Trần Văn Nam", Role.DESK, "Bộ phận Một cửa", "hash")


def test_lockout_counts_to_the_limit() -> None:
    account = _account()
    for _ in range(POLICY.max_failures - 1):
        account = login_failed(account, AT, POLICY)
        assert not is_locked(account, AT)
    account = login_failed(account, AT, POLICY)
    assert is_locked(account, AT)
    assert is_locked(account, AT + POLICY.lock_for - dt.timedelta(microseconds=1))
    assert not is_locked(account, AT + POLICY.lock_for)
    assert login_succeeded(account).failed_logins == 0


def test_a_success_resets_the_count() -> None:
    account = login_failed(login_failed(_account(), AT, POLICY), AT, POLICY)
    account = login_succeeded(account)
    assert not is_locked(login_failed(login_failed(account, AT, POLICY), AT, POLICY), AT)


@pytest.mark.parametrize("name", ["ab", "Motcua", "-abc", "a" * 33, "có-dấu", "a b c"])
def test_bad_user_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput, match="user name"):
        check_username(name)


@pytest.mark.parametrize("name", ["abc", "a" * 32, "tran.van-nam_2"])
def test_good_user_names(name: str) -> None:
    assert check_username(name) == name


def test_a_lockout_policy_needs_a_limit_and_a_duration() -> None:
    with pytest.raises(InvalidInput):
        LockoutPolicy(max_failures=0)
    with pytest.raises(InvalidInput):
        LockoutPolicy(lock_for=dt.timedelta(0))


def test_every_role_has_an_account_in_the_fixture() -> None:
    assert set(PEOPLE) == set(Role)


def test_every_role_and_action_has_a_vietnamese_name() -> None:
    assert all(role.label_vi for role in Role)
    assert len({action.label_vi for action in Action}) == len(Action)


def test_an_old_hash_is_replaced_at_login() -> None:
    import argon2
    from tests._staff import FAST_HASHER

    from tthc_adapters.staff import PasswordHasher, authenticate
    from tthc_adapters.storage import MemoryAccounts

    accounts = MemoryAccounts()
    old = FAST_HASHER.hash(PASSWORD)
    accounts.add(Account("motcua", "Trần Văn Nam", Role.DESK, "Một cửa", old))
    today = PasswordHasher(argon2.PasswordHasher(time_cost=2, memory_cost=128, parallelism=1))
    authenticate(accounts, today, "MOTCUA ", PASSWORD, at=AT, policy=POLICY)
    stored = accounts.get("motcua")
    assert stored is not None
    assert stored.password_hash != old
    assert today.verify(stored.password_hash, PASSWORD)
    assert not today.needs_rehash(stored.password_hash)


def test_a_deactivated_account_cannot_log_in(staff_desk: StaffDesk) -> None:
    from attrs import evolve

    account = staff_desk.accounts.get("motcua")
    assert account is not None
    staff_desk.accounts.update(evolve(account, active=False))
    assert _login(staff_desk, PASSWORD).status_code == 401


def test_the_administrator_adds_and_disables_accounts(staff_desk: StaffDesk) -> None:
    new = {"username": "motcua2", "display_name": "Ngô Văn Hải", "role": "desk",
           "unit": "Bộ phận Một cửa", "password": PASSWORD, "password2": PASSWORD}  # fmt: skip
    staff_desk.login(Role.DESK)
    assert staff_desk.post("/staff/admin/accounts", new).status_code == 403  # type: ignore[attr-defined]
    staff_desk.login(Role.ADMIN)
    for bad, reason in [
        ({"password2": "khác"}, "trùng khớp"),
        ({"password": "ngắn", "password2": "ngắn"}, "ít nhất 12"),
        ({"role": "boss"}, "Vai trò không hợp lệ"),
        ({"username": "Có Dấu"}, "Không thêm được"),
        ({"username": "motcua"}, "already exists"),
    ]:
        staff_desk.post("/staff/admin/accounts", new | bad)
        assert reason in staff_desk.client.get("/staff/admin").text, bad
    staff_desk.post("/staff/admin/accounts", new)
    assert "Đã thêm tài khoản motcua2" in staff_desk.client.get("/staff/admin").text
    added = staff_desk.accounts.get("motcua2")
    assert added is not None
    assert added.role is Role.DESK
    assert added.password_hash.startswith("$argon2id$")
    staff_desk.post("/staff/admin/accounts/quantri/disable")
    assert "Không tự vô hiệu hóa" in staff_desk.client.get("/staff/admin").text
    staff_desk.post("/staff/admin/accounts/motcua2/disable")
    disabled = staff_desk.accounts.get("motcua2")
    assert disabled is not None
    assert not disabled.active


def test_the_staff_pages_live_under_staff(staff_desk: StaffDesk) -> None:
    bare = staff_desk.client.get("/staff", follow_redirects=False)
    assert bare.status_code == 308
    assert bare.headers["location"] == "/staff/"
    assert staff_desk.client.get("/staff/", follow_redirects=False).headers["location"] == (
        "/staff/login"
    )
    page = staff_desk.client.get("/staff/login")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert staff_desk.client.get("/staffx").status_code == 404
