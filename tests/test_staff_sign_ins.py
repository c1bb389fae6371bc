"""Login events in the audit trail, and the per-address limit on login attempts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient
from tests._staff import FAST_HASHER, PASSWORD, PEOPLE, SECRET, Clock, StaffDesk, make_accounts

from tthc_adapters.app import create_app
from tthc_adapters.app._throttle import Throttle
from tthc_adapters.staff import staff_app
from tthc_adapters.storage import MemoryStore, SqliteStore
from tthc_core.accounts import LockoutPolicy, Role, check_username
from tthc_core.desk import Desk
from tthc_core.errors import InvalidInput
from tthc_core.sign_ins import (
    UNKNOWN_ACCOUNT,
    SignInOutcome,
    StaffLockedOut,
    StaffSignedIn,
    StaffSignedOut,
    StaffSignInFailed,
    record_sign_in,
)
from tthc_core.storage import Store
from tthc_core.storage.kinds import SIGN_INS

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
NOW = dt.datetime(2026, 11, 23, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _client(store: Store, desk: Desk, *, rate: str = "30/minute", host: str = "10.0.0.7") -> Any:
    staff = staff_app(
        store,
        desk,
        accounts=make_accounts(),
        clock=Clock(NOW),
        secret_key=SECRET,
        hasher=FAST_HASHER,
        lockout=LockoutPolicy(max_failures=3, lock_for=dt.timedelta(minutes=15)),
        login_throttle=Throttle(rate, scope=f"test-login-{id(store)}"),
    )
    app = create_app(store, desk, postal_secret="p" * 20, clock=Clock(NOW), staff=staff)
    return TestClient(app, client=(host, 50000))


def _login(client: Any, username: str, password: str) -> Any:
    page = client.get("/staff/login").text
    token = _CSRF.search(page).group(1)  # type: ignore[union-attr]
    return client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf": token},
        follow_redirects=False,
    )


def _trail(store: Store, key: str) -> list[Any]:
    with store.unit_of_work() as uow:
        return uow.audit.history(SIGN_INS, key)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_every_login_event_is_in_the_audit_trail_with_the_officer(
    kind: str, desk: Desk, tmp_path: Any
) -> None:
    store: Store = (
        MemoryStore(clock=Clock(NOW))
        if kind == "memory"
        else SqliteStore(str(tmp_path / "t.sqlite3"), clock=Clock(NOW))
    )
    client = _client(store, desk)
    officer = PEOPLE[Role.DESK][0]
    assert _login(client, officer, PASSWORD).status_code == 303
    page = client.get("/staff/queues").text
    token = _CSRF.search(page).group(1)  # type: ignore[union-attr]
    assert (
        client.post("/staff/logout", data={"csrf": token}, follow_redirects=False).status_code
        == 303
    )
    for _ in range(3):
        assert _login(client, officer, "sai-mật-khẩu-rồi").status_code == 401
    assert _login(client, officer, PASSWORD).status_code == 401  # locked now
    assert _login(client, "ai-do-khong-co", "x").status_code == 401
    trail = _trail(store, officer)
    kinds = [type(r.event) for r in trail]
    assert kinds == [
        StaffSignedIn, StaffSignedOut, StaffSignInFailed, StaffSignInFailed,
        StaffSignInFailed, StaffLockedOut, StaffSignInFailed,
    ]  # fmt: skip
    assert {r.actor for r in trail} == {officer}
    assert {r.event.client for r in trail} == {"10.0.0.7"}  # type: ignore[attr-defined]
    lock = trail[5].event
    assert isinstance(lock, StaffLockedOut)
    assert lock.until == NOW + dt.timedelta(minutes=15)
    (unknown,) = _trail(store, UNKNOWN_ACCOUNT)
    assert unknown.actor is None
    assert isinstance(unknown.event, StaffSignInFailed)
    assert unknown.event.username == "ai-do-khong-co"
    assert not unknown.event.known_account


def test_too_many_attempts_from_one_address_get_a_vietnamese_429(desk: Desk) -> None:
    store = MemoryStore(clock=Clock(NOW))
    client = _client(store, desk, rate="3/minute")
    for name in ("motcua", "lanhdao", "pakn"):  # spread over names: the address is counted
        assert _login(client, name, "đoán-thử-mật-khẩu").status_code == 401
    answer = _login(client, PEOPLE[Role.DESK][0], PASSWORD)  # even the right password waits
    assert answer.status_code == 429
    assert "Có quá nhiều lần đăng nhập từ địa chỉ mạng này" in answer.text
    assert 1 <= int(answer.headers["retry-after"]) <= 60
    assert client.get("/staff/queues", follow_redirects=False).status_code == 303  # not logged in
    other = _client(store, desk, rate="3/minute", host="10.0.0.8")
    assert _login(other, PEOPLE[Role.DESK][0], PASSWORD).status_code == 303  # another address


def test_the_default_limit_lets_a_commune_office_log_in(staff_desk: StaffDesk) -> None:
    for role in Role:  # every officer of the office, one address
        staff_desk.login(role)


@given(
    name=st.text(max_size=100),
    outcome=st.sampled_from(SignInOutcome),
    known=st.booleans(),
)
def test_unknown_names_never_land_in_an_accounts_log(
    name: str, outcome: SignInOutcome, known: bool
) -> None:
    log, events = record_sign_in(
        None, outcome, username=name, known_account=known, client="1.2.3.4", at=NOW,
        locked_until=NOW + dt.timedelta(minutes=15),
    )  # fmt: skip
    if not known:
        assert log.key == UNKNOWN_ACCOUNT
    with pytest.raises(InvalidInput):
        check_username(UNKNOWN_ACCOUNT)  # no account can own the unknown log
    assert all(len(e.username) <= 64 for e in events)
    assert len(events) == (2 if outcome is SignInOutcome.LOCKED_OUT else 1)
