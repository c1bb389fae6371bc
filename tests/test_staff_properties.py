"""Properties of the staff rules: lock-out, search without diacritics, offered actions."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.staff._actions import ACTIONS, available_actions
from tthc_adapters.staff._intake import search_procedures
from tthc_core.accounts import (
    Account,
    LockoutPolicy,
    Role,
    is_locked,
    login_failed,
    login_succeeded,
)
from tthc_core.dossier import Dossier, DossierState, accepted_commands
from tthc_core.text import fold

START = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)


@given(
    max_failures=st.integers(1, 6),
    steps=st.lists(st.tuples(st.booleans(), st.integers(0, 1200)), max_size=40),
)
def test_lockout_locks_exactly_at_the_limit_and_for_its_time(
    max_failures: int, steps: list[tuple[bool, int]]
) -> None:
    policy = LockoutPolicy(max_failures=max_failures, lock_for=dt.timedelta(minutes=15))
    account = Account("motcua", "Trần Văn Nam", Role.DESK, "Một cửa", "h")
    at, streak, locked_until = START, 0, None
    for success, seconds in steps:
        at += dt.timedelta(seconds=seconds)
        if is_locked(account, at):
            assert locked_until is not None
            assert at < locked_until
            continue  # a locked account's login is refused before the password is checked
        if success:
            account, streak = login_succeeded(account), 0
        else:
            account, streak = login_failed(account, at, policy), streak + 1
            if streak == max_failures:
                locked_until, streak = at + policy.lock_for, 0
        assert account.failed_logins == streak < max_failures
        assert is_locked(account, at) == (locked_until is not None and at < locked_until)


NAMES = [p.name for p in sample_catalogue()]


@given(
    name=st.sampled_from(NAMES),
    start=st.integers(0, 20),
    length=st.integers(1, 12),
    upper=st.booleans(),
)
def test_search_ignores_diacritics_and_case(
    name: str, start: int, length: int, upper: bool
) -> None:
    procedures = sample_catalogue()
    query = name[start : start + length]
    typed = fold(query).upper() if upper else fold(query)
    found = search_procedures(procedures, typed)
    assert found == search_procedures(procedures, query)
    if query.strip():
        assert any(p.name == name for p in found)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("state", list(DossierState))
def test_the_page_offers_what_both_the_role_and_the_state_allow(
    role: Role, state: DossierState, some_dossier: Dossier
) -> None:
    account = Account("motcua", "Trần Văn Nam", role, "Một cửa", "h")
    offered = {a.name for a in available_actions(attrs.evolve(some_dossier, state=state), account)}
    expected = {
        a.name
        for a in ACTIONS
        if account.may(a.permission) and a.command in accepted_commands(state)
    }
    assert offered == expected


@pytest.fixture(scope="module")
def some_dossier(desk: object) -> Dossier:
    from tests._desk import receive

    from tthc_adapters.bootstrap import DEMO_CATALOGUE
    from tthc_adapters.storage import MemoryStore

    store = MemoryStore()
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return receive(store, desk)  # type: ignore[arg-type]
