"""Fixtures for the staff web application: a store, accounts of every role, a client."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import argon2
import attrs
import pytest
from starlette.testclient import TestClient

from tthc_adapters.app import create_app
from tthc_adapters.app._throttle import Throttle
from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.staff import PasswordHasher, staff_app
from tthc_adapters.storage import MemoryAccounts, MemoryStore
from tthc_core.accounts import Account, LockoutPolicy, Role
from tthc_core.api_tokens import ApiTokens
from tthc_core.desk import Desk
from tthc_core.storage import Store
from tthc_core.storage.kinds import DOSSIERS

PASSWORD = "mật-khẩu-đủ-dài-2026"  # noqa: S105 - a test account
SECRET = "s" * 40
DESK_UNIT = "Trung tâm Phục vụ hành chính công xã Krông Năng"
SPECIALIST_UNIT = "Phòng Kinh tế xã Krông Năng"
LEADER_UNIT = "Lãnh đạo UBND xã Krông Năng"
#: One account per role: (user name, display name, unit).
PEOPLE = {
    Role.DESK: ("motcua", "Trần Văn Nam", DESK_UNIT),
    Role.SPECIALIST: ("chuyenvien", "Lê Thị Mai", SPECIALIST_UNIT),
    Role.LEADER: ("lanhdao", "Phạm Quốc Huy", LEADER_UNIT),
    Role.CASE_HANDLER: ("pakn", "Võ Thị Lan", DESK_UNIT),
    Role.ADMIN: ("quantri", "Đỗ Minh Tâm", "Văn phòng UBND xã Krông Năng"),
}
#: Cheap argon2 parameters: tests check behaviour, not cost.
FAST_HASHER = PasswordHasher(argon2.PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@attrs.define
class Clock:
    """A settable clock."""

    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now


@attrs.define
class StaffDesk:
    """What a staff test holds: the store, accounts, clock and a client."""

    store: Store
    accounts: MemoryAccounts
    clock: Clock
    client: TestClient

    def csrf(self, path: str = "/staff/login") -> str:
        """The CSRF token a page's form carries."""
        found = _CSRF.search(self.client.get(path).text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def login(self, role: Role) -> None:
        """Log in as the account of ``role``."""
        self.client.cookies.clear()
        username = PEOPLE[role][0]
        response = self.client.post(
            "/staff/login",
            data={"username": username, "password": PASSWORD, "csrf": self.csrf()},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text

    def post(self, path: str, data: dict[str, str] | None = None) -> object:
        """POST a form with the session's CSRF token (not following the redirect)."""
        token = self.csrf()  # the login page shows the session's token too
        return self.client.post(path, data={**(data or {}), "csrf": token}, follow_redirects=False)

    def dossier(self, code: str) -> object:
        """The stored dossier."""
        with self.store.unit_of_work() as uow:
            return uow.repository(DOSSIERS).get(code)


def make_accounts(hasher: PasswordHasher = FAST_HASHER) -> MemoryAccounts:
    """Accounts of every role, all with :data:`PASSWORD`."""
    accounts = MemoryAccounts()
    password_hash = hasher.hash(PASSWORD)
    for role, (username, name, unit) in PEOPLE.items():
        accounts.add(Account(username, name, role, unit, password_hash))
    return accounts


@pytest.fixture
def staff_desk(desk: Desk) -> StaffDesk:
    """A memory store with the demo catalogue, accounts of every role and a client."""
    clock = Clock(dt.datetime(2026, 11, 23, 9, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    store = MemoryStore(clock=clock)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    accounts = make_accounts()
    app = build_app(store, desk, accounts, clock)
    return StaffDesk(store, accounts, clock, TestClient(app, base_url="http://testserver"))


def build_app(
    store: Store,
    desk: Desk,
    accounts: MemoryAccounts,
    clock: Callable[[], dt.datetime],
    tokens: ApiTokens | None = None,
) -> object:
    """The whole application with the staff pages mounted."""
    staff = staff_app(
        store,
        desk,
        accounts=accounts,
        clock=clock,
        secret_key=SECRET,
        hasher=FAST_HASHER,
        lockout=LockoutPolicy(max_failures=3, lock_for=dt.timedelta(minutes=15)),
        tokens=tokens,
        # Tests log in hundreds of times from one address; the limit has its own test.
        login_throttle=Throttle("100000/minute", scope="staff-login"),
    )
    return create_app(store, desk, postal_secret="p" * 20, clock=clock, staff=staff)
