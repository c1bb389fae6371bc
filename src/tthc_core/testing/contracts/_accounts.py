"""Contract suite for :class:`tthc_core.accounts.Accounts` (staff accounts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_core.accounts import Account, AccountExists, Accounts, Role
from tthc_core.errors import InvalidInput

__all__ = ["AccountsContract"]


def _account(username: str = "motcua", **changes: Any) -> Account:
    account = Account(username, "Trần Văn Nam", Role.DESK, "Bộ phận Một cửa", "$argon2id$x")
    return attrs.evolve(account, **changes)


class AccountsContract:
    """What every :class:`~tthc_core.accounts.Accounts` adapter must do.

    Subclass it and define a fixture ``accounts`` giving an empty adapter.
    """

    @pytest.fixture
    def accounts(self) -> Accounts:
        """The adapter under test, empty."""
        raise NotImplementedError("override the accounts fixture")

    def test_an_added_account_reads_back_equal(self, accounts: Accounts) -> None:
        assert accounts.get("motcua") is None
        account = _account(role=Role.LEADER, display_name="Phạm Quốc Huy")
        accounts.add(account)
        assert accounts.get("motcua") == account

    def test_a_user_name_is_taken_once(self, accounts: Accounts) -> None:
        accounts.add(_account())
        with pytest.raises(AccountExists):
            accounts.add(_account(display_name="Người khác"))
        assert accounts.get("motcua") == _account()

    def test_update_replaces_every_field(self, accounts: Accounts) -> None:
        accounts.add(_account())
        locked = dt.datetime(2026, 11, 23, 2, 15, 30, 123456, tzinfo=dt.UTC)
        changed = _account(
            display_name="Trần Văn Nam B",
            role=Role.SPECIALIST,
            unit="Phòng Kinh tế",
            password_hash="$argon2id$y",  # noqa: S106 - not a password
            failed_logins=3,
            locked_until=locked,
            active=False,
        )
        accounts.update(changed)
        stored = accounts.get("motcua")
        assert stored == changed
        assert stored is not None
        assert stored.locked_until is not None
        assert stored.locked_until.utcoffset() is not None

    def test_updating_a_missing_account_is_refused(self, accounts: Accounts) -> None:
        with pytest.raises(InvalidInput):
            accounts.update(_account("khong-co"))
        assert accounts.get("khong-co") is None

    # One adapter per subclass: the fixture is the adapter (kept across examples on
    # purpose, as update-or-add), and each subclass is its own executor.
    @settings(
        max_examples=25,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(drawn=st.from_type(Account))
    def test_any_account_round_trips(self, accounts: Accounts, drawn: Account) -> None:
        if accounts.get(drawn.username) is None:
            accounts.add(drawn)
        else:
            accounts.update(drawn)
        assert accounts.get(drawn.username) == drawn

    def test_all_is_by_user_name(self, accounts: Accounts) -> None:
        for name in ("chuyenvien", "motcua", "lanhdao"):
            accounts.add(_account(name))
        assert [a.username for a in accounts.all()] == ["chuyenvien", "lanhdao", "motcua"]
